import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { checkOrigin, provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { csvResponses, listOrCsv, wantsCsv } from '../../../domain/listing.ts'
import type { Noun } from '../../../domain/nouns.ts'
import {
  createVersioned,
  deleteVersioned,
  idempotencyHeader,
  ifMatchHeader,
  readVersioned,
  updateVersioned,
} from '../../../domain/versioned.ts'
import { DEFAULT_LIMIT, Page } from '../../../lib/pagination.ts'
import {
  FieldErrors,
  type FieldFailure,
  fieldsProblem,
  invalidField,
  problem,
} from '../../../lib/problems.ts'
import { deleteResponses, problemResponses, readResponses, updateResponses } from '../../../lib/schemas.ts'
import { normalizeText } from '../../../lib/text.ts'
import imports from './imports/index.ts'
import products from './products/index.ts'
import {
  COLUMNS,
  type EstablishmentRow,
  externalIdTaken,
  findById,
  findForUpdate,
  holdsOn,
  insert,
  isCommuneOf,
  listQuery,
  remove,
  SORT,
  searchQuery,
  taxCodeTaken,
  update,
} from './repository.ts'
import {
  CreateEstablishment,
  Establishment,
  EstablishmentParams,
  ListEstablishmentsQuery,
  UpdateEstablishment,
} from './schemas.ts'
import support from './support.ts'

export const ENTITY: Noun = 'establishment'

type Draft = Partial<Omit<EstablishmentRow, 'id' | 'version' | 'created_at' | 'updated_at'>>

/** Vietnamese text fields are stored NFC and trimmed. */
const TEXT_FIELDS = ['name', 'address', 'main_products', 'external_id'] as const
function normalized<T extends object>(doc: T): T {
  const out = { ...doc } as Record<string, unknown>
  for (const key of TEXT_FIELDS) {
    const value = out[key]
    if (typeof value === 'string') out[key] = normalizeText(value)
  }
  return out as T
}

/**
 * Rules across fields and against the database, checked before writing so the 400 names every
 * failing field, and the 409 every value already taken.
 */
async function check(trx: Trx, doc: Draft & { province_code: string }, id?: string) {
  const fails = new FieldErrors()
  fails.check(
    Boolean(doc.commune_code && !(await isCommuneOf(trx, doc.province_code, doc.commune_code))),
    'body',
    'commune_code',
    {
      vi: `phải là đơn vị hành chính cấp xã của tỉnh/thành phố ${doc.province_code}`,
      en: `must be a commune of province ${doc.province_code}`,
    },
  )
  await checkOrigin(trx, fails, doc.province_code, doc.origin_province_code)
  fails.throwIfAny()
  const taken: FieldFailure[] = []
  if (doc.tax_code && (doc.status ?? 'active') === 'active' && (await taxCodeTaken(trx, doc.tax_code, id))) {
    taken.push({
      in: 'body',
      pointer: '/tax_code',
      detail: {
        vi: `đã được một cơ sở đang hoạt động sử dụng (${doc.tax_code})`,
        en: `is already used by an active establishment (${doc.tax_code})`,
      },
    })
  }
  if (doc.external_id && (await externalIdTaken(trx, doc.province_code, doc.external_id, id))) {
    taken.push({
      in: 'body',
      pointer: '/external_id',
      detail: {
        vi: `đã được dùng tại tỉnh/thành phố ${doc.province_code} (${doc.external_id})`,
        en: `is already used in province ${doc.province_code} (${doc.external_id})`,
      },
    })
  }
  if (taken.length > 0) throw fieldsProblem(taken, 'conflict')
}

const writes = {
  entity: ENTITY,
  find: findForUpdate,
  authorize: (scope: Scope, current: EstablishmentRow) => provinceForWrite(scope, current.province_code),
}

const establishments: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Establishment)
  const Item = Type.Ref('Establishment')

  app.get(
    '/v1/establishments',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listEstablishments',
        tags: ['establishments'],
        summary: 'List establishments',
        description:
          'Cơ sở — the subjects of Decree 45/2012 Art. 1.2: rural-industrial (CNNT) establishments, ' +
          'cleaner-production producers and khuyến công service providers (`cnnt=true` keeps the CNNT ones), ' +
          'in id order (keyset paging that ' +
          'stays correct while rows are inserted). With `q`: one page of the best name matches (every word ' +
          'of `q` in the name), best first. A province sees its own; the ministry all. `Accept: text/csv` ' +
          'streams every match (the same columns `POST /v1/establishments/imports` reads back).',
        querystring: ListEstablishmentsQuery,
        response: csvResponses(
          Page(Establishment, 'Một trang cơ sở — a page of establishments.'),
          'Một trang cơ sở — a page of establishments',
        ),
      },
    },
    async (request, reply) => {
      const { q } = request.query
      if (q && !wantsCsv(request)) {
        if (request.query.cursor) {
          throw invalidField('query', 'cursor', {
            vi: 'không dùng cùng q: tìm kiếm chỉ trả về một trang gồm các kết quả khớp nhất',
            en: 'is not used with q: a search answers one page of best matches',
          })
        }
        const limit = request.query.limit ?? DEFAULT_LIMIT
        const items = await request.tenant((trx, scope) =>
          searchQuery(trx, scope, { ...request.query, q }, limit).execute(),
        )
        return request.query.include_total
          ? { items, next_cursor: null, total: items.length }
          : { items, next_cursor: null }
      }
      return listOrCsv(request, reply, {
        filename: 'establishments.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      })
    },
  )

  app.post(
    '/v1/establishments',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createEstablishment',
        tags: ['establishments'],
        summary: 'Record an establishment',
        description:
          'Ghi nhận cơ sở — record an establishment of the caller’s province (its commune must be in that ' +
          'province: else 400 naming `commune_code`). An active establishment’s tax code is unique nationwide ' +
          '(409). Send `Idempotency-Key` so that a retry never records it twice.',
        headers: idempotencyHeader,
        body: CreateEstablishment,
        response: {
          201: { ...Establishment, $id: undefined, description: 'Đã ghi nhận — the recorded establishment.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'conflict', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/establishments',
        async create(trx, scope) {
          const { province_code, ...body } = request.body
          const province = provinceForWrite(scope, province_code)
          const draft = normalized({ ...body, province_code: province })
          await check(trx, draft)
          return insert(trx, draft)
        },
      }),
  )

  app.get(
    '/v1/establishments/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getEstablishment',
        tags: ['establishments'],
        summary: 'Get an establishment',
        description: 'Một cơ sở — one establishment, with its version as `ETag`.',
        params: EstablishmentParams,
        response: readResponses(Item),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, { entity: ENTITY, id: request.params.id, find: findById }),
  )

  app.patch(
    '/v1/establishments/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateEstablishment',
        tags: ['establishments'],
        summary: 'Update an establishment',
        description:
          'Sửa cơ sở — change some fields (merge patch). Requires `If-Match` with the current `ETag`: a stale ' +
          'one gets 412, none gets 428.',
        params: EstablishmentParams,
        headers: ifMatchHeader,
        body: UpdateEstablishment,
        response: updateResponses(Item, 'conflict'),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, _scope, current) {
          const patch = normalized(request.body)
          await check(trx, { ...current, ...patch }, current.id)
          return update(trx, current.id, patch)
        },
      }),
  )

  app.delete(
    '/v1/establishments/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteEstablishment',
        tags: ['establishments'],
        summary: 'Delete an establishment',
        description:
          'Xóa cơ sở — delete an establishment recorded by mistake (the audit trail keeps it; one that closed ' +
          'is kept with `status: closed` instead). Requires `If-Match`. One with products, or named a beneficiary ' +
          'of a scheme, is kept (409).',
        params: EstablishmentParams,
        headers: ifMatchHeader,
        response: deleteResponses('conflict'),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async remove(trx, _scope, current) {
          const held = await holdsOn(trx, current.id)
          if (held.products > 0 || held.schemes > 0) {
            throw problem('conflict', {
              vi: `Cơ sở này còn ${held.products} sản phẩm và là đối tượng thụ hưởng của ${held.schemes} đề án: hãy xóa sản phẩm (thu hồi giấy chứng nhận nếu có) và bỏ cơ sở khỏi đề án trước, hoặc ghi nhận cơ sở đã ngừng hoạt động (status: closed).`,
              en: `This establishment still has ${held.products} products and is a beneficiary of ${held.schemes} schemes: delete the products (revoke their certificates) and take it off the schemes first, or record it as closed (status: closed).`,
            })
          }
          await remove(trx, current.id)
        },
      }),
  )

  await app.register(imports)
  await app.register(products)
  await app.register(support)
}

export default establishments
