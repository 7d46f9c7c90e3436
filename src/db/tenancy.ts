// The one tenancy mechanism. Tenancy is enforced twice:
//  - in PostgreSQL: withTenant() runs the work in a transaction as the kc_app role with the
//    caller's role and province set by set_config(…, true) — local to that transaction, so a
//    pooled connection never carries it to the next request — and row-level security policies
//    filter every tenant table by them;
//  - in the application: queries add inScope(), so a policy mistake still leaks nothing.
import { type Kysely, type RawBuilder, type SqlBool, type Transaction, sql } from 'kysely'
import type { Database } from './schema.js'

export interface Scope {
  sub: string
  role: 'ministry' | 'province'
  /** The caller's current province; null for the ministry. */
  province: string | null
  requestId: string
}

export type Trx = Transaction<Database>

export function withTenant<T>(db: Kysely<Database>, scope: Scope, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    // One round trip for the whole context.
    await sql`select set_config('role', 'kc_app', true),
      set_config('kc.role', ${scope.role}, true),
      set_config('kc.province', ${scope.province ?? ''}, true)`.execute(trx)
    return work(trx)
  })
}

/**
 * The application half: `where(inScope(scope, 'establishments.province_code'))`. The ministry
 * sees every province; a province officer only their own.
 */
export const inScope = (scope: Scope, column: string): RawBuilder<SqlBool> =>
  scope.role === 'ministry' ? sql<SqlBool>`true` : sql<SqlBool>`${sql.ref(column)} = ${scope.province}`
