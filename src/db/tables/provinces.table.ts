import type { Generated } from 'kysely'

export type ProvinceType = 'tinh' | 'thanh_pho'

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
