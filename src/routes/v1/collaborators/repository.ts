import type { Insertable, RawBuilder, SqlBool, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { findByIdIn } from '../../../db/compiled.ts'
import { contains } from '../../../db/expressions.ts'
import { nextVersion, versionedRepository } from '../../../db/repository.ts'
import type { CollaboratorsTable, Training } from '../../../db/tables/collaborators.table.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import { notFound } from '../../../domain/nouns.ts'
import type { SortKey } from '../../../lib/pagination.ts'
import { communesQuery } from '../communes/repository.ts'

const COLUMNS = [
  'id',
  'province_code',
  'full_name',
  'phone',
  'email',
  'organisation',
  'appointment_decision_number',
  'appointment_decision_date',
  'start_date',
  'end_date',
  'status',
  'fee_basis',
  'training',
  'origin_province_code',
  'personal_data_erased_at',
  'version',
  'created_at',
  'updated_at',
] as const

/** The columns of the CSV export, in the order of the representation: the communes after the organisation. */
export const CSV_COLUMNS = [...COLUMNS.slice(0, 6), 'communes' as const, ...COLUMNS.slice(6)]

/**
 * Active on a date — the one rule, used by the `active_on` filter and by coverage: appointed by
 * then (start_date ≤ d), not yet ended (end_date empty or ≥ d), and not suspended. A suspension
 * carries no dates, so a suspended collaborator counts as inactive on every date.
 */
export const activeOn = (date: string | RawBuilder<string>): RawBuilder<SqlBool> =>
  sql<SqlBool>`(collaborators.start_date <= ${date}
    and (collaborators.end_date is null or collaborators.end_date >= ${date})
    and collaborators.status <> 'suspended')`

const communesOf = sql<string[]>`array(
  select cc.commune_code from collaborator_communes cc
  where cc.collaborator_id = collaborators.id order by cc.commune_code)`

const table = versionedRepository('collaborators', COLUMNS)

/** The representation: the row with its communes (a child table, so the generic select is extended). */
const select = (trx: Trx, scope: Scope) => table.select(trx, scope).select(communesOf.as('communes'))

export type CollaboratorRow = RowOf<typeof select>

export const SORT: SortKey<CollaboratorRow>[] = [
  { column: 'collaborators.start_date', field: 'start_date', type: 'date', direction: 'desc' },
  { column: 'collaborators.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export interface CollaboratorFilters {
  province_code?: string | undefined
  commune_code?: string | undefined
  status?: string | undefined
  active_on?: string | undefined
  q?: string | undefined
}

export function listQuery(trx: Trx, scope: Scope, f: CollaboratorFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('collaborators.province_code', '=', f.province_code)
  if (f.status) query = query.where('collaborators.status', '=', f.status)
  if (f.active_on) query = query.where(activeOn(f.active_on))
  if (f.commune_code) {
    const code = f.commune_code
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('collaborator_communes as cc')
          .select('cc.commune_code')
          .whereRef('cc.collaborator_id', '=', 'collaborators.id')
          .where('cc.commune_code', '=', code),
      ),
    )
  }
  if (f.q) query = query.where(contains('collaborators.search_text', f.q))
  return query
}

export const findById = findByIdIn(select, 'collaborators.id')

/** For an update or delete: the row, locked, so the version check and the write are one step. */
export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('collaborators.id', '=', id).forUpdate().executeTakeFirst()

export const { remove } = table

/** The writable fields, with the courses as the domain has them (stored as jsonb text here). */
type Values<W> = Omit<W, 'training'> & { training?: Training[] | undefined }

/** The jsonb column takes JSON text: the one place it is written. */
const toColumns = <W>({ training, ...rest }: Values<W>) => ({
  ...rest,
  ...(training ? { training: JSON.stringify(training) } : {}),
})

/** Inserts a collaborator with their communes; returns the representation. */
export async function insert(
  trx: Trx,
  scope: Scope,
  values: Values<Insertable<CollaboratorsTable>>,
  communes: string[],
) {
  const { id } = await table.insert(trx, toColumns(values))
  await setCommunes(trx, id, values.province_code, communes)
  return reread(trx, scope, id)
}

/**
 * Changes some fields (and the communes, when given: they replace the list) and moves the
 * version on; returns the representation.
 */
export async function update(
  trx: Trx,
  scope: Scope,
  current: { id: string; province_code: string },
  values: Values<Updateable<CollaboratorsTable>>,
  communes?: string[],
) {
  await table.update(trx, current.id, toColumns(values))
  if (communes) await setCommunes(trx, current.id, current.province_code, communes)
  return reread(trx, scope, current.id)
}

/**
 * Overwrites the personal fields, stamps the erasure and moves the version on. Written out: the
 * stamp is the database's now(), an expression the generic update() does not take.
 */
export async function erase(
  trx: Trx,
  scope: Scope,
  id: string,
  fields: Partial<Pick<CollaboratorRow, 'full_name' | 'phone' | 'email' | 'organisation'>>,
) {
  await trx
    .updateTable('collaborators')
    .set({ ...fields, personal_data_erased_at: sql<string>`now()`, ...nextVersion })
    .where('id', '=', id)
    .execute()
  return reread(trx, scope, id)
}

/** The representation after a write in the same transaction (the communes are a child table). */
async function reread(trx: Trx, scope: Scope, id: string) {
  const row = await findById(trx, scope, id)
  if (!row) throw notFound('collaborator', id)
  return row
}

/** Replaces a collaborator's communes with `codes`. */
async function setCommunes(trx: Trx, id: string, province: string, codes: string[]) {
  await trx.deleteFrom('collaborator_communes').where('collaborator_id', '=', id).execute()
  if (codes.length === 0) return
  await trx
    .insertInto('collaborator_communes')
    .values(codes.map((commune_code) => ({ collaborator_id: id, commune_code, province_code: province })))
    .execute()
}

// Coverage: the communes of each province, left-joined to the distinct communes that have at
// least one collaborator active on the date — one query for every figure.

function coverage(trx: Trx, scope: Scope, date: string, province?: string) {
  let active = trx
    .selectFrom('collaborator_communes as cc')
    .innerJoin('collaborators', 'collaborators.id', 'cc.collaborator_id')
    .select('cc.commune_code')
    .distinct()
    .where(inScope(scope, 'collaborators.province_code'))
    .where(activeOn(date))
  if (province) active = active.where('cc.province_code', '=', province)
  const covered = sql<number>`count(a.commune_code)::int4`
  const total = sql<number>`count(*)::int4`
  let query = trx
    .selectFrom('provinces')
    .innerJoin('communes', 'communes.province_code', 'provinces.code')
    .leftJoin(active.as('a'), 'a.commune_code', 'communes.code')
    .select([
      'provinces.code as province_code',
      'provinces.name as province_name',
      total.as('commune_count'),
      covered.as('covered_count'),
      sql<number>`(count(*) - count(a.commune_code))::int4`.as('uncovered_count'),
      sql<number>`coalesce(round(count(a.commune_code)::numeric / nullif(count(*), 0), 4), 0)::float8`.as(
        'share',
      ),
    ])
    .where(inScope(scope, 'provinces.code'))
    .groupBy(['provinces.code', 'provinces.name'])
  if (province) query = query.where('provinces.code', '=', province)
  return query
}

/** `sort`: one of COVERAGE_SORTS (schemas.ts); anything else is by province code. */
export function nationalCoverage(trx: Trx, scope: Scope, date: string, sort: string) {
  let query = coverage(trx, scope, date)
  if (sort === 'share') query = query.orderBy('share', 'asc')
  if (sort === '-share') query = query.orderBy('share', 'desc')
  return query.orderBy('provinces.code').execute()
}

export const provinceCoverage = (trx: Trx, scope: Scope, province: string, date: string) =>
  coverage(trx, scope, date, province).executeTakeFirst()

/** The communes of a province without an active collaborator on the date, for keyset paging. */
export const uncoveredCommunes = (trx: Trx, scope: Scope, province: string, date: string) =>
  communesQuery(trx, { provinceCode: province, asOf: date }).where(({ not, exists, selectFrom }) =>
    not(
      exists(
        selectFrom('collaborator_communes as cc')
          .innerJoin('collaborators', 'collaborators.id', 'cc.collaborator_id')
          .select('cc.commune_code')
          .whereRef('cc.commune_code', '=', 'communes.code')
          .where('cc.province_code', '=', province)
          .where(inScope(scope, 'collaborators.province_code'))
          .where(activeOn(date)),
      ),
    ),
  )

export const UNCOVERED_SORT = [{ column: 'communes.code', field: 'code', type: 'text' }] as const
