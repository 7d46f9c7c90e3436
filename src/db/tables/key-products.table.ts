import type { Generated } from 'kysely'

export interface KeyProductsTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  name: string
  kind: string
  industry: string
  advantages: string | null
  legal_document_id: string | null
  valid_from: string
  valid_to: string | null
  search_text: Generated<string>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
