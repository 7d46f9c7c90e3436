// Disbursements of a scheme (giải ngân, tạm ứng, thu hồi). Per funding source the running total —
// payments + advances − refunds — stays within [0, approved] on every day, in date order. The
// handler checks it on the scheme's locked row, so the answer names the field; the database
// enforces today's total whatever happens (migration 0010: a trigger moves disbursed_* and a CHECK
// bounds it, under the row lock).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { audit } from '../../../../db/audit.ts'
import { deciderForWrite, type Scope, type Trx } from '../../../../db/tenancy.ts'
import { disbursementDecider } from '../../../../domain/deciders.ts'
import { csvResponses, exportCsv, pageOfChildren, wantsCsv } from '../../../../domain/listing.ts'
import { notFound as notFoundOf } from '../../../../domain/nouns.ts'
import { DISBURSING_STATES, type ProjectState } from '../../../../domain/project-lifecycle.ts'
import { approvedOnDay, type Decision, firstBreach } from '../../../../domain/running-totals.ts'
import { checkAdvance, governs } from '../../../../domain/support-rules.ts'
import { createOnce, idempotencyHeader } from '../../../../domain/versioned.ts'
import { Page } from '../../../../lib/pagination.ts'
import { invalidField, problem } from '../../../../lib/problems.ts'
import { problemResponses, readResponses, todayInVietnam } from '../../../../lib/schemas.ts'
import { inForce } from '../../support-rules/repository.ts'
import { findById, findForUpdate, moneyDecisions } from '../repository.ts'
import { type FundingSource, ProjectParams } from '../schemas.ts'
import { advanced, byId, CSV_COLUMNS, insert, listQuery, netByDay, SORT } from './repository.ts'
import {
  CreateDisbursement,
  createdDisbursement,
  Disbursement,
  DisbursementParams,
  ListQuery,
} from './schemas.ts'

const notFound = (id: string) => notFoundOf('project', id)

/**
 * Money moves between the scheme's approval and today: a payment dated 1990 or 2099 on a 2026
 * scheme is a typing error, and would count in another year's scorecard. A scheme with no
 * decision on record (data loaded by hand) is held to its plan year and the year before.
 */
function checkDate(decisions: Decision[], year: number, date: string) {
  const approval = decisions.find((d) => d.action === 'approve')?.decision_date
  const earliest = approval ?? `${year - 1}-01-01`
  const today = todayInVietnam()
  if (date >= earliest && date <= today) return
  throw invalidField(
    'body',
    'date',
    approval
      ? {
          vi: `phải trong khoảng từ ngày phê duyệt đề án (${earliest}) đến hôm nay (${today})`,
          en: `must be between the scheme's approval (${earliest}) and today (${today})`,
        }
      : {
          vi: `phải trong khoảng từ ${earliest} (năm trước năm của đề án) đến hôm nay (${today})`,
          en: `must be between ${earliest} (the year before the scheme's) and today (${today})`,
        },
  )
}

const disbursements: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Disbursement)
  const DisbursementRef = Type.Ref('Disbursement')

  app.get(
    '/v1/projects/:id/disbursements',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listProjectDisbursements',
        tags: ['projects'],
        summary: 'List a scheme’s disbursements',
        description:
          'Giải ngân của đề án — payments, advances and refunds, newest first (the running totals per source ' +
          'are the scheme’s `disbursed_*`). `Accept: text/csv` streams every match.',
        params: ProjectParams,
        querystring: ListQuery,
        response: csvResponses(
          Page(Disbursement, 'Một trang giải ngân — a page of disbursements, newest first.'),
          'Một trang giải ngân — a page of disbursements',
          'not_found',
        ),
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const ofScheme = {
        find: (trx: Trx, scope: Scope) => findById(trx, scope, id),
        notFound: () => notFound(id),
      }
      if (!wantsCsv(request)) {
        return pageOfChildren(request, reply, {
          ...ofScheme,
          query: (trx, scope) => listQuery(trx, scope, id, request.query),
          keys: SORT,
          page: request.query,
        })
      }
      // The CSV streams from a transaction of its own: the scheme is checked before it starts.
      if (!(await request.tenant(ofScheme.find))) throw ofScheme.notFound()
      return exportCsv(request, reply, {
        filename: 'disbursements.csv',
        columns: [...CSV_COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, id, request.query),
        keys: SORT,
      })
    },
  )

  app.get(
    '/v1/projects/:id/disbursements/:disbursement_id',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getProjectDisbursement',
        tags: ['projects'],
        summary: 'Get a disbursement',
        description:
          'Một khoản giải ngân — one payment, advance or refund of a scheme, as recorded (it never changes).',
        params: DisbursementParams,
        response: readResponses(DisbursementRef),
      },
    },
    async (request) => {
      const { id, disbursement_id: disbursementId } = request.params
      const row = await request.tenant((trx, scope) => byId(trx, scope, id, disbursementId))
      if (!row) throw notFoundOf('disbursement', disbursementId)
      return row
    },
  )

  app.post(
    '/v1/projects/:id/disbursements',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createProjectDisbursement',
        tags: ['projects'],
        summary: 'Record a disbursement',
        description:
          'Ghi nhận giải ngân — a payment, advance or refund, recorded by whoever pays it: `central` money by the ' +
          'ministry, other sources by the scheme’s province, every source of a scheme run by the ministry’s own ' +
          'units by the ministry (anyone else: 403); while the scheme is ' +
          'approved, in progress, suspended, completed or accepted (else 409), dated between the scheme’s first ' +
          'approval and today (else 400 naming `/date`). Per funding source, payments + advances − refunds, ' +
          'summed in date order, may on no day exceed the amount approved on that day (by `approve` or the last ' +
          '`adjust` before it) nor fall below zero (422 naming `/amount` and the day: a refund dated before the ' +
          'payment it returns is refused; a payment or advance is checked against the ceiling, a refund against ' +
          'zero); the database enforces today’s total under the scheme’s row lock, so concurrent requests ' +
          'cannot overshoot. The ' +
          'advances of a source may not exceed the advance cap of the support rules in force on the `date` ' +
          '(TTLT 26/2014 Art. 8.2.b: 70 % of the approved amount; 422 naming the rule). ' +
          'Send `Idempotency-Key` so that a retry never pays twice.',
        params: ProjectParams,
        headers: idempotencyHeader,
        body: CreateDisbursement,
        response: {
          201: {
            ...Disbursement,
            $id: undefined,
            description: 'Đã ghi nhận — the recorded disbursement.',
            examples: [createdDisbursement],
          },
          ...problemResponses(
            'validation_failed',
            'unauthorized',
            'forbidden',
            'not_found',
            'conflict',
            'unprocessable',
          ),
        },
      },
    },
    async (request, reply) =>
      createOnce(request, reply, async (trx, scope) => {
        const body = request.body
        // The lock makes concurrent disbursements of one scheme wait for each other.
        const project = await findForUpdate(trx, scope, request.params.id)
        if (!project) throw notFound(request.params.id)
        deciderForWrite(
          scope,
          disbursementDecider(body.funding_source, project.run_by),
          project.province_code,
          project.run_by === 'ministry'
            ? {
                vi: 'Các khoản giải ngân của đề án do đơn vị trực thuộc Bộ thực hiện',
                en: 'Disbursements of schemes run by the ministry’s own units',
              }
            : { vi: 'Các khoản giải ngân kinh phí trung ương', en: 'Central disbursements' },
        )
        const state = project.state as ProjectState
        if (!DISBURSING_STATES.includes(state)) {
          throw problem(
            'conflict',
            {
              vi: `Đề án đang ở trạng thái ${state}: lúc này không thể giải ngân.`,
              en: `The scheme is ${state}: nothing can be disbursed now.`,
            },
            { state },
          )
        }
        const source = body.funding_source as FundingSource
        const approved = project[`approved_${source}`] ?? 0
        const decisions = await moneyDecisions(trx, scope, project.id)
        checkDate(decisions, project.year, body.date)
        const delta = body.kind === 'refund' ? -body.amount : body.amount
        const days = (await netByDay(trx, scope, project.id)).get(source) ?? []
        const ceiling = approvedOnDay(decisions, source, approved)
        const changes = decisions.map((d) => d.decision_date)
        const breach = firstBreach(days, body.date, delta, ceiling, changes)
        if (breach) {
          const { date, total } = breach
          const detail =
            delta < 0
              ? {
                  vi: `sẽ làm số giải ngân nguồn ${source} tính đến ngày ${date} xuống dưới 0 (${total}): hoàn trả nhiều hơn số đã chi đến ngày đó`,
                  en: `would bring ${source} disbursements by ${date} below zero (${total}): more refunded than paid by then`,
                }
              : {
                  vi: `sẽ nâng tổng giải ngân nguồn ${source} tính đến ngày ${date} lên ${total}, vượt số được duyệt ngày đó (${breach.approved})`,
                  en: `would bring ${source} disbursements by ${date} to ${total}, above the amount approved on that day (${breach.approved})`,
                }
          throw problem(
            'unprocessable',
            { vi: `Trường amount ${detail.vi}.`, en: `amount ${detail.en}.` },
            { errors: [{ in: 'body', pointer: '/amount', detail }] },
          )
        }
        if (body.kind === 'advance') {
          // The advance cap of the rules in force on the day (TTLT 26/2014 Art. 8.2.b: 70 %).
          const rules = (await inForce(trx, scope, body.date)).filter((r) => governs(r, project))
          checkAdvance(rules, approved, await advanced(trx, scope, project.id, source), body.amount)
        }
        const created = await insert(trx, scope, {
          ...body,
          project_id: project.id,
          province_code: project.province_code,
          created_by: scope.sub,
        })
        await audit(trx, {
          entityType: 'disbursement',
          entityId: created.id,
          provinceCode: project.province_code,
          action: 'create',
          after: created,
        })
        return { body: created, location: `/v1/projects/${project.id}/disbursements/${created.id}` }
      }),
  )
}

export default disbursements
