import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { databaseUnavailable } from '../../lib/problems.js'
import { problemResponses } from '../../lib/schemas.js'

const Status = Type.Object(
  { status: Type.Literal('ok', { description: 'Trạng thái — always `ok`.' }) },
  { description: 'Dịch vụ hoạt động — the service is up.' },
)

const Readiness = Type.Object(
  {
    status: Type.Literal('ok', { description: 'Trạng thái — always `ok`.' }),
    database: Type.Union([Type.Literal('ok'), Type.Literal('busy')], {
      description:
        'Cơ sở dữ liệu — `ok`, or `busy` while this instance runs an import: on the embedded database (one ' +
        'connection) other requests then wait for it, and the check itself is skipped.',
    }),
  },
  { description: 'Sẵn sàng — the service can serve requests.' },
)

const READY_TIMEOUT_MS = 2_000

const operations: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getLiveness',
        tags: ['operations'],
        security: [],
        summary: 'Liveness',
        description: 'Còn sống — the process answers. It does not touch the database.',
        response: { 200: Status },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getReadiness',
        tags: ['operations'],
        security: [],
        summary: 'Readiness',
        description:
          'Sẵn sàng — the database answers within 2 s; otherwise 503. While this instance runs an import the ' +
          'body says `database: busy`.',
        response: { 200: Readiness, ...problemResponses('service_unavailable') },
      },
    },
    async (request) => {
      const busy = app.imports.importing > 0
      // PGlite's one connection is the import's: a check would only wait for the import to end.
      if (busy && app.database.kind === 'pglite') return { status: 'ok' as const, database: 'busy' as const }
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database check timed out')), READY_TIMEOUT_MS)
      })
      try {
        await Promise.race([sql`select 1`.execute(app.db), timeout])
      } catch (error) {
        request.log.warn({ reason: (error as Error).message }, 'readiness check failed')
        throw databaseUnavailable()
      } finally {
        clearTimeout(timer)
      }
      return { status: 'ok' as const, database: busy ? ('busy' as const) : ('ok' as const) }
    },
  )
}

export default operations
