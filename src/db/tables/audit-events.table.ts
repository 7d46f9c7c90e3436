import type { Generated } from 'kysely'

export interface AuditEventsTable {
  seq: Generated<string>
  id: Generated<string>
  occurred_at: Generated<string>
  actor_sub: string
  actor_role: 'ministry' | 'province'
  actor_province: string | null
  request_id: string | null
  province_code: string | null
  entity_type: string
  entity_id: string
  action: string
  before: unknown
  after: unknown
}
