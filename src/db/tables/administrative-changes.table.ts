import type { Generated } from 'kysely'

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
