import type { Generated } from 'kysely'
import type { Json } from '../columns.ts'

/** A unit's staff in one year (jsonb). */
export interface StaffYear {
  year: number
  headcount_total: number
  full_time_khuyen_cong: number
  other_staff: number
  by_qualification?: { postgraduate: number; university: number; college: number; other: number }
}

/** One item of equipment or one kind of vehicle (jsonb). */
export interface EquipmentItem {
  name: string
  kind: string
  quantity: number
  condition: string
  year_acquired?: number
}

export interface ImplementingUnitsTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  name: string
  unit_model: string
  parent_body: string | null
  founding_decision_number: string | null
  founding_decision_date: string | null
  founding_decision_issuer: string | null
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
  staff: Json<StaffYear[]>
  equipment: Json<EquipmentItem[]>
  premises_description: string | null
  premises_area_m2: number | null
  status: Generated<string>
  search_text: Generated<string>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
