import type { Generated } from 'kysely'
import type { Json } from '../columns.ts'

/** A report's figures by section: each a set of named numbers (the unit model is a code). */
export type Figures = Record<string, Record<string, number | string | null>>

export interface PeriodicReportsTable {
  id: Generated<string>
  province_code: string
  /** Before the merger: the former province that is the reporting unit. */
  origin_province_code: string | null
  /** The reporting unit: the former province before the merger, else the province. */
  unit_code: Generated<string>
  period_code: string
  status: Generated<string>
  results: string | null
  difficulties: string | null
  proposals: string | null
  /** The figures per ask: live while a draft, frozen on submission. */
  figures: Json<Figures>
  figures_as_of: Generated<string>
  content_hash: string | null
  submission: Generated<number>
  first_submitted_at: string | null
  submitted_at: string | null
  acknowledged_at: string | null
  returned_at: string | null
  /** How many attachments it has: kept by the trigger that moves its version (migration 0108). */
  attachment_count: Generated<number>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
