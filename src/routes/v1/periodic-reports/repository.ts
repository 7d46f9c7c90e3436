import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { lockName } from '../../../db/locks.ts'
import { versionedRepository } from '../../../db/repository.ts'
import type { PeriodicReportTransitionsTable } from '../../../db/tables/periodic-report-transitions.table.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'
import { withAttachmentCount } from '../attachments/repository.ts'

export const COLUMNS = [
  'id',
  'province_code',
  'origin_province_code',
  'unit_code',
  'period_code',
  'status',
  'results',
  'difficulties',
  'proposals',
  'figures',
  'figures_as_of',
  'content_hash',
  'submission',
  'first_submitted_at',
  'submitted_at',
  'acknowledged_at',
  'returned_at',
  'version',
  'created_at',
  'updated_at',
] as const

/** What a list (and its CSV) shows: everything but the figures. */
export const LIST_COLUMNS = COLUMNS.filter((c) => c !== 'figures')

const table = versionedRepository('periodic_reports', COLUMNS, inScope, ['figures'])
export const { findById, findForUpdate, insert, update } = table
/** The report read alone: with how many attachments it has. */
export const readOne = withAttachmentCount('periodic_reports', table.select)

export type PeriodicReportRow = RowOf<typeof table.select>

export interface ReportFilters {
  period?: string | undefined
  province_code?: string | undefined
  status?: string | undefined
}

export type ListRow = Omit<PeriodicReportRow, 'figures'>

export const SORT: SortKey<ListRow>[] = [
  { column: 'periodic_reports.period_code', field: 'period_code', type: 'text', direction: 'desc' },
  { column: 'periodic_reports.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: ReportFilters) {
  let query = trx
    .selectFrom('periodic_reports')
    .select(LIST_COLUMNS)
    .where(inScope(scope, 'periodic_reports.province_code'))
  if (f.period) query = query.where('period_code', '=', f.period)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.status) query = query.where('status', '=', f.status)
  return query
}

/**
 * The report of this reporting unit for the period, if any. Locks the pair for the transaction
 * first, so that of two concurrent creates the second sees the first's report.
 */
export async function ofUnit(trx: Trx, period: string, unit: string) {
  await lockName(trx, 'periodic_report', period, unit)
  return trx
    .selectFrom('periodic_reports')
    .select('id')
    .where('period_code', '=', period)
    .where('unit_code', '=', unit)
    .executeTakeFirst()
}

/** A submission, kept as it was sent: its content, frozen figures and their hash. */
export const insertVersion = (trx: Trx, report: PeriodicReportRow, submittedBy: string) =>
  trx
    .insertInto('periodic_report_versions')
    .values({
      report_id: report.id,
      province_code: report.province_code,
      submission: report.submission,
      period_code: report.period_code,
      unit_code: report.unit_code,
      results: report.results,
      difficulties: report.difficulties,
      proposals: report.proposals,
      figures: JSON.stringify(report.figures),
      content_hash: report.content_hash as string,
      submitted_by: submittedBy,
      submitted_at: report.submitted_at as string,
    })
    .execute()

export const versionsQuery = (trx: Trx, scope: Scope, reportId: string) =>
  trx
    .selectFrom('periodic_report_versions')
    .select([
      'submission',
      'period_code',
      'unit_code',
      'results',
      'difficulties',
      'proposals',
      'figures',
      'content_hash',
      'submitted_by',
      'submitted_at',
    ])
    .where('report_id', '=', reportId)
    .where(inScope(scope, 'periodic_report_versions.province_code'))

export type VersionRow = RowOf<typeof versionsQuery>

export const VERSION_SORT: SortKey<VersionRow>[] = [
  { column: 'periodic_report_versions.submission', field: 'submission', type: 'integer', direction: 'asc' },
]

/** A workflow step in the report's history. */
export const appendTransition = (
  trx: Trx,
  step: Omit<PeriodicReportTransitionsTable, 'seq' | 'occurred_at'>,
) => trx.insertInto('periodic_report_transitions').values(step).execute()

export const historyQuery = (trx: Trx, scope: Scope, reportId: string) =>
  trx
    .selectFrom('periodic_report_transitions')
    .select([
      'seq',
      'action',
      'from_status',
      'to_status',
      'comment',
      'submission',
      'actor_sub',
      'actor_role',
      'occurred_at',
    ])
    .where('report_id', '=', reportId)
    .where(inScope(scope, 'periodic_report_transitions.province_code'))

export type HistoryRow = RowOf<typeof historyQuery>

export const HISTORY_SORT: SortKey<HistoryRow>[] = [
  { column: 'periodic_report_transitions.seq', field: 'seq', type: 'bigint', direction: 'asc' },
]

/** The year's schemes of a reporting unit by state (before the merger: by the former province). */
export async function schemesByState(
  trx: Trx,
  unit: { province: string; origin: string | null },
  year: number,
): Promise<Record<string, number>> {
  let query = trx
    .selectFrom('projects')
    .select(['state', sql<number>`count(*)::int`.as('n')])
    .where('province_code', '=', unit.province)
    .where('year', '=', year)
    .groupBy('state')
  if (unit.origin) {
    query = query.where(sql`coalesce(origin_province_code, province_code)`, '=', unit.origin)
  }
  const rows = await query.execute()
  return Object.fromEntries(rows.map((r) => [r.state, r.n]))
}

/** The reporting unit's name: the former province's before the merger, else the province's. */
export const unitName = async (
  trx: Trx,
  report: Pick<PeriodicReportRow, 'origin_province_code' | 'province_code'>,
) =>
  (report.origin_province_code
    ? await trx
        .selectFrom('former_provinces')
        .select('full_name')
        .where('code', '=', report.origin_province_code)
        .executeTakeFirst()
    : await trx
        .selectFrom('provinces')
        .select('full_name')
        .where('code', '=', report.province_code)
        .executeTakeFirst()
  )?.full_name ?? report.province_code

/** The annual reports of the years `from`–`to` the caller sees, with their period's due date. */
export const annualReports = (trx: Trx, scope: Scope, from: number, to: number) =>
  trx
    .selectFrom('periodic_reports as r')
    .innerJoin('reporting_periods as p', 'p.code', 'r.period_code')
    .select(['p.year', 'r.id', 'r.unit_code', 'r.status', 'r.first_submitted_at'])
    .where('p.kind', '=', 'annual')
    .where('p.year', '>=', from)
    .where('p.year', '<=', to)
    .where(inScope(scope, 'r.province_code'))
    .execute()
