import type { Generated } from 'kysely'

export interface IdempotencyKeysTable {
  /** keyScope() of the caller: issuer, subject, role and province. */
  caller: string
  actor_sub: string
  key: string
  request_hash: string
  status_code: number | null
  response: unknown
  location: string | null
  created_at: Generated<string>
}
