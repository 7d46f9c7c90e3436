import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { inYear } from '../../../db/expressions.ts'
import { versionedRepository } from '../../../db/repository.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

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
  'inspected_by',
  'follow_ups',
  'open_follow_ups',
  'origin_province_code',
  'version',
  'created_at',
  'updated_at',
] as const

export interface InspectionFilters {
  province_code?: string | undefined
  year?: number | undefined
  kind?: string | undefined
  inspected_by?: string | undefined
  has_open_follow_ups?: boolean | undefined
  project_id?: string | undefined
}

const table = versionedRepository('inspections', COLUMNS, inScope, ['follow_ups'])
export const { select, findById, findForUpdate, insert, update, remove } = table

export type InspectionRow = RowOf<typeof select>

export const SORT: SortKey<InspectionRow>[] = [
  { column: 'inspections.inspection_date', field: 'inspection_date', type: 'date', direction: 'desc' },
  { column: 'inspections.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: InspectionFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.kind) query = query.where('kind', '=', f.kind)
  if (f.inspected_by) query = query.where('inspected_by', '=', f.inspected_by)
  if (f.year) query = query.where(inYear('inspection_date', f.year))
  if (f.has_open_follow_ups !== undefined) {
    query = query.where('open_follow_ups', f.has_open_follow_ups ? '>' : '=', 0)
  }
  if (f.project_id) query = query.where(sql<boolean>`project_ids @> array[${f.project_id}]::uuid[]`)
  return query
}
