import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page, paginate } from '../../../lib/pagination.ts'
import { problemResponses } from '../../../lib/schemas.ts'
import { auditEventsQuery } from './repository.ts'
import { AuditEvent, ListAuditEventsQuery } from './schemas.ts'

const auditEvents: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(AuditEvent)

  app.get(
    '/v1/audit-events',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'List audit events',
        description:
          'Nhật ký thay đổi — every create, update, delete and state change on tenant data, newest first: ' +
          'who, when, which request, and the changed fields before and after. The ministry sees all; a ' +
          'province only the records of its own province. Read-only: no one can change or delete an event.',
        querystring: ListAuditEventsQuery,
        response: {
          200: Page(AuditEvent, 'Một trang nhật ký — a page of audit events, newest first.'),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden'),
        },
      },
    },
    async (request, reply) =>
      request.tenant(async (trx, scope) => {
        const page = await paginate(
          request,
          reply,
          auditEventsQuery(trx, scope, request.query),
          [{ column: 'audit_events.seq', field: 'seq', type: 'bigint', direction: 'desc' }],
          request.query,
        )
        return { ...page, items: page.items.map(({ seq: _seq, ...event }) => event) }
      }),
  )
}

export default auditEvents
