// Attachments (issue #17): the signed documents kept with their records. Each kind of record in
// parents.ts gets `POST` and `GET …/attachments`; an attachment itself is read, downloaded and
// deleted at `/v1/attachments/{id}`. An upload is the file itself (its Content-Type and a
// Content-Disposition naming it): the record is checked first (404, 403) and the size announced
// (413) before a byte is read; the body is then spooled to a temporary file — counted (413 past
// the limit) and hashed as it arrives, with no database connection held — checked by content
// (415) and written in chunks in one transaction with its audit event and Idempotency-Key.
import type { Readable } from 'node:stream'
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { audit } from '../../../db/audit.ts'
import type { Scope, Trx } from '../../../db/tenancy.ts'
import { NOUNS, type Noun, notFound } from '../../../domain/nouns.ts'
import { createOnce, ifMatch } from '../../../domain/versioned.ts'
import { problem } from '../../../lib/problems.ts'
import { deleteResponses, problemResponses } from '../../../lib/schemas.ts'
import { type Spool, spool } from '../../../lib/spool.ts'
import { capitalize } from '../../../lib/text.ts'
import { CHUNK_SIZE, checkContent, etagOf, sendContent, writeChunks } from './files.ts'
import { formFile, rawFile, UNDECLARED } from './incoming.ts'
import { idParam, PARENTS, type Parent, type ParentKind, parentKind } from './parents.ts'
import { type AttachmentRow, countOf, findById, insert, listOf, lockRecord, remove } from './repository.ts'
import {
  Attachment,
  AttachmentList,
  AttachmentParams,
  ContentHeaders,
  MEDIA_TYPES,
  MEDIA_TYPES_TEXT,
  recordParams,
  UploadHeaders,
  UploadQuery,
} from './schemas.ts'

const ENTITY: Noun = 'attachment'

/** The representation: the chunk size is storage, not contract. */
const view = ({ chunk_size: _c, ...a }: AttachmentRow) => a

/**
 * The record of `kind` the path names, as the caller sees it (404), and — when asked — one the caller
 * may attach to (403) that takes attachments now (409).
 */
async function recordOf(
  trx: Trx,
  scope: Scope,
  kind: ParentKind,
  params: Record<string, string>,
  write: boolean,
): Promise<Parent> {
  const id = params[idParam(kind)] as string
  const parent = await kind.find(trx, scope, id)
  if (!parent || (kind.within && !kind.within(parent, params))) throw notFound(kind.type, id)
  if (write) {
    kind.authorize(scope, parent)
    const closed = kind.closed?.(parent)
    if (closed) throw problem('conflict', closed)
  }
  return parent
}

/** Raw bodies reach the handler as streams, kept beside the request (see establishments/imports). */
const uploads = new WeakMap<FastifyRequest, Readable>()

/** A body or answer that is one of the kept media types' bytes (OpenAPI 3.1: no `type`, a media type). */
const binary = (description: string) =>
  Object.fromEntries(MEDIA_TYPES.map((type) => [type, { schema: { contentMediaType: type, description } }]))

const attachments: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Attachment)
  const Ref = Type.Ref('Attachment')
  const { maxBytes, maxPerRecord } = app.config.attachments
  // Cut when the service closes: a spooling upload ends with 503 rather than holding the close.
  const closing = new AbortController()
  app.addHook('onClose', async () => closing.abort())

  // Every body is a file here: none is parsed, whatever its type; the handler reads the stream.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (request, payload, done) => {
    uploads.set(request, payload)
    done(null, undefined)
  })
  // Forms (busboy reads a part's filename as UTF-8, or filename*=UTF-8''…).
  await app.register(multipart)

  for (const kind of PARENTS) {
    const url = `${kind.path}/attachments`
    const params = recordParams(kind.path)

    app.post(
      url,
      {
        config: { access: 'write' },
        // A form is read by the handler as it streams: the validators see an empty one (as JSON
        // arrays of an import show them an empty array).
        preValidation: async (request) => {
          if (request.isMultipart()) request.body = {}
        },
        schema: {
          operationId: `upload${kind.name}Attachment`,
          tags: ['attachments'],
          summary: `Attach a document to a ${NOUNS[kind.type].en}`,
          description:
            `Đính kèm tài liệu — keep a signed document with the ${NOUNS[kind.type].en}: the body is the file itself, with ` +
            `its \`Content-Type\` (${MEDIA_TYPES_TEXT}) and \`Content-Disposition: attachment; ` +
            "filename*=UTF-8''…` (RFC 6266, RFC 8187: the name is kept exactly, Vietnamese included). Who may " +
            `change the ${NOUNS[kind.type].en} may attach to it (otherwise 403; one not visible → 404). The type is ` +
            'checked by content: bytes that are not what `Content-Type` says, or of another type, → 415 naming ' +
            `what was found. Up to ATTACHMENT_MAX_BYTES (default 25 MB; a larger \`Content-Length\` → 413 at ` +
            'once, a body that grows past it → 413 when it does) and ATTACHMENT_MAX_PER_RECORD per record ' +
            '(default 50; more → 409). Send `Idempotency-Key` so that a retry never keeps the file twice.',
          params,
          querystring: UploadQuery,
          headers: UploadHeaders,
          body: {
            content: {
              ...binary('Tệp — the file’s bytes.'),
              [UNDECLARED]: {
                schema: {
                  description: 'Tệp — the file’s bytes, its type left to what its content shows.',
                },
              },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  description:
                    'Biểu mẫu — a form with one part `file` (required: the file, its name and type) and, before ' +
                    'it, an optional `description`.',
                  properties: {
                    description: {
                      type: 'string',
                      minLength: 1,
                      maxLength: 2000,
                      description: 'Mô tả — description.',
                    },
                    file: {
                      description: `Tệp — the file (${MEDIA_TYPES_TEXT}), with its filename and type.`,
                      contentMediaType: 'application/octet-stream',
                    },
                  },
                },
                encoding: { file: { contentType: [...MEDIA_TYPES, UNDECLARED].join(', ') } },
              },
            },
          },
          response: {
            201: { ...Ref, description: 'Đã lưu — the attachment kept.' },
            ...problemResponses(
              'validation_failed',
              'unauthorized',
              'forbidden',
              'not_found',
              'request_timeout',
              'conflict',
              'payload_too_large',
              'unsupported_media_type',
              'unprocessable',
              'service_unavailable',
            ),
          },
        },
      },
      async (request, reply) => upload(request, reply, kind),
    )

    app.get(
      url,
      {
        config: { access: 'read' },
        schema: {
          operationId: `list${kind.name}Attachments`,
          tags: ['attachments'],
          summary: `List a ${NOUNS[kind.type].en}’s attachments`,
          description: `Tài liệu của hồ sơ — the documents kept with the ${NOUNS[kind.type].en}, oldest first.`,
          params,
          response: {
            200: AttachmentList,
            ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
          },
        },
      },
      async (request) =>
        request.tenant(async (trx, scope) => {
          const parent = await recordOf(trx, scope, kind, request.params as Record<string, string>, false)
          return { items: (await listOf(trx, scope, kind.type, parent.id)).map(view) }
        }),
    )
  }

  async function upload(request: FastifyRequest, reply: FastifyReply, kind: ParentKind) {
    const params = request.params as Record<string, string>
    const query = request.query as { role: string; description?: string }
    // A refusal before the body is read closes the connection rather than reading the file sent.
    reply.header('connection', 'close')
    const raw = request.isMultipart() ? undefined : rawFile(request, uploads.get(request))
    if (Number(request.headers['content-length']) > maxBytes) throw tooLarge()
    // Before a byte is read: the record is there and the caller may attach to it.
    await request.tenant((trx, scope) => recordOf(trx, scope, kind, params, true))
    const incoming = raw ?? (await formFile(request, maxBytes))
    reply.removeHeader('connection')
    const description = incoming.description ?? query.description

    let file: Spool | undefined
    try {
      file = await spool(incoming.stream, {
        limit: maxBytes,
        idleMs: app.config.imports.bodyIdleTimeoutMs,
        signal: closing.signal,
        hash: true,
      })
      const received = file
      const mediaType = await checkContent(received, incoming.declared)
      const sha256 = received.sha256 as string
      const fingerprint = { role: query.role, description, filename: incoming.filename, sha256 }
      return await createOnce(
        request,
        reply,
        async (trx, scope) => {
          const parent = await recordOf(trx, scope, kind, params, true)
          await lockRecord(trx, parent.id)
          if ((await countOf(trx, kind.type, parent.id)) >= maxPerRecord) {
            throw problem('conflict', {
              vi: `${capitalize(NOUNS[kind.type].vi)} này đã có đủ ${maxPerRecord} tệp đính kèm.`,
              en: `The ${NOUNS[kind.type].en} already keeps ${maxPerRecord} attachments.`,
            })
          }
          const row = await insert(trx, {
            province_code: parent.province_code,
            parent_type: kind.type,
            parent_id: parent.id,
            role: query.role,
            filename: incoming.filename,
            media_type: mediaType,
            size: received.bytes,
            sha256,
            chunk_size: CHUNK_SIZE,
            description: description ?? null,
            uploaded_by: scope.sub,
          })
          await writeChunks(trx, row, received)
          const attachment = view(row)
          await audit(trx, {
            entityType: ENTITY,
            entityId: row.id,
            provinceCode: row.province_code,
            action: 'create',
            after: attachment,
          })
          return { body: attachment, location: `/v1/attachments/${row.id}` }
        },
        fingerprint,
      ).then((attachment) => {
        reply.header('etag', etagOf(attachment))
        return attachment
      })
    } finally {
      await file?.remove()
    }
  }

  const tooLarge = () =>
    problem('payload_too_large', {
      vi: `Tệp đính kèm không được lớn hơn ${maxBytes} byte.`,
      en: `An attachment is at most ${maxBytes} bytes.`,
    })

  /** The attachment, if the caller sees it (else 404). */
  const visible = (request: FastifyRequest, id: string) =>
    request.tenant(async (trx, scope) => {
      const found = await findById(trx, scope, id)
      if (!found) throw notFound(ENTITY, id)
      return found
    })

  app.get(
    '/v1/attachments/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getAttachment',
        tags: ['attachments'],
        summary: 'Get an attachment’s metadata',
        description:
          'Một tài liệu — what is known of an attachment: name, media type, size, SHA-256, who uploaded it ' +
          'and when. Its `ETag` is the hash (the same as its download’s).',
        params: AttachmentParams,
        response: {
          200: Ref,
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request, reply) => {
      const found = await visible(request, request.params.id)
      reply.header('etag', etagOf(found))
      return view(found)
    },
  )

  app.get(
    '/v1/attachments/:id/content',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getAttachmentContent',
        tags: ['attachments'],
        summary: 'Download an attachment',
        description:
          'Tải tài liệu — the file’s bytes, streamed, with its `Content-Type`, `Content-Length` and ' +
          '`Content-Disposition: attachment; filename="…"; filename*=UTF-8\'\'…` (the name as uploaded). ' +
          '`ETag` is the SHA-256: `If-None-Match` with it → 304. One `Range` (`bytes=0-1023`, `bytes=-500`) → ' +
          '206 with `Content-Range`; a range outside the file → 416; several ranges are answered with the ' +
          'whole file, and so is a range whose `If-Range` is not the `ETag`. The hash is checked as the whole file ' +
          'streams: a file damaged in storage is cut short.',
        params: AttachmentParams,
        headers: ContentHeaders,
        response: {
          200: { description: 'Tệp — the whole file.', content: binary('Tệp — the file’s bytes.') },
          206: {
            description: 'Một đoạn — the range asked for.',
            content: binary('Đoạn — the bytes of the range.'),
          },
          304: Type.Null({
            description: 'Không thay đổi — `If-None-Match` names the file’s `ETag`; no body.',
          }),
          ...problemResponses(
            'validation_failed',
            'unauthorized',
            'forbidden',
            'not_found',
            'range_not_satisfiable',
          ),
        },
      },
    },
    async (request, reply) => sendContent(request, reply, await visible(request, request.params.id)),
  )

  app.delete(
    '/v1/attachments/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteAttachment',
        tags: ['attachments'],
        summary: 'Delete an attachment',
        description:
          'Xóa tài liệu — remove a document attached by mistake (the audit trail keeps what it was). Requires ' +
          '`If-Match` with its `ETag` (the SHA-256). Whoever may attach to the record may delete (else 403). ' +
          'Refused (409) for the approval decision of a scheme that is approved or later.',
        params: AttachmentParams,
        headers: Type.Object({
          'if-match': Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'Phiên bản — the attachment’s `ETag` (its SHA-256, quoted) or `*`. None → 428.',
          }),
        }),
        response: deleteResponses('conflict'),
      },
    },
    async (request, reply) => {
      const matches = ifMatch(request)
      await request.tenant(async (trx, scope) => {
        const current = await findById(trx, scope, request.params.id)
        if (!current) throw notFound(ENTITY, request.params.id)
        const kind = parentKind(current.parent_type)
        const parent = kind && (await kind.find(trx, scope, current.parent_id))
        if (!kind || !parent) throw notFound(ENTITY, request.params.id)
        kind.authorize(scope, parent)
        matches(etagOf(current), { vi: 'đó đã là một tệp khác', en: 'it is another file' })
        const kept = kind.keeps?.(parent, current.role)
        if (kept) throw problem('conflict', kept)
        if (!(await remove(trx, current.id))) throw notFound(ENTITY, request.params.id)
        await audit(trx, {
          entityType: ENTITY,
          entityId: current.id,
          provinceCode: current.province_code,
          action: 'delete',
          before: view(current),
        })
      })
      return reply.code(204).send(null)
    },
  )
}

export default attachments
