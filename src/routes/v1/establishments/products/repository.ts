// Every read and write of an establishment's products and their certificates, and the national
// list of certified products. Each function takes the transaction first.
import { type Insertable, sql } from 'kysely'
import type { RowOf } from '../../../../db/columns.ts'
import { versionedRepository } from '../../../../db/repository.ts'
import type { ProductCertificatesTable } from '../../../../db/tables/product-certificates.table.ts'
import { inScope, type Scope, type Trx } from '../../../../db/tenancy.ts'
import { productChanged } from '../../../../domain/products.ts'
import type { SortKey } from '../../../../lib/pagination.ts'

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

/** The certificates the caller may see, with the score as a number. */
export const certificates = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('product_certificates')
    .select([...CERT_COLUMNS, score])
    .where(inScope(scope, 'product_certificates.province_code'))

export type CertificateRow = RowOf<typeof certificates>

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

const productTable = versionedRepository('establishment_products', PRODUCT_COLUMNS)
export const { update: updateProduct, remove: removeProduct } = productTable

/** The establishment's products (or the one asked for), each with its certificates, oldest first. */
export async function productsOf(trx: Trx, scope: Scope, establishmentId: string, productId?: string) {
  let query = productTable
    .select(trx, scope)
    .where('establishment_id', '=', establishmentId)
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

export function typicalQuery(trx: Trx, scope: Scope, f: TypicalFilters) {
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
export const TYPICAL_SORT: SortKey<TypicalRow>[] = [
  { column: 'product_certificates.id', field: 'id', type: 'uuid' },
]
export const TYPICAL_COLUMNS: (keyof TypicalRow & string)[] = [
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

/** The filters of /v1/typical-products. */
export interface TypicalFilters {
  province_code?: string | undefined
  level?: string | undefined
  year?: number | undefined
  product_group?: string | undefined
  valid_on?: string | undefined
}

export const insertProduct = (
  trx: Trx,
  values: {
    establishment_id: string
    province_code: string
    name: string
    product_group: string
    description: string | null
  },
) => productTable.insert(trx, values)

/** The product of the establishment, locked for a change, with its certificates. */
export async function productForUpdate(trx: Trx, scope: Scope, establishmentId: string, productId: string) {
  const row = await productTable
    .select(trx, scope)
    .where('id', '=', productId)
    .where('establishment_id', '=', establishmentId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) return undefined
  const [withCertificates] = await productsOf(trx, scope, establishmentId, productId)
  return withCertificates ?? { ...row, certificates: [] }
}

export type ProductRow = NonNullable<Awaited<ReturnType<typeof productForUpdate>>>

// Certificates: the representation reads the score as a number (certificates()), so the writes
// return the id only and the row is read back.
const certificateTable = versionedRepository('product_certificates', ['id'] as const)

const certificate = (trx: Trx, scope: Scope, id: string) =>
  certificates(trx, scope).where('product_certificates.id', '=', id).executeTakeFirstOrThrow()

export async function insertCertificate(
  trx: Trx,
  scope: Scope,
  values: Insertable<ProductCertificatesTable>,
) {
  const { id } = await certificateTable.insert(trx, values)
  await productChanged(trx, values.product_id)
  return certificate(trx, scope, id)
}

/** Revokes (with a reason) or reinstates a certificate and moves its version on. */
export async function setRevoked(
  trx: Trx,
  scope: Scope,
  id: string,
  revoked: boolean,
  reason: string | null,
) {
  await certificateTable.update(trx, id, { revoked, revoked_reason: reason })
  const row = await certificate(trx, scope, id)
  await productChanged(trx, row.product_id)
  return row
}

interface CertificateIds {
  establishment: string
  product: string
  certificate: string
}

/** The certificate of the establishment's product, as the caller may see it. */
const certificateIn = (trx: Trx, scope: Scope, ids: CertificateIds) =>
  certificates(trx, scope)
    .where('product_certificates.id', '=', ids.certificate)
    .where('product_certificates.product_id', '=', ids.product)
    .where('product_certificates.establishment_id', '=', ids.establishment)

export const certificateById = (trx: Trx, scope: Scope, ids: CertificateIds) =>
  certificateIn(trx, scope, ids).executeTakeFirst()

/** The same, locked for a change. */
export const certificateForUpdate = (trx: Trx, scope: Scope, ids: CertificateIds) =>
  certificateIn(trx, scope, ids).forUpdate().executeTakeFirst()

/** A certificate of the product at `level`, not revoked, valid on `date`. */
export const validCertificate = (trx: Trx, scope: Scope, productId: string, level: string, date: string) =>
  certificates(trx, scope)
    .where('product_certificates.product_id', '=', productId)
    .where('product_certificates.level', '=', level)
    .where('product_certificates.revoked', '=', false)
    .where('product_certificates.issued_date', '<=', date)
    .where('product_certificates.valid_until', '>=', date)
    .executeTakeFirst()

/** The product's certificate of that level and year, if any (one each). */
export const certificateOf = (trx: Trx, productId: string, level: string, year: number) =>
  trx
    .selectFrom('product_certificates')
    .select('id')
    .where('product_id', '=', productId)
    .where('level', '=', level)
    .where('year', '=', year)
    .executeTakeFirst()
