import type { Generated } from 'kysely'

export type CommuneType = 'xa' | 'phuong' | 'dac_khu'

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
