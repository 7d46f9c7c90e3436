import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { checkRecords } from '../../../db/references.ts'
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
  type CommunicationActivityRow,
  findById,
  findForUpdate,
  insert,
  listQuery,
  remove,
  SORT,
  update,
} from './repository.ts'
import {
  CommunicationActivity,
  CommunicationActivityParams,
  CreateCommunicationActivity,
  DIGITAL_CHANNELS,
  ListCommunicationActivitiesQuery,
  UpdateCommunicationActivity,
} from './schemas.ts'

const ENTITY: Noun = 'communication_activity'

const isDigitalChannel = (channel: string) => DIGITAL_CHANNELS.includes(channel)

/** Rules across fields, checked before writing so that the answer names the field. */
async function check(
  trx: Trx,
  scope: Scope,
  activity: {
    province_code: string
    project_id?: string | null | undefined
    reach?: number | null | undefined
    reach_unit?: string | null | undefined
    origin_province_code?: string | null | undefined
  },
) {
  const hasReach = activity.reach != null
  const hasUnit = activity.reach_unit != null
  const fails = new FieldErrors()
  fails.check(hasReach && !hasUnit, 'body', 'reach_unit', {
    vi: 'là bắt buộc khi có reach',
    en: 'is required when reach is given',
  })
  fails.check(hasUnit && !hasReach, 'body', 'reach', {
    vi: 'là bắt buộc khi có reach_unit',
    en: 'is required when reach_unit is given',
  })
  await checkOrigin(trx, fails, activity.province_code, activity.origin_province_code)
  await checkRecords(trx, fails, scope, 'projects', activity.province_code, activity.project_id, 'project_id')
  fails.throwIfAny()
}

/** How updates and deletes find and authorise a record. */
const writes = {
  entity: ENTITY,
  find: findForUpdate,
  authorize: (scope: Scope, current: CommunicationActivityRow) =>
    provinceForWrite(scope, current.province_code),
}

const communicationActivities: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(CommunicationActivity)
  const Activity = Type.Ref('CommunicationActivity')

  app.get(
    '/v1/communication-activities',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listCommunicationActivities',
        tags: ['communication-activities'],
        summary: 'List communication activities',
        description:
          'Thông tin tuyên truyền — communication activities on khuyến công (television, radio, print, web, ' +
          'social media, events), newest first. A province sees its own; the ministry all. `Accept: text/csv` ' +
          'streams every match.',
        querystring: ListCommunicationActivitiesQuery,
        response: csvResponses(
          Page(
            CommunicationActivity,
            'Một trang hoạt động — a page of communication activities, newest first.',
          ),
          'Một trang hoạt động — a page of communication activities',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'communication-activities.csv',
        columns: [...COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/communication-activities',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createCommunicationActivity',
        tags: ['communication-activities'],
        summary: 'Record a communication activity',
        description:
          'Ghi nhận hoạt động — record a communication activity of the caller’s province. `is_digital` ' +
          'defaults from the channel. Send `Idempotency-Key` so that a retry never records it twice.',
        headers: idempotencyHeader,
        body: CreateCommunicationActivity,
        response: {
          201: {
            ...CommunicationActivity,
            $id: undefined,
            description: 'Đã ghi nhận — the recorded activity.',
          },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/communication-activities',
        async create(trx, scope) {
          const { province_code, ...body } = request.body
          const province = provinceForWrite(scope, province_code)
          const draft = {
            ...body,
            is_digital: body.is_digital ?? isDigitalChannel(body.channel),
            province_code: province,
          }
          await check(trx, scope, draft)
          return insert(trx, draft)
        },
      }),
  )

  app.get(
    '/v1/communication-activities/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getCommunicationActivity',
        tags: ['communication-activities'],
        summary: 'Get a communication activity',
        description: 'Một hoạt động — one communication activity, with its version as `ETag`.',
        params: CommunicationActivityParams,
        response: readResponses(Activity),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, { entity: ENTITY, id: request.params.id, find: findById }),
  )

  app.patch(
    '/v1/communication-activities/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateCommunicationActivity',
        tags: ['communication-activities'],
        summary: 'Update a communication activity',
        description:
          'Sửa hoạt động — change some fields (merge patch). A new `channel` without `is_digital` derives ' +
          '`is_digital` again. Requires `If-Match` with the current `ETag`: a stale one gets 412, none gets 428.',
        params: CommunicationActivityParams,
        headers: ifMatchHeader,
        body: UpdateCommunicationActivity,
        response: updateResponses(Activity),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, scope, current) {
          const patch = { ...request.body }
          if (patch.channel && patch.channel !== current.channel && patch.is_digital === undefined) {
            patch.is_digital = isDigitalChannel(patch.channel)
          }
          await check(trx, scope, { ...current, ...patch })
          return update(trx, current.id, patch)
        },
      }),
  )

  app.delete(
    '/v1/communication-activities/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteCommunicationActivity',
        tags: ['communication-activities'],
        summary: 'Delete a communication activity',
        description:
          'Xóa hoạt động — delete an activity recorded by mistake (the audit trail keeps it). Requires `If-Match`.',
        params: CommunicationActivityParams,
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

export default communicationActivities
