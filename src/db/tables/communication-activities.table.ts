import type { Generated } from 'kysely'

export interface CommunicationActivitiesTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  channel: string
  is_digital: boolean
  date: string
  title: string
  description: string | null
  reach: number | null
  reach_unit: string | null
  /** BIGINT, whole VND; selected as a number (exact below 2^53, which a check constraint keeps). */
  cost: number | null
  project_id: string | null
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
