import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.js'
import type { LegalDocumentsTable } from '../../../db/tables/legal-documents.table.js'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.js'
import type { SortKey } from '../../../lib/pagination.js'
import { containsPattern } from '../../../lib/text.js'

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
  'status',
  'changed_by_id',
  'origin_province_code',
  'programme_id',
  'notes',
  'version',
  'created_at',
  'updated_at',
] as const satisfies (keyof LegalDocumentsTable)[]

export interface LegalDocumentFilters {
  province_code?: string | undefined
  kind?: string | undefined
  subject?: string | undefined
  status?: string | undefined
  year?: number | undefined
  q?: string | undefined
}

const select = (trx: Trx, scope: Scope) =>
  trx.selectFrom('legal_documents').select(COLUMNS).where(inScope(scope, 'legal_documents.province_code'))

export type LegalDocumentRow = RowOf<typeof select>

export const SORT: SortKey<LegalDocumentRow>[] = [
  { column: 'legal_documents.signed_date', field: 'signed_date', type: 'string', direction: 'desc' },
  { column: 'legal_documents.id', field: 'id', type: 'string', direction: 'desc' },
]

export function listQuery(trx: Trx, scope: Scope, f: LegalDocumentFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.kind) query = query.where('kind', '=', f.kind)
  if (f.subject) query = query.where('subject', '=', f.subject)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.year) {
    query = query
      .where('signed_date', '>=', `${f.year}-01-01`)
      .where('signed_date', '<', `${f.year + 1}-01-01`)
  }
  if (f.q) query = query.where('search_text', 'like', sql<string>`kc_fold(${containsPattern(f.q)})`)
  return query
}

export const findById = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).executeTakeFirst()

/** For an update or delete: the row, locked, so the version check and the write are one step. */
export const findForUpdate = (trx: Trx, scope: Scope, id: string) =>
  select(trx, scope).where('id', '=', id).forUpdate().executeTakeFirst()
