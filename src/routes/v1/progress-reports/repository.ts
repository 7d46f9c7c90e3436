import { type RawBuilder, sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { findByIdIn } from '../../../db/compiled.ts'
import { lockName } from '../../../db/locks.ts'
import { versionedRepository } from '../../../db/repository.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import { APPROVED_STATES } from '../../../domain/project-lifecycle.ts'
import type { SortKey } from '../../../lib/pagination.ts'
import type { ReportingPeriodRow } from '../reporting-periods/repository.ts'

/** Money leaves the database as float8, a JS number: exact for every whole amount below 2^53. */
const used = <S extends string>(s: S) =>
  sql<number>`${sql.ref(`progress_reports.used_${s}`)}::float8`.as(`used_${s}` as `used_${S}`)

export const COLUMNS = [
  'id',
  'project_id',
  'province_code',
  'month',
  'reported_by',
  'percent_done',
  'issues',
  'actor_sub',
  'version',
  'created_at',
  'updated_at',
] as const

const table = versionedRepository('progress_reports', COLUMNS)
export const { insert } = table

/** A progress report as the API shows it: money as numbers. */
const select = (trx: Trx, scope: Scope) =>
  table.select(trx, scope).select([used('central'), used('local'), used('counterpart'), used('other')])

export type ProgressReportRow = RowOf<typeof select>

export const findById = findByIdIn(select, 'progress_reports.id')

export const ofProject = (trx: Trx, scope: Scope, projectId: string) =>
  select(trx, scope).where('progress_reports.project_id', '=', projectId)

export const SORT: SortKey<ProgressReportRow>[] = [
  { column: 'progress_reports.month', field: 'month', type: 'text', direction: 'desc' },
]

/** The report of a scheme for a month, if any; the pair is locked first (see db/locks.ts). */
export async function ofMonth(trx: Trx, projectId: string, month: string) {
  await lockName(trx, 'progress_report', projectId, month)
  return trx
    .selectFrom('progress_reports')
    .select('id')
    .where('project_id', '=', projectId)
    .where('month', '=', month)
    .executeTakeFirst()
}

/** A scheme's first and last day of work: actual, else planned, else its year. */
const span = {
  start: sql<string>`coalesce(p.actual_start, p.planned_start, make_date(p.year, 1, 1))`,
  end: sql<string>`coalesce(p.actual_end, p.planned_end, make_date(p.year, 12, 31))`,
}

/** Whether the scheme was being carried out in the month: it then owes a progress report for it. */
export const during = (month: Pick<ReportingPeriodRow, 'starts_on' | 'ends_on'>): RawBuilder<boolean> =>
  sql<boolean>`(${span.start} <= ${month.ends_on}::date and ${span.end} >= ${month.starts_on}::date)`

export interface ExpectedFilters {
  province_code?: string | undefined
  late?: boolean | undefined
}

/**
 * The national (centrally funded) schemes approved and under way in the month, with their report
 * for it: timeliness as domain/timeliness.ts defines it (on the first report's day in Vietnam).
 */
export function expectedQuery(
  trx: Trx,
  scope: Scope,
  month: ReportingPeriodRow,
  today: string,
  f: ExpectedFilters,
) {
  const timeliness = sql<string | null>`case
    when r.id is not null then
      case when (r.created_at at time zone 'Asia/Ho_Chi_Minh')::date <= ${month.due_date}::date
        then 'on_time' else 'late' end
    when ${today}::date > ${month.due_date}::date then 'overdue' end`
  let query = trx
    .selectFrom('projects as p')
    .leftJoin('progress_reports as r', (join) =>
      join.onRef('r.project_id', '=', 'p.id').on('r.month', '=', month.code),
    )
    .select([
      'p.id as project_id',
      'p.title as project_title',
      'p.province_code',
      // Who owes the report: whoever runs the scheme (domain/deciders.ts progressReporter).
      sql<string>`kc_scheme_decider(p.run_by)`.as('reported_by'),
      sql<string>`${month.code}`.as('month'),
      sql<string>`${month.due_date}`.as('due_date'),
      'r.id as report_id',
      'r.percent_done',
      'r.created_at as reported_at',
      timeliness.as('timeliness'),
    ])
    .where('p.funding_level', '=', 'central')
    .where('p.state', 'in', [...APPROVED_STATES])
    .where(during(month))
    .where(inScope(scope, 'p.province_code'))
  if (f.province_code) query = query.where('p.province_code', '=', f.province_code)
  if (f.late) query = query.where(sql<boolean>`${timeliness} in ('late', 'overdue')`)
  return query
}

export type ExpectedRow = RowOf<typeof expectedQuery>

export const EXPECTED_SORT: SortKey<ExpectedRow>[] = [
  { column: 'p.id', field: 'project_id', type: 'uuid', direction: 'asc' },
]

/** Whether the scheme was under way in the month. */
export const underWay = async (trx: Trx, projectId: string, month: ReportingPeriodRow) =>
  (await trx
    .selectFrom('projects as p')
    .select('p.id')
    .where('p.id', '=', projectId)
    .where(during(month))
    .executeTakeFirst()) !== undefined
