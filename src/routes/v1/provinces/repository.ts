import { type Kysely, sql } from 'kysely'
import { changesOf, effective } from '../../../db/administrative-changes.ts'
import type { Database, ProvinceType } from '../../../db/schema.ts'
import { reusedCode } from './former-codes.ts'

// Every name and type is the one of `asOf` (db/administrative-changes.ts): Huế reads
// "Tỉnh Thừa Thiên Huế" on a date of 2024.
const current = (asOf: string) => ({
  name: effective('province', 'name', asOf),
  name_en: effective('province', 'name_en', asOf),
  type: effective<ProvinceType>('province', 'type', asOf),
  full_name: effective('province', 'full_name', asOf),
})
const former = (asOf: string, alias?: string) => ({
  name: effective('former_province', 'name', asOf, alias),
  name_en: effective('former_province', 'name_en', asOf, alias),
  type: effective<ProvinceType>('former_province', 'type', asOf, alias),
  full_name: effective('former_province', 'full_name', asOf, alias),
})

export async function listProvinces(
  db: Kysely<Database>,
  opts: { includeFormer: boolean; pattern?: string; asOf: string },
) {
  const c = current(opts.asOf)
  const f = former(opts.asOf)
  let currentQuery = db
    .selectFrom('provinces')
    .select([
      'code',
      c.name.as('name'),
      c.name_en.as('name_en'),
      c.type.as('type'),
      c.full_name.as('full_name'),
      sql<'current' | 'former'>`'current'`.as('status'),
      sql<string | null>`null`.as('successor_code'),
    ])
  let formerQuery = db
    .selectFrom('former_provinces')
    .select([
      'code',
      f.name.as('name'),
      f.name_en.as('name_en'),
      f.type.as('type'),
      f.full_name.as('full_name'),
      sql<'current' | 'former'>`'former'`.as('status'),
      'successor_code',
    ])
  if (opts.pattern) {
    // The name of that date is searched (97 rows: no index needed).
    const like = sql<string>`kc_fold(${opts.pattern})`
    currentQuery = currentQuery.where(sql`kc_fold(${c.name})`, 'like', like)
    formerQuery = formerQuery.where(sql`kc_fold(${f.name})`, 'like', like)
  }
  const query = opts.includeFormer ? currentQuery.unionAll(formerQuery) : currentQuery
  return query.orderBy('status').orderBy('code').execute()
}

export async function getProvince(db: Kysely<Database>, code: string, asOf: string) {
  const c = current(asOf)
  const f = former(asOf)
  const province = await db
    .selectFrom('provinces')
    .select([
      'code',
      c.name.as('name'),
      c.name_en.as('name_en'),
      c.type.as('type'),
      c.full_name.as('full_name'),
      effective('province', 'full_name_en', asOf).as('full_name_en'),
    ])
    .where('code', '=', code)
    .executeTakeFirst()
  if (!province) return undefined
  const [former_provinces, changes] = await Promise.all([
    db
      .selectFrom('former_provinces')
      .select(['code', f.name.as('name'), f.full_name.as('full_name')])
      .where('successor_code', '=', code)
      .orderBy('code')
      .execute(),
    changesOf(db, 'province', code),
  ])
  return {
    ...province,
    status: 'current' as const,
    successor_code: null,
    successor: null,
    code_reused_from: await reusedCode(db, code),
    former_provinces,
    changes,
  }
}

export async function getFormerProvince(db: Kysely<Database>, code: string, asOf: string) {
  const f = former(asOf, 'f')
  const c = current(asOf)
  const row = await db
    .selectFrom('former_provinces as f')
    .innerJoin('provinces', 'provinces.code', 'f.successor_code')
    .select([
      'f.code',
      f.name.as('name'),
      f.name_en.as('name_en'),
      f.type.as('type'),
      f.full_name.as('full_name'),
      'f.successor_code',
      c.name.as('successor_name'),
      c.full_name.as('successor_full_name'),
    ])
    .where('f.code', '=', code)
    .executeTakeFirst()
  if (!row) return undefined
  const { successor_name, successor_full_name, ...formerRow } = row
  return {
    ...formerRow,
    status: 'former' as const,
    full_name_en: null,
    successor: { code: formerRow.successor_code, name: successor_name, full_name: successor_full_name },
    code_reused_from: null,
    former_provinces: [],
    changes: await changesOf(db, 'former_province', code),
  }
}
