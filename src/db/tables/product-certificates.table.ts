import type { Generated } from 'kysely'

export interface ProductCertificatesTable {
  id: Generated<string>
  product_id: string
  establishment_id: string
  province_code: string
  level: string
  year: number
  certificate_number: string
  score: number | string
  decision_number: string | null
  decision_date: string | null
  issued_date: string
  valid_until: Generated<string>
  revoked: Generated<boolean>
  revoked_reason: string | null
  /** Its establishment's, kept by triggers (migration 0102). */
  origin_province_code: Generated<string | null>
  /** How many attachments it has: kept by the trigger that moves its version (migration 0108). */
  attachment_count: Generated<number>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
