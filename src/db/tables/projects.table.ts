import type { Generated } from 'kysely'
import type { Bigint, Json, NullableBigint } from '../columns.ts'

/** A rule a scheme's money was checked against, and when (jsonb). */
export interface CheckedRule {
  id: string
  legal_basis: string
  title: string
  action: string
  date: string
}

export interface ProjectsTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  plan_id: string | null
  year: number
  code: string | null
  title: string
  funding_level: string
  /** Who carries the scheme out (migration 0065); set on creation, never changed. */
  run_by: Generated<string>
  kind: Generated<string>
  activity_contents: string[]
  project_type: string | null
  industry: string | null
  priority_areas: Generated<string[]>
  priority_products: Generated<string[]>
  communes: Generated<string[]>
  location: string | null
  implementing_unit: string
  partner_unit: string | null
  beneficiary_establishment_ids: Generated<string[]>
  key_product_ids: Generated<string[]>
  beneficiary_count: number | null
  objectives: string | null
  content: string | null
  expected_effects: string | null
  planned_start: string | null
  planned_end: string | null
  actual_start: string | null
  actual_end: string | null
  selection_method: string | null
  requested_central: Bigint
  requested_local: Bigint
  requested_counterpart: Bigint
  requested_other: Bigint
  approved_central: NullableBigint
  approved_local: NullableBigint
  approved_counterpart: NullableBigint
  approved_other: NullableBigint
  disbursed_central: Bigint
  disbursed_local: Bigint
  disbursed_counterpart: Bigint
  disbursed_other: Bigint
  /** The day of the latest disbursement, kept by their trigger (migration 0104). */
  disbursed_until: string | null
  state: Generated<string>
  approval_decision: string | null
  approval_date: string | null
  checked_rules: Json<CheckedRule[]>
  search_text: Generated<string>
  /** How many attachments it has: kept by the trigger that moves its version (migration 0108). */
  attachment_count: Generated<number>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
