// What every step of the demo dataset shares: its provinces and years, its note, how a load acts
// under someone's tenancy, and the small helpers of more than one step.
import { sql } from 'kysely'
import type { Trx } from '../db/tenancy.ts'
import { APPROVED_STATES } from '../domain/project-lifecycle.ts'
import type { Generator } from './generator.ts'

export const NOTE = 'Dữ liệu minh họa — demo data (figures are illustrative).'
export const PROVINCES = ['08', '01', '38', '48', '79']
export const YEARS = [2021, 2022, 2023, 2024, 2025, 2026]

export const json = (value: unknown) => JSON.stringify(value)
/**
 * "Thành phố Đà Nẵng" → "thành phố Đà Nẵng", as inside a name; "Thành phố Hồ Chí Minh" keeps its
 * capital, which is part of the city's name.
 */
export const lower = (name: string) =>
  name === 'Thành phố Hồ Chí Minh' ? name : name.charAt(0).toLowerCase() + name.slice(1)

/** Who each load's transaction acts as now: all its settings go through actingIn, none in a savepoint. */
const acting = new WeakMap<Trx, string>()

/**
 * Runs the rest of the load's statements as the ministry or a province (the row-level policies'
 * settings); a no-op when the transaction already acts so (a scheme's history switches per step).
 */
export const actingIn =
  (trx: Trx) =>
  async (role: 'ministry' | 'province', province: string | null): Promise<void> => {
    const as = `${role}:${province ?? ''}`
    if (acting.get(trx) === as) return
    await sql`select set_config('kc.role', ${role}, true), set_config('kc.province', ${province ?? ''}, true),
      set_config('kc.sub', 'demo-data', true)`.execute(trx)
    acting.set(trx, as)
  }

/** A demo province, or a former province merged into one. */
export interface Province {
  code: string
  name: string
  full_name: string
}

export interface FormerProvince extends Province {
  successor_code: string
}

/** The demo provinces and the former provinces merged into them. */
export async function demoProvinces(trx: Trx): Promise<{ provinces: Province[]; formers: FormerProvince[] }> {
  const provinces = await trx
    .selectFrom('provinces')
    .select(['code', 'name', 'full_name'])
    .where('code', 'in', PROVINCES)
    .execute()
  const formers = await trx
    .selectFrom('former_provinces')
    .select(['code', 'name', 'full_name', 'successor_code'])
    .where('successor_code', 'in', PROVINCES)
    .orderBy('code')
    .execute()
  return { provinces, formers }
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô', 'Dương', 'Lý']
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Ngọc', 'Quang', 'Thanh', 'Hữu', 'Kim']
const GIVEN = [
  'Hoa',
  'Lan',
  'Hùng',
  'Dũng',
  'Hương',
  'Tuấn',
  'Mai',
  'Nam',
  'Hải',
  'Linh',
  'Thảo',
  'Sơn',
  'Bình',
]
/** A person's name, as on the civil registers. */
export const person = (rnd: Generator) => `${rnd.pick(SURNAMES)} ${rnd.pick(MIDDLE)} ${rnd.pick(GIVEN)}`
/** A row created and last changed at 02:00 UTC on `date`. */
export const at = (date: string) => ({
  created_at: `${date}T02:00:00.000Z`,
  updated_at: `${date}T02:00:00.000Z`,
})
/** Whether a scheme in this state was approved and goes ahead (or is done). */
export const inPlan = (state: string) => (APPROVED_STATES as readonly string[]).includes(state)
