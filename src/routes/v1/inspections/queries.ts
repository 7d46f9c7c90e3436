import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.js'
import type { InspectionsTable } from '../../../db/tables/inspections.table.js'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.js'
import type { SortKey } from '../../../lib/pagination.js'

export const COLUMNS = [
  'id',
  'province_code',
  'kind',
  'inspection_date',
  'inspecting_body',
  'project_ids',
  'establishment_ids',
  'findings',
  'conclusion',
  'rating',
  'follow_ups',
  'open_follow_ups',
  'origin_province_code',
  'version',
  'created_at',
  'updated_at',
] as const satisfies (keyof InspectionsTable)[]

export interface InspectionFilters {
  province_code?: string | undefined
  year?: number | undefined
  kind?: string | undefined
  has_open_follow_ups?: boolean | undefined
  project_id?: string | undefined
}

const select = (trx: Trx, scope: Scope) =>
  trx.selectFrom('inspections').select(COLUMNS).where(inScope(scope, 'inspections.province_code'))

export type InspectionRow = RowOf<typeof select>

export const SORT: SortKey<InspectionRow>[] = [
  { column: 'inspections.inspection_date', field: 'inspection_date', type: 'string', direction: 'desc' },
  { column: 'inspections.id', field: 'id', type: 'string', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: InspectionFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.kind) query = query.where('kind', '=', f.kind)
  if (f.year) {
    query = query
      .where('inspection_date', '>=', `${f.year}-01-01`)
      .where('inspection_date', '<', `${f.year + 1}-01-01`)
  }
  if (f.has_open_follow_ups !== undefined) {
    query = query.where('open_follow_ups', f.has_open_follow_ups ? '>' : '=', 0)
  }
  if (f.project_id) query = query.where(sql<boolean>`project_ids @> array[${f.project_id}]::uuid[]`)
  return query
}

export const findById = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).executeTakeFirst()

/** For an update or delete: the row, locked, so the version check and the write are one step. */
export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).forUpdate().executeTakeFirst()
