import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problem } from '../../../lib/problems.ts'
import { examplesOf, problemResponses, todayInVietnam } from '../../../lib/schemas.ts'
import { containsPattern } from '../../../lib/text.ts'
import { noCurrentProvince } from './former-codes.ts'
import { getFormerProvince, getProvince, listProvinces } from './repository.ts'
import { GetProvinceQuery, ListProvincesQuery, Province, ProvinceDetail, ProvinceParams } from './schemas.ts'

const provinces: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Province)

  app.get(
    '/v1/provinces',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listProvinces',
        tags: ['reference'],
        security: [],
        summary: 'List provinces',
        description:
          'Danh sách tỉnh, thành phố — the 34 provinces since 1 July 2025; with `include_former=true` also the 63 ' +
          'former provinces, each naming its successor. Public, not paged (at most 97 rows).',
        querystring: ListProvincesQuery,
        response: {
          200: Type.Object(
            {
              items: Type.Array(Type.Ref('Province'), {
                description: 'Các tỉnh, thành phố — the provinces, current first, then by code.',
              }),
            },
            {
              description: 'Danh sách tỉnh — the provinces, current first, then by code.',
              examples: [{ items: examplesOf(Province) }],
            },
          ),
          ...problemResponses('validation_failed'),
        },
      },
    },
    async (request) => {
      const { include_former, q, as_of } = request.query
      const items = await listProvinces(app.db, {
        includeFormer: include_former ?? false,
        pattern: q === undefined ? undefined : containsPattern(q),
        asOf: as_of ?? todayInVietnam(),
      })
      return { items }
    },
  )

  app.get(
    '/v1/provinces/:code',
    {
      config: { access: 'public', etag: true },
      schema: {
        operationId: 'getProvince',
        tags: ['reference'],
        security: [],
        summary: 'Get a province',
        description:
          'Một tỉnh, thành phố — a current province lists the former provinces merged into it and its dated ' +
          'changes; with `former=true` the former province of that code, naming its successor. The code of a ' +
          'former province (02, Hà Giang) answers 404 naming its successor and the former record (`successor`, ' +
          '`former`); a current province whose code was another former province’s says so in `code_reused_from`.',
        params: ProvinceParams,
        querystring: GetProvinceQuery,
        response: {
          200: ProvinceDetail,
          ...problemResponses('validation_failed', 'not_found'),
        },
      },
    },
    async (request) => {
      const { code } = request.params
      const asOf = request.query.as_of ?? todayInVietnam()
      const found = request.query.former
        ? await getFormerProvince(app.db, code, asOf)
        : await getProvince(app.db, code, asOf)
      if (found) return found
      if (!request.query.former) throw await noCurrentProvince(app.db, code)
      throw problem('not_found', {
        vi: `Không có tỉnh cũ nào mang mã ${code}.`,
        en: `No former province has code ${code}.`,
      })
    },
  )
}

export default provinces
