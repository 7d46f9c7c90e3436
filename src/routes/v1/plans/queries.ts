import type { Generated } from 'kysely'
import type { Static } from 'typebox'
import { inScopeOrNational, type Scope, type Trx } from '../../../db/tenancy.js'
import type { SortKey } from '../../../lib/pagination.js'
import type { Json } from '../programmes/queries.js'
import type { Target } from '../programmes/schemas.js'

export interface PlansTable {
  id: Generated<string>
  programme_id: string
  province_code: string | null
  year: number
  title: string
  decision_number: string | null
  decision_date: string | null
  decision_issuer: string | null
  targets: Json<Static<typeof Target>[]>
  status: Generated<string>
  notes: string | null
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}

declare module '../../../db/schema.js' {
  interface Database {
    plans: PlansTable
  }
}

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

export type PlanRow = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>

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
