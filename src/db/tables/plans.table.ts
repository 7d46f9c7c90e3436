import type { Generated } from 'kysely'
import type { Json } from '../columns.ts'
import type { Target } from './programmes.table.ts'

export interface PlansTable {
  id: Generated<string>
  programme_id: string
  province_code: string | null
  year: number
  title: string
  decision_number: string | null
  decision_date: string | null
  decision_issuer: string | null
  targets: Json<Target[]>
  status: Generated<string>
  notes: string | null
  /** How many attachments it has: kept by the trigger that moves its version (migration 0108). */
  attachment_count: Generated<number>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
