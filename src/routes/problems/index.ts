import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { speakTo } from '../../lib/negotiation.ts'
import { CATALOGUE, type ProblemCode, problem } from '../../lib/problems.ts'
import { problemResponses } from '../../lib/schemas.ts'

const ProblemType = Type.Object(
  {
    code: Type.String({ description: 'Mã lỗi — stable code.', examples: ['not_found'] }),
    status: Type.Integer({ description: 'Mã HTTP — HTTP status.', examples: [404] }),
    title: Type.String({
      description:
        'Tiêu đề, theo `Accept-Language` (mặc định tiếng Việt) — title, in the language asked for.',
      examples: ['Không tìm thấy'],
    }),
    description: Type.String({ description: 'Ý nghĩa — when it is returned.' }),
  },
  {
    description: 'Loại lỗi — a problem type of the catalogue.',
    examples: [
      {
        code: 'not_found',
        status: 404,
        title: 'Không tìm thấy',
        description: 'No such resource, or not visible to the caller.',
      },
    ],
  },
)

// `type` in every problem is /problems/<code>: this makes that URI resolve to its meaning.
const problems: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/problems/:code',
    {
      config: { access: 'public', etag: true },
      schema: {
        operationId: 'getProblemType',
        tags: ['meta'],
        security: [],
        summary: 'Describe a problem type',
        description: 'Loại lỗi — what a problem `type` means.',
        params: Type.Object(
          {
            code: Type.String({
              pattern: '^[a-z_]+$',
              maxLength: 64,
              description: 'Mã lỗi — problem code.',
              examples: ['not_found'],
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ProblemType, ...problemResponses('validation_failed', 'not_found') },
      },
    },
    async (request, reply) => {
      const code = request.params.code as ProblemCode
      if (!Object.hasOwn(CATALOGUE, code)) {
        throw problem('not_found', {
          vi: `Không có loại lỗi nào tên là ${code}.`,
          en: `No problem type is named ${code}.`,
        })
      }
      const lang = speakTo(request, reply)
      return { code, ...CATALOGUE[code], title: CATALOGUE[code].title[lang] }
    },
  )
}

export default problems
