import type { ColumnType, Generated } from 'kysely'
import type { Json } from '../columns.ts'

/** One course a collaborator attended (jsonb). */
export interface Training {
  year: number
  title: string
  hours?: number
}

export interface CollaboratorsTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  full_name: string
  phone: string | null
  email: string | null
  organisation: string | null
  appointment_decision_number: string | null
  appointment_decision_date: string | null
  start_date: string
  end_date: string | null
  status: Generated<string>
  fee_basis: string | null
  training: Json<Training[]>
  personal_data_erased_at: ColumnType<string | null, never, string>
  search_text: Generated<string>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
