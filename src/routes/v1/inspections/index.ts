import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { checkRecords } from '../../../db/references.ts'
import {
  checkOrigin,
  type Decider,
  deciderForWrite,
  provinceForWrite,
  type Scope,
  type Trx,
} from '../../../db/tenancy.ts'
import { MINISTRY_RECORDS } from '../../../domain/deciders.ts'
import { csvResponses, listOrCsv } from '../../../domain/listing.ts'
import type { Noun } from '../../../domain/nouns.ts'
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
  findForUpdate,
  type InspectionRow,
  insert,
  listQuery,
  remove,
  SORT,
  select,
  update,
} from './repository.ts'
import {
  CreateInspection,
  Inspection,
  InspectionParams,
  ListInspectionsQuery,
  UpdateInspection,
} from './schemas.ts'

const ENTITY: Noun = 'inspection'
/** One record as its single representation has it (built once: the query is compiled once per role). */
const readOne = withAttachmentCount('inspections', select)

type Draft = Partial<Omit<InspectionRow, 'id' | 'open_follow_ups' | 'version' | 'created_at' | 'updated_at'>>

/** Rules across fields, checked before writing so that the answer names every failing field. */
async function check(trx: Trx, scope: Scope, doc: Draft & { province_code: string }) {
  const fails = new FieldErrors()
  const province = doc.province_code
  await checkRecords(trx, fails, scope, 'projects', province, doc.project_ids ?? [], 'project_ids')
  await checkRecords(
    trx,
    fails,
    scope,
    'establishments',
    province,
    doc.establishment_ids ?? [],
    'establishment_ids',
  )
  const start = doc.inspection_date
  for (const [i, f] of (doc.follow_ups ?? []).entries()) {
    const at = `follow_ups/${i}`
    fails.check(Boolean(start && f.due_date < start), 'body', `${at}/due_date`, {
      vi: 'không được sớm hơn inspection_date',
      en: 'must not be before inspection_date',
    })
    fails.check(f.status === 'done' && !f.done_date, 'body', `${at}/done_date`, {
      vi: 'là bắt buộc khi việc cần làm đã hoàn thành (done)',
      en: 'is required when the action is done',
    })
    fails.check(f.status !== 'done' && Boolean(f.done_date), 'body', `${at}/done_date`, {
      vi: `phải để trống khi việc cần làm đang ở trạng thái ${f.status}`,
      en: `must be absent while the action is ${f.status}`,
    })
    fails.check(Boolean(start && f.done_date && f.done_date < start), 'body', `${at}/done_date`, {
      vi: 'không được sớm hơn inspection_date',
      en: 'must not be before inspection_date',
    })
  }
  await checkOrigin(trx, fails, doc.province_code, doc.origin_province_code)
  fails.throwIfAny()
}

const MINISTRY_INSPECTIONS = MINISTRY_RECORDS.inspections

/** The inspector writes an inspection: the ministry its own inspections of a province, the province its own. */
const inspector = (scope: Scope, current: InspectionRow) =>
  deciderForWrite(scope, current.inspected_by as Decider, current.province_code, MINISTRY_INSPECTIONS)

/**
 * What the province may change in the ministry's inspection: the status and dates of the follow-ups
 * it was asked for, nothing else (the actions themselves, their number, the findings stay the
 * ministry's). The trigger of migration 0064 checks the same in the database.
 */
function checkFollowUpUpdate(current: InspectionRow, patch: Draft) {
  const fixed = (list: Draft['follow_ups']) => JSON.stringify((list ?? []).map(({ action }) => action))
  const others = Object.keys(patch).filter((field) => field !== 'follow_ups')
  if (others.length > 0 || fixed(patch.follow_ups) !== fixed(current.follow_ups)) {
    throw problem('forbidden', {
      vi:
        `${MINISTRY_INSPECTIONS.vi} do Bộ ghi nhận; tỉnh chỉ cập nhật trạng thái và ngày tháng ` +
        'của các việc cần làm sau kiểm tra.',
      en:
        `${MINISTRY_INSPECTIONS.en} are recorded by the ministry; the province updates only the status and dates ` +
        'of their follow-ups.',
    })
  }
}

/** How updates and deletes find a record; who may write it is decided per operation. */
const writes = { entity: ENTITY, find: findForUpdate }

const inspections: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Inspection)
  const Insp = Type.Ref('Inspection')

  app.get(
    '/v1/inspections',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listInspections',
        tags: ['inspections'],
        summary: 'List inspections',
        description:
          'Kiểm tra, giám sát, đánh giá — inspections, supervision and evaluations of khuyến công, newest ' +
          'first. A province sees its own; the ministry all. `has_open_follow_ups=true` finds those with ' +
          'follow-up actions not done. `Accept: text/csv` streams every match.',
        querystring: ListInspectionsQuery,
        response: csvResponses(
          Page(Inspection, 'Một trang đợt kiểm tra — a page of inspections, newest first.'),
          'Một trang đợt kiểm tra — a page of inspections',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'inspections.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/inspections',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createInspection',
        tags: ['inspections'],
        summary: 'Record an inspection',
        description:
          'Ghi nhận đợt kiểm tra — record an inspection, supervision or evaluation: a province its own, in ' +
          'its province (`inspected_by: province`); the ministry its inspection of a province’s work, naming ' +
          '`province_code` (`inspected_by: ministry`). A follow-up marked `done` needs its `done_date`. Send `Idempotency-Key` so that a retry never ' +
          'records it twice.',
        headers: idempotencyHeader,
        body: CreateInspection,
        response: {
          201: { ...Inspection, $id: undefined, description: 'Đã ghi nhận — the recorded inspection.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/inspections',
        async create(trx, scope) {
          const { province_code, ...body } = request.body
          // Whoever records an inspection is who inspected.
          const inspectedBy: Decider = scope.role
          const province = deciderForWrite(scope, inspectedBy, province_code, MINISTRY_INSPECTIONS)
          await check(trx, scope, { ...body, province_code: province })
          return insert(trx, { ...body, province_code: province, inspected_by: inspectedBy })
        },
      }),
  )

  app.get(
    '/v1/inspections/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getInspection',
        tags: ['inspections'],
        summary: 'Get an inspection',
        description: 'Một đợt kiểm tra — one inspection, with its version as `ETag`.',
        params: InspectionParams,
        response: readResponses(Insp),
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
    '/v1/inspections/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateInspection',
        tags: ['inspections'],
        summary: 'Update an inspection',
        description:
          'Sửa đợt kiểm tra — change some fields (merge patch; lists replace the whole list), e.g. mark a ' +
          'follow-up done. Requires `If-Match` with the current `ETag`: a stale one gets 412, none gets 428. ' +
          'The inspector writes it; on the ministry’s inspection the province may change only the `status`, ' +
          '`due_date` and `done_date` of its `follow_ups` (anything else: 403).',
        params: InspectionParams,
        headers: ifMatchHeader,
        body: UpdateInspection,
        response: updateResponses(Insp, 'unprocessable'),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        // The province answers the ministry's follow-ups; everything else is the inspector's.
        authorize: (scope, current) =>
          current.inspected_by === 'ministry' && scope.role === 'province'
            ? provinceForWrite(scope, current.province_code)
            : inspector(scope, current),
        async write(trx, scope, current) {
          if (current.inspected_by === 'ministry' && scope.role === 'province') {
            checkFollowUpUpdate(current, request.body)
          }
          await check(trx, scope, { ...current, ...request.body })
          return update(trx, current.id, request.body)
        },
      }),
  )

  app.delete(
    '/v1/inspections/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteInspection',
        tags: ['inspections'],
        summary: 'Delete an inspection',
        description:
          'Xóa đợt kiểm tra — delete an inspection recorded by mistake (the audit trail keeps it), by its ' +
          'inspector (the ministry its own; anyone else 403). Requires `If-Match`.',
        params: InspectionParams,
        headers: ifMatchHeader,
        response: deleteResponses(),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        authorize: inspector,
        async remove(trx, _scope, current) {
          await remove(trx, current.id)
        },
      }),
  )
}

export default inspections
