// Written out rather than with versionedRepository(): cost is selected as a computed column.
import { type Insertable, sql, type Updateable } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { findByIdIn } from '../../../db/compiled.ts'
import { inYear } from '../../../db/expressions.ts'
import { nextVersion } from '../../../db/repository.ts'
import type { CommunicationActivitiesTable } from '../../../db/tables/communication-activities.table.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

export const COLUMNS = [
  'id',
  'province_code',
  'channel',
  'is_digital',
  'date',
  'title',
  'description',
  'reach',
  'reach_unit',
  'cost',
  'project_id',
  'origin_province_code',
  'version',
  'created_at',
  'updated_at',
] as const satisfies (keyof CommunicationActivitiesTable)[]

// pg returns BIGINT as a string; the cast keeps cost a JSON number (exact: it is below 2^53).
const SELECTION = [
  ...COLUMNS.filter((c) => c !== 'cost'),
  sql<number | null>`communication_activities.cost::float8`.as('cost'),
]

export interface CommunicationActivityFilters {
  province_code?: string | undefined
  year?: number | undefined
  channel?: string | undefined
  is_digital?: boolean | undefined
}

const select = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('communication_activities')
    .select(SELECTION)
    .where(inScope(scope, 'communication_activities.province_code'))

export type CommunicationActivityRow = RowOf<typeof select>

export const SORT: SortKey<CommunicationActivityRow>[] = [
  { column: 'communication_activities.date', field: 'date', type: 'date', direction: 'desc' },
  { column: 'communication_activities.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: CommunicationActivityFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.channel) query = query.where('channel', '=', f.channel)
  if (f.is_digital !== undefined) query = query.where('is_digital', '=', f.is_digital)
  if (f.year) query = query.where(inYear('date', f.year))
  return query
}

export const findById = findByIdIn(select, 'communication_activities.id')

/** For an update or delete: the row, locked, so the version check and the write are one step. */
export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).forUpdate().executeTakeFirst()

export const insert = (trx: Trx, values: Insertable<CommunicationActivitiesTable>) =>
  trx.insertInto('communication_activities').values(values).returning(SELECTION).executeTakeFirstOrThrow()

/** Changes some fields and moves the version on. */
export const update = (trx: Trx, id: string, values: Updateable<CommunicationActivitiesTable>) =>
  trx
    .updateTable('communication_activities')
    .set({ ...values, ...nextVersion })
    .where('id', '=', id)
    .returning(SELECTION)
    .executeTakeFirstOrThrow()

export const remove = async (trx: Trx, id: string) => {
  await trx.deleteFrom('communication_activities').where('id', '=', id).execute()
}
