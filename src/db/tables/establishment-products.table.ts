import type { Generated } from 'kysely'

export interface EstablishmentProductsTable {
  id: Generated<string>
  establishment_id: string
  province_code: string
  name: string
  product_group: string
  description: string | null
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
