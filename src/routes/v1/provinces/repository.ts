import { type Kysely, sql } from 'kysely'
import { changesOf, effective } from '../../../db/administrative-changes.js'
import type { Database, ProvinceType } from '../../../db/schema.js'

export async function listProvinces(
  db: Kysely<Database>,
  opts: { includeFormer: boolean; pattern?: string; asOf: string },
) {
  let current = db
    .selectFrom('provinces')
    .select([
      'code',
      'name',
      'name_en',
      effective<ProvinceType>('province', 'provinces', 'type', opts.asOf).as('type'),
      effective('province', 'provinces', 'full_name', opts.asOf).as('full_name'),
      sql<'current' | 'former'>`'current'`.as('status'),
      sql<string | null>`null`.as('successor_code'),
    ])
  let former = db
    .selectFrom('former_provinces')
    .select([
      'code',
      'name',
      'name_en',
      'type',
      'full_name',
      sql<'current' | 'former'>`'former'`.as('status'),
      'successor_code',
    ])
  if (opts.pattern) {
    current = current.where('search_name', 'like', sql<string>`kc_fold(${opts.pattern})`)
    former = former.where('search_name', 'like', sql<string>`kc_fold(${opts.pattern})`)
  }
  const query = opts.includeFormer ? current.unionAll(former) : current
  return query.orderBy('status').orderBy('code').execute()
}

export async function getProvince(db: Kysely<Database>, code: string, asOf: string) {
  const province = await db
    .selectFrom('provinces')
    .select([
      'code',
      'name',
      'name_en',
      effective<ProvinceType>('province', 'provinces', 'type', asOf).as('type'),
      effective('province', 'provinces', 'full_name', asOf).as('full_name'),
      'full_name_en',
    ])
    .where('code', '=', code)
    .executeTakeFirst()
  if (!province) return undefined
  const [former_provinces, changes] = await Promise.all([
    db
      .selectFrom('former_provinces')
      .select(['code', 'name', 'full_name'])
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
    former_provinces,
    changes,
  }
}

export async function getFormerProvince(db: Kysely<Database>, code: string, asOf: string) {
  const row = await db
    .selectFrom('former_provinces as f')
    .innerJoin('provinces', 'provinces.code', 'f.successor_code')
    .select([
      'f.code',
      'f.name',
      'f.name_en',
      'f.type',
      'f.full_name',
      'f.successor_code',
      'provinces.name as successor_name',
      effective('province', 'provinces', 'full_name', asOf).as('successor_full_name'),
    ])
    .where('f.code', '=', code)
    .executeTakeFirst()
  if (!row) return undefined
  const { successor_name, successor_full_name, ...former } = row
  return {
    ...former,
    status: 'former' as const,
    full_name_en: null,
    successor: { code: former.successor_code, name: successor_name, full_name: successor_full_name },
    former_provinces: [],
    changes: [],
  }
}
