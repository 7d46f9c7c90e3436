import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ownerForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { csvResponses, listOrCsv } from '../../../domain/listing.ts'
import { type Noun, notFound } from '../../../domain/nouns.ts'
import { checkDecision, ownerWrites } from '../../../domain/planning.ts'
import {
  createVersioned,
  deleteVersioned,
  idempotencyHeader,
  ifMatchHeader,
  readVersioned,
  updateVersioned,
} from '../../../domain/versioned.ts'
import { Page } from '../../../lib/pagination.ts'
import { FieldErrors, problem } from '../../../lib/problems.ts'
import { deleteResponses, problemResponses, readResponses, updateResponses } from '../../../lib/schemas.ts'
import { withAttachmentCount } from '../attachments/repository.ts'
import { findById as findProgramme } from '../programmes/repository.ts'
import {
  COLUMNS,
  findById,
  findForUpdate,
  insert,
  listQuery,
  type PlanRow,
  plannedFor,
  remove,
  SORT,
  schemeOf,
  select,
  update,
} from './repository.ts'
import { CreatePlan, ListPlansQuery, Plan, PlanParams, UpdatePlan } from './schemas.ts'

const ENTITY: Noun = 'plan'
/** One record as its single representation has it (built once: the query is compiled once per role). */
const readOne = withAttachmentCount('plans', select)

/** As for programmes: only by the owner (national: the ministry; provincial: its province). */
const writes = ownerWrites(ENTITY, { findById, findForUpdate })

/** The plan's programme, which the caller must own to write the plan. */
async function ownedProgramme(trx: Trx, scope: Scope, id: string) {
  const programme = await findProgramme(trx, scope, id)
  if (!programme) {
    const { detail } = notFound('programme', id)
    throw problem('not_found', detail, {
      errors: [
        {
          in: 'body',
          pointer: '/programme_id',
          detail: { vi: 'không phải là chương trình bạn được xem', en: 'is not a programme you can see' },
        },
      ],
    })
  }
  ownerForWrite(scope, programme.level, programme.province_code)
  return programme
}

type Draft = Partial<Omit<PlanRow, 'id' | 'version' | 'created_at' | 'updated_at'>>

async function check(
  trx: Trx,
  doc: Draft & { programme_id: string },
  programme: { start_year: number; end_year: number },
  id?: string,
) {
  const fails = new FieldErrors()
  fails.check(
    doc.year !== undefined && (doc.year < programme.start_year || doc.year > programme.end_year),
    'body',
    'year',
    {
      vi: `phải nằm trong giai đoạn của chương trình ${programme.start_year}–${programme.end_year}`,
      en: `must be within the programme’s period ${programme.start_year}–${programme.end_year}`,
    },
  )
  checkDecision(fails, doc, ['approved', 'revised'])
  fails.throwIfAny()
  if (doc.year !== undefined && (await plannedFor(trx, doc.programme_id, doc.year, id))) {
    throw problem('conflict', {
      vi: `Chương trình đã có kế hoạch năm ${doc.year}.`,
      en: `The programme already has a plan for ${doc.year}.`,
    })
  }
}

const plans: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Plan)
  const Ref = Type.Ref('Plan')

  app.get(
    '/v1/plans',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listPlans',
        tags: ['plans'],
        summary: 'List annual plans',
        description:
          'Kế hoạch khuyến công năm — annual plans: national ones (read by every signed-in caller) and ' +
          'provincial ones (the caller’s province; the ministry reads all), latest year first. ' +
          '`Accept: text/csv` streams every match.',
        querystring: ListPlansQuery,
        response: csvResponses(
          Page(Plan, 'Một trang kế hoạch — a page of plans, latest year first.'),
          'Một trang kế hoạch — a page of plans',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'plans.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/plans',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createPlan',
        tags: ['plans'],
        summary: 'Record an annual plan',
        description:
          'Ghi nhận kế hoạch năm — the plan of a programme for one year, by the programme’s owner (national: ' +
          'the ministry; provincial: its province). One plan per programme and year. Send `Idempotency-Key`.',
        headers: idempotencyHeader,
        body: CreatePlan,
        response: {
          201: { ...Plan, $id: undefined, description: 'Đã ghi nhận — the recorded plan.' },
          ...problemResponses(
            'validation_failed',
            'unauthorized',
            'forbidden',
            'not_found',
            'conflict',
            'unprocessable',
          ),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/plans',
        async create(trx, scope) {
          const programme = await ownedProgramme(trx, scope, request.body.programme_id)
          await check(trx, request.body, programme)
          return insert(trx, { ...request.body, province_code: programme.province_code })
        },
      }),
  )

  app.get(
    '/v1/plans/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getPlan',
        tags: ['plans'],
        summary: 'Get an annual plan',
        description: 'Một kế hoạch — one annual plan, with its version as `ETag`.',
        params: PlanParams,
        response: readResponses(Ref),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, {
        entity: ENTITY,
        id: request.params.id,
        find: readOne,
      }),
  )

  app.patch(
    '/v1/plans/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updatePlan',
        tags: ['plans'],
        summary: 'Update an annual plan',
        description:
          'Sửa kế hoạch — change some fields (merge patch) of a plan the caller owns. Requires `If-Match` ' +
          '(412 when stale, 428 when missing).',
        params: PlanParams,
        headers: ifMatchHeader,
        body: UpdatePlan,
        response: updateResponses(Ref, 'conflict'),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, scope, current) {
          const programme = await ownedProgramme(trx, scope, current.programme_id)
          // The year is checked (period, one plan a year) only when it changes.
          await check(trx, { ...current, ...request.body, year: request.body.year }, programme, current.id)
          return update(trx, current.id, request.body)
        },
      }),
  )

  app.delete(
    '/v1/plans/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deletePlan',
        tags: ['plans'],
        summary: 'Delete an annual plan',
        description:
          'Xóa kế hoạch — delete a plan recorded by mistake (the audit trail keeps it). Requires `If-Match`. A ' +
          'plan that schemes belong to cannot be deleted (409).',
        params: PlanParams,
        headers: ifMatchHeader,
        response: deleteResponses('conflict'),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async remove(trx, _scope, current) {
          const scheme = await schemeOf(trx, current.id)
          if (scheme) {
            throw problem('conflict', {
              vi: `Có đề án thuộc kế hoạch này (${scheme.title}).`,
              en: `Schemes belong to this plan (${scheme.title}).`,
            })
          }
          await remove(trx, current.id)
        },
      }),
  )
}

export default plans
