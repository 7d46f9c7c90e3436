import { type Insertable, sql } from 'kysely'
import type { RowOf } from '../../../../db/columns.ts'
import type { DisbursementsTable } from '../../../../db/tables/disbursements.table.ts'
import { inScope, type Scope, type Trx } from '../../../../db/tenancy.ts'
import type { Day } from '../../../../domain/running-totals.ts'
import type { SortKey } from '../../../../lib/pagination.ts'

const COLUMNS = [
  'disbursements.id',
  'disbursements.project_id',
  'disbursements.province_code',
  'disbursements.date',
  'disbursements.funding_source',
  'disbursements.kind',
  'disbursements.document',
  'disbursements.note',
  'disbursements.created_by',
  'disbursements.created_at',
] as const

export const CSV_COLUMNS = [
  'id',
  'project_id',
  'province_code',
  'date',
  'funding_source',
  'amount',
  'kind',
  'document',
  'note',
  'created_by',
  'created_at',
] as const

const select = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('disbursements')
    .select(COLUMNS)
    .select(sql<number>`disbursements.amount::float8`.as('amount'))
    .where(inScope(scope, 'disbursements.province_code'))

export type DisbursementRow = RowOf<typeof select>

export const SORT: SortKey<DisbursementRow>[] = [
  { column: 'disbursements.date', field: 'date', type: 'date', direction: 'desc' },
  { column: 'disbursements.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export function listQuery(
  trx: Trx,
  scope: Scope,
  projectId: string,
  f: { funding_source?: string; kind?: string },
) {
  let query = select(trx, scope).where('disbursements.project_id', '=', projectId)
  if (f.funding_source) query = query.where('disbursements.funding_source', '=', f.funding_source)
  if (f.kind) query = query.where('disbursements.kind', '=', f.kind)
  return query
}

/** A disbursement of the scheme, as the caller may see it. */
export const byId = (trx: Trx, scope: Scope, projectId: string, id: string) =>
  select(trx, scope)
    .where('disbursements.project_id', '=', projectId)
    .where('disbursements.id', '=', id)
    .executeTakeFirst()

/** A new disbursement, as the representation has it. */
export async function insert(trx: Trx, scope: Scope, values: Insertable<DisbursementsTable>) {
  const { id } = await trx
    .insertInto('disbursements')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow()
  return select(trx, scope).where('disbursements.id', '=', id).executeTakeFirstOrThrow()
}

/** What each funding source of the scheme moved each day (refunds negative), by source, by day. */
export async function netByDay(trx: Trx, scope: Scope, projectId: string) {
  const rows = await trx
    .selectFrom('disbursements')
    .select([
      'funding_source',
      'date',
      sql<number>`sum(case when kind = 'refund' then -amount else amount end)::float8`.as('net'),
    ])
    .where('project_id', '=', projectId)
    .where(inScope(scope, 'disbursements.province_code'))
    .groupBy(['funding_source', 'date'])
    .orderBy('date')
    .execute()
  const bySource = new Map<string, Day[]>()
  for (const { funding_source, date, net } of rows) {
    const days = bySource.get(funding_source)
    if (days) days.push({ date, net })
    else bySource.set(funding_source, [{ date, net }])
  }
  return bySource
}

/** The advances of a scheme from one funding source so far (whole VND). */
export const advanced = async (trx: Trx, scope: Scope, projectId: string, source: string) =>
  (
    await trx
      .selectFrom('disbursements')
      .select(sql<number>`coalesce(sum(amount), 0)::float8`.as('total'))
      .where('project_id', '=', projectId)
      .where('funding_source', '=', source)
      .where('kind', '=', 'advance')
      .where(inScope(scope, 'disbursements.province_code'))
      .executeTakeFirstOrThrow()
  ).total
