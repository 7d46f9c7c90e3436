import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../../lib/schemas.ts'
import { Me } from './schemas.ts'

const me: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getMe',
        tags: ['identity'],
        summary: 'Who am I',
        description:
          'Người gọi — the caller as the bearer token says (subject, role, province, scopes) and what it ' +
          'may do: a ministry token reads every province, a province token reads and writes its own; ' +
          'writing needs the `write` scope. Any valid token with `read` or `write` may call it.',
        response: { 200: Me, ...problemResponses('unauthorized', 'forbidden') },
      },
    },
    async (request) => {
      const { sub, role, province, scopes, can_write } = request.user
      const canRead = scopes.includes('read') || can_write
      return {
        sub,
        role,
        province,
        scopes,
        permissions: {
          read_all_provinces: role === 'ministry' && canRead,
          read_own_province: role === 'province' && canRead,
          write_own_province: role === 'province' && can_write,
          write_national: role === 'ministry' && can_write,
        },
      }
    },
  )
}

export default me
