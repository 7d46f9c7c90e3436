// Products of an establishment and their typical-product certificates (sản phẩm CNNT tiêu biểu),
// and the national list of certified products, /v1/typical-products.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { type Static, Type } from 'typebox'
import type { RowOf } from '../../../db/columns.js'
import { inScope, provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.js'
import { csvResponses, listOrCsv } from '../../../domain/listing.js'
import {
  createVersioned,
  deleteVersioned,
  idempotencyHeader,
  ifMatchHeader,
  nextVersion,
  updateVersioned,
} from '../../../domain/versioned.js'
import { CodeOf } from '../../../lib/codelists.js'
import { Page, pageQuery, type SortKey } from '../../../lib/pagination.js'
import { invalidField, problem } from '../../../lib/problems.js'
import {
  CommuneCode,
  deleteResponses,
  Id,
  IsoDate,
  Nullable,
  ProvinceCode,
  problemResponses,
  updateResponses,
  versionFields,
} from '../../../lib/schemas.js'
import { normalizeText } from '../../../lib/text.js'
import { findById as findEstablishment } from './repository.js'

/** Each level above `province` requires a valid certificate of the level below. */
const PREREQUISITE: Record<string, string | undefined> = { region: 'province', national: 'region' }
/** District-level certificates ended with the districts (1 July 2025). */
const DISTRICTS_ENDED = '2025-07-01'

// ---------------------------------------------------------------------------------------------
// Schemas

const certificateFields = {
  level: CodeOf(
    'certificate_level',
    'Cấp chứng nhận — level: `district` (before 1 July 2025 only), `province`, `region`, `national`; `region` ' +
      'requires a valid `province` certificate of the product, `national` a valid `region` one.',
  ),
  year: Type.Integer({
    minimum: 2000,
    maximum: 2100,
    description: 'Năm bình chọn — selection year.',
    examples: [2024],
  }),
  certificate_number: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'Số giấy chứng nhận — certificate number.',
    examples: ['125/GCN-SCT'],
  }),
  // No multipleOf: 0.01 — in floating point 81.1 / 0.01 is no integer, so validators refused 429 of
  // the 3,001 two-decimal scores. The server checks the decimals exactly (checkCertificate).
  score: Type.Number({
    minimum: 70,
    maximum: 100,
    description: 'Điểm — score (≥ 70 to be certified), at most two decimals.',
    examples: [82.5],
  }),
  decision_number: Nullable(
    Type.String({ minLength: 1, maxLength: 100, description: 'Số quyết định — decision number.' }),
    'Quyết định công nhận — the issuing decision.',
  ),
  decision_date: Nullable(IsoDate('Ngày quyết định — decision date.'), 'Ngày quyết định — decision date.'),
  issued_date: IsoDate('Ngày cấp — issue date; the certificate is valid from it.'),
}

const Certificate = Type.Object(
  {
    id: Id('Mã giấy chứng nhận — certificate id.'),
    product_id: Id('Sản phẩm — product id.'),
    establishment_id: Id('Cơ sở — establishment id.'),
    province_code: ProvinceCode,
    ...certificateFields,
    valid_until: IsoDate('Hiệu lực đến — valid until 31 December of the third year counting the issue year.'),
    revoked: Type.Boolean({ description: 'Đã thu hồi — revoked.' }),
    revoked_reason: Nullable(
      Type.String({ description: 'Lý do thu hồi — reason.' }),
      'Lý do thu hồi — why revoked.',
    ),
    ...versionFields,
  },
  {
    $id: 'ProductCertificate',
    description: 'Giấy chứng nhận sản phẩm CNNT tiêu biểu — a typical-product certificate.',
  },
)

const productFields = {
  name: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'Tên sản phẩm — product name.',
    examples: ['Chè Shan tuyết'],
  }),
  product_group: CodeOf('product_group', 'Nhóm sản phẩm — product group.'),
  description: Nullable(
    Type.String({ maxLength: 4000, description: 'Mô tả — description.' }),
    'Mô tả — description.',
  ),
}

const Product = Type.Object(
  {
    id: Id('Mã sản phẩm — product id.'),
    establishment_id: Id('Cơ sở — establishment id.'),
    province_code: ProvinceCode,
    ...productFields,
    certificates: Type.Array(Type.Ref('ProductCertificate'), {
      description: 'Giấy chứng nhận — its certificates, oldest first.',
    }),
    ...versionFields,
  },
  { $id: 'EstablishmentProduct', description: 'Sản phẩm của cơ sở — a product of an establishment.' },
)

const CreateProduct = Type.Object(
  {
    name: productFields.name,
    product_group: productFields.product_group,
    description: Type.Optional(productFields.description),
  },
  {
    additionalProperties: false,
    description: 'Sản phẩm mới — a new product.',
    examples: [{ name: 'Chè Shan tuyết Hồng Thái', product_group: 'agro_food' }],
  },
)

const CreateCertificate = Type.Object(
  {
    level: certificateFields.level,
    year: certificateFields.year,
    certificate_number: certificateFields.certificate_number,
    score: certificateFields.score,
    issued_date: certificateFields.issued_date,
    decision_number: Type.Optional(certificateFields.decision_number),
    decision_date: Type.Optional(certificateFields.decision_date),
  },
  {
    additionalProperties: false,
    description: 'Giấy chứng nhận mới — a new certificate.',
    examples: [
      {
        level: 'province',
        year: 2024,
        certificate_number: '125/GCN-SCT',
        score: 82.5,
        issued_date: '2024-10-15',
      },
    ],
  },
)

const UpdateProduct = Type.Partial(Type.Object({ ...productFields }), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Các trường cần sửa — the fields to change (merge patch).',
  examples: [{ name: 'Chè Shan tuyết Hồng Thái' }],
})

const UpdateCertificate = Type.Object(
  {
    revoked: Type.Boolean({ description: 'Thu hồi — revoke (true) or reinstate (false).' }),
    revoked_reason: Type.Optional(
      Nullable(
        Type.String({ minLength: 1, maxLength: 2000 }),
        'Lý do thu hồi — why (required when revoking).',
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'Thu hồi giấy chứng nhận — revoke a certificate (or reinstate it).',
    examples: [{ revoked: true, revoked_reason: 'Sản phẩm không còn đạt tiêu chí' }],
  },
)

const EstablishmentParams = Type.Object(
  { id: Id('Mã cơ sở — establishment id.') },
  { additionalProperties: false },
)
const ProductParams = Type.Object(
  { id: Id('Mã cơ sở — establishment id.'), product_id: Id('Mã sản phẩm — product id.') },
  { additionalProperties: false },
)
const CertificateParams = Type.Object(
  {
    id: Id('Mã cơ sở — establishment id.'),
    product_id: Id('Mã sản phẩm — product id.'),
    certificate_id: Id('Mã giấy chứng nhận — certificate id.'),
  },
  { additionalProperties: false },
)

const TypicalProduct = Type.Object(
  {
    id: Id('Mã giấy chứng nhận — certificate id.'),
    province_code: ProvinceCode,
    establishment_id: Id('Cơ sở — establishment id.'),
    establishment_name: Type.String({ description: 'Tên cơ sở — establishment name.' }),
    commune_code: CommuneCode,
    product_id: Id('Sản phẩm — product id.'),
    product_name: Type.String({ description: 'Tên sản phẩm — product name.' }),
    product_group: productFields.product_group,
    level: certificateFields.level,
    year: certificateFields.year,
    certificate_number: certificateFields.certificate_number,
    score: certificateFields.score,
    issued_date: certificateFields.issued_date,
    valid_until: IsoDate('Hiệu lực đến — valid until.'),
    revoked: Type.Boolean({ description: 'Đã thu hồi — revoked.' }),
  },
  { description: 'Sản phẩm CNNT tiêu biểu — one certified product (one certificate).' },
)

const TypicalProductsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    level: Type.Optional(CodeOf('certificate_level', 'Cấp — only this level.')),
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Năm — selection year.' })),
    product_group: Type.Optional(CodeOf('product_group', 'Nhóm — only this product group.')),
    valid_on: Type.Optional(
      IsoDate('Còn hiệu lực ngày — only certificates valid (and not revoked) on this date.'),
    ),
    ...pageQuery,
  },
  { additionalProperties: false },
)

// ---------------------------------------------------------------------------------------------
// Queries

const CERT_COLUMNS = [
  'product_certificates.id',
  'product_certificates.product_id',
  'product_certificates.establishment_id',
  'product_certificates.province_code',
  'product_certificates.level',
  'product_certificates.year',
  'product_certificates.certificate_number',
  'product_certificates.decision_number',
  'product_certificates.decision_date',
  'product_certificates.issued_date',
  'product_certificates.valid_until',
  'product_certificates.revoked',
  'product_certificates.revoked_reason',
  'product_certificates.version',
  'product_certificates.created_at',
  'product_certificates.updated_at',
] as const
const score = sql<number>`product_certificates.score::float8`.as('score')

const certificates = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('product_certificates')
    .select([...CERT_COLUMNS, score])
    .where(inScope(scope, 'product_certificates.province_code'))

type CertificateRow = RowOf<typeof certificates>

const PRODUCT_COLUMNS = [
  'id',
  'establishment_id',
  'province_code',
  'name',
  'product_group',
  'description',
  'version',
  'created_at',
  'updated_at',
] as const

async function productsOf(trx: Trx, scope: Scope, establishmentId: string, productId?: string) {
  let query = trx
    .selectFrom('establishment_products')
    .select(PRODUCT_COLUMNS)
    .where('establishment_id', '=', establishmentId)
    .where(inScope(scope, 'establishment_products.province_code'))
    .orderBy('created_at')
    .orderBy('id')
  if (productId) query = query.where('id', '=', productId)
  const products = await query.execute()
  if (products.length === 0) return []
  const certs = await certificates(trx, scope)
    .where(
      'product_certificates.product_id',
      'in',
      products.map((p) => p.id),
    )
    .orderBy('product_certificates.issued_date')
    .orderBy('product_certificates.id')
    .execute()
  return products.map((p) => ({ ...p, certificates: certs.filter((c) => c.product_id === p.id) }))
}

async function visibleEstablishment(trx: Trx, scope: Scope, id: string) {
  const establishment = await findEstablishment(trx, scope, id)
  if (!establishment) throw problem('not_found', `No establishment ${id}.`)
  return establishment
}

function typicalQuery(trx: Trx, scope: Scope, f: Static<typeof TypicalProductsQuery>) {
  let query = trx
    .selectFrom('product_certificates')
    .innerJoin('establishment_products as p', 'p.id', 'product_certificates.product_id')
    .innerJoin('establishments as e', 'e.id', 'product_certificates.establishment_id')
    .select([
      'product_certificates.id',
      'product_certificates.province_code',
      'product_certificates.establishment_id',
      'e.name as establishment_name',
      'e.commune_code',
      'product_certificates.product_id',
      'p.name as product_name',
      'p.product_group',
      'product_certificates.level',
      'product_certificates.year',
      'product_certificates.certificate_number',
      score,
      'product_certificates.issued_date',
      'product_certificates.valid_until',
      'product_certificates.revoked',
    ])
    .where(inScope(scope, 'product_certificates.province_code'))
  if (f.province_code) query = query.where('product_certificates.province_code', '=', f.province_code)
  if (f.level) query = query.where('product_certificates.level', '=', f.level)
  if (f.year) query = query.where('product_certificates.year', '=', f.year)
  if (f.product_group) query = query.where('p.product_group', '=', f.product_group)
  if (f.valid_on) {
    query = query
      .where('product_certificates.revoked', '=', false)
      .where('product_certificates.issued_date', '<=', f.valid_on)
      .where('product_certificates.valid_until', '>=', f.valid_on)
  }
  return query
}

type TypicalRow = RowOf<typeof typicalQuery>
const TYPICAL_SORT: SortKey<TypicalRow>[] = [
  { column: 'product_certificates.id', field: 'id', type: 'string' },
]
const TYPICAL_COLUMNS: (keyof TypicalRow & string)[] = [
  'id',
  'province_code',
  'establishment_id',
  'establishment_name',
  'commune_code',
  'product_id',
  'product_name',
  'product_group',
  'level',
  'year',
  'certificate_number',
  'score',
  'issued_date',
  'valid_until',
  'revoked',
]

/** The certificate rules that need the database: district dates, the prerequisite level, duplicates. */
/**
 * The decimals of a number as written: JavaScript prints the shortest text that reads back as the
 * same double, so 81.1 is "81.1" whatever its binary value (a score's range has no exponent form).
 */
const decimals = (n: number) => /\.(\d+)$/.exec(String(n))?.[1]?.length ?? 0

async function checkCertificate(
  trx: Trx,
  scope: Scope,
  productId: string,
  cert: Static<typeof CreateCertificate>,
) {
  if (decimals(cert.score) > 2) throw invalidField('body', 'score', 'must have at most two decimals')
  if (cert.level === 'district' && cert.issued_date >= DISTRICTS_ENDED) {
    throw invalidField(
      'body',
      'level',
      `district-level certificates were issued only before ${DISTRICTS_ENDED}`,
    )
  }
  if (cert.decision_date && cert.decision_date > cert.issued_date) {
    throw invalidField('body', 'decision_date', 'must not be after issued_date')
  }
  const lower = PREREQUISITE[cert.level]
  if (lower) {
    const valid = await certificates(trx, scope)
      .where('product_certificates.product_id', '=', productId)
      .where('product_certificates.level', '=', lower)
      .where('product_certificates.revoked', '=', false)
      .where('product_certificates.issued_date', '<=', cert.issued_date)
      .where('product_certificates.valid_until', '>=', cert.issued_date)
      .executeTakeFirst()
    if (!valid) {
      throw invalidField(
        'body',
        'level',
        `requires a ${lower}-level certificate of this product valid on ${cert.issued_date}`,
      )
    }
  }
  const twice = await trx
    .selectFrom('product_certificates')
    .select('id')
    .where('product_id', '=', productId)
    .where('level', '=', cert.level)
    .where('year', '=', cert.year)
    .executeTakeFirst()
  if (twice)
    throw problem('conflict', `This product already has a ${cert.level}-level certificate of ${cert.year}.`)
}

// ---------------------------------------------------------------------------------------------
// Routes

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
            { description: 'Các sản phẩm — the products.' },
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
          201: { ...Product, $id: undefined, description: 'Đã ghi nhận — the recorded product.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: 'establishment_product',
        path: `/v1/establishments/${request.params.id}/products`,
        async create(trx, scope) {
          const establishment = await visibleEstablishment(trx, scope, request.params.id)
          const province = provinceForWrite(scope, establishment.province_code)
          const { name, product_group, description } = request.body
          const row = await trx
            .insertInto('establishment_products')
            .values({
              establishment_id: establishment.id,
              province_code: province,
              name: normalizeText(name),
              product_group,
              description: description ?? null,
            })
            .returning(PRODUCT_COLUMNS)
            .executeTakeFirstOrThrow()
          return { ...row, certificates: [] as CertificateRow[] }
        },
      }),
  )

  /** The product named in the path, locked, with its certificates (for PATCH and DELETE). */
  const productForUpdate = (params: { id: string; product_id: string }) => async (trx: Trx, scope: Scope) => {
    const row = await trx
      .selectFrom('establishment_products')
      .select(PRODUCT_COLUMNS)
      .where('id', '=', params.product_id)
      .where('establishment_id', '=', params.id)
      .where(inScope(scope, 'establishment_products.province_code'))
      .forUpdate()
      .executeTakeFirst()
    if (!row) return undefined
    const [withCertificates] = await productsOf(trx, scope, params.id, params.product_id)
    return withCertificates ?? { ...row, certificates: [] }
  }
  type ProductRow = NonNullable<Awaited<ReturnType<ReturnType<typeof productForUpdate>>>>
  const productWrites = {
    entity: 'establishment_product',
    authorize: (scope: Scope, current: ProductRow) => provinceForWrite(scope, current.province_code),
  }

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
      const find = productForUpdate(request.params)
      return updateVersioned<ProductRow>(request, reply, {
        ...productWrites,
        id: request.params.product_id,
        find: (trx, scope) => find(trx, scope),
        async write(trx, _scope, current) {
          const patch = { ...request.body }
          if (patch.name) patch.name = normalizeText(patch.name)
          const row = await trx
            .updateTable('establishment_products')
            .set({ ...patch, ...nextVersion })
            .where('id', '=', current.id)
            .returning(PRODUCT_COLUMNS)
            .executeTakeFirstOrThrow()
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
      const find = productForUpdate(request.params)
      return deleteVersioned<ProductRow>(request, reply, {
        ...productWrites,
        id: request.params.product_id,
        find: (trx, scope) => find(trx, scope),
        async remove(trx, _scope, current) {
          if (current.certificates.length > 0) {
            throw problem(
              'conflict',
              'This product has certificates: revoke them rather than delete the product.',
            )
          }
          await trx.deleteFrom('establishment_products').where('id', '=', current.id).execute()
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
          'naming `level`); `district` only before 1 July 2025; one per product, level and year (409). Send ' +
          '`Idempotency-Key`.',
        params: ProductParams,
        headers: idempotencyHeader,
        body: CreateCertificate,
        response: {
          201: { ...Certificate, $id: undefined, description: 'Đã ghi nhận — the recorded certificate.' },
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
        entity: 'product_certificate',
        path: `/v1/establishments/${request.params.id}/products/${request.params.product_id}/certificates`,
        async create(trx, scope) {
          const [product] = await productsOf(trx, scope, request.params.id, request.params.product_id)
          if (!product)
            throw problem('not_found', `No product ${request.params.product_id} of this establishment.`)
          const province = provinceForWrite(scope, product.province_code)
          await checkCertificate(trx, scope, product.id, request.body)
          const { id } = await trx
            .insertInto('product_certificates')
            .values({
              ...request.body,
              certificate_number: normalizeText(request.body.certificate_number),
              product_id: product.id,
              establishment_id: product.establishment_id,
              province_code: province,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          return certificates(trx, scope).where('product_certificates.id', '=', id).executeTakeFirstOrThrow()
        },
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
          'Thu hồi giấy chứng nhận — revoke a certificate (with a reason) or reinstate it. Requires `If-Match`.',
        params: CertificateParams,
        headers: ifMatchHeader,
        body: UpdateCertificate,
        response: updateResponses(CertificateRef),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        entity: 'product_certificate',
        id: request.params.certificate_id,
        find: (trx, scope, id) =>
          certificates(trx, scope)
            .where('product_certificates.id', '=', id)
            .where('product_certificates.product_id', '=', request.params.product_id)
            .where('product_certificates.establishment_id', '=', request.params.id)
            .forUpdate()
            .executeTakeFirst(),
        authorize: (scope, current) => provinceForWrite(scope, current.province_code),
        async write(trx, scope, current) {
          const { revoked } = request.body
          const reason = revoked ? (request.body.revoked_reason ?? current.revoked_reason) : null
          if (revoked && !reason) throw invalidField('body', 'revoked_reason', 'is required when revoking')
          if (revoked === current.revoked && reason === current.revoked_reason) return current
          await trx
            .updateTable('product_certificates')
            .set({ revoked, revoked_reason: reason, ...nextVersion })
            .where('id', '=', current.id)
            .execute()
          return certificates(trx, scope)
            .where('product_certificates.id', '=', current.id)
            .executeTakeFirstOrThrow()
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
