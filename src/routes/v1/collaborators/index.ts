import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditErasure, PERSONAL_FIELDS } from '../../../db/audit.ts'
import { checkCommunes } from '../../../db/references.ts'
import { checkOrigin, provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { csvResponses, listOrCsv } from '../../../domain/listing.ts'
import { type Noun, notFound } from '../../../domain/nouns.ts'
import {
  createVersioned,
  deleteVersioned,
  idempotencyHeader,
  ifMatchHeader,
  readVersioned,
  updateVersioned,
  versionTag,
  withoutMeta,
} from '../../../domain/versioned.ts'
import { Page } from '../../../lib/pagination.ts'
import { FieldErrors, problem } from '../../../lib/problems.ts'
import { deleteResponses, problemResponses, readResponses, updateResponses } from '../../../lib/schemas.ts'
import coverage from './coverage.ts'
import {
  type CollaboratorRow,
  CSV_COLUMNS,
  erase,
  findById,
  findForUpdate,
  insert,
  listQuery,
  remove,
  SORT,
  update,
} from './repository.ts'
import {
  Collaborator,
  CollaboratorParams,
  CreateCollaborator,
  ListCollaboratorsQuery,
  UpdateCollaborator,
} from './schemas.ts'

const ENTITY: Noun = 'collaborator'

type Draft = Partial<Omit<CollaboratorRow, 'id' | 'communes' | 'version' | 'created_at' | 'updated_at'>>

/** Rules across fields, checked before writing so that the answer names every failing field. */
async function check(trx: Trx, doc: Draft & { province_code: string }, communes?: string[]) {
  const { start_date, end_date, status } = doc
  const fails = new FieldErrors()
  fails.check(Boolean(end_date && start_date && end_date < start_date), 'body', 'end_date', {
    vi: 'không được sớm hơn start_date',
    en: 'must not be before start_date',
  })
  fails.check(status === 'ended' && !end_date, 'body', 'end_date', {
    vi: 'là bắt buộc khi trạng thái là ended',
    en: 'is required when the status is ended',
  })
  fails.check(
    Boolean(doc.appointment_decision_number && !doc.appointment_decision_date),
    'body',
    'appointment_decision_date',
    {
      vi: 'là bắt buộc khi có appointment_decision_number',
      en: 'is required with appointment_decision_number',
    },
  )
  fails.check(
    Boolean(doc.appointment_decision_date && !doc.appointment_decision_number),
    'body',
    'appointment_decision_number',
    { vi: 'là bắt buộc khi có appointment_decision_date', en: 'is required with appointment_decision_date' },
  )
  if (communes) {
    communes.forEach((code, i) => {
      const first = communes.indexOf(code)
      fails.check(first !== i, 'body', `communes/${i}`, {
        vi: `bị liệt kê hai lần (đã có tại /communes/${first})`,
        en: `is listed twice (also at /communes/${first})`,
      })
    })
    await checkCommunes(trx, fails, doc.province_code, communes)
  }
  await checkOrigin(trx, fails, doc.province_code, doc.origin_province_code)
  fails.throwIfAny()
}

/**
 * A collaborator's personal fields (PERSONAL_FIELDS.collaborator in db/audit.ts) once erased: no
 * value, and a pseudonym for the name the record needs — distinct per record, meaningless outside.
 */
const erasedFields = (
  id: string,
): Partial<Pick<CollaboratorRow, 'full_name' | 'phone' | 'email' | 'organisation'>> =>
  Object.fromEntries(
    (PERSONAL_FIELDS.collaborator ?? []).map((field) => [
      field,
      field === 'full_name' ? `Cộng tác viên đã xóa ${id.slice(0, 8)}` : null,
    ]),
  )

const isErased = (row: CollaboratorRow) =>
  Object.entries(erasedFields(row.id)).every(
    ([field, value]) => row[field as keyof CollaboratorRow] === value,
  )

/** How updates and deletes find and authorise a record. */
const writes = {
  entity: ENTITY,
  find: findForUpdate,
  authorize: (scope: Scope, current: CollaboratorRow) => provinceForWrite(scope, current.province_code),
}

const collaborators: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Collaborator)
  const Collab = Type.Ref('Collaborator')

  app.get(
    '/v1/collaborators',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listCollaborators',
        tags: ['collaborators'],
        summary: 'List collaborators',
        description:
          'Cộng tác viên khuyến công — the collaborator network, latest appointments first. A province sees ' +
          'its own (with phone and email); the ministry all; no province sees another’s. `active_on=` applies ' +
          'the rule coverage uses. `Accept: text/csv` streams every match.',
        querystring: ListCollaboratorsQuery,
        response: csvResponses(
          Page(Collaborator, 'Một trang cộng tác viên — a page of collaborators, latest start first.'),
          'Một trang cộng tác viên — a page of collaborators',
        ),
      },
    },
    async (request, reply) =>
      listOrCsv(request, reply, {
        filename: 'collaborators.csv',
        columns: [...CSV_COLUMNS],
        query: (trx, scope) => listQuery(trx, scope, request.query),
        keys: SORT,
        page: request.query,
      }),
  )

  app.post(
    '/v1/collaborators',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createCollaborator',
        tags: ['collaborators'],
        summary: 'Record a collaborator',
        description:
          'Ghi nhận cộng tác viên — record a collaborator of the caller’s province and the communes they ' +
          'cover (each a commune of that province: a foreign one gets 400 naming `/communes/<index>`). Send ' +
          '`Idempotency-Key` so that a retry never records them twice.',
        headers: idempotencyHeader,
        body: CreateCollaborator,
        response: {
          201: { ...Collaborator, $id: undefined, description: 'Đã ghi nhận — the recorded collaborator.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createVersioned(request, reply, {
        entity: ENTITY,
        path: '/v1/collaborators',
        async create(trx, scope) {
          const { province_code, communes = [], training, ...body } = request.body
          const province = provinceForWrite(scope, province_code)
          const draft = { ...body, province_code: province }
          await check(trx, draft, communes)
          return insert(trx, scope, { ...draft, training }, communes)
        },
      }),
  )

  app.get(
    '/v1/collaborators/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getCollaborator',
        tags: ['collaborators'],
        summary: 'Get a collaborator',
        description:
          'Một cộng tác viên — one collaborator with their communes, and the version as `ETag`. Another ' +
          'province’s collaborator is 404.',
        params: CollaboratorParams,
        response: readResponses(Collab),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, { entity: ENTITY, id: request.params.id, find: findById }),
  )

  app.patch(
    '/v1/collaborators/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateCollaborator',
        tags: ['collaborators'],
        summary: 'Update a collaborator',
        description:
          'Sửa cộng tác viên — change some fields (merge patch; `communes` and `training` replace the whole ' +
          'list). Requires `If-Match` with the current `ETag`: a stale one gets 412, none gets 428.',
        params: CollaboratorParams,
        headers: ifMatchHeader,
        body: UpdateCollaborator,
        response: updateResponses(Collab, 'unprocessable'),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        ...writes,
        id: request.params.id,
        async write(trx, scope, current) {
          const { communes, ...rest } = request.body
          await check(trx, { ...current, ...request.body }, communes)
          return update(trx, scope, current, rest, communes)
        },
      }),
  )

  app.delete(
    '/v1/collaborators/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteCollaborator',
        tags: ['collaborators'],
        summary: 'Delete a collaborator',
        description:
          'Xóa cộng tác viên — delete a collaborator recorded by mistake, with their commune assignments (the ' +
          'audit trail keeps them). A collaborator who stopped working is not deleted: set `status` to ' +
          '`ended` with an `end_date`, so coverage on past dates stays true. Requires `If-Match`.',
        params: CollaboratorParams,
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

  app.post(
    '/v1/collaborators/:id/erasure',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'eraseCollaboratorPersonalData',
        tags: ['collaborators'],
        summary: 'Erase a collaborator’s personal data',
        description:
          'Xóa dữ liệu cá nhân — the ministry erases a collaborator’s personal data (Decree 13/2023/NĐ-CP): ' +
          'phone, email and organisation become null and the name a pseudonym; the facts the statistics ' +
          'use (province, communes, dates, status, appointment, training) stay. Values still held by older ' +
          'audit events of the record are withheld too, and the erasure is itself an audit event (action ' +
          '`erasure`, without the erased values). Idempotent: erasing an erased record changes nothing. ' +
          'Ministry only, with the write scope: a province gets 403. No body; no If-Match needed.',
        params: CollaboratorParams,
        response: readResponses(Collab),
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const row = await request.tenant(async (trx, scope) => {
        if (scope.role !== 'ministry') {
          throw problem('forbidden', {
            vi: 'Chỉ Bộ mới được xóa dữ liệu cá nhân của cộng tác viên.',
            en: 'Only the ministry erases a collaborator’s personal data.',
          })
        }
        const current = await findForUpdate(trx, scope, id)
        if (!current) throw notFound(ENTITY, id)
        if (current.personal_data_erased_at && isErased(current)) return current
        const next = await erase(trx, scope, id, erasedFields(id))
        await auditErasure(trx, {
          entityType: ENTITY,
          entityId: id,
          provinceCode: current.province_code,
          before: withoutMeta(current),
          after: withoutMeta(next),
        })
        return next
      })
      reply.header('etag', versionTag(row.version))
      return row
    },
  )

  await app.register(coverage)
}

export default collaborators
