// What the demo datasets (index.ts, reach.ts) share: their provinces and years, the seeded
// generator that makes every load the same (the load-test generator uses it too), and how a load
// acts under someone's tenancy.
import { sql } from 'kysely'
import type { Trx } from '../db/tenancy.js'

export const NOTE = 'Dữ liệu minh họa — demo data (figures are illustrative).'
export const PROVINCES = ['08', '01', '38', '48', '79']
export const YEARS = [2021, 2022, 2023, 2024, 2025, 2026]

/** mulberry32: a small seeded generator, so every load is the same. */
export function generator(seed: number) {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    /** A number in [0, 1). */
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** Whole millions of VND between lo and hi million. */
    millions: (lo: number, hi: number) => (lo + Math.floor(next() * (hi - lo + 1))) * 1_000_000,
  }
}

export type Generator = ReturnType<typeof generator>

export const json = (value: unknown) => JSON.stringify(value)
/** "Thành phố Đà Nẵng" → "thành phố Đà Nẵng", as inside a name. */
export const lower = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)

/** Runs the rest of the load's statements as the ministry or a province (the row-level policies' settings). */
export const actingIn =
  (trx: Trx) =>
  (role: 'ministry' | 'province', province: string | null): Promise<unknown> =>
    sql`select set_config('kc.role', ${role}, true), set_config('kc.province', ${province ?? ''}, true),
      set_config('kc.sub', 'demo-data', true)`.execute(trx)

/** The demo provinces and the former provinces merged into them. */
export async function demoProvinces(trx: Trx) {
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
