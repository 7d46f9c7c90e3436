import type { Generated } from 'kysely'

export type SupportRuleLevel = 'national' | 'provincial'

export interface SupportRulesTable {
  id: Generated<string>
  level: SupportRuleLevel
  province_code: string | null
  legal_document_id: string | null
  legal_basis: string
  title: string
  valid_from: string
  valid_to: string | null
  activity_content: string | null
  project_type: string | null
  max_share_percent: number | null
  max_amount: number | null
  amount_basis: string | null
  priority_uplift: Generated<number>
  counterpart_required: Generated<boolean>
  advance_max_percent: number | null
  source: string | null
  search_text: Generated<string>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
