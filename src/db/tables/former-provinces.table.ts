import type { Generated } from 'kysely'
import type { ProvinceType } from './provinces.table.ts'

export interface FormerProvincesTable {
  code: string
  name: string
  name_en: string
  type: ProvinceType
  full_name: string
  successor_code: string
  search_name: Generated<string>
}
