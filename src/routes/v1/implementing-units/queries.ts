import type { ColumnType, Generated } from 'kysely'
import { sql } from 'kysely'
import type { Static } from 'typebox'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.js'
import type { SortKey } from '../../../lib/pagination.js'
import { containsPattern } from '../../../lib/text.js'
import type { EquipmentItem, StaffYear } from './schemas.js'

/** A jsonb column: read as the value, written as its JSON text. */
type Json<T> = ColumnType<T, string | undefined, string>

export interface ImplementingUnitsTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  name: string
  unit_model: string
  parent_body: string | null
  founding_decision_number: string | null
  founding_decision_date: string | null
  founding_decision_issuer: string | null
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
  staff: Json<Static<typeof StaffYear>[]>
  equipment: Json<Static<typeof EquipmentItem>[]>
  premises_description: string | null
  premises_area_m2: number | null
  status: Generated<string>
  search_text: Generated<string>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}

declare module '../../../db/schema.js' {
  interface Database {
    implementing_units: ImplementingUnitsTable
  }
}

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

export type ImplementingUnitRow = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>

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
