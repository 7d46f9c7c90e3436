import { sql } from 'kysely'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'

export interface AuditFilters {
  entity_type?: string | undefined
  entity_id?: string | undefined
  actor?: string | undefined
  province_code?: string | undefined
  from?: string | undefined
  to?: string | undefined
}

export function auditEventsQuery(trx: Trx, scope: Scope, f: AuditFilters) {
  let query = trx
    .selectFrom('audit_events')
    .select([
      'seq',
      'id',
      'occurred_at',
      sql<{ sub: string; role: string; province: string | null }>`json_build_object(
        'sub', actor_sub, 'role', actor_role, 'province', actor_province)`.as('actor'),
      'request_id',
      'province_code',
      'entity_type',
      'entity_id',
      'action',
      'before',
      'after',
    ])
    .where(inScope(scope, 'audit_events.province_code'))
  if (f.entity_type) query = query.where('entity_type', '=', f.entity_type)
  if (f.entity_id) query = query.where('entity_id', '=', f.entity_id)
  if (f.actor) query = query.where('actor_sub', '=', f.actor)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.from) query = query.where('occurred_at', '>=', f.from)
  if (f.to) query = query.where('occurred_at', '<', f.to)
  return query
}
