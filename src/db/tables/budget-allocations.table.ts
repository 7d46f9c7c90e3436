import type { ColumnType, Generated } from 'kysely'

export interface BudgetAllocationsTable {
  id: Generated<string>
  seq: Generated<string>
  /** Null for an allocation to a national implementing unit (migration 0066). */
  province_code: string | null
  recipient_unit: string | null
  /** The key's first part: the province, or the national unit (generated). */
  allocated_to: Generated<string>
  origin_province_code: string | null
  year: number
  funding_source: string
  activity_content: string | null
  amount: ColumnType<string, number, never>
  type: string
  decision_number: string | null
  decision_date: string | null
  decision_issuer: string | null
  notes: string | null
  created_by: string
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
