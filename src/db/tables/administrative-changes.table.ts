import type { Generated } from 'kysely'

export type ChangedField = 'type' | 'name' | 'name_en' | 'full_name' | 'full_name_en'

export interface AdministrativeChangesTable {
  id: Generated<number>
  level: 'province' | 'former_province' | 'commune'
  code: string
  field: ChangedField
  old_value: string
  new_value: string
  effective_date: string | null
  legal_basis: string
  evidence: string | null
}
