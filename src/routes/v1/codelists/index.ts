import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problem } from '../../../lib/problems.ts'
import { examplesOf, problemResponses } from '../../../lib/schemas.ts'
import { getCodelist, listCodelists } from './repository.ts'
import { Codelist, CodelistParams, CodelistQuery, CodelistSummary } from './schemas.ts'

const codelists: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/codelists',
    {
      config: { access: 'public', etag: true },
      schema: {
        operationId: 'listCodelists',
        tags: ['reference'],
        security: [],
        summary: 'List code lists',
        description:
          'Danh mục dùng chung — every regulated vocabulary the API speaks (activity contents, establishment ' +
          'kinds, industries, funding sources, scheme states, certificate levels…). Public, not paged.',
        response: {
          200: Type.Object(
            {
              items: Type.Array(CodelistSummary, { description: 'Các danh mục — the code lists, by name.' }),
            },
            {
              description: 'Danh sách danh mục — the code lists, by name.',
              examples: [{ items: examplesOf(CodelistSummary) }],
            },
          ),
          ...problemResponses(),
        },
      },
    },
    async () => ({ items: await listCodelists(app.db) }),
  )

  app.get(
    '/v1/codelists/:name',
    {
      config: { access: 'public', etag: true },
      schema: {
        operationId: 'getCodelist',
        tags: ['reference'],
        security: [],
        summary: 'Get a code list',
        description:
          'Một danh mục — one code list with its entries: code, Vietnamese label, English label, validity ' +
          'period. With `as_of`, only the entries in force on that date.',
        params: CodelistParams,
        querystring: CodelistQuery,
        response: { 200: Codelist, ...problemResponses('validation_failed', 'not_found') },
      },
    },
    async (request) => {
      const list = await getCodelist(app.db, request.params.name, request.query.as_of)
      if (!list) {
        throw problem('not_found', {
          vi: `Không có danh mục nào tên là ${request.params.name}.`,
          en: `No code list is named ${request.params.name}.`,
        })
      }
      return list
    },
  )
}

export default codelists
