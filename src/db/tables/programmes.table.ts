import type { Generated } from 'kysely'
import type { Json } from '../columns.ts'

export type ProgrammeLevel = 'national' | 'provincial'

/** One target of a programme or plan (jsonb). */
export interface Target {
  indicator: string
  unit: string
  target_value: number
}

export interface ProgrammesTable {
  id: Generated<string>
  level: ProgrammeLevel
  province_code: string | null
  origin_province_code: string | null
  title: string
  start_year: number
  end_year: number
  decision_number: string | null
  decision_date: string | null
  decision_issuer: string | null
  objectives: string | null
  targets: Json<Target[]>
  status: Generated<string>
  notes: string | null
  search_text: Generated<string>
  /** How many attachments it has: kept by the trigger that moves its version (migration 0108). */
  attachment_count: Generated<number>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
