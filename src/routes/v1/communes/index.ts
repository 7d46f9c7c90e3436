import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Page, paginate } from '../../../lib/pagination.ts'
import { problem } from '../../../lib/problems.ts'
import { problemResponses, todayInVietnam } from '../../../lib/schemas.ts'
import { containsPattern } from '../../../lib/text.ts'
import { noCurrentProvince } from '../provinces/former-codes.ts'
import { ProvinceParams } from '../provinces/schemas.ts'
import { type CommuneFilters, communesQuery, getCommune, provinceExists } from './repository.ts'
import { Commune, CommuneDetail, CommuneParams, ListCommunesQuery, ProvinceCommunesQuery } from './schemas.ts'

const CommunePage = Page(Commune, 'Một trang xã, phường — a page of communes, by code.')
const SORT = [{ column: 'communes.code', field: 'code', type: 'text' }] as const

const communes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Commune)

  const filters = (q: { q?: string; type?: CommuneFilters['type']; as_of?: string }): CommuneFilters => ({
    pattern: q.q === undefined ? undefined : containsPattern(q.q),
    type: q.type,
    asOf: q.as_of ?? todayInVietnam(),
  })

  app.get(
    '/v1/communes',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listCommunes',
        tags: ['reference'],
        security: [],
        summary: 'List communes',
        description:
          'Danh sách xã, phường, đặc khu — all 3,321 communes, or those of one province; search by name ' +
          'ignoring case and diacritics. Keyset paged by code.',
        querystring: ListCommunesQuery,
        response: { 200: CommunePage, ...problemResponses('validation_failed') },
      },
    },
    async (request, reply) => {
      const { query } = request
      const rows = communesQuery(app.db, { ...filters(query), provinceCode: query.province_code })
      return paginate(request, reply, rows, [...SORT], query)
    },
  )

  app.get(
    '/v1/provinces/:code/communes',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listProvinceCommunes',
        tags: ['reference'],
        security: [],
        summary: 'List the communes of a province',
        description:
          'Xã, phường, đặc khu của tỉnh — the communes of one current province, searchable by name ignoring ' +
          'case and diacritics, filterable by type. Keyset paged by code.',
        params: ProvinceParams,
        querystring: ProvinceCommunesQuery,
        response: { 200: CommunePage, ...problemResponses('validation_failed', 'not_found') },
      },
    },
    async (request, reply) => {
      const { code } = request.params
      if (!(await provinceExists(app.db, code))) throw await noCurrentProvince(app.db, code)
      const rows = communesQuery(app.db, { ...filters(request.query), provinceCode: code })
      return paginate(request, reply, rows, [...SORT], request.query)
    },
  )

  app.get(
    '/v1/communes/:code',
    {
      config: { access: 'public', etag: true },
      schema: {
        operationId: 'getCommune',
        tags: ['reference'],
        security: [],
        summary: 'Get a commune',
        description: 'Một xã, phường, đặc khu — a commune with its province and dated changes.',
        params: CommuneParams,
        querystring: Type.Object(
          { as_of: ProvinceCommunesQuery.properties.as_of },
          { additionalProperties: false },
        ),
        response: { 200: CommuneDetail, ...problemResponses('validation_failed', 'not_found') },
      },
    },
    async (request) => {
      const { code } = request.params
      const commune = await getCommune(app.db, code, request.query.as_of ?? todayInVietnam())
      if (!commune) {
        throw problem('not_found', {
          vi: `Không có đơn vị hành chính cấp xã nào mang mã ${code}.`,
          en: `No commune has code ${code}.`,
        })
      }
      return commune
    },
  )
}

export default communes
