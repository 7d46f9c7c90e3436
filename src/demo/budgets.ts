// Ask 6 of the letter (local money beside the central budget): each year's allocations of the
// central and the local budget, some revised during the year — before the merger to each former
// province, from 2026 to the province — and the disbursements of the schemes' approved money.
import type { Trx } from '../db/tenancy.ts'
import { disbursementDecider } from '../domain/deciders.ts'
import type { ProjectState, RunBy } from '../domain/project-lifecycle.ts'
import { actingIn, type FormerProvince, lower, NOTE, type Province, YEARS } from './common.ts'
import type { Generator } from './generator.ts'

type Range = [lo: number, hi: number]

/**
 * Each (former) province's khuyến công money a year, in millions of VND, and how much larger its
 * locally funded schemes are than a small province's. Illustrative magnitudes, not figures of a
 * published plan: in proportion to the province's size — a large city funds far more from its own
 * budget than the central budget gives it, a mountain province less.
 */
const BUDGET: Record<string, { central: Range; local: Range; scale?: number }> = {
  '01': { central: [2500, 4000], local: [12000, 20000], scale: 4 },
  '02': { central: [2000, 3500], local: [800, 1500] },
  '08': { central: [1800, 3000], local: [1000, 2000] },
  '38': { central: [2500, 4500], local: [3000, 5000], scale: 2 },
  '48': { central: [1000, 2000], local: [2500, 4500], scale: 2 },
  '49': { central: [2000, 3500], local: [1500, 3000] },
  '74': { central: [800, 1500], local: [3000, 5000] },
  '77': { central: [800, 1500], local: [2000, 3500] },
  '79': { central: [1500, 3000], local: [8000, 14000], scale: 3 },
}

/** How many times as much as a small province's a locally funded scheme of this province costs. */
export const localScale = (code: string) => BUDGET[code]?.scale ?? 1

/** The range of a year's money of these (former) provinces together. */
const range = (codes: string[], source: 'central' | 'local'): Range =>
  codes.reduce<Range>(
    ([lo, hi], c) => [lo + (BUDGET[c]?.[source][0] ?? 0), hi + (BUDGET[c]?.[source][1] ?? 0)],
    [0, 0],
  )

/**
 * Runs `write` as whoever records money of this source (the ministry central money, TTLT 26/2014
 * Art. 8.1.a, and every source of a scheme its own units run; the province the rest), then acts as
 * the province again.
 */
async function asPayer(
  trx: Trx,
  source: string,
  province: string,
  write: () => Promise<unknown>,
  runBy = 'province',
) {
  if (disbursementDecider(source, runBy) === 'province') return write()
  const actAs = actingIn(trx)
  await actAs('ministry', null)
  await write()
  await actAs('province', province)
}

/**
 * A province's allocations, year by year: before the merger each former province's, from 2026 the
 * merged province's; the local ones decided by the People's Committee and recorded by the province,
 * the central ones decided and recorded by the ministry.
 */
export async function allocations(trx: Trx, rnd: Generator, province: Province, olds: FormerProvince[]) {
  for (const year of YEARS) {
    const owners = year <= 2025 ? olds : [province]
    for (const owner of owners) {
      const codes = year <= 2025 ? [owner.code] : olds.map((f) => f.code)
      for (const source of ['central', 'local'] as const) {
        const amount = rnd.millions(...range(codes, source))
        const key = {
          province_code: province.code,
          origin_province_code: year <= 2025 ? owner.code : null,
          year,
          funding_source: source,
          activity_content: null,
          created_by: 'demo-data',
          decision_issuer: source === 'central' ? 'Bộ Công Thương' : `UBND ${lower(owner.full_name)}`,
          notes: NOTE,
        }
        const original = {
          ...key,
          amount,
          type: 'original',
          decision_number: `${rnd.int(100, 999)}/QĐ-${source === 'central' ? 'BCT' : 'UBND'}`,
          decision_date: `${year - 1}-12-${rnd.int(10, 28)}`,
        }
        await asPayer(trx, source, province.code, () =>
          trx.insertInto('budget_allocations').values(original).execute(),
        )
        if (rnd.int(0, 2) === 0) {
          const revised = {
            ...key,
            amount: Math.round((amount * rnd.int(85, 115)) / 100 / 1_000_000) * 1_000_000,
            type: 'revised',
            decision_number: `${rnd.int(1000, 1999)}/QĐ-${source === 'central' ? 'BCT' : 'UBND'}`,
            decision_date: `${year}-0${rnd.int(6, 9)}-15`,
          }
          await asPayer(trx, source, province.code, () =>
            trx.insertInto('budget_allocations').values(revised).execute(),
          )
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
  run_by?: RunBy
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

/** Disbursements of the money approved, as far as the scheme has come (central ones as the ministry). */
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
        // A scheme under way (or suspended since July) was paid for its first stage mid-year; the
        // rest at the year's end, once done: never a day still to come (2026's are under way).
        date: state === 'in_progress' || state === 'suspended' ? `${year}-06-20` : `${year}-12-15`,
        document: `UNC thanh toán ${n}/${year}`,
      },
    ].filter((r) => r.amount > 0)
    const values = rows.map((row) => ({
      ...row,
      project_id: id,
      province_code,
      funding_source: source,
      note: null,
      created_by: 'demo-data',
    }))
    if (values.length === 0) continue
    // One statement per row, in order, as before: the trigger moves the scheme's totals row by row.
    await asPayer(
      trx,
      source,
      province_code,
      async () => {
        for (const v of values) await trx.insertInto('disbursements').values(v).execute()
      },
      scheme.run_by,
    )
  }
}
