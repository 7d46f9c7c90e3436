// The file of an upload request, in either form: the raw body (its Content-Type and
// Content-Disposition) or `multipart/form-data` with one file part (its own Content-Type and
// filename) and an optional `description` field before it. Either way the file is a stream the
// handler spools; nothing here reads it.
import type { Readable } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import { checkName, filenameOf } from '../../../lib/content-disposition.ts'
import { invalidField, problem } from '../../../lib/problems.ts'
import { MEDIA_TYPES } from './schemas.ts'

export interface Incoming {
  stream: Readable
  filename: string
  /** The media type the client declared; undefined when it left that to the content. */
  declared: string | undefined
  description: string | undefined
}

/** A client that does not know the type (curl -F does not for DOCX, XLSX, ODT) leaves it to the content. */
export const UNDECLARED = 'application/octet-stream'
export const ACCEPTED = [...MEDIA_TYPES, UNDECLARED, 'multipart/form-data']

/** The essence of a Content-Type (`application/pdf`), lower-cased. */
const essence = (header: string | undefined) => header?.split(';')[0]?.trim().toLowerCase() || undefined

function declaredType(type: string | undefined): string | undefined {
  if (!type || !ACCEPTED.includes(type) || type === 'multipart/form-data') {
    const types = [...MEDIA_TYPES, UNDECLARED].join(', ')
    throw problem('unsupported_media_type', {
      vi: `Hãy gửi tệp dưới dạng ${types} (hoặc multipart/form-data)${type ? `, không phải ${type}` : ''}.`,
      en: `Send the file as ${types} (or multipart/form-data)${type ? `, not ${type}` : ''}.`,
    })
  }
  return type === UNDECLARED ? undefined : type
}

/** The raw body's type and name, checked before anything is read (the stream is the parser's). */
export function rawFile(request: FastifyRequest, body: Readable | undefined): Incoming {
  const declared = declaredType(essence(request.headers['content-type']))
  if (!body) {
    throw problem('unsupported_media_type', {
      vi: 'Hãy gửi tệp trong nội dung yêu cầu.',
      en: 'Send the file as the body.',
    })
  }
  const named = filenameOf(request.headers['content-disposition'])
  if ('error' in named) throw invalidField('headers', 'content-disposition', named.error)
  return { stream: body, filename: named.name, declared, description: undefined }
}

/**
 * The file part of a form: read up to its start (the fields before it are small and bounded).
 * `limit` + 1 as busboy's own limit: the spool counts the bytes and answers 413 itself.
 */
export async function formFile(request: FastifyRequest, limit: number): Promise<Incoming> {
  const part = await request
    .file({ limits: { fileSize: limit + 1, files: 1, fields: 4, fieldSize: 4000, parts: 5 } })
    .catch((error: Error) => {
      throw problem('bad_request', {
        vi: `Không đọc được biểu mẫu: ${error.message}`,
        en: `The form could not be read: ${error.message}`,
      })
    })
  if (!part) {
    throw invalidField('body', 'file', {
      vi: 'là bắt buộc: một biểu mẫu kèm một tệp',
      en: 'is required: a form with one file',
    })
  }
  const named = checkName(part.filename)
  if ('error' in named) throw invalidField('body', 'file', named.error)
  const field = part.fields.description
  const description =
    field && !Array.isArray(field) && field.type === 'field' ? String(field.value) : undefined
  if (description !== undefined && (description.length < 1 || description.length > 2000)) {
    throw invalidField('body', 'description', {
      vi: 'phải có từ 1 đến 2000 ký tự',
      en: 'must be 1–2000 characters',
    })
  }
  return {
    stream: part.file,
    filename: named.name,
    declared: declaredType(essence(part.mimetype)),
    description,
  }
}
