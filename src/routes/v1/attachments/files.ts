// The bytes of an attachment, both ways. In: the spooled upload checked by content (file-type reads
// the magic numbers and, for DOCX, XLSX and ODT, the zip's entries) and written in chunks of
// CHUNK_SIZE. Out: the chunks read one short transaction at a time — no connection is held while a
// slow client reads, no whole file is held in memory — hashed as they go when the whole file is sent.
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { fileTypeFromTokenizer } from 'file-type'
import { FileTokenizer } from 'strtok3'
import type { Scope, Trx } from '../../../db/tenancy.ts'
import { contentDisposition } from '../../../lib/content-disposition.ts'
import { problem } from '../../../lib/problems.ts'
import type { Spool } from '../../../lib/spool.ts'
import { matchesAny } from '../../../plugins/etag.ts'
import { type AttachmentRow, chunk, insertChunk } from './repository.ts'
import { MEDIA_TYPES, MEDIA_TYPES_TEXT } from './schemas.ts'

/** 256 KiB: a few hundred rows for the largest file, each small enough to hold in memory. */
export const CHUNK_SIZE = 256 * 1024

const kept = new Set<string>(MEDIA_TYPES)

/**
 * The spool as file-type's own file tokenizer sees a file it opened: random access and a known size,
 * so it reads a zip's (DOCX, XLSX, ODT) entries as it would the file's path, skipping large ones. The
 * spool has no path (it is unlinked), and its handle is the spool's to close.
 */
class SpoolTokenizer extends FileTokenizer {
  constructor(file: Spool) {
    super(file.handle, { fileInfo: { size: file.bytes } })
  }
  protected override async closeOnce() {}
}

/** The media type of the spooled file by its content: one kept, and the one declared (if any). */
export async function checkContent(file: Spool, declared: string | undefined): Promise<string> {
  const found = (await fileTypeFromTokenizer(new SpoolTokenizer(file)))?.mime
  if (!found || !kept.has(found)) {
    throw problem('unsupported_media_type', {
      vi: `Theo nội dung, tệp ${found ? `có kiểu ${found}` : 'không thuộc kiểu nào nhận biết được'}; tệp đính kèm phải là ${MEDIA_TYPES_TEXT.replace(' or ', ' hoặc ')}.`,
      en: `The file is ${found ? `${found} by its content` : 'of no type its content shows'}; attachments are ${MEDIA_TYPES_TEXT}.`,
    })
  }
  if (declared && declared !== found) {
    throw problem('unsupported_media_type', {
      vi: `Tệp được gửi với kiểu ${declared} nhưng nội dung là ${found}.`,
      en: `The file was sent as ${declared} but its content is ${found}.`,
    })
  }
  return found
}

/** The file as pieces of exactly `size` bytes (the last one shorter). */
async function* pieces(source: Readable, size: number): AsyncGenerator<Buffer> {
  let held: Buffer[] = []
  let length = 0
  for await (const data of source) {
    held.push(data as Buffer)
    length += (data as Buffer).length
    while (length >= size) {
      const all = Buffer.concat(held)
      yield all.subarray(0, size)
      held = [all.subarray(size)]
      length -= size
    }
  }
  if (length > 0) yield Buffer.concat(held)
}

/** Writes the spooled file as the attachment's chunks. */
export async function writeChunks(trx: Trx, attachment: AttachmentRow, file: Spool) {
  let n = 0
  for await (const piece of pieces(file.read(CHUNK_SIZE), attachment.chunk_size)) {
    await insertChunk(trx, attachment, n++, piece)
  }
}

export interface ByteRange {
  start: number
  /** Inclusive. */
  end: number
}

/**
 * The bytes of an attachment from `range` (the whole file by default), read chunk by chunk, each in
 * its own transaction (`tenant`). Reading the whole file, the hash is checked at the end: a file
 * changed or damaged in the database ends the stream with an error (the client sees it cut short).
 */
export function contentStream(
  tenant: <T>(work: (trx: Trx, scope: Scope) => Promise<T>) => Promise<T>,
  a: AttachmentRow,
  range?: ByteRange,
): Readable {
  const { start, end } = range ?? { start: 0, end: a.size - 1 }
  const hash = range ? undefined : createHash('sha256')
  return Readable.from(
    (async function* () {
      for (let n = Math.floor(start / a.chunk_size); n * a.chunk_size <= end; n++) {
        const row = await tenant((trx, scope) => chunk(trx, scope, a.id, n))
        if (!row) throw new Error(`attachment ${a.id}: chunk ${n} is missing`)
        const data = Buffer.from(row.data)
        hash?.update(data)
        const from = Math.max(0, start - n * a.chunk_size)
        const to = Math.min(data.length, end - n * a.chunk_size + 1)
        yield data.subarray(from, to)
      }
      if (hash && hash.digest('hex') !== a.sha256) {
        throw new Error(`attachment ${a.id}: the stored bytes do not match their SHA-256`)
      }
    })(),
    { objectMode: false },
  )
}

/**
 * A single `Range: bytes=…` (RFC 9110 §14.2) of a file of `size` bytes: undefined to send the whole
 * file (no header, several ranges, another unit: a server may ignore them), else the range, or 416.
 */
export function byteRange(header: string | undefined, size: number): ByteRange | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '')
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  const unsatisfiable = () =>
    problem(
      'range_not_satisfiable',
      {
        vi: `Tệp có ${size} byte; phạm vi ${header} nằm ngoài tệp.`,
        en: `The file has ${size} bytes; the range ${header} lies outside it.`,
      },
      {},
      { 'content-range': `bytes */${size}` },
    )
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0 || size === 0) throw unsatisfiable()
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (m[2] !== '' && Number(m[2]) < start) return undefined // invalid: ignored (§14.1.1)
  if (start >= size) throw unsatisfiable()
  return { start, end }
}

/** An attachment's ETag: its hash. */
export const etagOf = (a: { sha256: string }) => `"${a.sha256}"`

/** The download: 304 on a matching If-None-Match, 206 for one range (if If-Range allows), else the whole file. */
export function sendContent(request: FastifyRequest, reply: FastifyReply, a: AttachmentRow) {
  const etag = etagOf(a)
  reply.header('etag', etag).header('accept-ranges', 'bytes').header('cache-control', 'private, no-cache')
  if (matchesAny(request.headers['if-none-match'], etag)) return reply.code(304).send()
  // If-Range (RFC 9110 §13.1.5): a range of the file the client holds, else the whole file. Only the
  // ETag, strongly compared, validates it (the file has no Last-Modified).
  const ifRange = request.headers['if-range']
  const range =
    ifRange === undefined || ifRange === etag ? byteRange(request.headers.range, a.size) : undefined
  reply.type(a.media_type).header('content-disposition', contentDisposition(a.filename))
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${a.size}`)
      .header('content-length', range.end - range.start + 1)
  } else reply.header('content-length', a.size)
  return reply.send(contentStream(request.tenant.bind(request), a, range))
}
