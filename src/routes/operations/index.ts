import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Kysely, sql } from 'kysely'
import { Type } from 'typebox'
import type { Database } from '../../db/schema.ts'
import { databaseUnavailable } from '../../lib/problems.ts'
import { problemResponses } from '../../lib/schemas.ts'

const Status = Type.Object(
  { status: Type.Literal('ok', { description: 'Trạng thái — always `ok`.' }) },
  { description: 'Dịch vụ hoạt động — the service is up.', examples: [{ status: 'ok' }] },
)

const Readiness = Type.Object(
  {
    status: Type.Literal('ok', { description: 'Trạng thái — always `ok`.' }),
    database: Type.Union([Type.Literal('ok'), Type.Literal('busy')], {
      description:
        'Cơ sở dữ liệu — `ok`, or `busy` while this instance runs an import: on the embedded database (one ' +
        'connection) other requests then wait for it, and the check itself is skipped.',
    }),
    replica: Type.Optional(
      Type.Union([Type.Literal('ok'), Type.Literal('unavailable')], {
        description:
          'Bản sao chỉ đọc — with a read replica (DATABASE_READ_URL) only: `ok`, or `unavailable` when it does ' +
          'not answer within 2 s; reads then go to the primary, so the instance stays ready.',
      }),
    ),
  },
  { description: 'Sẵn sàng — the service can serve requests.', examples: [{ status: 'ok', database: 'ok' }] },
)

const READY_TIMEOUT_MS = 2_000

/** `select 1` on `db`, failing after READY_TIMEOUT_MS. */
async function answers(db: Kysely<Database>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database check timed out')), READY_TIMEOUT_MS)
  })
  try {
    await Promise.race([sql`select 1`.execute(db), timeout])
  } finally {
    clearTimeout(timer)
  }
}

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
          'body says `database: busy`. With a read replica, `replica` says whether it answers too.',
        response: { 200: Readiness, ...problemResponses('service_unavailable') },
      },
    },
    async (request) => {
      const busy = app.imports.importing > 0
      // PGlite's one connection is the import's: a check would only wait for the import to end.
      if (busy && app.database.kind === 'pglite') return { status: 'ok' as const, database: 'busy' as const }
      const replica = app.replica && answers(app.replica.db)
      replica?.catch(() => {}) // read below, after the primary's check
      try {
        await answers(app.db)
      } catch (error) {
        request.log.warn({ reason: (error as Error).message }, 'readiness check failed')
        throw databaseUnavailable()
      }
      const database = busy ? ('busy' as const) : ('ok' as const)
      if (!replica) return { status: 'ok' as const, database }
      const replicaState = await replica.then(
        () => 'ok' as const,
        (error: Error) => {
          request.log.warn({ reason: error.message }, 'replica readiness check failed')
          return 'unavailable' as const
        },
      )
      return { status: 'ok' as const, database, replica: replicaState }
    },
  )
}

export default operations
