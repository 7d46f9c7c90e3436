// Support received: the schemes (đề án) an establishment benefited from, i.e. those that list it
// among their beneficiary establishments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { inScope } from '../../../db/tenancy.js'
import { CodeOf } from '../../../lib/codelists.js'
import { problem } from '../../../lib/problems.js'
import { ProvinceCode, problemResponses } from '../../../lib/schemas.js'
import { findById } from './queries.js'

const SupportItem = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã đề án — scheme id (`/v1/projects/{id}`).' }),
    province_code: ProvinceCode,
    year: Type.Integer({ description: 'Năm — the scheme’s year.', examples: [2024] }),
    title: Type.String({ description: 'Tên đề án — title.' }),
    funding_level: CodeOf('funding_level', 'Cấp kinh phí — central or local.'),
    state: CodeOf('project_state', 'Trạng thái — lifecycle state.'),
    activity_contents: Type.Array(CodeOf('activity_content', 'Nội dung — activity content.'), {
      description: 'Nội dung hoạt động — activity contents, the main one first.',
    }),
  },
  { description: 'Đề án hỗ trợ — a scheme the establishment benefited from.' },
)

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
            { description: 'Các đề án hỗ trợ — the schemes.' },
          ),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request) =>
      request.tenant(async (trx, scope) => {
        const establishment = await findById(trx, scope, request.params.id)
        if (!establishment) throw problem('not_found', `No establishment ${request.params.id}.`)
        const items = await trx
          .selectFrom('projects')
          .select(['id', 'province_code', 'year', 'title', 'funding_level', 'state', 'activity_contents'])
          .where(inScope(scope, 'projects.province_code'))
          .where(sql<boolean>`beneficiary_establishment_ids @> array[${establishment.id}]::uuid[]`)
          .orderBy('year', 'desc')
          .orderBy('id')
          .limit(1000)
          .execute()
        return { items }
      }),
  )
}

export default support
