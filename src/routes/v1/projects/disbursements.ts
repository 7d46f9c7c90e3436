// Disbursements of a scheme (giải ngân, tạm ứng, thu hồi). Per funding source the running total —
// payments + advances − refunds — never exceeds the approved amount. The handler checks it on the
// scheme's locked row, so the answer names the field; the database enforces it whatever happens
// (migration 0010: a trigger moves disbursed_* and a CHECK bounds it, under the row lock).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { audit } from '../../../db/audit.js'
import type { RowOf } from '../../../db/columns.js'
import { inScope, provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.js'
import { csvResponses, exportCsv, wantsCsv } from '../../../domain/listing.js'
import { DISBURSING_STATES, type ProjectState } from '../../../domain/project-lifecycle.js'
import { createOnce, idempotencyHeader } from '../../../domain/versioned.js'
import { CodeOf } from '../../../lib/codelists.js'
import { Page, pageQuery, paginate, type SortKey } from '../../../lib/pagination.js'
import { problem } from '../../../lib/problems.js'
import { IsoDate, Nullable, ProvinceCode, problemResponses, Text } from '../../../lib/schemas.js'
import { findById, findForUpdate } from './queries.js'
import { type FundingSource, Money, ProjectParams } from './schemas.js'

const fields = {
  date: IsoDate('Ngày — date of the payment, advance or refund.'),
  funding_source: CodeOf('funding_source', 'Nguồn kinh phí — the funding source.'),
  amount: Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Số tiền — amount in whole VND (> 0; a refund is subtracted by its kind).',
    examples: [150_000_000],
  }),
  kind: CodeOf(
    'disbursement_kind',
    'Loại — `advance` (tạm ứng), `payment` (thanh toán) add to the total; `refund` (thu hồi) subtracts.',
  ),
  document: Nullable(
    Text('Chứng từ — the voucher or document.', 200, 'UNC số 125/KBNN ngày 20/5/2024'),
    'Chứng từ — voucher, payment order or document reference.',
  ),
  note: Nullable(Type.String({ maxLength: 2000 }), 'Ghi chú — notes.'),
}

export const Disbursement = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã giải ngân — disbursement id.' }),
    project_id: Type.String({ format: 'uuid', description: 'Đề án — the scheme.' }),
    province_code: ProvinceCode,
    ...fields,
    amount: Money('Số tiền — amount in whole VND.'),
    created_by: Type.String({ description: 'Người ghi — who recorded it (token subject).' }),
    created_at: Type.String({ format: 'date-time', description: 'Ghi lúc — recorded at.' }),
  },
  {
    $id: 'Disbursement',
    description:
      'Giải ngân — one payment, advance or refund of a scheme’s money from one funding source. Recorded once, ' +
      'never changed: a correction is a refund.',
  },
)

const CreateDisbursement = Type.Object(
  {
    date: fields.date,
    funding_source: fields.funding_source,
    amount: fields.amount,
    kind: fields.kind,
    document: Type.Optional(fields.document),
    note: Type.Optional(fields.note),
  },
  {
    additionalProperties: false,
    description: 'Giải ngân mới — a new disbursement.',
    examples: [
      {
        date: '2024-05-20',
        funding_source: 'central',
        amount: 150_000_000,
        kind: 'advance',
        document: 'UNC số 125/KBNN',
      },
    ],
  },
)

const ListQuery = Type.Object(
  {
    funding_source: Type.Optional(fields.funding_source),
    kind: Type.Optional(fields.kind),
    ...pageQuery,
  },
  { additionalProperties: false },
)

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

const CSV_COLUMNS = [
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

type Row = RowOf<typeof select>

const SORT: SortKey<Row>[] = [
  { column: 'disbursements.date', field: 'date', type: 'string', direction: 'desc' },
  { column: 'disbursements.id', field: 'id', type: 'string', direction: 'desc' },
]

function listQuery(trx: Trx, scope: Scope, projectId: string, f: { funding_source?: string; kind?: string }) {
  let query = select(trx, scope).where('disbursements.project_id', '=', projectId)
  if (f.funding_source) query = query.where('disbursements.funding_source', '=', f.funding_source)
  if (f.kind) query = query.where('disbursements.kind', '=', f.kind)
  return query
}

const notFound = (id: string) => problem('not_found', `No scheme ${id}.`)

const disbursements: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Disbursement)
  const Ref = Type.Ref('Disbursement')

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
          Page(Ref, 'Một trang giải ngân — a page of disbursements, newest first.'),
          'Một trang giải ngân — a page of disbursements',
          'not_found',
        ),
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const project = await request.tenant((trx, scope) => findById(trx, scope, id))
      if (!project) throw notFound(id)
      if (wantsCsv(request)) {
        return exportCsv(request, reply, {
          filename: 'disbursements.csv',
          columns: [...CSV_COLUMNS],
          query: (trx, scope) => listQuery(trx, scope, id, request.query),
          keys: SORT,
        })
      }
      return request.tenant((trx, scope) =>
        paginate(request, reply, listQuery(trx, scope, id, request.query), SORT, request.query),
      )
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
          'Ghi nhận giải ngân — a payment, advance or refund of the scheme’s province, while the scheme is ' +
          'approved, in progress, suspended, completed or accepted (else 409). Per funding source, payments + ' +
          'advances − refunds may never exceed the approved amount nor fall below zero (422 naming `/amount`); ' +
          'the database enforces it under the scheme’s row lock, so concurrent requests cannot overshoot. ' +
          'Send `Idempotency-Key` so that a retry never pays twice.',
        params: ProjectParams,
        headers: idempotencyHeader,
        body: CreateDisbursement,
        response: {
          201: { ...Disbursement, $id: undefined, description: 'Đã ghi nhận — the recorded disbursement.' },
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
        provinceForWrite(scope, project.province_code)
        const state = project.state as ProjectState
        if (!DISBURSING_STATES.includes(state)) {
          throw problem('conflict', `The scheme is ${state}: nothing can be disbursed now.`, { state })
        }
        const source = body.funding_source as FundingSource
        const approved = project[`approved_${source}`] ?? 0
        const total = project[`disbursed_${source}`] + (body.kind === 'refund' ? -body.amount : body.amount)
        if (total > approved || total < 0) {
          const detail =
            total < 0
              ? `would refund more than was disbursed from ${source} (${project[`disbursed_${source}`]})`
              : `would bring ${source} disbursements to ${total}, above the approved ${approved}`
          throw problem('unprocessable', `amount ${detail}.`, {
            errors: [{ in: 'body', pointer: '/amount', detail }],
          })
        }
        const { id } = await trx
          .insertInto('disbursements')
          .values({
            ...body,
            project_id: project.id,
            province_code: project.province_code,
            created_by: scope.sub,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        const created = await select(trx, scope).where('disbursements.id', '=', id).executeTakeFirstOrThrow()
        await audit(trx, {
          entityType: 'disbursement',
          entityId: id,
          provinceCode: project.province_code,
          action: 'create',
          after: created,
        })
        return { body: created, location: `/v1/projects/${project.id}/disbursements` }
      }),
  )
}

export default disbursements
