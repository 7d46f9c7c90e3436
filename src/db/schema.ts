// The typed view of the database for Kysely: one interface per table, named like the table.
// Shared tables are here; each resource adds its own tables next to its queries
// (src/routes/v1/<resource>/queries.ts) by augmenting `Database`.
import type { Generated } from 'kysely'

export interface CodelistsTable {
  name: string
  label_vi: string
  label_en: string
  description: string | null
}

export interface CodelistEntriesTable {
  list: string
  code: string
  label_vi: string
  label_en: string
  parent_code: string | null
  sort_order: number
}

export type ProvinceType = 'tinh' | 'thanh_pho'
export type CommuneType = 'xa' | 'phuong' | 'dac_khu'

export interface ProvincesTable {
  code: string
  name: string
  name_en: string
  type: ProvinceType
  full_name: string
  full_name_en: string
  code_name: string
  search_name: Generated<string>
}

export interface FormerProvincesTable {
  code: string
  name: string
  name_en: string
  type: ProvinceType
  full_name: string
  successor_code: string
  search_name: Generated<string>
}

export interface CommunesTable {
  code: string
  name: string
  type: CommuneType
  province_code: string
  full_name: string
  name_en: string
  code_name: string
  search_name: Generated<string>
}

export interface AdministrativeChangesTable {
  id: Generated<number>
  level: 'province' | 'commune'
  code: string
  field: 'type' | 'full_name'
  old_value: string
  new_value: string
  effective_date: string | null
  legal_basis: string
  evidence: string | null
}

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

export interface IdempotencyKeysTable {
  /** keyScope() of the caller: issuer, subject, role and province. */
  caller: string
  actor_sub: string
  key: string
  request_hash: string
  status_code: number | null
  response: unknown
  location: string | null
  created_at: Generated<string>
}

export interface Database {
  codelists: CodelistsTable
  codelist_entries: CodelistEntriesTable
  provinces: ProvincesTable
  former_provinces: FormerProvincesTable
  communes: CommunesTable
  administrative_changes: AdministrativeChangesTable
  audit_events: AuditEventsTable
  idempotency_keys: IdempotencyKeysTable
}
