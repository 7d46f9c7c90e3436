import type { Generated } from 'kysely'

export interface LegalDocumentsTable {
  id: Generated<string>
  province_code: string
  origin_province_code: string | null
  number: string
  kind: string
  issuer: string
  title: string
  signed_date: string
  effective_date: string | null
  expiry_date: string | null
  subject: string
  /** A legal normative document (văn bản quy phạm pháp luật); a plan never is. */
  is_normative: Generated<boolean>
  status: Generated<string>
  changed_by_id: string | null
  notes: string | null
  programme_id: string | null
  search_text: Generated<string>
  /** How many attachments it has: kept by the trigger that moves its version (migration 0108). */
  attachment_count: Generated<number>
  version: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
}
