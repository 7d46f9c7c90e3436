import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import { Type } from 'typebox'
import { checkOrigin, deciderForWrite, type Scope } from '../../../db/tenancy.ts'
import { moneyDecider } from '../../../domain/deciders.ts'
import { csvResponses, listOrCsv, sendCsv, wantsCsv } from '../../../domain/listing.ts'
import { type Noun, notFound } from '../../../domain/nouns.ts'
import { checkDecision } from '../../../domain/planning.ts'
import { createVersioned, idempotencyHeader, readVersioned } from '../../../domain/versioned.ts'
import { Page } from '../../../lib/pagination.ts'
import { FieldErrors, invalidField, problem } from '../../../lib/problems.ts'
import { problemResponses, readResponses } from '../../../lib/schemas.ts'
import {
  CSV_COLUMNS,
  findById,
  insert,
  listQuery,
  provinceColumn,
  rowsOfKey,
  SORT,
  type SummaryFilters,
  type SummaryGroup,
  summaryQuery,
} from './repository.ts'
import {
  BudgetAllocation,
  BudgetAllocationParams,
  CreateBudgetAllocation,
  ListBudgetAllocationsQuery,
  Summary,
  SummaryQuery,
} from './schemas.ts'

const ENTITY: Noun = 'budget_allocation'

const SUMMARY_KEY = {
  province: 'province_code',
  funding_source: 'funding_source',
  activity_content: 'activity_content',
  year: 'year',
} as const

/**
 * An allocation to one of the ministry's own units: central money the ministry gives to no province
 * (no province, no former province); null, the row's province.
 */
function nationalUnitForWrite(scope: Scope, body: Static<typeof CreateBudgetAllocation>): null {
  if (scope.role !== 'ministry') {
    throw problem('forbidden', {
      vi: 'Kinh phí phân bổ cho các đơn vị trực thuộc Bộ do Bộ ghi nhận.',
      en: 'Allocations to the ministry’s own units are recorded by the ministry.',
    })
  }
  const fails = new FieldErrors()
  for (const field of ['province_code', 'origin_province_code'] as const) {
    fails.check(body[field] != null, 'body', field, {
      vi: 'phải để trống đối với khoản phân bổ cho đơn vị trực thuộc Bộ (recipient_unit)',
      en: 'must be absent for an allocation to a national unit (recipient_unit)',
    })
  }
  fails.check(body.funding_source !== 'central', 'body', 'funding_source', {
    vi: 'phải là central đối với khoản phân bổ cho đơn vị trực thuộc Bộ',
    en: 'must be central for an allocation to a national unit',
  })
  fails.throwIfAny()
  return null
}

const budgetAllocations: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(BudgetAllocation)
  const Ref = Type.Ref('BudgetAllocation')

  app.get(
    '/v1/budget-allocations',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listBudgetAllocations',
        tags: ['budget-allocations'],
        summary: 'List budget allocations',
        description:
          'Dự toán kinh phí khuyến công — allocations and their revisions, latest year first; `is_current` marks ' +
          'the one in force for its key. A province sees its own; the ministry all. `Accept: text/csv` streams ' +
          'every match.',
        querystring: ListBudgetAllocationsQuery,
        response: csvResponses(
          Page(BudgetAllocation, 'Một trang dự toán — a page of allocations, latest year first.'),
          'Một trang dự toán — a page of allocations',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'budget-allocations.csv',
        columns: [...CSV_COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/budget-allocations',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createBudgetAllocation',
        tags: ['budget-allocations'],
        summary: 'Record an allocation or a revision',
        description:
          'Ghi nhận dự toán — an original allocation (one per province, former province, year, source and ' +
          'content: a second is 409) or a revision of one (`type: revised`: a new row that supersedes the earlier ' +
          'ones; nothing is overwritten). Who records it follows the source: `central` money (KCQG) is allocated ' +
          'by the ministry, which names `province_code` — or `recipient_unit` for one of its own national ' +
          'implementing units (no province: only the ministry reads such a row, and the summary leaves it out); ' +
          '`local`, `counterpart` and `other` money by the province itself; anyone else gets 403. Send `Idempotency-Key`.',
        headers: idempotencyHeader,
        body: CreateBudgetAllocation,
        response: {
          201: { ...BudgetAllocation, $id: undefined, description: 'Đã ghi nhận — the recorded allocation.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'conflict', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/budget-allocations',
        async create(trx, scope) {
          const { province_code, recipient_unit, ...body } = request.body
          const province = recipient_unit
            ? nationalUnitForWrite(scope, request.body)
            : deciderForWrite(scope, moneyDecider(body.funding_source), province_code ?? undefined, {
                vi: 'Các khoản phân bổ kinh phí trung ương',
                en: 'Central allocations',
              })
          const row = {
            ...body,
            province_code: province,
            recipient_unit: recipient_unit ?? null,
            type: body.type ?? 'original',
            activity_content: body.activity_content ?? null,
            origin_province_code: body.origin_province_code ?? null,
          }
          const fails = new FieldErrors()
          checkDecision(fails, row)
          if (row.origin_province_code && row.year > 2025) {
            fails.add('body', 'origin_province_code', {
              vi: 'chỉ áp dụng cho các năm đến 2025 (trước khi hợp nhất)',
              en: 'applies only to years up to 2025 (before the merger)',
            })
          } else if (province) await checkOrigin(trx, fails, province, row.origin_province_code)
          const existing = await rowsOfKey(trx, row)
          const original = existing.some((r) => r.type === 'original')
          fails.check(row.type === 'revised' && !original, 'body', 'type', {
            vi: 'revised cần có trước một khoản phân bổ gốc (original) cùng khóa',
            en: 'revised needs an original allocation of the same key first',
          })
          fails.throwIfAny()
          if (row.type === 'original' && original) {
            throw problem('conflict', {
              vi:
                'Tỉnh/thành phố (hoặc đơn vị trực thuộc Bộ) này đã có khoản phân bổ gốc cho năm, nguồn kinh phí và ' +
                'nội dung đó; hãy ghi nhận một khoản điều chỉnh (type revised).',
              en:
                'This province (or national unit) already has an original allocation for that year, source and ' +
                'content; record a revision (type revised).',
            })
          }
          const id = await insert(trx, { ...row, created_by: scope.sub })
          const created = await findById(trx, scope, id)
          if (!created) throw notFound(ENTITY, id)
          return created
        },
      }),
  )

  app.get(
    '/v1/budget-allocations/summary',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'summarizeBudgetAllocations',
        tags: ['budget-allocations'],
        summary: 'Allocated, approved and disbursed money',
        description:
          'Tổng hợp kinh phí — per province, funding source, activity content or year: `allocated` (the ' +
          'allocations in force), `approved` (to schemes approved or beyond), `disbursed`, and the disbursement ' +
          'rate (disbursed ÷ allocated). A scheme’s money counts under its year and its main (first) activity ' +
          'content. `province` is a current province (including what came from its former provinces) or a ' +
          'former one (what came from it before the merger). A province sees its own figures; the ministry all. ' +
          '`Accept: text/csv` for a spreadsheet.',
        querystring: SummaryQuery,
        response: csvResponses(Summary, 'Tổng hợp — the figures'),
      },
    },
    async (request, reply) => {
      const group = (request.query.group_by ?? 'province') as SummaryGroup
      const { year, funding_source, province } = request.query
      const rows = await request.tenant(async (trx, scope) => {
        let filter: SummaryFilters['province']
        if (province) {
          const column = await provinceColumn(trx, province)
          if (!column) {
            throw invalidField('query', 'province', {
              vi: 'không phải là mã tỉnh/thành phố hiện hành hay tỉnh cũ',
              en: 'is neither a current nor a former province',
            })
          }
          filter = { column, code: province }
        }
        const result = await summaryQuery(trx, scope, group, { year, funding_source, province: filter })
        return result.rows
      })
      const key = SUMMARY_KEY[group]
      const items = rows.map(({ key: value, ...figures }) => ({ [key]: value, ...figures }))
      if (wantsCsv(request)) {
        const columns = [key, 'allocated', 'approved', 'disbursed', 'disbursement_rate'] as const
        return sendCsv(
          reply,
          'budget-summary.csv',
          columns,
          items as Record<(typeof columns)[number], unknown>[],
        )
      }
      return { group_by: group, items }
    },
  )

  app.get(
    '/v1/budget-allocations/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getBudgetAllocation',
        tags: ['budget-allocations'],
        summary: 'Get a budget allocation',
        description: 'Một dự toán — one allocation, with whether it is still in force.',
        params: BudgetAllocationParams,
        response: readResponses(Ref),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, { entity: ENTITY, id: request.params.id, find: findById }),
  )
}

export default budgetAllocations
