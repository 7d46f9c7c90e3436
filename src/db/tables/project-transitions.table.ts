import type { ColumnType, Generated } from 'kysely'

export interface ProjectTransitionsTable {
  seq: Generated<string>
  id: Generated<string>
  project_id: string
  province_code: string
  action: string
  from_state: string
  to_state: string
  note: string | null
  decision: string | null
  decision_date: string | null
  amounts_before: ColumnType<unknown, string | null, never>
  amounts_after: ColumnType<unknown, string | null, never>
  recast: ColumnType<unknown, string | null | undefined, never>
  actor_sub: string
  actor_role: 'ministry' | 'province'
  occurred_at: Generated<string>
}
