import type { RowOf } from '../../../db/columns.ts'
import { contains } from '../../../db/expressions.ts'
import { versionedRepository } from '../../../db/repository.ts'
import type { StaffYear } from '../../../db/tables/implementing-units.table.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

export const COLUMNS = [
  'id',
  'province_code',
  'name',
  'unit_model',
  'parent_body',
  'founding_decision_number',
  'founding_decision_date',
  'founding_decision_issuer',
  'address',
  'phone',
  'email',
  'website',
  'staff',
  'equipment',
  'premises_description',
  'premises_area_m2',
  'status',
  'origin_province_code',
  'version',
  'created_at',
  'updated_at',
] as const

export interface ImplementingUnitFilters {
  province_code?: string | undefined
  unit_model?: string | undefined
  status?: string | undefined
  q?: string | undefined
}

const table = versionedRepository('implementing_units', COLUMNS, inScope, ['staff', 'equipment'])
export const { findById, findForUpdate, remove } = table

export type ImplementingUnitRow = RowOf<typeof table.select>

/** The staff as stored: in year order. */
const byYear = (staff: StaffYear[] | undefined) => staff && [...staff].sort((a, b) => a.year - b.year)

export const insert = (trx: Trx, values: Parameters<typeof table.insert>[1]) =>
  table.insert(trx, { ...values, staff: byYear(values.staff) })

export const update = (trx: Trx, id: string, values: Parameters<typeof table.update>[2]) =>
  table.update(trx, id, { ...values, staff: byYear(values.staff) })

export const SORT: SortKey<ImplementingUnitRow>[] = [
  { column: 'implementing_units.name', field: 'name', type: 'text' },
  { column: 'implementing_units.id', field: 'id', type: 'uuid' },
]

export function listQuery(trx: Trx, scope: Scope, f: ImplementingUnitFilters) {
  let query = table.select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.unit_model) query = query.where('unit_model', '=', f.unit_model)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.q) query = query.where(contains('search_text', f.q))
  return query
}
