import type { Generated } from 'kysely'

export interface DisbursementsTable {
  id: Generated<string>
  project_id: string
  province_code: string
  date: string
  funding_source: string
  amount: number
  kind: string
  document: string | null
  note: string | null
  created_by: string
  created_at: Generated<string>
}
