// Products of an establishment and their typical-product certificates (sản phẩm CNNT tiêu biểu),
// and the national list of certified products, /v1/typical-products.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from 'typebox'
import { deciderForWrite, provinceForWrite, type Scope, type Trx } from '../../../../db/tenancy.ts'
import { certificateDecider, MINISTRY_RECORDS } from '../../../../domain/deciders.ts'
import { csvResponses, listOrCsv } from '../../../../domain/listing.ts'
import { notFound } from '../../../../domain/nouns.ts'
import {
  createVersioned,
  deleteVersioned,
  idempotencyHeader,
  ifMatchHeader,
  readVersioned,
  updateVersioned,
} from '../../../../domain/versioned.ts'
import { Page } from '../../../../lib/pagination.ts'
import { FieldErrors, invalidField, problem } from '../../../../lib/problems.ts'
import {
  deleteResponses,
  examplesOf,
  problemResponses,
  readResponses,
  updateResponses,
} from '../../../../lib/schemas.ts'
import { normalizeText } from '../../../../lib/text.ts'
import { findById as findEstablishment } from '../repository.ts'
import {
  type CertificateRow,
  certificateById,
  certificateForUpdate,
  certificateOf,
  insertCertificate,
  insertProduct,
  type ProductRow,
  productForUpdate,
  productsOf,
  removeProduct,
  setRevoked,
  TYPICAL_COLUMNS,
  TYPICAL_SORT,
  typicalQuery,
  updateProduct,
  validCertificate,
} from './repository.ts'
import {
  Certificate,
  CertificateParams,
  CreateCertificate,
  CreateProduct,
  createdCertificate,
  createdProduct,
  EstablishmentParams,
  Product,
  ProductParams,
  TypicalProduct,
  TypicalProductsQuery,
  UpdateCertificate,
  UpdateProduct,
} from './schemas.ts'

/** How messages name each certificate level. */
const LEVEL_VI: Record<string, string> = {
  district: 'huyện',
  province: 'tỉnh',
  region: 'khu vực',
  national: 'quốc gia',
}

/** Each level above `province` requires a valid certificate of the level below. */
const PREREQUISITE: Record<string, string | undefined> = { region: 'province', national: 'region' }
/** Authorises a write of a certificate of this level on a product of this province. */
const certificateWriter = (scope: Scope, level: string, province: string) =>
  deciderForWrite(scope, certificateDecider(level), province, MINISTRY_RECORDS.certificates)
/** District-level certificates ended with the districts (1 July 2025). */
const DISTRICTS_ENDED = '2025-07-01'

async function visibleEstablishment(trx: Trx, scope: Scope, id: string) {
  const establishment = await findEstablishment(trx, scope, id)
  if (!establishment) throw notFound('establishment', id)
  return establishment
}

/**
 * The decimals of a number as written: JavaScript prints the shortest text that reads back as the
 * same double, so 81.1 is "81.1" whatever its binary value (a score's range has no exponent form).
 */
const decimals = (n: number) => /\.(\d+)$/.exec(String(n))?.[1]?.length ?? 0

/** The certificate rules beyond the schema: decimals, district dates, the prerequisite level, duplicates. */
async function checkCertificate(
  trx: Trx,
  scope: Scope,
  productId: string,
  cert: Static<typeof CreateCertificate>,
) {
  const fails = new FieldErrors()
  fails.check(decimals(cert.score) > 2, 'body', 'score', {
    vi: 'chỉ được có tối đa hai chữ số thập phân',
    en: 'must have at most two decimals',
  })
  fails.check(cert.level === 'district' && cert.issued_date >= DISTRICTS_ENDED, 'body', 'level', {
    vi: `giấy chứng nhận cấp huyện chỉ được cấp trước ngày ${DISTRICTS_ENDED}`,
    en: `district-level certificates were issued only before ${DISTRICTS_ENDED}`,
  })
  fails.check(Boolean(cert.decision_date && cert.decision_date > cert.issued_date), 'body', 'decision_date', {
    vi: 'không được muộn hơn issued_date',
    en: 'must not be after issued_date',
  })
  const lower = PREREQUISITE[cert.level]
  if (lower && !(await validCertificate(trx, scope, productId, lower, cert.issued_date))) {
    fails.add('body', 'level', {
      vi: `cần có giấy chứng nhận cấp ${LEVEL_VI[lower]} của sản phẩm này còn hiệu lực vào ngày ${cert.issued_date}`,
      en: `requires a ${lower}-level certificate of this product valid on ${cert.issued_date}`,
    })
  }
  fails.throwIfAny()
  if (await certificateOf(trx, productId, cert.level, cert.year)) {
    throw problem('conflict', {
      vi: `Sản phẩm này đã có giấy chứng nhận cấp ${LEVEL_VI[cert.level]} năm ${cert.year}.`,
      en: `This product already has a ${cert.level}-level certificate of ${cert.year}.`,
    })
  }
}

const products: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Certificate)
  app.addSchema(Product)
  const ProductRef = Type.Ref('EstablishmentProduct')
  const CertificateRef = Type.Ref('ProductCertificate')
  const tags = ['establishments']

  app.get(
    '/v1/establishments/:id/products',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listEstablishmentProducts',
        tags,
        summary: 'List the products of an establishment',
        description: 'Sản phẩm của cơ sở — the establishment’s products, each with its certificates.',
        params: EstablishmentParams,
        response: {
          200: Type.Object(
            { items: Type.Array(ProductRef, { description: 'Các sản phẩm — the products, oldest first.' }) },
            { description: 'Các sản phẩm — the products.', examples: [{ items: examplesOf(Product) }] },
          ),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request) =>
      request.tenant(async (trx, scope) => {
        await visibleEstablishment(trx, scope, request.params.id)
        return { items: await productsOf(trx, scope, request.params.id) }
      }),
  )

  app.post(
    '/v1/establishments/:id/products',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createEstablishmentProduct',
        tags,
        summary: 'Record a product of an establishment',
        description:
          'Ghi nhận sản phẩm — record a product of an establishment of the caller’s province. Send ' +
          '`Idempotency-Key` so that a retry never records it twice.',
        params: EstablishmentParams,
        headers: idempotencyHeader,
        body: CreateProduct,
        response: {
          201: {
            ...Product,
            $id: undefined,
            description: 'Đã ghi nhận — the recorded product.',
            examples: [createdProduct],
          },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: 'establishment_product' as const,
        path: `/v1/establishments/${request.params.id}/products`,
        async create(trx, scope) {
          const establishment = await visibleEstablishment(trx, scope, request.params.id)
          const province = provinceForWrite(scope, establishment.province_code)
          const { name, product_group, description } = request.body
          const row = await insertProduct(trx, {
            establishment_id: establishment.id,
            province_code: province,
            name: normalizeText(name),
            product_group,
            description: description ?? null,
          })
          return { ...row, certificates: [] as CertificateRow[] }
        },
      }),
  )

  app.get(
    '/v1/establishments/:id/products/:product_id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getEstablishmentProduct',
        tags,
        summary: 'Get a product',
        description:
          'Một sản phẩm — one product of an establishment, with its certificates, and its version as `ETag`.',
        params: ProductParams,
        response: readResponses(ProductRef),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, {
        entity: 'establishment_product' as const,
        id: request.params.product_id,
        find: async (trx, scope, id) => (await productsOf(trx, scope, request.params.id, id))[0],
      }),
  )

  /** How PATCH and DELETE find (the product named in the path, locked) and authorise a product. */
  const productWrites = (params: { id: string; product_id: string }) => ({
    entity: 'establishment_product' as const,
    id: params.product_id,
    find: (trx: Trx, scope: Scope) => productForUpdate(trx, scope, params.id, params.product_id),
    authorize: (scope: Scope, current: ProductRow) => provinceForWrite(scope, current.province_code),
  })

  app.patch(
    '/v1/establishments/:id/products/:product_id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateEstablishmentProduct',
        tags,
        summary: 'Update a product',
        description:
          'Sửa sản phẩm — change its name, group or description (merge patch). Requires `If-Match`.',
        params: ProductParams,
        headers: ifMatchHeader,
        body: UpdateProduct,
        response: updateResponses(ProductRef),
      },
    },
    async (request, reply) => {
      return updateVersioned<ProductRow>(request, reply, {
        ...productWrites(request.params),
        async write(trx, _scope, current) {
          const patch = { ...request.body }
          if (patch.name) patch.name = normalizeText(patch.name)
          const row = await updateProduct(trx, current.id, patch)
          return { ...row, certificates: current.certificates }
        },
      })
    },
  )

  app.delete(
    '/v1/establishments/:id/products/:product_id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteEstablishmentProduct',
        tags,
        summary: 'Delete a product',
        description:
          'Xóa sản phẩm — delete a product recorded by mistake. Requires `If-Match`. A product with certificates ' +
          'cannot be deleted (409): revoke them instead.',
        params: ProductParams,
        headers: ifMatchHeader,
        response: deleteResponses('conflict'),
      },
    },
    async (request, reply) => {
      return deleteVersioned<ProductRow>(request, reply, {
        ...productWrites(request.params),
        async remove(trx, _scope, current) {
          if (current.certificates.length > 0) {
            throw problem('conflict', {
              vi: 'Sản phẩm này đã có giấy chứng nhận: hãy thu hồi giấy chứng nhận thay vì xóa sản phẩm.',
              en: 'This product has certificates: revoke them rather than delete the product.',
            })
          }
          await removeProduct(trx, current.id)
        },
      })
    },
  )

  app.post(
    '/v1/establishments/:id/products/:product_id/certificates',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createProductCertificate',
        tags,
        summary: 'Record a typical-product certificate',
        description:
          'Ghi nhận giấy chứng nhận sản phẩm CNNT tiêu biểu — score ≥ 70 (else 400 naming `score`); valid from ' +
          '`issued_date` to 31 December of the third year counting the issue year; `region` requires a valid ' +
          '`province` certificate of the product on the issue date and `national` a valid `region` one (else 400 ' +
          'naming `level`); `district` only before 1 July 2025; one per product, level and year (409). Who records ' +
          'it: `province` and `district` certificates the product’s province; `region` (decided by the ministry’s ' +
          'department) and `national` (by the Minister) the ministry only — otherwise 403. Send `Idempotency-Key`.',
        params: ProductParams,
        headers: idempotencyHeader,
        body: CreateCertificate,
        response: {
          201: {
            ...Certificate,
            $id: undefined,
            description: 'Đã ghi nhận — the recorded certificate.',
            examples: [createdCertificate],
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
      createVersioned(request, reply, {
        entity: 'product_certificate' as const,
        path: `/v1/establishments/${request.params.id}/products/${request.params.product_id}/certificates`,
        async create(trx, scope) {
          const [product] = await productsOf(trx, scope, request.params.id, request.params.product_id)
          if (!product) {
            throw problem('not_found', {
              vi: `Cơ sở này không có sản phẩm ${request.params.product_id}.`,
              en: `No product ${request.params.product_id} of this establishment.`,
            })
          }
          const province = certificateWriter(scope, request.body.level, product.province_code)
          await checkCertificate(trx, scope, product.id, request.body)
          return insertCertificate(trx, scope, {
            ...request.body,
            certificate_number: normalizeText(request.body.certificate_number),
            product_id: product.id,
            establishment_id: product.establishment_id,
            province_code: province,
          })
        },
      }),
  )

  const certificateIds = (params: Static<typeof CertificateParams>) => ({
    establishment: params.id,
    product: params.product_id,
    certificate: params.certificate_id,
  })

  app.get(
    '/v1/establishments/:id/products/:product_id/certificates/:certificate_id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getProductCertificate',
        tags,
        summary: 'Get a certificate',
        description: 'Một giấy chứng nhận — one certificate of a product, and its version as `ETag`.',
        params: CertificateParams,
        response: readResponses(CertificateRef),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, {
        entity: 'product_certificate' as const,
        id: request.params.certificate_id,
        find: (trx, scope) => certificateById(trx, scope, certificateIds(request.params)),
      }),
  )

  app.patch(
    '/v1/establishments/:id/products/:product_id/certificates/:certificate_id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateProductCertificate',
        tags,
        summary: 'Revoke or reinstate a certificate',
        description:
          'Thu hồi giấy chứng nhận — revoke a certificate (with a reason) or reinstate it. Requires `If-Match`. ' +
          'Whoever records a certificate of its level revokes it: the province its provincial and district ones, ' +
          'the ministry regional and national ones (otherwise 403).',
        params: CertificateParams,
        headers: ifMatchHeader,
        body: UpdateCertificate,
        response: updateResponses(CertificateRef),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        entity: 'product_certificate' as const,
        id: request.params.certificate_id,
        find: (trx, scope) => certificateForUpdate(trx, scope, certificateIds(request.params)),
        authorize: (scope, current) => certificateWriter(scope, current.level, current.province_code),
        async write(trx, scope, current) {
          const { revoked } = request.body
          const reason = revoked ? (request.body.revoked_reason ?? current.revoked_reason) : null
          if (revoked && !reason) {
            throw invalidField('body', 'revoked_reason', {
              vi: 'là bắt buộc khi thu hồi',
              en: 'is required when revoking',
            })
          }
          if (revoked === current.revoked && reason === current.revoked_reason) return current
          return setRevoked(trx, scope, current.id, revoked, reason)
        },
      }),
  )

  app.get(
    '/v1/typical-products',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listTypicalProducts',
        tags,
        summary: 'List certified typical products',
        description:
          'Sản phẩm CNNT tiêu biểu — certified products across establishments, one row per certificate, in id ' +
          'order. A province sees its own; the ministry all. `valid_on` keeps certificates valid and not revoked ' +
          'on that date. `Accept: text/csv` streams every match.',
        querystring: TypicalProductsQuery,
        response: csvResponses(
          Page(TypicalProduct, 'Một trang sản phẩm tiêu biểu — a page of certified products.'),
          'Một trang sản phẩm tiêu biểu — a page of certified products',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'typical-products.csv',
        columns: TYPICAL_COLUMNS,
        query: (trx, scope) => typicalQuery(trx, scope, request.query),
        keys: TYPICAL_SORT,
        page: request.query,
      }),
  )
}

export default products
