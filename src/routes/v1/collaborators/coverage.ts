// Coverage of the communes by the collaborator network (ask 5 of letter 3384/BCT-CTĐP: "share of
// communes with an active collaborator"), per province and for the whole country.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notReadable } from '../../../domain/nouns.ts'
import { paginate } from '../../../lib/pagination.ts'
import { problemResponses, readResponses, todayInVietnam } from '../../../lib/schemas.ts'
import { formerCodeProblem } from '../provinces/former-codes.ts'
import { ProvinceParams } from '../provinces/schemas.ts'
import { nationalCoverage, provinceCoverage, UNCOVERED_SORT, uncoveredCommunes } from './repository.ts'
import {
  NationalCoverage,
  NationalCoverageQuery,
  ProvinceCoverage,
  ProvinceCoverageQuery,
} from './schemas.ts'

const RULE =
  'A commune is covered on a date when at least one collaborator assigned to it is active then: ' +
  'start_date ≤ date, end_date empty or ≥ date, and status not `suspended`.'

const coverage: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/provinces/:code/collaborator-coverage',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getProvinceCollaboratorCoverage',
        tags: ['collaborators'],
        summary: 'Collaborator coverage of a province',
        description:
          'Độ bao phủ cộng tác viên của tỉnh — how many of the province’s communes have an active ' +
          `collaborator on \`date\` (default: today in Vietnam), the share, and the uncovered communes, keyset ` +
          `paged by code. ${RULE} A province officer reads their own province only (another gets 404); the ` +
          'ministry any.',
        params: ProvinceParams,
        querystring: ProvinceCoverageQuery,
        response: readResponses(ProvinceCoverage),
      },
    },
    async (request, reply) => {
      const { code } = request.params
      const date = request.query.date ?? todayInVietnam()
      return request.tenant(async (trx, scope) => {
        const figures = await provinceCoverage(trx, scope, code, date)
        if (!figures) throw (await formerCodeProblem(trx, code)) ?? notReadable('province', code)
        const page = await paginate(
          request,
          reply,
          uncoveredCommunes(trx, scope, code, date),
          [...UNCOVERED_SORT],
          request.query,
        )
        return { ...figures, date, ...page }
      })
    },
  )

  app.get(
    '/v1/collaborator-coverage',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listCollaboratorCoverage',
        tags: ['collaborators'],
        summary: 'Collaborator coverage of every province',
        description:
          'Độ bao phủ cộng tác viên cả nước — one row per current province (34) with its communes, those ' +
          `covered on \`date\` (default: today in Vietnam) and the share; \`sort=-share\` ranks them. ${RULE} ` +
          'The ministry sees every province; a province officer only their own row. Not paged.',
        querystring: NationalCoverageQuery,
        response: {
          200: NationalCoverage,
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden'),
        },
      },
    },
    async (request) => {
      const date = request.query.date ?? todayInVietnam()
      const sort = request.query.sort ?? 'province_code'
      const items = await request.tenant((trx, scope) => nationalCoverage(trx, scope, date, sort))
      return { date, items }
    },
  )
}

export default coverage
