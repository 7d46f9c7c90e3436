import type { RowOf } from '../../../db/columns.ts'
import { versionedRepository } from '../../../db/repository.ts'
import { inScopeOrNational, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

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
] as const

// Plans of the national programme are read by every signed-in caller.
const table = versionedRepository('plans', COLUMNS, inScopeOrNational, ['targets'])
export const { select, findById, findForUpdate, insert, update, remove } = table

export type PlanRow = RowOf<typeof select>

export interface PlanFilters {
  programme_id?: string | undefined
  level?: string | undefined
  province_code?: string | undefined
  year?: number | undefined
  status?: string | undefined
}

export const SORT: SortKey<PlanRow>[] = [
  { column: 'plans.year', field: 'year', type: 'integer', direction: 'desc' },
  { column: 'plans.id', field: 'id', type: 'uuid', direction: 'desc' },
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

/** Another plan of the programme for that year. */
export function plannedFor(trx: Trx, programme: string, year: number, except?: string) {
  let query = trx
    .selectFrom('plans')
    .select('id')
    .where('programme_id', '=', programme)
    .where('year', '=', year)
  if (except) query = query.where('id', '<>', except)
  return query.executeTakeFirst()
}

/** A scheme that belongs to the plan, if any: a plan with schemes stays. */
export const schemeOf = (trx: Trx, id: string) =>
  trx.selectFrom('projects').select('title').where('plan_id', '=', id).executeTakeFirst()
