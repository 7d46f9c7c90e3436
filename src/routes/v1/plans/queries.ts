import type { RowOf } from '../../../db/columns.js'
import type { PlansTable } from '../../../db/tables/plans.table.js'
import { inScopeOrNational, type Scope, type Trx } from '../../../db/tenancy.js'
import type { SortKey } from '../../../lib/pagination.js'

export const COLUMNS = [
  'id',
  'programme_id',
  'province_code',
  'year',
  'title',
  'decision_number',
  'decision_date',
  'decision_issuer',
  'targets',
  'status',
  'notes',
  'version',
  'created_at',
  'updated_at',
] as const satisfies (keyof PlansTable)[]

export interface PlanFilters {
  programme_id?: string | undefined
  level?: string | undefined
  province_code?: string | undefined
  year?: number | undefined
  status?: string | undefined
}

const select = (trx: Trx, scope: Scope) =>
  trx.selectFrom('plans').select(COLUMNS).where(inScopeOrNational(scope, 'plans.province_code'))

export type PlanRow = RowOf<typeof select>

export const SORT: SortKey<PlanRow>[] = [
  { column: 'plans.year', field: 'year', type: 'number', direction: 'desc' },
  { column: 'plans.id', field: 'id', type: 'string', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: PlanFilters) {
  let query = select(trx, scope)
  if (f.programme_id) query = query.where('programme_id', '=', f.programme_id)
  if (f.level === 'national') query = query.where('province_code', 'is', null)
  if (f.level === 'provincial') query = query.where('province_code', 'is not', null)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.year) query = query.where('year', '=', f.year)
  if (f.status) query = query.where('status', '=', f.status)
  return query
}

export const findById = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).executeTakeFirst()

export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).forUpdate().executeTakeFirst()
