// The one audit writer. Every create, update, delete and state change on tenant data calls it
// inside the transaction that makes the change, so the event and the change commit together.
// It writes through kc_audit() (migrations/0050_audit_written_by_definer.ts): the database takes
// the actor from the transaction's settings (withTenant), so no caller can name another one, and
// the service's roles cannot change or delete an event once written.
import { sql } from 'kysely'
import type { Trx } from './tenancy.js'

type Values = Record<string, unknown>

export interface AuditEntry {
  entityType: string
  entityId: string
  /** The tenant of the entity; null for national data. */
  provinceCode: string | null
  /** create, update, delete, or a lifecycle action (submit, approve…). */
  action: string
  before?: object | null
  after?: object | null
}

// Dates, bigints and the like as they appear in the API, so before/after compare as JSON.
const plain = (v: object | null | undefined): Values | null =>
  v == null ? null : JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)))

/** Only the fields that changed, on both sides. */
function changed(before: Values | null, after: Values | null): [Values | null, Values | null] {
  if (!before || !after) return [before, after]
  const b: Values = {}
  const a: Values = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null
      a[key] = after[key] ?? null
    }
  }
  return [b, a]
}

/** Records the event; returns false (and writes nothing) when nothing actually changed. */
export async function audit(trx: Trx, entry: AuditEntry): Promise<boolean> {
  const [before, after] = changed(plain(entry.before), plain(entry.after))
  const isUpdate = before !== null && after !== null
  if (isUpdate && Object.keys(after).length === 0 && entry.action === 'update') return false
  const json = (v: Values | null) => (v === null ? null : JSON.stringify(v))
  await sql`select kc_audit(${entry.provinceCode}, ${entry.entityType}, ${entry.entityId}, ${entry.action},
    ${json(before)}::jsonb, ${json(after)}::jsonb)`.execute(trx)
  return true
}
