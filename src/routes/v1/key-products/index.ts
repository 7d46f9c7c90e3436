import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { checkRecords } from '../../../db/references.ts'
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
import {
  COLUMNS,
  findById,
  findForUpdate,
  insert,
  type KeyProductRow,
  listQuery,
  remove,
  SORT,
  supportedBy,
  update,
} from './repository.ts'
import {
  CreateKeyProduct,
  KeyProduct,
  KeyProductParams,
  ListKeyProductsQuery,
  UpdateKeyProduct,
} from './schemas.ts'

const ENTITY: Noun = 'key_product'

type Draft = Partial<Omit<KeyProductRow, 'id' | 'version' | 'created_at' | 'updated_at'>> & {
  province_code: string
}

/** Rules across fields, checked before writing so that the answer names every failing field. */
async function check(trx: Trx, scope: Scope, product: Draft) {
  const fails = new FieldErrors()
  fails.check(
    Boolean(product.valid_to && product.valid_from && product.valid_to < product.valid_from),
    'body',
    'valid_to',
    { vi: 'không được sớm hơn valid_from', en: 'must not be before valid_from' },
  )
  await checkRecords(
    trx,
    fails,
    scope,
    'legal_documents',
    product.province_code,
    product.legal_document_id,
    'legal_document_id',
  )
  await checkOrigin(trx, fails, product.province_code, product.origin_province_code)
  fails.throwIfAny()
}

/** How updates and deletes find and authorise a key product. */
const writes = {
  entity: ENTITY,
  noun: 'key product',
  find: findForUpdate,
  authorize: (scope: Scope, current: KeyProductRow) => provinceForWrite(scope, current.province_code),
}

const keyProducts: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(KeyProduct)
  const Ref = Type.Ref('KeyProduct')

  app.get(
    '/v1/key-products',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listKeyProducts',
        tags: ['key-products'],
        summary: 'List key products and sectors',
        description:
          'Sản phẩm, ngành hàng chủ lực — the key products and sectors provinces have named, latest first. ' +
          'A province sees its own; the ministry all. `Accept: text/csv` streams every match.',
        querystring: ListKeyProductsQuery,
        response: csvResponses(
          Page(KeyProduct, 'Một trang sản phẩm chủ lực — a page of key products, latest first.'),
          'Một trang sản phẩm chủ lực — a page of key products',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'key-products.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/key-products',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createKeyProduct',
        tags: ['key-products'],
        summary: 'Record a key product or sector',
        description:
          'Ghi nhận sản phẩm chủ lực — a key product or sector of the caller’s province, with the legal ' +
          'document that named it (of the same province) and the period it is one. Send `Idempotency-Key` so ' +
          'that a retry never records it twice.',
        headers: idempotencyHeader,
        body: CreateKeyProduct,
        response: {
          201: { ...KeyProduct, $id: undefined, description: 'Đã ghi nhận — the recorded key product.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/key-products',
        async create(trx, scope) {
          const { province_code, ...body } = request.body
          const draft = { ...body, province_code: provinceForWrite(scope, province_code) }
          await check(trx, scope, draft)
          return insert(trx, draft)
        },
      }),
  )

  app.get(
    '/v1/key-products/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getKeyProduct',
        tags: ['key-products'],
        summary: 'Get a key product or sector',
        description: 'Một sản phẩm chủ lực — one key product or sector, with its version as `ETag`.',
        params: KeyProductParams,
        response: readResponses(Ref),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, { ...writes, id: request.params.id, find: findById }),
  )

  app.patch(
    '/v1/key-products/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateKeyProduct',
        tags: ['key-products'],
        summary: 'Update a key product or sector',
        description:
          'Sửa sản phẩm chủ lực — change some fields (merge patch), e.g. `valid_to` when a new decision ' +
          'drops it. Requires `If-Match` with the current `ETag` (412 when stale, 428 when missing).',
        params: KeyProductParams,
        headers: ifMatchHeader,
        body: UpdateKeyProduct,
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
    '/v1/key-products/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteKeyProduct',
        tags: ['key-products'],
        summary: 'Delete a key product or sector',
        description:
          'Xóa sản phẩm chủ lực — delete one recorded by mistake (the audit trail keeps it). Requires ' +
          '`If-Match`. One that a scheme names in `key_product_ids` cannot be deleted (409): end it with ' +
          '`valid_to` instead.',
        params: KeyProductParams,
        headers: ifMatchHeader,
        response: deleteResponses('conflict'),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async remove(trx, _scope, current) {
          const scheme = await supportedBy(trx, current.id)
          if (scheme) {
            const name = scheme.code ?? scheme.title
            throw problem('conflict', {
              vi: `Đề án ${name} đang gắn với sản phẩm, ngành nghề chủ lực này.`,
              en: `Scheme ${name} names this key product.`,
            })
          }
          await remove(trx, current.id)
        },
      }),
  )
}

export default keyProducts
