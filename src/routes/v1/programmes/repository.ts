import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { contains } from '../../../db/expressions.ts'
import { versionedRepository } from '../../../db/repository.ts'
import type { ProgrammeLevel } from '../../../db/tables/programmes.table.ts'
import { inScopeOrNational, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

export type { ProgrammeLevel }

export const COLUMNS = [
  'id',
  'level',
  'province_code',
  'title',
  'start_year',
  'end_year',
  'decision_number',
  'decision_date',
  'decision_issuer',
  'objectives',
  'targets',
  'status',
  'origin_province_code',
  'notes',
  'version',
  'created_at',
  'updated_at',
] as const

// National programmes are read by every signed-in caller.
const table = versionedRepository('programmes', COLUMNS, inScopeOrNational, ['targets'])
export const { select, findById, findForUpdate, insert, update, remove } = table

export type ProgrammeRow = RowOf<typeof select>

export interface ProgrammeFilters {
  level?: string | undefined
  province_code?: string | undefined
  status?: string | undefined
  year?: number | undefined
  q?: string | undefined
}

export const SORT: SortKey<ProgrammeRow>[] = [
  { column: 'programmes.start_year', field: 'start_year', type: 'integer', direction: 'desc' },
  { column: 'programmes.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: ProgrammeFilters) {
  let query = select(trx, scope)
  if (f.level) query = query.where('level', '=', f.level as ProgrammeLevel)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.year) query = query.where('start_year', '<=', f.year).where('end_year', '>=', f.year)
  if (f.q) query = query.where(contains('search_text', f.q))
  return query
}

/** Another programme of the same owner (province, or none: national) with that decision number. */
export function decided(trx: Trx, province: string | null, number: string, except?: string) {
  let query = trx
    .selectFrom('programmes')
    .select('id')
    .where('decision_number', '=', number)
    .where(sql<boolean>`province_code is not distinct from ${province}`)
  if (except) query = query.where('id', '<>', except)
  return query.executeTakeFirst()
}

/** An annual plan of the programme, if any: a programme with plans stays. */
export const planOf = (trx: Trx, id: string) =>
  trx.selectFrom('plans').select('year').where('programme_id', '=', id).executeTakeFirst()
