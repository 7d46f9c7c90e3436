import type { Generated } from 'kysely'

export interface ReportingPeriodsTable {
  /** `2026`, `2026-H1`, `2026-Q3`, `2026-09`. */
  code: string
  kind: string
  year: number
  starts_on: string
  ends_on: string
  due_date: string
  version: Generated<number>
  updated_at: Generated<string>
}
