import type { Generated } from 'kysely'
import type { Json } from '../columns.ts'
import type { Figures } from './periodic-reports.table.ts'

export interface PeriodicReportVersionsTable {
  report_id: string
  province_code: string
  submission: number
  period_code: string
  unit_code: string
  results: string | null
  difficulties: string | null
  proposals: string | null
  figures: Json<Figures>
  content_hash: string
  submitted_by: string
  submitted_at: Generated<string>
}
