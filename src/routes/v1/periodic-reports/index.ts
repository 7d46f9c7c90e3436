// Province periodic reports (báo cáo định kỳ): quarterly, half-year and annual reports of a
// province to the ministry (Decree 45/2012 Art. 16.1.i; TT 36/2013 Art. 21.5), pre-filled from the
// data, written by the province, submitted with frozen figures, acknowledged or returned by the
// ministry (domain/report-workflow.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { audit } from '../../../db/audit.ts'
import { provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { csvResponses, listOrCsv, pageOfChildren } from '../../../domain/listing.ts'
import { type Noun, notFound } from '../../../domain/nouns.ts'
import { contentHash } from '../../../domain/report-content.ts'
import {
  allowedReportActions,
  EDITABLE_STATUSES,
  type ReportAction,
  type ReportStatus,
  SUBMITTING,
  takeReportStep,
} from '../../../domain/report-workflow.ts'
import { reportingUnit, startedPeriod } from '../../../domain/reporting-units.ts'
import { sendXlsx, wantsXlsx, withXlsx } from '../../../domain/spreadsheets.ts'
import {
  changeVersioned,
  createVersioned,
  idempotencyHeader,
  ifMatchHeader,
  updateVersioned,
  versionTag,
} from '../../../domain/versioned.ts'
import { Page } from '../../../lib/pagination.ts'
import { invalidField, problem } from '../../../lib/problems.ts'
import { problemResponses, readResponses, todayInVietnam, updateResponses } from '../../../lib/schemas.ts'
import { findPeriod, type ReportingPeriodRow } from '../reporting-periods/repository.ts'
import { computeFigures } from './figures.ts'
import {
  appendTransition,
  findById,
  findForUpdate,
  HISTORY_SORT,
  historyQuery,
  insert,
  insertVersion,
  LIST_COLUMNS,
  listQuery,
  ofUnit,
  type PeriodicReportRow,
  readOne,
  SORT,
  unitName,
  update,
  VERSION_SORT,
  versionsQuery,
} from './repository.ts'
import {
  CreatePeriodicReport,
  Figures as FiguresSchema,
  ListPeriodicReportsQuery,
  PageQuery,
  PeriodicReport,
  PeriodicReportParams,
  PeriodicReportSummary,
  ReportHistoryEntry,
  ReportTransition,
  ReportVersion,
  UpdatePeriodicReport,
} from './schemas.ts'
import { reportSheets } from './spreadsheet.ts'

const ENTITY: Noun = 'periodic_report'
const versioned = { entity: ENTITY }

/** The report whose children a page lists. */
const ofReport = (id: string) => ({
  find: (trx: Trx, scope: Scope) => findById(trx, scope, id),
  notFound: () => notFound(ENTITY, id),
})

/** The period a report is for (it exists: a foreign key). */
const periodOf = async (trx: Trx, code: string) => (await findPeriod(trx, code)) as ReportingPeriodRow

/** The unit's live figures for the period: its year, up to its end. */
const liveFigures = (trx: Trx, scope: Scope, report: PeriodicReportRow, period: ReportingPeriodRow) =>
  computeFigures(
    trx,
    scope,
    { province: report.province_code, origin: report.origin_province_code },
    period.year,
    period.ends_on,
  )

/**
 * The representation: the row, the period's due date, the live figures and the caller's actions.
 * `live`: the figures this request has just computed (a create, a changed draft), not computed again.
 */
async function present(
  request: FastifyRequest,
  trx: Trx,
  scope: Scope,
  row: PeriodicReportRow,
  live?: PeriodicReportRow['figures'],
) {
  const period = await periodOf(trx, row.period_code)
  return {
    ...row,
    due_date: period.due_date,
    live_figures: live ?? (await liveFigures(trx, scope, row, period)),
    allowed_actions: allowedReportActions(row.status as ReportStatus, scope.role, request.user.can_write),
  }
}

/** A report the province may still write; 409 once it is with the ministry. */
function checkEditable(row: PeriodicReportRow) {
  if (!EDITABLE_STATUSES.includes(row.status as ReportStatus)) {
    throw problem(
      'conflict',
      {
        vi: `Báo cáo đang ở trạng thái ${row.status}: chỉ báo cáo nháp (draft) hoặc bị trả lại (returned) mới được sửa.`,
        en: `The report is ${row.status}: only a draft or a returned report can change.`,
      },
      { state: row.status },
    )
  }
}

/** One workflow step: the new status, a frozen version on (re)submission, the history, the audit. */
async function transition(
  trx: Trx,
  scope: Scope,
  current: PeriodicReportRow,
  body: { action: ReportAction; comment?: string | undefined },
) {
  const from = current.status as ReportStatus
  const step = takeReportStep(from, body.action, scope.role)
  if (body.action === 'return' && !body.comment) {
    throw invalidField('body', 'comment', {
      vi: 'là bắt buộc khi trả lại báo cáo (nêu nội dung cần bổ sung)',
      en: 'is required to return a report (what to complete)',
    })
  }
  if (SUBMITTING.includes(body.action) && body.comment) {
    throw invalidField('body', 'comment', {
      vi: 'là ý kiến của Bộ: tỉnh ghi nội dung vào các phần của báo cáo',
      en: 'is the ministry’s: the province writes in the report’s sections',
    })
  }
  const period = await periodOf(trx, current.period_code)
  const now = new Date().toISOString()
  let changes: Parameters<typeof update>[2] = { status: step.to }
  if (SUBMITTING.includes(body.action)) {
    if (period.ends_on >= todayInVietnam()) {
      throw problem(
        'conflict',
        {
          vi: `Kỳ ${period.code} kết thúc vào ngày ${period.ends_on}: chưa thể gửi báo cáo trước khi kỳ kết thúc.`,
          en: `Period ${period.code} ends on ${period.ends_on}: it cannot be reported before it ends.`,
        },
        { state: from },
      )
    }
    const figures = await liveFigures(trx, scope, current, period)
    changes = {
      ...changes,
      figures,
      figures_as_of: now,
      content_hash: contentHash({ ...current, figures }),
      submission: current.submission + 1,
      submitted_at: now,
      first_submitted_at: current.first_submitted_at ?? now,
    }
  }
  if (body.action === 'acknowledge') changes.acknowledged_at = now
  if (body.action === 'return') changes.returned_at = now
  const next = await update(trx, current.id, changes)
  if (SUBMITTING.includes(body.action)) await insertVersion(trx, next, scope.sub)
  await appendTransition(trx, {
    report_id: current.id,
    province_code: current.province_code,
    action: body.action,
    from_status: from,
    to_status: step.to,
    comment: body.comment ?? null,
    submission: next.submission,
    actor_sub: scope.sub,
    actor_role: scope.role,
  })
  await audit(trx, {
    entityType: ENTITY,
    entityId: current.id,
    provinceCode: current.province_code,
    action: body.action,
    before: { status: from },
    after: {
      status: step.to,
      submission: next.submission,
      ...(next.content_hash ? { content_hash: next.content_hash } : {}),
      ...(body.comment ? { comment: body.comment } : {}),
    },
  })
  return next
}

const periodicReports: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(FiguresSchema)
  app.addSchema(PeriodicReport)
  app.addSchema(PeriodicReportSummary)
  app.addSchema(ReportVersion)
  app.addSchema(ReportHistoryEntry)
  const Report = Type.Ref('PeriodicReport')

  app.get(
    '/v1/periodic-reports',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listPeriodicReports',
        tags: ['periodic-reporting'],
        summary: 'List periodic reports',
        description:
          'Báo cáo định kỳ — the provinces’ reports, newest period first (without figures). A province sees its ' +
          'own; the ministry all. `Accept: text/csv` streams every match.',
        querystring: ListPeriodicReportsQuery,
        response: csvResponses(
          Page(PeriodicReportSummary, 'Một trang báo cáo — a page of periodic reports.'),
          'Một trang báo cáo — a page of periodic reports',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'periodic-reports.csv',
        columns: [...LIST_COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/periodic-reports',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createPeriodicReport',
        tags: ['periodic-reporting'],
        summary: 'Start a periodic report',
        description:
          'Lập báo cáo định kỳ — a province starts its report for a quarter, half-year or year: a draft whose ' +
          '`figures` are filled from the data (per ask of letter 3384/BCT-CTĐP), with the sections the officer ' +
          'writes (`results`, `difficulties`, `proposals`). One report per reporting unit and period: a second ' +
          'gets 409 naming the first. For a period that ended before 1 July 2025 the unit is a former province ' +
          '(`origin_province_code`, by default the one with the province’s code). Send `Idempotency-Key`.',
        headers: idempotencyHeader,
        body: CreatePeriodicReport,
        response: {
          201: { ...PeriodicReport, $id: undefined, description: 'Đã lập — the draft report.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'conflict'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        ...versioned,
        path: '/v1/periodic-reports',
        async create(trx, scope) {
          const { period: code, origin_province_code, province_code, ...sections } = request.body
          const province = provinceForWrite(scope, province_code)
          const period = startedPeriod('period', await findPeriod(trx, code), code)
          if (period.kind === 'monthly') {
            throw invalidField('body', 'period', {
              vi: 'phải là quý, sáu tháng hoặc năm: kỳ tháng dành cho báo cáo tiến độ đề án',
              en: 'must be a quarter, half-year or year: months are for scheme progress',
            })
          }
          const unit = await reportingUnit(trx, province, period, origin_province_code)
          const first = await ofUnit(trx, period.code, unit.origin ?? unit.province)
          if (first) {
            throw problem(
              'conflict',
              {
                vi: `Đơn vị báo cáo ${unit.origin ?? unit.province} đã có báo cáo ${first.id} cho kỳ ${period.code}.`,
                en: `Reporting unit ${unit.origin ?? unit.province} already has report ${first.id} for period ${period.code}.`,
              },
              { existing_id: first.id },
            )
          }
          const figures = await computeFigures(trx, scope, unit, period.year, period.ends_on)
          const row = await insert(trx, {
            province_code: province,
            origin_province_code: unit.origin,
            period_code: period.code,
            figures,
            results: sections.results ?? null,
            difficulties: sections.difficulties ?? null,
            proposals: sections.proposals ?? null,
          })
          return present(request, trx, scope, row, figures)
        },
      }),
  )

  app.get(
    '/v1/periodic-reports/:id',
    {
      // No 304: live_figures are computed now, so the version (the ETag, for If-Match) does not say
      // whether the body changed.
      config: { access: 'read' },
      schema: {
        operationId: 'getPeriodicReport',
        tags: ['periodic-reporting'],
        summary: 'Get a periodic report',
        description:
          'Một báo cáo định kỳ — the report with its `figures` (frozen at the latest submission; while a draft, ' +
          'as of its last change, `figures_as_of`), the `live_figures` computed now beside them, the content ' +
          'hash, the due date and the caller’s `allowed_actions`; its version as `ETag` (for `If-Match`; no 304, ' +
          'since the live figures move without it). `Accept: ' +
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`: the official spreadsheet (a cover ' +
          'sheet with the sections, one sheet per section of figures, reported and live).',
        params: PeriodicReportParams,
        response: withXlsx(readResponses(Report), 'Một báo cáo định kỳ — the report (or its spreadsheet).'),
      },
    },
    async (request, reply) => {
      const { body, sheets } = await request.tenant(async (trx, scope) => {
        const row = await readOne(trx, scope, request.params.id)
        if (!row) throw notFound(ENTITY, request.params.id)
        const body = await present(request, trx, scope, row)
        if (!wantsXlsx(request)) return { body: { ...body, attachment_count: row.attachment_count } }
        const [period, unit] = await Promise.all([periodOf(trx, row.period_code), unitName(trx, row)])
        return { body, sheets: reportSheets(body, unit, period) }
      })
      reply.header('etag', versionTag(body.version))
      if (sheets)
        return sendXlsx(request, reply, `bao-cao-${body.period_code}-${body.unit_code}.xlsx`, sheets)
      return body
    },
  )

  app.patch(
    '/v1/periodic-reports/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updatePeriodicReport',
        tags: ['periodic-reporting'],
        summary: 'Write a periodic report’s sections',
        description:
          'Viết báo cáo — the province changes the sections of its draft or returned report (merge patch; ' +
          '`null` empties one). A submitted or acknowledged report does not change (409). Requires `If-Match`.',
        params: PeriodicReportParams,
        headers: ifMatchHeader,
        body: UpdatePeriodicReport,
        response: updateResponses(Report, 'conflict'),
      },
    },
    async (request, reply) => {
      let fresh: PeriodicReportRow['figures'] | undefined
      const row = await updateVersioned(request, reply, {
        ...versioned,
        id: request.params.id,
        find: findForUpdate,
        authorize: (scope, current) => provinceForWrite(scope, current.province_code),
        async write(trx, scope, current) {
          checkEditable(current)
          const changed = Object.entries(request.body).some(
            ([k, v]) => current[k as keyof typeof current] !== v,
          )
          if (!changed) return current
          // The officer writes against the figures of now: they follow the data until submitted.
          fresh = await liveFigures(trx, scope, current, await periodOf(trx, current.period_code))
          return update(trx, current.id, {
            ...request.body,
            figures: fresh,
            figures_as_of: new Date().toISOString(),
          })
        },
      })
      return request.tenant((trx, scope) => present(request, trx, scope, row, fresh))
    },
  )

  app.post(
    '/v1/periodic-reports/:id/transitions',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'transitionPeriodicReport',
        tags: ['periodic-reporting'],
        summary: 'Submit, acknowledge or return a periodic report',
        description:
          'Gửi, ghi nhận, trả lại báo cáo — `submit` (the province, once the period has ended: the figures are ' +
          'frozen into the report, a version is kept and its content hash shown), `acknowledge` or `return` ' +
          'with a `comment` (the ministry), `resubmit` after a return (a new version). A step not possible now ' +
          '→ 409 naming the status and `allowed_actions`; the other party’s step → 403. Every step is kept in the ' +
          'history and the audit trail. Requires `If-Match`.',
        params: PeriodicReportParams,
        headers: ifMatchHeader,
        body: ReportTransition,
        response: updateResponses(Report, 'conflict'),
      },
    },
    async (request, reply) => {
      const row = await changeVersioned(request, reply, {
        ...versioned,
        id: request.params.id,
        find: findForUpdate,
        // The workflow table decides who takes which step (takeReportStep()).
        authorize: () => {},
        change: (trx, scope, current) =>
          transition(trx, scope, current, { ...request.body, action: request.body.action as ReportAction }),
      })
      return request.tenant((trx, scope) => present(request, trx, scope, row))
    },
  )

  app.get(
    '/v1/periodic-reports/:id/versions',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listPeriodicReportVersions',
        tags: ['periodic-reporting'],
        summary: 'A periodic report’s submissions',
        description:
          'Các lần gửi — every submission of the report as it was sent, oldest first: sections, frozen figures ' +
          'and content hash. A resubmission after a return is a new version; none is ever changed.',
        params: PeriodicReportParams,
        querystring: PageQuery,
        response: {
          200: Page(ReportVersion, 'Các lần gửi — the submissions, oldest first.'),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      pageOfChildren(request, reply, {
        ...ofReport(request.params.id),
        query: (trx, scope, report) => versionsQuery(trx, scope, report.id),
        keys: VERSION_SORT,
        page: request.query,
      }),
  )

  app.get(
    '/v1/periodic-reports/:id/history',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listPeriodicReportHistory',
        tags: ['periodic-reporting'],
        summary: 'A periodic report’s workflow history',
        description:
          'Lịch sử báo cáo — every workflow step in order: who, when, the action, the statuses, the comment.',
        params: PeriodicReportParams,
        querystring: PageQuery,
        response: {
          200: Page(ReportHistoryEntry, 'Các bước — the steps, oldest first.'),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      pageOfChildren(request, reply, {
        ...ofReport(request.params.id),
        query: (trx, scope, report) => historyQuery(trx, scope, report.id),
        keys: HISTORY_SORT,
        page: request.query,
      }),
  )
}

export default periodicReports
