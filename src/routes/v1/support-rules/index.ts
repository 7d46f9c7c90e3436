// Support levels as dated rules (quy định mức hỗ trợ): national ones (TT 28/2018/TT-BTC as amended)
// written by the ministry and read by everyone, a province's own ones written by it. Schemes are
// checked against them on submit, approve and adjust, and advances on disbursement (domain/support-rules.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { checkRecords } from '../../../db/references.ts'
import { ownerForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { csvResponses, listOrCsv } from '../../../domain/listing.ts'
import type { Noun } from '../../../domain/nouns.ts'
import { ownerWrites } from '../../../domain/planning.ts'
import {
  createVersioned,
  deleteVersioned,
  idempotencyHeader,
  ifMatchHeader,
  readVersioned,
  updateVersioned,
} from '../../../domain/versioned.ts'
import { Page } from '../../../lib/pagination.ts'
import { FieldErrors } from '../../../lib/problems.ts'
import { deleteResponses, problemResponses, readResponses, updateResponses } from '../../../lib/schemas.ts'
import {
  COLUMNS,
  findById,
  findForUpdate,
  insert,
  listQuery,
  remove,
  SORT,
  type SupportRuleLevel,
  type SupportRuleRow,
  update,
} from './repository.ts'
import {
  CreateSupportRule,
  ListSupportRulesQuery,
  SupportRule,
  SupportRuleParams,
  UpdateSupportRule,
} from './schemas.ts'

const ENTITY: Noun = 'support_rule'

/** Updates and deletes: only by the owner (national: the ministry; provincial: its province). */
const writes = ownerWrites(ENTITY, { findById, findForUpdate })

type Draft = Partial<Omit<SupportRuleRow, 'id' | 'version' | 'created_at' | 'updated_at'>> & {
  province_code: string | null
}

/** Rules across fields, checked before writing so that the answer names every failing field. */
async function check(trx: Trx, scope: Scope, doc: Draft) {
  const fails = new FieldErrors()
  fails.check(Boolean(doc.valid_from && doc.valid_to && doc.valid_to < doc.valid_from), 'body', 'valid_to', {
    vi: 'không được sớm hơn valid_from',
    en: 'must not be before valid_from',
  })
  fails.check(Boolean(doc.project_type && !doc.activity_content), 'body', 'activity_content', {
    vi: 'là bắt buộc khi có project_type',
    en: 'is required with project_type',
  })
  fails.check((doc.max_amount == null) !== (doc.amount_basis == null), 'body', 'amount_basis', {
    vi: 'phải có khi và chỉ khi có max_amount',
    en: 'is given with max_amount, and only then',
  })
  if (doc.legal_document_id) {
    if (doc.province_code === null) {
      fails.add('body', 'legal_document_id', {
        vi: 'phải để trống đối với định mức cấp quốc gia',
        en: 'must be empty for a national rule',
      })
    } else {
      await checkRecords(
        trx,
        fails,
        scope,
        'legal_documents',
        doc.province_code,
        doc.legal_document_id,
        'legal_document_id',
      )
    }
  }
  fails.throwIfAny()
}

const supportRules: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(SupportRule)
  const Ref = Type.Ref('SupportRule')

  app.get(
    '/v1/support-rules',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listSupportRules',
        tags: ['support-rules'],
        summary: 'List support rules',
        description:
          'Quy định mức hỗ trợ — support levels: national rules (read by every signed-in caller) and provincial ' +
          'ones (the caller’s province; the ministry reads all), latest first. `date` keeps the rules in force on ' +
          'that day. `Accept: text/csv` streams every match.',
        querystring: ListSupportRulesQuery,
        response: csvResponses(
          Page(SupportRule, 'Một trang quy định — a page of support rules, latest first.'),
          'Một trang quy định — a page of support rules',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'support-rules.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/support-rules',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createSupportRule',
        tags: ['support-rules'],
        summary: 'Record a support rule',
        description:
          'Ghi nhận quy định mức hỗ trợ — a national rule (the ministry only; no province) or a provincial rule ' +
          'of the caller’s province, linked to its legal document. Send `Idempotency-Key`.',
        headers: idempotencyHeader,
        body: CreateSupportRule,
        response: {
          201: { ...SupportRule, $id: undefined, description: 'Đã ghi nhận — the recorded rule.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'conflict', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/support-rules',
        async create(trx, scope) {
          const { province_code, level: requested, ...rest } = request.body
          const level = requested as SupportRuleLevel
          const draft = { ...rest, level, province_code: ownerForWrite(scope, level, province_code) }
          await check(trx, scope, draft)
          return insert(trx, draft)
        },
      }),
  )

  app.get(
    '/v1/support-rules/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getSupportRule',
        tags: ['support-rules'],
        summary: 'Get a support rule',
        description: 'Một quy định mức hỗ trợ — one support rule, with its version as `ETag`.',
        params: SupportRuleParams,
        response: readResponses(Ref),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, { entity: ENTITY, id: request.params.id, find: findById }),
  )

  app.patch(
    '/v1/support-rules/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateSupportRule',
        tags: ['support-rules'],
        summary: 'Update a support rule',
        description:
          'Sửa quy định — change some fields (merge patch) of a rule the caller owns (national: the ministry; ' +
          'provincial: its province). Requires `If-Match` (412 when stale, 428 when missing).',
        params: SupportRuleParams,
        headers: ifMatchHeader,
        body: UpdateSupportRule,
        response: updateResponses(Ref),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, scope, current) {
          await check(trx, scope, { ...current, ...request.body })
          return update(trx, current.id, request.body)
        },
      }),
  )

  app.delete(
    '/v1/support-rules/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteSupportRule',
        tags: ['support-rules'],
        summary: 'Delete a support rule',
        description:
          'Xóa quy định — delete a rule recorded by mistake (the audit trail keeps it; schemes keep the rules ' +
          'they were checked against). To end a rule, set `valid_to` instead. Requires `If-Match`.',
        params: SupportRuleParams,
        headers: ifMatchHeader,
        response: deleteResponses(),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async remove(trx, _scope, current) {
          await remove(trx, current.id)
        },
      }),
  )
}

export default supportRules
