import type { RowOf } from '../../../db/columns.ts'
import { contains, validDuring } from '../../../db/expressions.ts'
import { versionedRepository } from '../../../db/repository.ts'
import type { SupportRuleLevel } from '../../../db/tables/support-rules.table.ts'
import { inScopeOrNational, type Scope, type Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

export type { SupportRuleLevel }

export const COLUMNS = [
  'id',
  'level',
  'province_code',
  'legal_document_id',
  'legal_basis',
  'title',
  'valid_from',
  'valid_to',
  'activity_content',
  'project_type',
  'max_share_percent',
  'max_amount',
  'amount_basis',
  'priority_uplift',
  'counterpart_required',
  'advance_max_percent',
  'source',
  'version',
  'created_at',
  'updated_at',
] as const

// National rules are read by every signed-in caller.
const table = versionedRepository('support_rules', COLUMNS, inScopeOrNational)
export const { findById, findForUpdate, insert, update, remove } = table

export type SupportRuleRow = RowOf<typeof table.select>

export interface SupportRuleFilters {
  date?: string | undefined
  level?: string | undefined
  province_code?: string | undefined
  activity_content?: string | undefined
  q?: string | undefined
}

export const SORT: SortKey<SupportRuleRow>[] = [
  { column: 'support_rules.valid_from', field: 'valid_from', type: 'date', direction: 'desc' },
  { column: 'support_rules.id', field: 'id', type: 'uuid', direction: 'desc' },
]

/** The rules in force on a date: from valid_from to valid_to, both included. */
const inForceOn = (date: string) => validDuring('support_rules', date)

export function listQuery(trx: Trx, scope: Scope, f: SupportRuleFilters) {
  let query = table.select(trx, scope)
  if (f.date) query = query.where(inForceOn(f.date))
  if (f.level) query = query.where('level', '=', f.level as SupportRuleLevel)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.activity_content) {
    // A rule without content governs every content.
    query = query.where((eb) =>
      eb.or([eb('activity_content', '=', f.activity_content as string), eb('activity_content', 'is', null)]),
    )
  }
  if (f.q) query = query.where(contains('search_text', f.q))
  return query
}

/** The rules the caller sees that are in force on the date: national ones and the province's. */
export const inForce = (trx: Trx, scope: Scope, date: string) =>
  table.select(trx, scope).where(inForceOn(date)).orderBy('valid_from').orderBy('id').execute()
