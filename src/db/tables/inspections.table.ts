import type { ColumnType, Generated } from 'kysely'
import type { Json } from '../columns.ts'

/** One follow-up action of an inspection (jsonb). */
export interface FollowUp {
  action: string
  due_date: string
  status: string
  done_date?: string
}

export interface InspectionsTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  kind: string
  inspection_date: string
  inspecting_body: string
  project_ids: ColumnType<string[], string[] | undefined, string[]>
  establishment_ids: ColumnType<string[], string[] | undefined, string[]>
  findings: string | null
  conclusion: string | null
  rating: string | null
  /** Who inspected: the province (its own work) or the ministry (the province's work). */
  inspected_by: ColumnType<string, string | undefined, never>
  follow_ups: Json<FollowUp[]>
  open_follow_ups: Generated<number>
  /** How many attachments it has: kept by the trigger that moves its version (migration 0108). */
  attachment_count: Generated<number>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
