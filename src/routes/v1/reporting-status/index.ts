// Who has reported (issue #16): per period a row per reporting unit with its workflow status and,
// apart from it, its timeliness; and the rates over a year. Registered from reporting-periods
// (it shows the period as that resource does).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Scope, Trx } from '../../../db/tenancy.ts'
import { csvResponses, sendCsv, wantsCsv } from '../../../domain/listing.ts'
import { notFound } from '../../../domain/nouns.ts'
import { sendXlsx, wantsXlsx, withXlsx } from '../../../domain/spreadsheets.ts'
import { type Rates, rates, type Timeliness, timeliness } from '../../../domain/timeliness.ts'
import { problem } from '../../../lib/problems.ts'
import { problemResponses, todayInVietnam } from '../../../lib/schemas.ts'
import { endedPeriods, findPeriod, type ReportingPeriodRow } from '../reporting-periods/repository.ts'
import { provinces, unitReports } from './repository.ts'
import {
  ReportingStatus,
  ReportingStatusQuery,
  ReportingSummary,
  ReportingSummaryQuery,
  StatusRow,
} from './schemas.ts'
import { statusSheets } from './spreadsheet.ts'

export const STATUS_COLUMNS = [
  'unit_code',
  'unit_name',
  'province_code',
  'report_id',
  'status',
  'timeliness',
  'due_date',
  'first_submitted_at',
  'submitted_at',
  'acknowledged_at',
] as const

export type StatusLine = Record<(typeof STATUS_COLUMNS)[number], string | null> & {
  timeliness: Timeliness | null
}

/** The rows of a period: each unit's status and timeliness, judged on `today`. */
async function statusOf(
  trx: Trx,
  scope: Scope,
  period: ReportingPeriodRow,
  today: string,
): Promise<StatusLine[]> {
  return (await unitReports(trx, scope, period)).map((u) => ({
    ...u,
    status: u.status ?? 'not_started',
    timeliness: timeliness(period.due_date, u.first_submitted_at, today),
    due_date: period.due_date,
  }))
}

/** One period's status, as JSON or as the lines of a file. */
export const loadStatus = (request: FastifyRequest, code: string) =>
  request.tenant(async (trx, scope) => {
    const period = await findPeriod(trx, code)
    if (!period) throw notFound('reporting_period', code)
    if (period.kind === 'monthly') {
      throw problem('not_found', {
        vi: `Kỳ ${code} là kỳ tháng: xem tiến độ đề án tại /v1/progress-reports.`,
        en: `Period ${code} is a month: see /v1/progress-reports for scheme progress.`,
      })
    }
    const today = todayInVietnam()
    const items = await statusOf(trx, scope, period, today)
    return { period, as_of: today, ...rates(items), items }
  })

const reportingStatus: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(StatusRow)

  app.get(
    '/v1/reporting-status',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getReportingStatus',
        tags: ['periodic-reporting'],
        summary: 'Who has reported for a period',
        description:
          'Tình hình nộp báo cáo — for a quarter, half-year or year, a row per reporting unit (the ministry: the ' +
          '63 former provinces for periods that ended before 1 July 2025, the 34 provinces after; a province: its ' +
          'own): the workflow `status` and, apart from it, `timeliness` against the due date, with the dates; and ' +
          'the rates (expected, actual and on-time reports, reporting and on-time rate). `Accept: text/csv`: the ' +
          'rows.',
        querystring: ReportingStatusQuery,
        response: withXlsx(
          csvResponses(ReportingStatus, 'Tình hình nộp báo cáo — the reporting status', 'not_found'),
          'Tình hình nộp báo cáo',
        ),
      },
    },
    async (request, reply) => {
      const status = await loadStatus(request, request.query.period)
      if (wantsXlsx(request)) {
        return sendXlsx(request, reply, `tinh-hinh-bao-cao-${status.period.code}.xlsx`, statusSheets(status))
      }
      if (wantsCsv(request)) {
        return sendCsv(reply, `reporting-status-${status.period.code}.csv`, STATUS_COLUMNS, status.items)
      }
      return status
    },
  )

  app.get(
    '/v1/reporting-status/summary',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'summarizeReportingStatus',
        tags: ['periodic-reporting'],
        summary: 'Reporting rates over a year',
        description:
          'Tổng hợp tình hình báo cáo — over the quarters, half-years and year of a year that have ended: expected ' +
          'reports (reporting units × periods), actual ones (submitted at least once), on-time ones (first ' +
          'submitted by the due date), the reporting rate and the on-time rate — in total, per period and per ' +
          'province (before the merger counting its former provinces’ reports), as DHIS2 reports them for its ' +
          'data sets. The ministry sees every province; a province its own.',
        querystring: ReportingSummaryQuery,
        response: {
          200: ReportingSummary,
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden'),
        },
      },
    },
    async (request) =>
      request.tenant(async (trx, scope) => {
        const today = todayInVietnam()
        const periods = await endedPeriods(trx, request.query.year, today)
        const lines = await Promise.all(
          periods.map(async (period) => ({ period, items: await statusOf(trx, scope, period, today) })),
        )
        const all = lines.flatMap((l) => l.items)
        const byProvince = (code: string): Rates => rates(all.filter((i) => i.province_code === code))
        return {
          year: request.query.year,
          as_of: today,
          ...rates(all),
          periods: lines.map(({ period, items }) => ({
            period_code: period.code,
            kind: period.kind,
            due_date: period.due_date,
            ...rates(items),
          })),
          provinces: (await provinces(trx, scope)).map((p) => ({
            province_code: p.code,
            province_name: p.name,
            ...byProvince(p.code),
          })),
        }
      }),
  )
}

export default reportingStatus
