// Reporting periods (kỳ báo cáo) as data: every month, quarter, half-year and year from 2021 with
// its dates and due date. Everyone signed in reads them; the ministry sets due dates.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { csvResponses, listOrCsv } from '../../../domain/listing.ts'
import type { Noun } from '../../../domain/nouns.ts'
import { ifMatchHeader, readVersioned, updateVersioned } from '../../../domain/versioned.ts'
import { Page } from '../../../lib/pagination.ts'
import { invalidField, problem } from '../../../lib/problems.ts'
import { readResponses, updateResponses } from '../../../lib/schemas.ts'
import reportingStatus from '../reporting-status/index.ts'
import { COLUMNS, findPeriod, listQuery, type ReportingPeriodRow, SORT, updatePeriod } from './repository.ts'
import {
  ListReportingPeriodsQuery,
  ReportingPeriod,
  ReportingPeriodParams,
  ReportingPeriodPatch,
} from './schemas.ts'

const ENTITY: Noun = 'reporting_period'

/** A period as the versioned write flows take it: national data, keyed by its code. */
const asVersioned = (row: ReportingPeriodRow) => ({ ...row, id: row.code, province_code: null })
const found = (row: ReportingPeriodRow | undefined) => row && asVersioned(row)
const present = ({ id: _id, province_code: _p, ...row }: ReturnType<typeof asVersioned>) => row

const reportingPeriods: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(ReportingPeriod)
  const Period = Type.Ref('ReportingPeriod')

  app.get(
    '/v1/reporting-periods',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listReportingPeriods',
        tags: ['periodic-reporting'],
        summary: 'List reporting periods',
        description:
          'Kỳ báo cáo — the reporting periods in time order: months (progress of national schemes, TT 36/2013 ' +
          'Art. 23), quarters, half-years and years (province reports: Decree 45/2012 Art. 16.1.i, TT 36/2013 ' +
          'Art. 21.5), from 2021, each with its start, end and due date. `Accept: text/csv` streams every match.',
        querystring: ListReportingPeriodsQuery,
        response: csvResponses(
          Page(ReportingPeriod, 'Một trang kỳ báo cáo — a page of reporting periods, oldest first.'),
          'Một trang kỳ báo cáo — a page of reporting periods',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'reporting-periods.csv',
        columns: [...COLUMNS],
        query: (trx) => listQuery(trx, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.get(
    '/v1/reporting-periods/:code',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getReportingPeriod',
        tags: ['periodic-reporting'],
        summary: 'Get a reporting period',
        description: 'Một kỳ báo cáo — one reporting period, with its version as `ETag`.',
        params: ReportingPeriodParams,
        response: readResponses(Period),
      },
    },
    async (request, reply) =>
      present(
        await readVersioned(request, reply, {
          entity: ENTITY,
          id: request.params.code,
          find: async (trx, _scope, code) => found(await findPeriod(trx, code)),
        }),
      ),
  )

  app.patch(
    '/v1/reporting-periods/:code',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateReportingPeriod',
        tags: ['periodic-reporting'],
        summary: 'Set a period’s due date',
        description:
          'Đặt hạn nộp báo cáo — the ministry sets the due date of a period (not before the period ends). ' +
          'Requires `If-Match`. Provinces read the periods but do not change them (403). Audited.',
        params: ReportingPeriodParams,
        headers: ifMatchHeader,
        body: ReportingPeriodPatch,
        response: updateResponses(Period),
      },
    },
    async (request, reply) =>
      present(
        await updateVersioned(request, reply, {
          entity: ENTITY,
          id: request.params.code,
          // Locked for the ministry; anyone else reads it unlocked and is refused with 403.
          find: async (trx, scope, code) => found(await findPeriod(trx, code, scope.role === 'ministry')),
          authorize(scope) {
            if (scope.role !== 'ministry') {
              throw problem('forbidden', {
                vi: 'Hạn nộp báo cáo do Bộ quy định; các tỉnh chỉ được xem.',
                en: 'Due dates are set by the ministry; provinces read them.',
              })
            }
          },
          async write(trx, _scope, current) {
            const { due_date } = request.body
            if (due_date < current.ends_on) {
              throw invalidField('body', 'due_date', {
                vi: `không được sớm hơn ngày kết thúc kỳ (${current.ends_on})`,
                en: `must not be before the period ends (${current.ends_on})`,
              })
            }
            return asVersioned(await updatePeriod(trx, current.code, due_date))
          },
        }),
      ),
  )

  await app.register(reportingStatus)
}

export default reportingPeriods
