import { type Insertable, sql, type Updateable } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { findByIdIn } from '../../../db/compiled.ts'
import { contains } from '../../../db/expressions.ts'
import { nextVersion } from '../../../db/repository.ts'
import type { ProjectTransitionsTable } from '../../../db/tables/project-transitions.table.ts'
import type { ProjectsTable } from '../../../db/tables/projects.table.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { Decision } from '../../../domain/running-totals.ts'
import type { SortKey } from '../../../lib/pagination.ts'
import { FUNDING_SOURCES, type FundingSource } from './schemas.ts'

const PLAIN = [
  'projects.id',
  'projects.province_code',
  'projects.origin_province_code',
  'projects.plan_id',
  'projects.year',
  'projects.code',
  'projects.title',
  'projects.funding_level',
  'projects.run_by',
  'projects.kind',
  'projects.activity_contents',
  'projects.project_type',
  'projects.industry',
  'projects.priority_areas',
  'projects.priority_products',
  'projects.communes',
  'projects.location',
  'projects.implementing_unit',
  'projects.partner_unit',
  'projects.beneficiary_establishment_ids',
  'projects.key_product_ids',
  'projects.beneficiary_count',
  'projects.objectives',
  'projects.content',
  'projects.expected_effects',
  'projects.planned_start',
  'projects.planned_end',
  'projects.actual_start',
  'projects.actual_end',
  'projects.selection_method',
  'projects.state',
  'projects.approval_decision',
  'projects.approval_date',
  'projects.checked_rules',
  'projects.version',
  'projects.created_at',
  'projects.updated_at',
] as const

/** Money leaves the database as float8, a JS number: exact for every whole amount below 2^53. */
const money = <K extends string>(column: K) =>
  sql<number>`${sql.ref(`projects.${column}`)}::float8`.as(column)
const nullableMoney = <K extends string>(column: K) =>
  sql<number | null>`${sql.ref(`projects.${column}`)}::float8`.as(column)

export const MONEY = [
  money('requested_central'),
  money('requested_local'),
  money('requested_counterpart'),
  money('requested_other'),
  nullableMoney('approved_central'),
  nullableMoney('approved_local'),
  nullableMoney('approved_counterpart'),
  nullableMoney('approved_other'),
  money('disbursed_central'),
  money('disbursed_local'),
  money('disbursed_counterpart'),
  money('disbursed_other'),
]

/** The CSV columns, in the order of the representation. */
export const CSV_COLUMNS = [
  'id',
  'province_code',
  'year',
  'code',
  'title',
  'plan_id',
  'funding_level',
  'kind',
  'activity_contents',
  'project_type',
  'industry',
  'priority_areas',
  'priority_products',
  'communes',
  'location',
  'implementing_unit',
  'partner_unit',
  'beneficiary_establishment_ids',
  'key_product_ids',
  'beneficiary_count',
  'planned_start',
  'planned_end',
  'actual_start',
  'actual_end',
  'selection_method',
  ...FUNDING_SOURCES.map((s) => `requested_${s}` as const),
  ...FUNDING_SOURCES.map((s) => `approved_${s}` as const),
  ...FUNDING_SOURCES.map((s) => `disbursed_${s}` as const),
  'state',
  'approval_decision',
  'approval_date',
  'origin_province_code',
  'version',
  'created_at',
  'updated_at',
  // Added later: at the end, so that a client reading columns by position keeps working.
  'run_by',
] as const

export const select = (trx: Trx, scope: Scope) =>
  trx.selectFrom('projects').select(PLAIN).select(MONEY).where(inScope(scope, 'projects.province_code'))

export type ProjectRow = RowOf<typeof select>

export const SORT: SortKey<ProjectRow>[] = [
  { column: 'projects.year', field: 'year', type: 'integer', direction: 'desc' },
  { column: 'projects.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export interface ProjectFilters {
  province_code?: string | undefined
  origin_province_code?: string | undefined
  year?: number | undefined
  state?: string | undefined
  funding_level?: string | undefined
  run_by?: string | undefined
  funding_source?: string | undefined
  activity_content?: string | undefined
  kind?: string | undefined
  pilot?: boolean | undefined
  plan_id?: string | undefined
  key_product_id?: string | undefined
  q?: string | undefined
}

export function listQuery(trx: Trx, scope: Scope, f: ProjectFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('projects.province_code', '=', f.province_code)
  if (f.origin_province_code)
    query = query.where('projects.origin_province_code', '=', f.origin_province_code)
  if (f.year) query = query.where('projects.year', '=', f.year)
  if (f.state) query = query.where('projects.state', '=', f.state)
  if (f.funding_level) query = query.where('projects.funding_level', '=', f.funding_level)
  if (f.run_by) query = query.where('projects.run_by', '=', f.run_by)
  if (f.funding_source) {
    const s = f.funding_source as FundingSource
    query = query.where(
      sql<boolean>`(${sql.ref(`projects.requested_${s}`)} > 0 or coalesce(${sql.ref(`projects.approved_${s}`)}, 0) > 0)`,
    )
  }
  if (f.activity_content) {
    query = query.where(sql<boolean>`${f.activity_content} = any(projects.activity_contents)`)
  }
  if (f.kind) query = query.where('projects.kind', '=', f.kind)
  if (f.pilot !== undefined) query = query.where('projects.kind', f.pilot ? '=' : '<>', 'pilot')
  if (f.plan_id) query = query.where('projects.plan_id', '=', f.plan_id)
  if (f.key_product_id) {
    query = query.where(sql<boolean>`${f.key_product_id}::uuid = any(projects.key_product_ids)`)
  }
  if (f.q) query = query.where(contains('projects.search_text', f.q))
  return query
}

export const findById = findByIdIn(select, 'projects.id')

/** The row, locked: a transition, an update or a disbursement waits for the one before it. */
export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('projects.id', '=', id).forUpdate().executeTakeFirst()

/** A new scheme; its id (the representation is read back with findById: money is computed). */
export const insert = async (trx: Trx, values: Insertable<ProjectsTable>) =>
  (await trx.insertInto('projects').values(values).returning('id').executeTakeFirstOrThrow()).id

/** Changes some fields and moves the version on. */
export const update = async (trx: Trx, id: string, values: Updateable<ProjectsTable>) => {
  await trx
    .updateTable('projects')
    .set({ ...values, ...nextVersion })
    .where('id', '=', id)
    .execute()
}

/** A lifecycle step: the new state (and approved money) on the scheme, and the step in its history. */
export async function recordTransition(
  trx: Trx,
  id: string,
  changes: Updateable<ProjectsTable>,
  step: Omit<Insertable<ProjectTransitionsTable>, 'project_id'>,
) {
  await update(trx, id, changes)
  await trx
    .insertInto('project_transitions')
    .values({ ...step, project_id: id })
    .execute()
}

/** The activity content a project type belongs to (code list `project_type`). */
export const projectTypeParent = async (trx: Trx, code: string) =>
  (
    await trx
      .selectFrom('codelist_entries')
      .select('parent_code')
      .where('list', '=', 'project_type')
      .where('code', '=', code)
      .executeTakeFirst()
  )?.parent_code

/** The scheme's decisions on its money, approve then each adjust: the day and the amounts approved from it. */
export const moneyDecisions = async (trx: Trx, scope: Scope, projectId: string) =>
  (await trx
    .selectFrom('project_transitions')
    .select(['action', 'decision_date', 'amounts_after'])
    .where('project_id', '=', projectId)
    .where('action', 'in', ['approve', 'adjust'])
    .where('decision_date', 'is not', null)
    .where(inScope(scope, 'project_transitions.province_code'))
    .orderBy('decision_date')
    .orderBy('seq')
    .execute()) as Decision[]

export const historyQuery = (trx: Trx, scope: Scope, projectId: string) =>
  trx
    .selectFrom('project_transitions')
    .select([
      'seq',
      'id',
      'action',
      'from_state',
      'to_state',
      'note',
      'decision',
      'decision_date',
      'amounts_before',
      'amounts_after',
      'recast',
      'actor_sub',
      'actor_role',
      'occurred_at',
    ])
    .where('project_id', '=', projectId)
    .where(inScope(scope, 'project_transitions.province_code'))

export type HistoryRow = RowOf<typeof historyQuery>

export const HISTORY_SORT: SortKey<HistoryRow>[] = [
  { column: 'project_transitions.seq', field: 'seq', type: 'bigint', direction: 'asc' },
]
