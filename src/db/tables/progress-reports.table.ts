import type { Generated } from 'kysely'
import type { Bigint } from '../columns.ts'

export interface ProgressReportsTable {
  id: Generated<string>
  project_id: string
  province_code: string
  /** The month reported on: a monthly reporting period (`2026-09`). */
  month: string
  /** Who carries the scheme out and so reports on it. */
  reported_by: Generated<'ministry' | 'province'>
  percent_done: number
  used_central: Bigint
  used_local: Bigint
  used_counterpart: Bigint
  used_other: Bigint
  issues: string | null
  actor_sub: string
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
