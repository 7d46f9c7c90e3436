// request.tenant(work): runs `work` in the caller's tenancy (src/db/tenancy.ts) — the one way
// handlers reach tenant data.
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type Scope, type Trx, withTenant } from '../db/tenancy.js'

declare module 'fastify' {
  interface FastifyRequest {
    tenant<T>(work: (trx: Trx, scope: Scope) => Promise<T>): Promise<T>
  }
}

export default fp(
  async (app) => {
    app.decorateRequest('tenant', function <
      T,
    >(this: FastifyRequest, work: (trx: Trx, scope: Scope) => Promise<T>): Promise<T> {
      const { sub, role, province } = this.user
      const scope: Scope = { sub, role, province, requestId: this.id }
      return withTenant(app.db, scope, (trx) => work(trx, scope))
    })
  },
  { name: 'tenancy', dependencies: ['database', 'auth'] },
)
