// The one audit writer. Every create, update, delete and state change on tenant data calls it
// inside the transaction that makes the change, so the event and the change commit together.
// It writes through kc_audit() (migrations/0050_audit_written_by_definer.ts): the database takes
// the actor from the transaction's settings (withTenant), so no caller can name another one, and
// the service's roles cannot change or delete an event once written. Personal data never enters
// the trail: the values of PERSONAL_FIELDS are withheld, so an event says that they changed and not
// what they held (Decree 13/2023/NĐ-CP); auditErasure() withholds them from older events too.
import { type RawBuilder, sql } from 'kysely'
import type { Trx } from './tenancy.ts'

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

/**
 * A value as JSON holds it — a Date as its ISO string, a bigint as its digits, an absent field
 * left out — so that before and after compare as JSON. Walked directly rather than through
 * JSON.stringify and JSON.parse: an import audits every row it updates.
 */
function json(x: unknown): unknown {
  if (x === null || typeof x !== 'object') {
    if (typeof x === 'bigint') return x.toString()
    if (typeof x === 'number') return Number.isFinite(x) ? x : null
    return typeof x === 'string' || typeof x === 'boolean' ? x : null
  }
  if (Array.isArray(x)) return x.map(json)
  // A Date, a Buffer: what JSON.stringify would write.
  if (typeof (x as { toJSON?: unknown }).toJSON === 'function')
    return json((x as { toJSON(): unknown }).toJSON())
  // fromEntries defines each key, `__proto__` included, as JSON.parse would.
  return Object.fromEntries(
    Object.entries(x).flatMap(([key, value]) =>
      value === undefined || typeof value === 'function' || typeof value === 'symbol'
        ? []
        : [[key, json(value)]],
    ),
  )
}

const plain = (v: object | null | undefined): Values | null => (v == null ? null : (json(v) as Values))

/**
 * Per entity type, the fields that hold personal data: an event records `{"changed": true}` for
 * them, never a value. The erasure of a person's data (auditErasure) blanks the same fields.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  collaborator: ['full_name', 'phone', 'email', 'organisation'],
  // Contact details of an establishment are a person's for a household business.
  establishment: ['phone', 'email'],
}

/**
 * What an event holds instead of a personal value. The database writes the same: kc_withhold()
 * (migration 0051), and its expression written out in kc_audit_batch() (0111) — change all three together.
 */
export const WITHHELD = { changed: true } as const

function withhold(entityType: string, values: Values | null): Values | null {
  const fields = PERSONAL_FIELDS[entityType]
  if (!values || !fields) return values
  const out = { ...values }
  for (const field of fields) if (out[field] != null) out[field] = WITHHELD
  return out
}

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

const text = (v: Values | null) => (v === null ? null : JSON.stringify(v))

/** What an event holds: the fields that changed, personal values withheld. */
function content(entry: Omit<AuditEntry, 'action'>): [Values | null, Values | null] {
  const [before, after] = changed(plain(entry.before), plain(entry.after))
  return [withhold(entry.entityType, before), withhold(entry.entityType, after)]
}

/** The event's content, or null for an update that changes nothing (no event is written). */
function eventOf(entry: AuditEntry): [Values | null, Values | null] | null {
  const [before, after] = content(entry)
  const isUpdate = before !== null && after !== null
  if (isUpdate && Object.keys(after).length === 0 && entry.action === 'update') return null
  return [before, after]
}

/** Records the event; returns false (and writes nothing) when nothing actually changed. */
export async function audit(trx: Trx, entry: AuditEntry): Promise<boolean> {
  const event = eventOf(entry)
  if (!event) return false
  const [before, after] = event
  await sql`select kc_audit(${entry.provinceCode}, ${entry.entityType}, ${entry.entityId}, ${entry.action},
    ${text(before)}::jsonb, ${text(after)}::jsonb)`.execute(trx)
  return true
}

/** One event of a batch (auditBatch()) as JSON, about a record of its type; null for an update that changes nothing. */
export function batchEvent(
  entityType: string,
  entry: Omit<AuditEntry, 'entityType' | 'provinceCode'>,
): string | null {
  const event = eventOf({ ...entry, entityType, provinceCode: null })
  return (
    event &&
    `{"id":${JSON.stringify(entry.entityId)},"a":${JSON.stringify(entry.action)},"before":${text(event[0])},"after":${text(event[1])}}`
  )
}

/**
 * The event of a batch's creation of the record at `index` (0-based) among those sent for its
 * statement's insert (auditBatch()): the record goes to the database once, for both.
 */
export const creationInBatch = (index: number): string => `{"created":${index}}`

/**
 * The call that writes the events of a batch of records of one type and one province — an import's
 * — in one statement, in order, as audit() each would record them (kc_audit_batch(), migration
 * 0111): `events` from batchEvent() and creationInBatch() (at least one), `created` a jsonb
 * expression of the records sent for the statement's insert, whose creations the database audits
 * with the type's personal values withheld, as withhold() does here. Built now, run later: an import
 * builds its events row by row while the database runs the statements before them.
 */
export function auditBatch(
  entityType: string,
  provinceCode: string | null,
  events: string[],
  created: RawBuilder<unknown> = sql`null`,
): RawBuilder<unknown> {
  if (events.length === 0) throw new Error('auditBatch: a batch without events writes none')
  return sql`kc_audit_batch(${provinceCode}, ${entityType}, ${`[${events.join(',')}]`}::jsonb,
    ${created}, ${PERSONAL_FIELDS[entityType] ?? []}::text[])`
}

/**
 * The erasure of a person's personal data from a record (the caller has blanked the fields): records
 * the `erasure` event and withholds the personal values still held by the record's older events —
 * the one change the trail allows (kc_audit_erase(), ministry only). Returns how many older events
 * held any.
 */
export async function auditErasure(trx: Trx, entry: Omit<AuditEntry, 'action'>): Promise<number> {
  const [before, after] = content(entry)
  const fields = [...(PERSONAL_FIELDS[entry.entityType] ?? [])]
  const { rows } = await sql<{ scrubbed: number }>`select kc_audit_erase(${entry.provinceCode},
    ${entry.entityType}, ${entry.entityId}, ${fields}::text[], ${text(before)}::jsonb,
    ${text(after)}::jsonb) as scrubbed`.execute(trx)
  return rows[0]?.scrubbed ?? 0
}
