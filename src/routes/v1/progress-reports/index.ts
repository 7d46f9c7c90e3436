// Monthly progress of national schemes (TT 36/2013/TT-BCT Art. 23): whoever carries a centrally
// funded scheme out reports, for every month it is under way, how far it is and the money used;
// the ministry lists the missing and late ones.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { deciderForWrite } from '../../../db/tenancy.ts'
import { progressReporter } from '../../../domain/deciders.ts'
import { pageOfChildren } from '../../../domain/listing.ts'
import { type Noun, notFound } from '../../../domain/nouns.ts'
import { APPROVED_STATES, type ProjectState } from '../../../domain/project-lifecycle.ts'
import { startedPeriod } from '../../../domain/reporting-units.ts'
import { createVersioned, idempotencyHeader, readVersioned } from '../../../domain/versioned.ts'
import { Page, paginate } from '../../../lib/pagination.ts'
import { invalidField, problem } from '../../../lib/problems.ts'
import { problemResponses, readResponses, todayInVietnam } from '../../../lib/schemas.ts'
import { findById as findProject } from '../projects/repository.ts'
import { findPeriod } from '../reporting-periods/repository.ts'
import {
  EXPECTED_SORT,
  expectedQuery,
  findById,
  insert,
  ofMonth,
  ofProject,
  SORT,
  underWay,
} from './repository.ts'
import {
  CreateProgressReport,
  createdReport,
  ExpectedProgress,
  ListProgressQuery,
  PageQuery,
  ProgressReport,
  ProgressReportParams,
  ProjectParams,
} from './schemas.ts'

const ENTITY: Noun = 'progress_report'
const noScheme = (id: string) => notFound('project', id)

const progressReports: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(ProgressReport)
  app.addSchema(ExpectedProgress)
  const Report = Type.Ref('ProgressReport')

  app.post(
    '/v1/projects/:id/progress-reports',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createProjectProgressReport',
        tags: ['periodic-reporting'],
        summary: 'Report a national scheme’s monthly progress',
        description:
          'Báo cáo tiến độ tháng — for a national (centrally funded) scheme that is approved, for a month it is ' +
          'under way (from its actual, else planned, start to its end): percent done, money used per source, ' +
          'issues. Reported by whoever carries the scheme out (the province that implements it, or the ministry for a scheme its own units run). One per scheme ' +
          'and month: a second gets 409 naming the first. Send `Idempotency-Key`.',
        params: ProjectParams,
        headers: idempotencyHeader,
        body: CreateProgressReport,
        response: {
          201: {
            ...ProgressReport,
            $id: undefined,
            description: 'Đã báo cáo — the progress report.',
            examples: [createdReport],
          },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found', 'conflict'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/progress-reports',
        async create(trx, scope) {
          const project = await findProject(trx, scope, request.params.id)
          if (!project) throw noScheme(request.params.id)
          const reporter = progressReporter(project)
          const province = deciderForWrite(scope, reporter, project.province_code, {
            vi: 'Các báo cáo tiến độ của đề án này',
            en: 'Progress reports of this scheme',
          })
          if (project.funding_level !== 'central') {
            throw problem(
              'conflict',
              {
                vi: 'Chỉ đề án dùng kinh phí khuyến công quốc gia mới báo cáo tiến độ hằng tháng.',
                en: 'Only national (centrally funded) schemes report monthly progress.',
              },
              { state: project.state },
            )
          }
          if (!APPROVED_STATES.includes(project.state as ProjectState)) {
            throw problem(
              'conflict',
              {
                vi: `Đề án đang ở trạng thái ${project.state}: chỉ báo cáo tiến độ sau khi đề án được phê duyệt.`,
                en: `The scheme is ${project.state}: progress is reported once it is approved.`,
              },
              { state: project.state },
            )
          }
          const { month: code, ...body } = request.body
          const month = startedPeriod('month', await findPeriod(trx, code), code)
          if (!(await underWay(trx, project.id, month))) {
            throw invalidField('body', 'month', {
              vi: 'phải là tháng đề án đang được thực hiện',
              en: 'must be a month in which the scheme is under way',
            })
          }
          const first = await ofMonth(trx, project.id, month.code)
          if (first) {
            throw problem(
              'conflict',
              {
                vi: `Đề án đã có báo cáo tiến độ ${first.id} cho tháng ${month.code}.`,
                en: `The scheme already has progress report ${first.id} for ${month.code}.`,
              },
              {
                existing_id: first.id,
              },
            )
          }
          const { id } = await insert(trx, {
            ...body,
            project_id: project.id,
            province_code: province,
            month: month.code,
            reported_by: reporter,
            actor_sub: scope.sub,
          })
          return (await findById(trx, scope, id)) as NonNullable<Awaited<ReturnType<typeof findById>>>
        },
      }),
  )

  app.get(
    '/v1/projects/:id/progress-reports',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listProjectProgressReports',
        tags: ['periodic-reporting'],
        summary: 'A scheme’s monthly progress reports',
        description: 'Các báo cáo tiến độ của đề án — the scheme’s progress reports, latest month first.',
        params: ProjectParams,
        querystring: PageQuery,
        response: {
          200: Page(ProgressReport, 'Các báo cáo tiến độ — progress reports, latest month first.'),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      pageOfChildren(request, reply, {
        find: (trx, scope) => findProject(trx, scope, request.params.id),
        notFound: () => noScheme(request.params.id),
        query: (trx, scope, project) => ofProject(trx, scope, project.id),
        keys: SORT,
        page: request.query,
      }),
  )

  app.get(
    '/v1/progress-reports',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listProgressReports',
        tags: ['periodic-reporting'],
        summary: 'Which national schemes reported their month',
        description:
          'Tình hình báo cáo tiến độ — for a month, every national (centrally funded) scheme approved and under ' +
          'way in it, with its progress report if any and its timeliness; `late=true` lists only the late and the ' +
          'missing past their due date (the 5th of the next month by default). A province sees its own schemes.',
        querystring: ListProgressQuery,
        response: {
          200: Page(ExpectedProgress, 'Một trang đề án — a page of schemes, by id.'),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      request.tenant(async (trx, scope) => {
        const { month: code, ...filters } = request.query
        const month = await findPeriod(trx, code)
        if (!month) throw notFound('reporting_period', code)
        const query = expectedQuery(trx, scope, month, todayInVietnam(), filters)
        return paginate(request, reply, query, EXPECTED_SORT, request.query)
      }),
  )

  app.get(
    '/v1/progress-reports/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getProgressReport',
        tags: ['periodic-reporting'],
        summary: 'Get a progress report',
        description: 'Một báo cáo tiến độ — one monthly progress report.',
        params: ProgressReportParams,
        response: readResponses(Report),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, {
        entity: ENTITY,
        id: request.params.id,
        find: findById,
      }),
  )
}

export default progressReports
