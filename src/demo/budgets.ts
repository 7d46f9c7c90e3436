// Ask 6 of the letter (local money beside the central budget): each year's allocations of the
// central and the local budget, some revised during the year — before the merger to each former
// province, from 2026 to the province — and the disbursements of the schemes' approved money.
import type { Trx } from '../db/tenancy.js'
import type { ProjectState } from '../domain/project-lifecycle.js'
import { type FormerProvince, NOTE, type Province, YEARS } from './common.js'
import type { Generator } from './generator.js'

/** A province's allocations, year by year, as the province. */
export async function allocations(trx: Trx, rnd: Generator, province: Province, olds: FormerProvince[]) {
  for (const year of YEARS) {
    const owners = year <= 2025 ? olds.map((f) => f.code) : [null]
    for (const origin of owners) {
      for (const source of ['central', 'local'] as const) {
        const amount = source === 'central' ? rnd.millions(800, 2500) : rnd.millions(500, 3000)
        const key = {
          province_code: province.code,
          origin_province_code: origin,
          year,
          funding_source: source,
          activity_content: null,
          created_by: 'demo-data',
          decision_issuer: source === 'central' ? 'Bộ Công Thương' : `UBND ${province.name}`,
          notes: NOTE,
        }
        await trx
          .insertInto('budget_allocations')
          .values({
            ...key,
            amount,
            type: 'original',
            decision_number: `${rnd.int(100, 999)}/QĐ-${source === 'central' ? 'BCT' : 'UBND'}`,
            decision_date: `${year - 1}-12-${rnd.int(10, 28)}`,
          })
          .execute()
        if (rnd.int(0, 2) === 0) {
          await trx
            .insertInto('budget_allocations')
            .values({
              ...key,
              amount: Math.round((amount * rnd.int(85, 115)) / 100 / 1_000_000) * 1_000_000,
              type: 'revised',
              decision_number: `${rnd.int(1000, 1999)}/QĐ-${source === 'central' ? 'BCT' : 'UBND'}`,
              decision_date: `${year}-0${rnd.int(6, 9)}-15`,
            })
            .execute()
        }
      }
    }
  }
}

/** A scheme with approved money, as far as the disbursements need it. */
export interface Disbursing {
  id: string
  province_code: string
  /** The scheme's number in the dataset, which names its payment documents. */
  n: number
  year: number
  state: ProjectState
  approved: { central: number; local: number; counterpart: number }
}

/** The share of the approved money disbursed once a scheme has reached each state. */
const SHARE = {
  approved: 0,
  in_progress: 40,
  suspended: 25,
  completed: 80,
  accepted: 90,
  settled: 100,
}

/** Disbursements of the money approved, as far as the scheme has come (as its province). */
export async function disbursements(trx: Trx, scheme: Disbursing) {
  const { id, province_code, n, year, state, approved } = scheme
  const share = SHARE[state as 'approved']
  for (const source of ['central', 'local', 'counterpart'] as const) {
    const total = Math.floor((approved[source] * (share ?? 0)) / 100)
    if (total <= 0) continue
    const advance = Math.min(total, Math.floor(approved[source] * 0.3))
    const rows = [
      {
        kind: 'advance',
        amount: advance,
        date: `${year}-04-05`,
        document: `Giấy rút dự toán tạm ứng ${n}/${year}`,
      },
      {
        kind: 'payment',
        amount: total - advance,
        date: `${year}-12-15`,
        document: `UNC thanh toán ${n}/${year}`,
      },
    ].filter((r) => r.amount > 0)
    for (const row of rows) {
      await trx
        .insertInto('disbursements')
        .values({
          ...row,
          project_id: id,
          province_code,
          funding_source: source,
          note: null,
          created_by: 'demo-data',
        })
        .execute()
    }
  }
}
