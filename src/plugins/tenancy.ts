// request.tenant(work): runs `work` in the caller's tenancy (src/db/tenancy.ts) — the one way
// handlers reach tenant data.
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type Scope, type Trx, withTenant } from '../db/tenancy.js'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Runs `work` in the caller's tenancy. A GET's transaction is read-only (see withTenant);
     * `{ writes: true }` for the few reads that also write (settling expired import jobs).
     */
    tenant<T>(work: (trx: Trx, scope: Scope) => Promise<T>, options?: { writes?: boolean }): Promise<T>
  }
}

/** The caller's tenancy: also for work that outlives its request (a background import). */
export function scopeOf(request: FastifyRequest): Scope {
  const { sub, role, province } = request.user
  return { sub, role, province, requestId: request.id }
}

export default fp(
  async (app) => {
    app.decorateRequest('tenant', function <
      T,
    >(this: FastifyRequest, work: (trx: Trx, scope: Scope) => Promise<T>, { writes = false }: { writes?: boolean } = {}): Promise<T> {
      const scope = scopeOf(this)
      const readOnly = !writes && (this.method === 'GET' || this.method === 'HEAD')
      return withTenant(app.db, scope, (trx) => work(trx, scope), { readOnly })
    })
  },
  { name: 'tenancy', dependencies: ['database', 'auth'] },
)
