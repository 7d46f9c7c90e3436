// The one tenancy mechanism. Tenancy is enforced twice:
//  - in PostgreSQL: withTenant() runs each statement of the work as the kc_app role with the
//    caller's role and province set by set_config(…, true) — local to the statement's transaction
//    (a write's one transaction; each statement of a read is its own), so a pooled connection never
//    carries them to the next request — and row-level security policies
//    filter every tenant table by them; the audit trail takes its actor (kc.sub, kc.role,
//    kc.province, kc.request_id) from the same settings (src/db/audit.ts);
//  - in the application: queries add inScope(), so a policy mistake still leaks nothing.
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import { type FieldErrors, invalidField, type Localized, problem } from '../lib/problems.ts'
import { statementContext } from './client.ts'
import type { Database } from './schema.ts'

export interface Scope {
  sub: string
  role: 'ministry' | 'province'
  /** The caller's current province; null for the ministry. */
  province: string | null
  requestId: string
}

/** What a tenant's work runs its statements on (see withTenant): a write's connection, or for a read the pool. */
export type Trx = Kysely<Database>

export interface TenantOptions {
  /**
   * A read (a GET): no BEGIN and no COMMIT. Each statement goes with the caller's context in one
   * round trip (statementContext, src/db/client.ts), in an implicit transaction of its own that is
   * READ ONLY — a write in it fails loudly — and ends with it, settings and all. Statements of one
   * read each see the latest commits, as they would in a READ COMMITTED transaction.
   */
  readOnly?: boolean
}

/**
 * The caller's context, local to the transaction: the kc_app role, no JIT (requests are many small
 * index lookups; on the million-row scorecard the estimate crossed jit_above_cost and compiling
 * took ~100 ms of a ~200 ms query), and the settings row-level security reads. A write also names
 * its actor (kc.sub, kc.request_id) for the audit trail and the idempotency keys; a read, READ
 * ONLY, can write neither, so it goes without them.
 */
const SCOPE = `select set_config('role', 'kc_app', true), set_config('jit', 'off', true),
  set_config('kc.role', $1, true), set_config('kc.province', $2, true)`
const READ_CONTEXT = `${SCOPE}, set_config('transaction_read_only', 'on', true)`
const WRITE_CONTEXT = `${SCOPE}, set_config('kc.sub', $3, true), set_config('kc.request_id', $4, true)`

const scopeValues = (scope: Scope) => [scope.role, scope.province ?? '']

export function withTenant<T>(
  db: Kysely<Database>,
  scope: Scope,
  work: (trx: Trx) => Promise<T>,
  { readOnly = false }: TenantOptions = {},
): Promise<T> {
  // A read holds no connection between its statements: each takes one from the pool for its round trip.
  if (readOnly)
    return statementContext.run({ text: READ_CONTEXT, values: scopeValues(scope) }, () => work(db))
  const context = { text: WRITE_CONTEXT, values: [...scopeValues(scope), scope.sub, scope.requestId] }
  return db.connection().execute(async (conn) => {
    // A write: one transaction; BEGIN and each of its statements carry the context (set again, the
    // same values, at no extra round trip), so BEGIN and COMMIT are its only extra round trips.
    try {
      const result = await statementContext.run(context, async () => {
        await sql`begin`.execute(conn)
        return work(conn)
      })
      await sql`commit`.execute(conn)
      return result
    } catch (error) {
      // On a lost connection the rollback fails too (PostgreSQL has rolled back already): the
      // caller hears of the first error, the one that says what happened.
      await sql`rollback`.execute(conn).catch(() => {})
      throw error
    }
  })
}

/**
 * The application half: `where(inScope(scope, 'establishments.province_code'))`. The ministry
 * sees every province; a province officer only their own.
 */
export const inScope = (scope: Scope, column: string): RawBuilder<SqlBool> =>
  scope.role === 'ministry' ? sql<SqlBool>`true` : sql<SqlBool>`${sql.ref(column)} = ${scope.province}`

/**
 * The province a provincial record is written into: a province officer writes only their own
 * province (naming another is refused); the ministry reads provincial records but does not
 * write them — each province keeps its own.
 */
export function provinceForWrite(scope: Scope, requested: string | undefined): string {
  if (scope.role !== 'province' || !scope.province) {
    throw problem('forbidden', {
      vi: 'Hồ sơ của tỉnh do chính tỉnh ghi nhận; Bộ chỉ được xem.',
      en: 'Provincial records are written by their province; the ministry reads them.',
    })
  }
  if (requested !== undefined && requested !== scope.province) {
    throw problem('forbidden', {
      vi: `Bạn chỉ được ghi hồ sơ của tỉnh/thành phố ${scope.province}.`,
      en: `You may only write records of province ${scope.province}.`,
    })
  }
  return scope.province
}

/** A phrase inside a sentence: only its first letter lowered ("Bộ" and names keep theirs). */
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

/** Who decides a provincial record: its province, or the ministry (see deciderForWrite). */
export type Decider = 'ministry' | 'province'

/**
 * The province a provincial record is written into when the law names its decider (domain/deciders.ts):
 * records the province decides follow provinceForWrite(); records the ministry decides about a
 * province (central money, regional and national certificates, its own inspections) are written by
 * the ministry only, naming the province, and read by the province. The application half of
 * kc_may_decide() (migration 0062). `what` names the records in the refusal.
 */
export function deciderForWrite(
  scope: Scope,
  decider: Decider,
  requested: string | undefined,
  what: Localized,
): string {
  if (decider === 'province') return provinceForWrite(scope, requested)
  if (scope.role !== 'ministry') {
    throw problem('forbidden', {
      vi: `Chỉ Bộ mới ghi nhận ${lowerFirst(what.vi)}; tỉnh chỉ được xem.`,
      en: `${what.en} are recorded by the ministry; the province reads them.`,
    })
  }
  if (requested === undefined) {
    throw invalidField('body', 'province_code', {
      vi: `là bắt buộc: ${lowerFirst(what.vi)} phải ghi rõ tỉnh/thành phố`,
      en: `is required: ${what.en.toLowerCase()} name their province`,
    })
  }
  return requested
}

/**
 * Visibility of records that are national (no province) or provincial: everyone signed in reads
 * national ones; provincial ones follow inScope(). The application half of the policies
 * `using (province_code is null or (select kc_sees_all()) or province_code = (select kc_scope_province()))`.
 */
export const inScopeOrNational = (scope: Scope, column: string): RawBuilder<SqlBool> =>
  scope.role === 'ministry'
    ? sql<SqlBool>`true`
    : sql<SqlBool>`(${sql.ref(column)} is null or ${sql.ref(column)} = ${scope.province})`

/**
 * The owner of a record that is national or provincial (programmes, plans): a national record
 * has no province and is written by the ministry only; a provincial one by its own province
 * (provinceForWrite()). Returns the province code to store, null for national.
 */
export function ownerForWrite(
  scope: Scope,
  level: 'national' | 'provincial',
  requested: string | null | undefined,
): string | null {
  if (level === 'provincial') return provinceForWrite(scope, requested ?? undefined)
  if (scope.role !== 'ministry') {
    throw problem('forbidden', {
      vi: 'Hồ sơ cấp quốc gia do Bộ ghi nhận; các tỉnh chỉ được xem.',
      en: 'National records are written by the ministry; provinces read them.',
    })
  }
  if (requested != null) {
    throw invalidField('body', 'province_code', {
      vi: 'phải để trống đối với hồ sơ cấp quốc gia',
      en: 'must be empty for a national record',
    })
  }
  return null
}

/** A record's former province must be one that merged into its current province. */
export async function checkOrigin(
  trx: Trx,
  fails: FieldErrors,
  province: string,
  origin: string | null | undefined,
): Promise<void> {
  if (origin == null) return
  const found = await trx
    .selectFrom('former_provinces')
    .select('code')
    .where('code', '=', origin)
    .where('successor_code', '=', province)
    .executeTakeFirst()
  fails.check(!found, 'body', 'origin_province_code', {
    vi: `phải là một tỉnh cũ đã hợp nhất vào tỉnh/thành phố ${province}`,
    en: `must be a former province merged into province ${province}`,
  })
}
