// The one tenancy mechanism. Tenancy is enforced twice:
//  - in PostgreSQL: withTenant() runs the work in a transaction as the kc_app role with the
//    caller's role and province set by set_config(…, true) — local to that transaction, so a
//    pooled connection never carries it to the next request — and row-level security policies
//    filter every tenant table by them; the audit trail takes its actor (kc.sub, kc.role,
//    kc.province, kc.request_id) from the same settings (src/db/audit.ts);
//  - in the application: queries add inScope(), so a policy mistake still leaks nothing.
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import { type FieldErrors, invalidField, type Localized, problem } from '../lib/problems.js'
import type { Database } from './schema.js'

export interface Scope {
  sub: string
  role: 'ministry' | 'province'
  /** The caller's current province; null for the ministry. */
  province: string | null
  requestId: string
}

/** A connection inside a tenant transaction (see withTenant). */
export type Trx = Kysely<Database>

export interface TenantOptions {
  /**
   * A read (a GET): the transaction is READ ONLY — a write in it fails loudly — and its COMMIT is
   * sent without waiting for the answer. The connection goes back to the pool with the COMMIT queued
   * on it, ahead of whatever the next request sends (Kysely hands the COMMIT to pg's client before it
   * releases the connection, and the client runs its queries in order), so the settings still end
   * with the transaction; a read-only COMMIT has nothing to lose, and a failing one only loses the
   * connection. This holds because `work` has awaited every query it started: none may be left
   * running when it returns.
   */
  readOnly?: boolean
}

export function withTenant<T>(
  db: Kysely<Database>,
  scope: Scope,
  work: (trx: Trx) => Promise<T>,
  { readOnly = false }: TenantOptions = {},
): Promise<T> {
  return db.connection().execute(async (conn) => {
    try {
      // BEGIN and the whole context in one round trip: a simple-protocol query, so the values are
      // inlined as escaped literals (role and province are validated codes; sub is escaped). No
      // JIT: requests are many small index lookups; on the million-row scorecard the estimate
      // crossed jit_above_cost and compiling took ~100 ms of a ~200 ms query. Inside the try: a
      // context that fails after BEGIN leaves a transaction to roll back.
      await sql`begin${readOnly ? sql` read only` : sql``}; select set_config('role', 'kc_app', true), set_config('jit', 'off', true),
        set_config('kc.role', ${sql.lit(scope.role)}, true),
        set_config('kc.province', ${sql.lit(scope.province ?? '')}, true),
        set_config('kc.sub', ${sql.lit(scope.sub)}, true),
        set_config('kc.request_id', ${sql.lit(scope.requestId)}, true)`.execute(conn)
      const result = await work(conn)
      if (readOnly) sql`commit`.execute(conn).catch(() => {})
      else await sql`commit`.execute(conn)
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
 * `using (province_code is null or kc_in_scope(province_code))`.
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
