import type { Generated } from 'kysely'

export interface EstablishmentsTable {
  id: Generated<string>
  province_code: string
  commune_code: string
  origin_province_code: string | null
  name: string
  kind: string
  tax_code: string | null
  industry: string | null
  vsic_code: string | null
  address: string | null
  year_founded: number | null
  employees: number | null
  main_products: string | null
  phone: string | null
  email: string | null
  priority_areas: Generated<string[]>
  priority_products: Generated<string[]>
  status: Generated<string>
  external_id: string | null
  search_name: Generated<string>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
