import type { RowOf } from '../../../db/columns.ts'
import { contains, inYear } from '../../../db/expressions.ts'
import { versionedRepository } from '../../../db/repository.ts'
import type { Scope, Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

export const COLUMNS = [
  'id',
  'province_code',
  'number',
  'kind',
  'issuer',
  'title',
  'signed_date',
  'effective_date',
  'expiry_date',
  'subject',
  'is_normative',
  'status',
  'changed_by_id',
  'origin_province_code',
  'programme_id',
  'notes',
  'version',
  'created_at',
  'updated_at',
] as const

const table = versionedRepository('legal_documents', COLUMNS)
export const { select, findById, findForUpdate, insert, update, remove } = table

export type LegalDocumentRow = RowOf<typeof select>

export interface LegalDocumentFilters {
  province_code?: string | undefined
  kind?: string | undefined
  subject?: string | undefined
  is_normative?: boolean | undefined
  status?: string | undefined
  year?: number | undefined
  q?: string | undefined
}

export const SORT: SortKey<LegalDocumentRow>[] = [
  { column: 'legal_documents.signed_date', field: 'signed_date', type: 'date', direction: 'desc' },
  { column: 'legal_documents.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: LegalDocumentFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.kind) query = query.where('kind', '=', f.kind)
  if (f.subject) query = query.where('subject', '=', f.subject)
  if (f.is_normative !== undefined) query = query.where('is_normative', '=', f.is_normative)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.year) query = query.where(inYear('signed_date', f.year))
  if (f.q) query = query.where(contains('search_text', f.q))
  return query
}

/** The document of the province with that number, if any. */
export const numbered = (trx: Trx, province: string, number: string) =>
  trx
    .selectFrom('legal_documents')
    .select('id')
    .where('province_code', '=', province)
    .where('number', '=', number)
    .executeTakeFirst()

/** A document that names this one as what amended or replaced it. */
export const changedBy = (trx: Trx, id: string) =>
  trx.selectFrom('legal_documents').select('number').where('changed_by_id', '=', id).executeTakeFirst()
