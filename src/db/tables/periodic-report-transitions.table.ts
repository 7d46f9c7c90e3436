import type { Generated } from 'kysely'

export interface PeriodicReportTransitionsTable {
  seq: Generated<string>
  report_id: string
  province_code: string
  action: string
  from_status: string
  to_status: string
  comment: string | null
  submission: number | null
  actor_sub: string
  actor_role: 'ministry' | 'province'
  occurred_at: Generated<string>
}
