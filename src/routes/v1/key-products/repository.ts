import type { RowOf } from '../../../db/columns.ts'
import { contains, validDuring } from '../../../db/expressions.ts'
import { versionedRepository } from '../../../db/repository.ts'
import type { Scope, Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

export const COLUMNS = [
  'id',
  'province_code',
  'name',
  'kind',
  'industry',
  'advantages',
  'legal_document_id',
  'valid_from',
  'valid_to',
  'origin_province_code',
  'version',
  'created_at',
  'updated_at',
] as const

const table = versionedRepository('key_products', COLUMNS)
export const { findById, findForUpdate, insert, update, remove } = table

export type KeyProductRow = RowOf<typeof table.select>

export interface KeyProductFilters {
  province_code?: string | undefined
  kind?: string | undefined
  industry?: string | undefined
  year?: number | undefined
  q?: string | undefined
}

export const SORT: SortKey<KeyProductRow>[] = [
  { column: 'key_products.valid_from', field: 'valid_from', type: 'date', direction: 'desc' },
  { column: 'key_products.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: KeyProductFilters) {
  let query = table.select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.kind) query = query.where('kind', '=', f.kind)
  if (f.industry) query = query.where('industry', '=', f.industry)
  if (f.year) query = query.where(validDuring('key_products', `${f.year}-01-01`, `${f.year}-12-31`))
  if (f.q) query = query.where(contains('search_text', f.q))
  return query
}

/** A scheme that names the key product, if any: it cannot be deleted while one does. */
export const supportedBy = (trx: Trx, id: string) =>
  trx
    .selectFrom('projects')
    .select('code')
    .select('title')
    .where(({ eb, val, fn }) => eb(val(id), '=', fn.any('key_product_ids')))
    .executeTakeFirst()
