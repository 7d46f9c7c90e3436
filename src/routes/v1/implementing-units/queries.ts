import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.js'
import type { ImplementingUnitsTable } from '../../../db/tables/implementing-units.table.js'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.js'
import type { SortKey } from '../../../lib/pagination.js'
import { containsPattern } from '../../../lib/text.js'

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
] as const satisfies (keyof ImplementingUnitsTable)[]

export interface ImplementingUnitFilters {
  province_code?: string | undefined
  unit_model?: string | undefined
  status?: string | undefined
  q?: string | undefined
}

const select = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('implementing_units')
    .select(COLUMNS)
    .where(inScope(scope, 'implementing_units.province_code'))

export type ImplementingUnitRow = RowOf<typeof select>

export const SORT: SortKey<ImplementingUnitRow>[] = [
  { column: 'implementing_units.name', field: 'name', type: 'string' },
  { column: 'implementing_units.id', field: 'id', type: 'string' },
]

export function listQuery(trx: Trx, scope: Scope, f: ImplementingUnitFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.unit_model) query = query.where('unit_model', '=', f.unit_model)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.q) query = query.where('search_text', 'like', sql<string>`kc_fold(${containsPattern(f.q)})`)
  return query
}

export const findById = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).executeTakeFirst()

/** For an update or delete: the row, locked, so the version check and the write are one step. */
export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).forUpdate().executeTakeFirst()
