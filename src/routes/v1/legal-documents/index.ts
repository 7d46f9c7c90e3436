import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { checkProgramme } from '../../../db/references.ts'
import { checkOrigin, provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { csvResponses, listOrCsv } from '../../../domain/listing.ts'
import type { Noun } from '../../../domain/nouns.ts'
import {
  createVersioned,
  deleteVersioned,
  idempotencyHeader,
  ifMatchHeader,
  readVersioned,
  updateVersioned,
} from '../../../domain/versioned.ts'
import { Page } from '../../../lib/pagination.ts'
import { FieldErrors, problem } from '../../../lib/problems.ts'
import { deleteResponses, problemResponses, readResponses, updateResponses } from '../../../lib/schemas.ts'
import { withAttachmentCount } from '../attachments/repository.ts'
import {
  COLUMNS,
  changedBy,
  findById,
  findForUpdate,
  insert,
  type LegalDocumentRow,
  listQuery,
  numbered,
  remove,
  SORT,
  select,
  update,
} from './repository.ts'
import {
  CreateLegalDocument,
  LegalDocument,
  LegalDocumentParams,
  ListLegalDocumentsQuery,
  UpdateLegalDocument,
} from './schemas.ts'

const ENTITY: Noun = 'legal_document'
/** One record as its single representation has it (built once: the query is compiled once per role). */
const readOne = withAttachmentCount('legal_documents', select)

type Draft = Partial<Omit<LegalDocumentRow, 'id' | 'version' | 'created_at' | 'updated_at'>>

/** Rules across fields, checked before writing so that the answer names every failing field. */
async function check(trx: Trx, scope: Scope, doc: Draft & { province_code: string }, id?: string) {
  const { signed_date, effective_date, expiry_date, status, changed_by_id } = doc
  const fails = new FieldErrors()
  fails.check(Boolean(doc.is_normative && doc.kind === 'plan'), 'body', 'is_normative', {
    vi: 'kế hoạch không phải là văn bản quy phạm pháp luật',
    en: 'a plan is not a legal normative document',
  })
  fails.check(
    Boolean(effective_date && signed_date && effective_date < signed_date),
    'body',
    'effective_date',
    {
      vi: 'không được sớm hơn signed_date',
      en: 'must not be before signed_date',
    },
  )
  const start = effective_date ?? signed_date
  fails.check(Boolean(expiry_date && start && expiry_date < start), 'body', 'expiry_date', {
    vi: 'không được sớm hơn effective_date (hoặc signed_date)',
    en: 'must not be before effective_date (or signed_date)',
  })
  fails.check(status === 'in_force' && Boolean(changed_by_id), 'body', 'changed_by_id', {
    vi: 'phải để trống khi văn bản đang có hiệu lực',
    en: 'must be empty while the document is in force',
  })
  fails.check((status === 'amended' || status === 'replaced') && !changed_by_id, 'body', 'changed_by_id', {
    vi: `là bắt buộc khi văn bản ở trạng thái ${status}`,
    en: `is required when the document is ${status}`,
  })
  if (changed_by_id) {
    const other = await findById(trx, scope, changed_by_id)
    fails.check(
      !other || other.province_code !== doc.province_code || changed_by_id === id,
      'body',
      'changed_by_id',
      {
        vi: 'phải là một văn bản khác của cùng tỉnh/thành phố',
        en: 'must be another legal document of the same province',
      },
    )
  }
  await checkOrigin(trx, fails, doc.province_code, doc.origin_province_code)
  await checkProgramme(trx, fails, scope, doc.province_code, doc.programme_id)
  fails.throwIfAny()
}

async function checkUniqueNumber(trx: Trx, province: string, number: string) {
  if (await numbered(trx, province, number)) {
    throw problem('conflict', {
      vi: `Tỉnh/thành phố ${province} đã có văn bản số ${number}.`,
      en: `Province ${province} already has a document numbered ${number}.`,
    })
  }
}

/** How updates and deletes find and authorise a document. */
const writes = {
  entity: ENTITY,
  find: findForUpdate,
  authorize: (scope: Scope, current: LegalDocumentRow) => provinceForWrite(scope, current.province_code),
}

const legalDocuments: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(LegalDocument)
  const Doc = Type.Ref('LegalDocument')

  app.get(
    '/v1/legal-documents',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listLegalDocuments',
        tags: ['legal-documents'],
        summary: 'List legal documents',
        description:
          'Văn bản về khuyến công — provincial legal documents (resolutions, decisions, plans, rules, norms), ' +
          'newest first. A province sees its own; the ministry all. `Accept: text/csv` streams every match.',
        querystring: ListLegalDocumentsQuery,
        response: csvResponses(
          Page(LegalDocument, 'Một trang văn bản — a page of legal documents, newest first.'),
          'Một trang văn bản — a page of legal documents',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'legal-documents.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/legal-documents',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createLegalDocument',
        tags: ['legal-documents'],
        summary: 'Record a legal document',
        description:
          'Ghi nhận văn bản — record a legal document of the caller’s province. Send `Idempotency-Key` so that ' +
          'a retry never records it twice.',
        headers: idempotencyHeader,
        body: CreateLegalDocument,
        response: {
          201: { ...LegalDocument, $id: undefined, description: 'Đã ghi nhận — the recorded document.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'conflict', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/legal-documents',
        async create(trx, scope) {
          const { province_code, ...body } = request.body
          const province = provinceForWrite(scope, province_code)
          const draft = { ...body, province_code: province }
          await check(trx, scope, draft)
          await checkUniqueNumber(trx, province, body.number)
          return insert(trx, draft)
        },
      }),
  )

  app.get(
    '/v1/legal-documents/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getLegalDocument',
        tags: ['legal-documents'],
        summary: 'Get a legal document',
        description: 'Một văn bản — one legal document, with its version as `ETag`.',
        params: LegalDocumentParams,
        response: readResponses(Doc),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, {
        entity: ENTITY,
        id: request.params.id,
        find: readOne,
      }),
  )

  app.patch(
    '/v1/legal-documents/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateLegalDocument',
        tags: ['legal-documents'],
        summary: 'Update a legal document',
        description:
          'Sửa văn bản — change some fields (merge patch). Requires `If-Match` with the current `ETag`: a stale ' +
          'one gets 412, none gets 428, so two officers never overwrite each other silently.',
        params: LegalDocumentParams,
        headers: ifMatchHeader,
        body: UpdateLegalDocument,
        response: updateResponses(Doc, 'conflict'),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, scope, current) {
          await check(trx, scope, { ...current, ...request.body }, current.id)
          const { number } = request.body
          if (number && number !== current.number) await checkUniqueNumber(trx, current.province_code, number)
          return update(trx, current.id, request.body)
        },
      }),
  )

  app.delete(
    '/v1/legal-documents/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteLegalDocument',
        tags: ['legal-documents'],
        summary: 'Delete a legal document',
        description:
          'Xóa văn bản — delete a document recorded by mistake (the audit trail keeps it). Requires `If-Match`. ' +
          'A document that another one names as its amendment or replacement cannot be deleted (409).',
        params: LegalDocumentParams,
        headers: ifMatchHeader,
        response: deleteResponses('conflict'),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async remove(trx, _scope, current) {
          const referenced = await changedBy(trx, current.id)
          if (referenced)
            throw problem('conflict', {
              vi: `Văn bản ${referenced.number} ghi văn bản này là văn bản đã sửa đổi, thay thế nó.`,
              en: `Document ${referenced.number} names this one as what changed it.`,
            })
          await remove(trx, current.id)
        },
      }),
  )
}

export default legalDocuments
