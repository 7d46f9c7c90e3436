import type { Generated } from 'kysely'

export type JobStatus = 'running' | 'committed' | 'validated' | 'failed' | 'interrupted'

export interface EstablishmentImportsTable {
  id: Generated<string>
  seq: Generated<string>
  province_code: string
  actor_issuer: string
  actor_sub: string
  actor_role: 'ministry' | 'province'
  idempotency_key: string | null
  request_id: string | null
  format: 'csv' | 'json'
  dry_run: boolean
  atomic: boolean
  status: Generated<JobStatus>
  created: Generated<number>
  updated: Generated<number>
  unchanged: Generated<number>
  failed: Generated<number>
  errors: Generated<unknown>
  problem: unknown
  started_at: Generated<string>
  finished_at: string | null
  heartbeat_at: Generated<string>
  lease_until: string
  instance_id: string
}
