// Checks that a record's links point at records of the same province that the caller can see,
// so that the answer is a 400 naming the field rather than a foreign-key error (and so that a
// link can never reveal another province's record: an invisible id fails like a missing one).
import { NON_BENEFICIARY_KINDS } from '../lib/establishment-kinds.js'
import { invalidField } from '../lib/problems.js'
import { validDuring } from './expressions.js'
import { inScope, type Scope, type Trx } from './tenancy.js'

/** Each code must be a commune of `province`; the 400 names the first that is not (`communes/3`). */
export async function checkCommunes(trx: Trx, province: string, codes: string[], field = 'communes') {
  if (codes.length === 0) return
  const found = await trx
    .selectFrom('communes')
    .select('code')
    .where('province_code', '=', province)
    .where('code', 'in', codes)
    .execute()
  const known = new Set(found.map((r) => r.code))
  const foreign = codes.findIndex((code) => !known.has(code))
  if (foreign >= 0)
    throw invalidField('body', `${field}/${foreign}`, `must be a commune of province ${province}`)
}

/** Each id must be a row of `table` in `province`; the 400 names the first that is not. */
async function checkIds(
  trx: Trx,
  scope: Scope,
  table: 'projects' | 'establishments' | 'legal_documents',
  what: string,
  province: string,
  ids: string[],
  field: string,
) {
  if (ids.length === 0) return
  const found = await trx
    .selectFrom(table)
    .select('id')
    .where('id', 'in', ids)
    .where('province_code', '=', province)
    .where(inScope(scope, `${table}.province_code`))
    .execute()
  const known = new Set(found.map((r) => r.id))
  const missing = ids.findIndex((id) => !known.has(id))
  if (missing >= 0) {
    const pointer = field.endsWith('_ids') ? `${field}/${missing}` : field
    throw invalidField('body', pointer, `must be ${what} of province ${province}`)
  }
}

/** Each id must be a scheme (project) of `province`. */
export const checkProjects = (trx: Trx, scope: Scope, province: string, ids: string[], field: string) =>
  checkIds(trx, scope, 'projects', 'a scheme', province, ids, field)

/** Each id must be an establishment (of any kind) of `province`. */
export const checkEstablishments = (trx: Trx, scope: Scope, province: string, ids: string[], field: string) =>
  checkIds(trx, scope, 'establishments', 'an establishment', province, ids, field)

/**
 * Each id must be an establishment of `province` that may benefit from a scheme: not a khuyến công
 * service provider (Decree 45/2012 Art. 1.2(c)); the 400 names the first that is not.
 */
export async function checkBeneficiaries(
  trx: Trx,
  scope: Scope,
  province: string,
  ids: string[],
  field: string,
) {
  await checkEstablishments(trx, scope, province, ids, field)
  if (ids.length === 0) return
  const providers = await trx
    .selectFrom('establishments')
    .select('id')
    .where('id', 'in', ids)
    .where('kind', 'in', NON_BENEFICIARY_KINDS)
    .execute()
  const known = new Set(providers.map((r) => r.id))
  const provider = ids.findIndex((id) => known.has(id))
  if (provider >= 0) {
    throw invalidField(
      'body',
      `${field}/${provider}`,
      'must not be a khuyến công service provider: it carries schemes out and is not a beneficiary ' +
        '(Decree 45/2012/NĐ-CP Art. 1.2)',
    )
  }
}

/** The legal document that decided something: a document of `province`. */
export const checkLegalDocument = (
  trx: Trx,
  scope: Scope,
  province: string,
  id: string | null | undefined,
  field: string,
) => checkIds(trx, scope, 'legal_documents', 'a legal document', province, id ? [id] : [], field)

/**
 * Each id must be a key product or sector of `province` valid on some day of `year`; the 400 names
 * the first that is not (`key_product_ids/1`).
 */
export async function checkKeyProducts(
  trx: Trx,
  scope: Scope,
  province: string,
  ids: string[],
  year: number,
) {
  if (ids.length === 0) return
  const found = await trx
    .selectFrom('key_products')
    .select('id')
    .where('id', 'in', ids)
    .where('province_code', '=', province)
    .where(validDuring('key_products', `${year}-01-01`, `${year}-12-31`))
    .where(inScope(scope, 'key_products.province_code'))
    .execute()
  const known = new Set(found.map((r) => r.id))
  const missing = ids.findIndex((id) => !known.has(id))
  if (missing >= 0) {
    throw invalidField(
      'body',
      `key_product_ids/${missing}`,
      `must be a key product or sector of province ${province} valid in ${year}`,
    )
  }
}

/** A programme a provincial document approves: that province's own programme. */
export async function checkProgramme(
  trx: Trx,
  scope: Scope,
  province: string,
  id: string | null | undefined,
) {
  if (!id) return
  const found = await trx
    .selectFrom('programmes')
    .select('id')
    .where('id', '=', id)
    .where('province_code', '=', province)
    .where(inScope(scope, 'programmes.province_code'))
    .executeTakeFirst()
  if (!found)
    throw invalidField('body', 'programme_id', `must be a provincial programme of province ${province}`)
}
