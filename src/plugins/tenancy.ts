// request.tenant(work): runs `work` in the caller's tenancy (src/db/tenancy.ts) — the one way
// handlers reach tenant data — on the primary, or for a GET's read-only work on the replica of
// DATABASE_READ_URL when there is one.
//
// Reading your own writes, with no state in any instance: a response to a write that went through
// request.tenant() carries `X-Read-After: <WAL position>` (pg_current_wal_lsn() after its commit);
// a client that sends it back on a read is answered from the replica only if the replica has
// replayed that position, else from the primary. A read without it may be a moment behind.
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema.ts'
import { type Scope, type Trx, withTenant } from '../db/tenancy.ts'
import { isDatabaseUnavailable } from '../db/unavailable.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Runs `work` in the caller's tenancy. A GET's statements are read-only (see withTenant);
     * `{ writes: true }` for the few reads that also write (settling expired import jobs).
     */
    tenant<T>(work: (trx: Trx, scope: Scope) => Promise<T>, options?: { writes?: boolean }): Promise<T>
    /** The primary's WAL position after this request's last write (with a replica only). */
    writtenAt: string | undefined
  }
}

export const READ_AFTER = 'x-read-after'
/** A WAL position as PostgreSQL prints a pg_lsn: two hexadecimal numbers. */
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i

/** The caller's tenancy: also for work that outlives its request (a background import). */
export function scopeOf(request: FastifyRequest): Scope {
  const { sub, role, province } = request.user
  return { sub, role, province, requestId: request.id }
}

/** Whether the replica has replayed the WAL up to `lsn`; false when it cannot say (or is down). */
async function replayed(replica: Kysely<Database>, lsn: string): Promise<boolean> {
  try {
    const { rows } = await sql<{ caught: boolean | null }>`
      select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as caught`.execute(replica)
    return rows[0]?.caught === true
  } catch {
    return false
  }
}

export default fp(
  async (app) => {
    const { replica } = app

    /**
     * A read on the replica, unless the caller asks to see a write the replica has not replayed
     * yet (a malformed position counts as not replayed). A replica that cannot be reached sends
     * the read to the primary, as long as no statement of `work` has been answered (it may stream
     * its answer): its first contact with the replica is its first statement.
     */
    async function read<T>(request: FastifyRequest, scope: Scope, work: (trx: Trx) => Promise<T>) {
      const after = request.headers[READ_AFTER]
      const onReplica =
        replica &&
        (after === undefined ||
          (typeof after === 'string' && LSN.test(after) && (await replayed(replica.db, after))))
      if (!onReplica) return withTenant(app.db, scope, work, { readOnly: true })
      let answered = false
      const marked = replica.db.withPlugin({
        transformQuery: ({ node }) => node,
        transformResult: async ({ result }) => {
          answered = true
          return result
        },
      })
      try {
        return await withTenant(marked, scope, work, { readOnly: true })
      } catch (error) {
        if (answered || !isDatabaseUnavailable(error)) throw error
        request.log.warn({ reason: (error as Error).message }, 'replica unavailable: read on the primary')
        return withTenant(app.db, scope, work, { readOnly: true })
      }
    }

    /** A write on the primary, then the WAL position after its commit, which covers it. */
    async function write<T>(request: FastifyRequest, written: Promise<T>) {
      const result = await written
      // The write is committed: failing to learn its position must not turn it into an error (the
      // client would send it again); the answer then goes without X-Read-After.
      try {
        const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(app.db)
        request.writtenAt = rows[0]?.lsn
      } catch (error) {
        request.log.warn({ reason: (error as Error).message }, 'write position unknown: no X-Read-After')
      }
      return result
    }

    app.decorateRequest('writtenAt', undefined)
    app.decorateRequest('tenant', function <
      T,
    >(this: FastifyRequest, work: (trx: Trx, scope: Scope) => Promise<T>, { writes = false }: { writes?: boolean } = {}): Promise<T> {
      const scope = scopeOf(this)
      const readOnly = !writes && (this.method === 'GET' || this.method === 'HEAD')
      const scoped = (trx: Trx) => work(trx, scope)
      if (!replica) return withTenant(app.db, scope, scoped, { readOnly })
      if (readOnly) return read(this, scope, scoped)
      return write(this, withTenant(app.db, scope, scoped, { readOnly }))
    })

    if (replica) {
      app.addHook('onSend', (request, reply, payload, done) => {
        if (request.writtenAt) reply.header(READ_AFTER, request.writtenAt)
        done(null, payload)
      })
    }
  },
  { name: 'tenancy', dependencies: ['database', 'auth'] },
)
