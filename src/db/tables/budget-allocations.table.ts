import type { ColumnType, Generated } from 'kysely'

export interface BudgetAllocationsTable {
  id: Generated<string>
  seq: Generated<string>
  province_code: string
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
