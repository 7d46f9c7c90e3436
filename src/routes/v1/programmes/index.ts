import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { checkOrigin, ownerForWrite, type Trx } from '../../../db/tenancy.ts'
import { csvResponses, listOrCsv } from '../../../domain/listing.ts'
import type { Noun } from '../../../domain/nouns.ts'
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
import {
  COLUMNS,
  decided,
  findById,
  findForUpdate,
  insert,
  listQuery,
  type ProgrammeLevel,
  type ProgrammeRow,
  planOf,
  remove,
  SORT,
  select,
  update,
} from './repository.ts'
import {
  CreateProgramme,
  ListProgrammesQuery,
  Programme,
  ProgrammeParams,
  UpdateProgramme,
} from './schemas.ts'

const ENTITY: Noun = 'programme'
/** One record as its single representation has it (built once: the query is compiled once per role). */
const readOne = withAttachmentCount('programmes', select)

/** Updates and deletes: only by the owner (national: the ministry; provincial: its province). */
const writes = ownerWrites(ENTITY, { findById, findForUpdate })

type Draft = Partial<Omit<ProgrammeRow, 'id' | 'version' | 'created_at' | 'updated_at'>> & {
  province_code: string | null
}

/** Rules across fields, checked before writing so that the answer names every failing field. */
async function check(trx: Trx, doc: Draft, id?: string) {
  const fails = new FieldErrors()
  fails.check(
    doc.start_year !== undefined && doc.end_year !== undefined && doc.end_year < doc.start_year,
    'body',
    'end_year',
    { vi: 'không được sớm hơn start_year', en: 'must not be before start_year' },
  )
  checkDecision(fails, doc, ['approved', 'ended'])
  if (doc.origin_province_code != null) {
    if (doc.province_code === null) {
      fails.add('body', 'origin_province_code', {
        vi: 'phải để trống đối với chương trình cấp quốc gia',
        en: 'must be empty for a national programme',
      })
    } else await checkOrigin(trx, fails, doc.province_code, doc.origin_province_code)
  }
  fails.throwIfAny()
  if (doc.decision_number && (await decided(trx, doc.province_code, doc.decision_number, id))) {
    throw problem('conflict', {
      vi: `Đã có chương trình theo quyết định ${doc.decision_number}.`,
      en: `A programme with decision ${doc.decision_number} already exists.`,
    })
  }
}

const programmes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Programme)
  const Ref = Type.Ref('Programme')

  app.get(
    '/v1/programmes',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listProgrammes',
        tags: ['programmes'],
        summary: 'List programmes',
        description:
          'Chương trình khuyến công — national programmes (KCQG, read by every signed-in caller) and provincial ' +
          'programmes (the caller’s province; the ministry reads all), latest period first. ' +
          '`Accept: text/csv` streams every match.',
        querystring: ListProgrammesQuery,
        response: csvResponses(
          Page(Programme, 'Một trang chương trình — a page of programmes, latest first.'),
          'Một trang chương trình — a page of programmes',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'programmes.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/programmes',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createProgramme',
        tags: ['programmes'],
        summary: 'Record a programme',
        description:
          'Ghi nhận chương trình — a national programme (the ministry only; no province) or a provincial ' +
          'programme of the caller’s province. Send `Idempotency-Key` so that a retry never records it twice.',
        headers: idempotencyHeader,
        body: CreateProgramme,
        response: {
          201: { ...Programme, $id: undefined, description: 'Đã ghi nhận — the recorded programme.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'conflict', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/programmes',
        async create(trx, scope) {
          const { province_code, level: requested, ...rest } = request.body
          const level = requested as ProgrammeLevel
          const draft = { ...rest, level, province_code: ownerForWrite(scope, level, province_code) }
          await check(trx, draft)
          return insert(trx, draft)
        },
      }),
  )

  app.get(
    '/v1/programmes/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getProgramme',
        tags: ['programmes'],
        summary: 'Get a programme',
        description: 'Một chương trình — one programme, with its version as `ETag`.',
        params: ProgrammeParams,
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
    '/v1/programmes/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateProgramme',
        tags: ['programmes'],
        summary: 'Update a programme',
        description:
          'Sửa chương trình — change some fields (merge patch) of a programme the caller owns (national: the ' +
          'ministry; provincial: its province). Requires `If-Match` with the current `ETag` (412 when stale, ' +
          '428 when missing).',
        params: ProgrammeParams,
        headers: ifMatchHeader,
        body: UpdateProgramme,
        response: updateResponses(Ref, 'conflict'),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, _scope, current) {
          await check(trx, { ...current, ...request.body }, current.id)
          return update(trx, current.id, request.body)
        },
      }),
  )

  app.delete(
    '/v1/programmes/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteProgramme',
        tags: ['programmes'],
        summary: 'Delete a programme',
        description:
          'Xóa chương trình — delete a programme recorded by mistake (the audit trail keeps it). Requires ' +
          '`If-Match`. A programme with annual plans cannot be deleted (409).',
        params: ProgrammeParams,
        headers: ifMatchHeader,
        response: deleteResponses('conflict'),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async remove(trx, _scope, current) {
          const plan = await planOf(trx, current.id)
          if (plan) {
            throw problem('conflict', {
              vi: `Chương trình đã có kế hoạch hằng năm (${plan.year}); hãy xóa các kế hoạch đó trước.`,
              en: `The programme has annual plans (${plan.year}); delete them first.`,
            })
          }
          await remove(trx, current.id)
        },
      }),
  )
}

export default programmes
