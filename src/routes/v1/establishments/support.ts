// Support received: the schemes (đề án) an establishment benefited from, i.e. those that list it
// among their beneficiary establishments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { notFound } from '../../../domain/nouns.ts'
import { examplesOf, problemResponses } from '../../../lib/schemas.ts'
import { findById, schemesSupporting } from './repository.ts'
import { SupportItem } from './schemas.ts'

const support: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/establishments/:id/projects',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listEstablishmentProjects',
        tags: ['establishments'],
        summary: 'List the schemes an establishment benefited from',
        description:
          'Hỗ trợ đã nhận — the schemes (đề án) that list this establishment among their beneficiaries, newest ' +
          'year first. Only schemes the caller may read are listed.',
        params: Type.Object(
          { id: Type.String({ format: 'uuid', description: 'Mã cơ sở — establishment id.' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            { items: Type.Array(SupportItem, { description: 'Các đề án — the schemes.' }) },
            {
              description: 'Các đề án hỗ trợ — the schemes.',
              examples: [{ items: examplesOf(SupportItem) }],
            },
          ),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request) =>
      request.tenant(async (trx, scope) => {
        const establishment = await findById(trx, scope, request.params.id)
        if (!establishment) throw notFound('establishment', request.params.id)
        return { items: await schemesSupporting(trx, scope, establishment.id) }
      }),
  )
}

export default support
