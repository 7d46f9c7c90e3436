import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from 'typebox'
import { checkOrigin, provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
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
import { FieldErrors } from '../../../lib/problems.ts'
import { deleteResponses, problemResponses, readResponses, updateResponses } from '../../../lib/schemas.ts'
import {
  COLUMNS,
  findById,
  findForUpdate,
  type ImplementingUnitRow,
  insert,
  listQuery,
  remove,
  SORT,
  update,
} from './repository.ts'
import {
  CreateImplementingUnit,
  ImplementingUnit,
  ImplementingUnitParams,
  ListImplementingUnitsQuery,
  type StaffYear,
  UpdateImplementingUnit,
} from './schemas.ts'

const ENTITY: Noun = 'implementing_unit'

type Staff = Static<typeof StaffYear>[]

/** Rules across fields, checked before writing so that the answer names the field. */
async function check(
  trx: Trx,
  unit: {
    province_code: string
    staff?: Staff | undefined
    origin_province_code?: string | null | undefined
  },
) {
  const fails = new FieldErrors()
  const seen = new Set<number>()
  for (const [i, s] of (unit.staff ?? []).entries()) {
    fails.check(seen.has(s.year), 'body', `staff/${i}/year`, {
      vi: `trùng năm ${s.year}: mỗi năm chỉ một mục`,
      en: `repeats year ${s.year}: one entry per year`,
    })
    seen.add(s.year)
    const sum = s.full_time_khuyen_cong + s.other_staff
    fails.check(sum !== s.headcount_total, 'body', `staff/${i}/headcount_total`, {
      vi: `phải bằng full_time_khuyen_cong + other_staff (${sum})`,
      en: `must equal full_time_khuyen_cong + other_staff (${sum})`,
    })
    const q = s.by_qualification
    fails.check(
      Boolean(q && q.postgraduate + q.university + q.college + q.other !== s.headcount_total),
      'body',
      `staff/${i}/by_qualification`,
      {
        vi: `phải có tổng bằng headcount_total (${s.headcount_total})`,
        en: `must add up to headcount_total (${s.headcount_total})`,
      },
    )
  }
  await checkOrigin(trx, fails, unit.province_code, unit.origin_province_code)
  fails.throwIfAny()
}

/** How updates and deletes find and authorise a record. */
const writes = {
  entity: ENTITY,
  find: findForUpdate,
  authorize: (scope: Scope, current: ImplementingUnitRow) => provinceForWrite(scope, current.province_code),
}

const implementingUnits: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(ImplementingUnit)
  const Unit = Type.Ref('ImplementingUnit')

  app.get(
    '/v1/implementing-units',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listImplementingUnits',
        tags: ['implementing-units'],
        summary: 'List implementing units',
        description:
          'Đơn vị thực hiện khuyến công — the units that carry out khuyến công (Trung tâm Khuyến công…), by ' +
          'name. A province sees its own; the ministry all. `Accept: text/csv` streams every match (staff and ' +
          'equipment as JSON cells).',
        querystring: ListImplementingUnitsQuery,
        response: csvResponses(
          Page(ImplementingUnit, 'Một trang đơn vị — a page of implementing units, by name.'),
          'Một trang đơn vị — a page of implementing units',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'implementing-units.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/implementing-units',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createImplementingUnit',
        tags: ['implementing-units'],
        summary: 'Record an implementing unit',
        description:
          'Ghi nhận đơn vị — record an implementing unit of the caller’s province. In each `staff` entry ' +
          'full-time + other staff = total, and the qualifications, when given, add up to the total; one entry ' +
          'per year. Send `Idempotency-Key` so that a retry never records it twice.',
        headers: idempotencyHeader,
        body: CreateImplementingUnit,
        response: {
          201: { ...ImplementingUnit, $id: undefined, description: 'Đã ghi nhận — the recorded unit.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/implementing-units',
        async create(trx, scope) {
          const { province_code, ...body } = request.body
          const province = provinceForWrite(scope, province_code)
          await check(trx, { ...body, province_code: province })
          return insert(trx, { ...body, province_code: province })
        },
      }),
  )

  app.get(
    '/v1/implementing-units/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getImplementingUnit',
        tags: ['implementing-units'],
        summary: 'Get an implementing unit',
        description: 'Một đơn vị — one implementing unit, with its version as `ETag`.',
        params: ImplementingUnitParams,
        response: readResponses(Unit),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, { entity: ENTITY, id: request.params.id, find: findById }),
  )

  app.patch(
    '/v1/implementing-units/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateImplementingUnit',
        tags: ['implementing-units'],
        summary: 'Update an implementing unit',
        description:
          'Sửa đơn vị — change some fields (merge patch; `staff` and `equipment` are replaced whole). Requires ' +
          '`If-Match` with the current `ETag`: a stale one gets 412, none gets 428.',
        params: ImplementingUnitParams,
        headers: ifMatchHeader,
        body: UpdateImplementingUnit,
        response: updateResponses(Unit),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, _scope, current) {
          await check(trx, { ...current, ...request.body })
          return update(trx, current.id, request.body)
        },
      }),
  )

  app.delete(
    '/v1/implementing-units/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteImplementingUnit',
        tags: ['implementing-units'],
        summary: 'Delete an implementing unit',
        description:
          'Xóa đơn vị — delete a unit recorded by mistake (the audit trail keeps it); a unit that was dissolved ' +
          'or merged is kept with `status: dissolved` instead. Requires `If-Match`.',
        params: ImplementingUnitParams,
        headers: ifMatchHeader,
        response: deleteResponses(),
      },
    },
    async (request, reply) =>
      deleteVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async remove(trx, _scope, current) {
          await remove(trx, current.id)
        },
      }),
  )
}

export default implementingUnits
