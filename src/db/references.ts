// Checks that a record's links point at records of the same province that the caller can see,
// so that the answer is a 400 naming the field rather than a foreign-key error (and so that a
// link can never reveal another province's record: an invisible id fails like a missing one).
// Each check adds every failing entry to the request's FieldErrors, so one 400 lists them all.
import { NON_BENEFICIARY_KINDS } from '../lib/establishment-kinds.ts'
import type { FieldErrors, Localized } from '../lib/problems.ts'
import { validDuring } from './expressions.ts'
import { inScope, type Scope, type Trx } from './tenancy.ts'

/** Each code must be a commune of `province`; each that is not fails (`communes/3`). */
export async function checkCommunes(
  trx: Trx,
  fails: FieldErrors,
  province: string,
  codes: string[],
  field = 'communes',
) {
  if (codes.length === 0) return
  const found = await trx
    .selectFrom('communes')
    .select('code')
    .where('province_code', '=', province)
    .where('code', 'in', codes)
    .execute()
  const known = new Set(found.map((r) => r.code))
  for (const [i, code] of codes.entries()) {
    fails.check(!known.has(code), 'body', `${field}/${i}`, {
      vi: `phải là đơn vị hành chính cấp xã của tỉnh/thành phố ${province}`,
      en: `must be a commune of province ${province}`,
    })
  }
}

/** What each kind of record checkRecords() knows is called, in a refusal. */
const RECORDS = {
  projects: { vi: 'một dự án, đề án', en: 'a scheme' },
  establishments: { vi: 'một cơ sở', en: 'an establishment' },
  legal_documents: { vi: 'một văn bản', en: 'a legal document' },
} satisfies Record<string, Localized>

/**
 * Each id (a list, or one id or none) must be a row of `table` in `province`; each that is not
 * fails, at `field/i` for a list (`project_ids/1`), at `field` for one id.
 */
export async function checkRecords(
  trx: Trx,
  fails: FieldErrors,
  scope: Scope,
  table: keyof typeof RECORDS,
  province: string,
  ids: string[] | string | null | undefined,
  field: string,
) {
  const list = Array.isArray(ids) ? ids : ids ? [ids] : []
  if (list.length === 0) return
  const found = await trx
    .selectFrom(table)
    .select('id')
    .where('id', 'in', list)
    .where('province_code', '=', province)
    .where(inScope(scope, `${table}.province_code`))
    .execute()
  const known = new Set(found.map((r) => r.id))
  const what = RECORDS[table]
  for (const [i, id] of list.entries()) {
    fails.check(!known.has(id), 'body', Array.isArray(ids) ? `${field}/${i}` : field, {
      vi: `phải là ${what.vi} của tỉnh/thành phố ${province}`,
      en: `must be ${what.en} of province ${province}`,
    })
  }
}

/**
 * Each id must be an establishment of `province` that may benefit from a scheme: not a khuyến công
 * service provider (Decree 45/2012 Art. 1.2(c)); each that is not fails.
 */
export async function checkBeneficiaries(
  trx: Trx,
  fails: FieldErrors,
  scope: Scope,
  province: string,
  ids: string[],
  field: string,
) {
  await checkRecords(trx, fails, scope, 'establishments', province, ids, field)
  if (ids.length === 0) return
  const providers = await trx
    .selectFrom('establishments')
    .select('id')
    .where('id', 'in', ids)
    .where('kind', 'in', NON_BENEFICIARY_KINDS)
    .execute()
  const known = new Set(providers.map((r) => r.id))
  for (const [i, id] of ids.entries()) {
    fails.check(known.has(id), 'body', `${field}/${i}`, {
      vi:
        'không được là cơ sở dịch vụ khuyến công: cơ sở này thực hiện đề án, không phải đối tượng ' +
        'thụ hưởng (Khoản 2 Điều 1 Nghị định 45/2012/NĐ-CP)',
      en:
        'must not be a khuyến công service provider: it carries schemes out and is not a beneficiary ' +
        '(Decree 45/2012/NĐ-CP Art. 1.2)',
    })
  }
}

/**
 * Each id must be a key product or sector of `province` valid on some day of `year`; the 400 names
 * each that is not (`key_product_ids/1`).
 */
export async function checkKeyProducts(
  trx: Trx,
  fails: FieldErrors,
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
  for (const [i, id] of ids.entries()) {
    fails.check(!known.has(id), 'body', `key_product_ids/${i}`, {
      vi: `phải là sản phẩm, ngành nghề chủ lực của tỉnh/thành phố ${province} còn hiệu lực trong năm ${year}`,
      en: `must be a key product or sector of province ${province} valid in ${year}`,
    })
  }
}

/** A programme a provincial document approves: that province's own programme. */
export async function checkProgramme(
  trx: Trx,
  fails: FieldErrors,
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
  fails.check(!found, 'body', 'programme_id', {
    vi: `phải là chương trình khuyến công của tỉnh/thành phố ${province}`,
    en: `must be a provincial programme of province ${province}`,
  })
}
