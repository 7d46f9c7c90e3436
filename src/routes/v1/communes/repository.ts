import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { changesOf, effective } from '../../../db/administrative-changes.ts'
import type { CommuneType, Database } from '../../../db/schema.ts'

export interface CommuneFilters {
  provinceCode?: string | undefined
  pattern?: string | undefined
  type?: CommuneType | undefined
  asOf: string
}

export function communesQuery(db: Kysely<Database>, f: CommuneFilters) {
  const type = effective<CommuneType>('commune', 'type', f.asOf)
  let query = db
    .selectFrom('communes')
    .select([
      'code',
      'name',
      'name_en',
      type.as('type'),
      effective('commune', 'full_name', f.asOf).as('full_name'),
      'province_code',
    ])
  if (f.provinceCode) query = query.where('province_code', '=', f.provinceCode)
  if (f.pattern) query = query.where('search_name', 'like', sql<string>`kc_fold(${f.pattern})`)
  if (f.type) query = query.where(type, '=', f.type)
  return query
}

export async function getCommune(db: Kysely<Database>, code: string, asOf: string) {
  const row = await db
    .selectFrom('communes')
    .innerJoin('provinces', 'provinces.code', 'communes.province_code')
    .select([
      'communes.code',
      'communes.name',
      'communes.name_en',
      effective<CommuneType>('commune', 'type', asOf).as('type'),
      effective('commune', 'full_name', asOf).as('full_name'),
      'communes.province_code',
      effective('province', 'name', asOf).as('province_name'),
    ])
    .where('communes.code', '=', code)
    .executeTakeFirst()
  if (!row) return undefined
  const { province_name, ...commune } = row
  return {
    ...commune,
    province: { code: commune.province_code, name: province_name },
    changes: await changesOf(db, 'commune', code),
  }
}

export const provinceExists = async (db: Kysely<Database>, code: string) =>
  (await db.selectFrom('provinces').select('code').where('code', '=', code).executeTakeFirst()) !== undefined
