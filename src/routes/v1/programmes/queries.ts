import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.js'
import type { ProgrammeLevel, ProgrammesTable } from '../../../db/tables/programmes.table.js'
import { inScopeOrNational, type Scope, type Trx } from '../../../db/tenancy.js'
import type { SortKey } from '../../../lib/pagination.js'
import { containsPattern } from '../../../lib/text.js'

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
] as const satisfies (keyof ProgrammesTable)[]

export interface ProgrammeFilters {
  level?: string | undefined
  province_code?: string | undefined
  status?: string | undefined
  year?: number | undefined
  q?: string | undefined
}

const select = (trx: Trx, scope: Scope) =>
  trx.selectFrom('programmes').select(COLUMNS).where(inScopeOrNational(scope, 'programmes.province_code'))

export type ProgrammeRow = RowOf<typeof select>

export const SORT: SortKey<ProgrammeRow>[] = [
  { column: 'programmes.start_year', field: 'start_year', type: 'number', direction: 'desc' },
  { column: 'programmes.id', field: 'id', type: 'string', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: ProgrammeFilters) {
  let query = select(trx, scope)
  if (f.level) query = query.where('level', '=', f.level as ProgrammeLevel)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.year) query = query.where('start_year', '<=', f.year).where('end_year', '>=', f.year)
  if (f.q) query = query.where('search_text', 'like', sql<string>`kc_fold(${containsPattern(f.q)})`)
  return query
}

export const findById = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).executeTakeFirst()

/** For an update or delete by its owner: the row, locked. */
export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).forUpdate().executeTakeFirst()
