import type { Generated } from 'kysely'

export interface AttachmentsTable {
  id: Generated<string>
  /** The parent record's province; null for a national programme or plan. */
  province_code: string | null
  parent_type: string
  parent_id: string
  role: string
  filename: string
  media_type: string
  size: number
  /** Hex SHA-256 of the whole file. */
  sha256: string
  chunk_size: number
  description: string | null
  uploaded_by: string
  created_at: Generated<string>
}
