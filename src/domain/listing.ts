// The one CSV writer: lists answer `Accept: text/csv` with every matching row, streamed from the
// database in keyset batches inside the caller's tenancy, so memory stays flat at any size.
// UTF-8 with a BOM (Excel then reads Vietnamese correctly), CRLF, RFC 4180 quoting (lib/csv.ts).
import { PassThrough } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SelectQueryBuilder } from 'kysely'
import type { TSchema } from 'typebox'
import type { Scope, Trx } from '../db/tenancy.ts'
import { csvLine } from '../lib/csv.ts'
import { prefersCsv } from '../lib/negotiation.ts'
import { keysOf, type PageParams, paginate, rowsAfter, type SortKey } from '../lib/pagination.ts'
import type { ProblemCode } from '../lib/problems.ts'
import { problemResponses } from '../lib/schemas.ts'

const BATCH = 1000

export const wantsCsv = (request: FastifyRequest) => prefersCsv(request.headers.accept)

/**
 * The responses of a route that answers JSON, or CSV on `Accept: text/csv` (a list's every row, a
 * report's lines), and the problems every such read may meet (plus `extra`).
 */
export const csvResponses = (json: TSchema, description: string, ...extra: ProblemCode[]) => ({
  200: {
    description: `${description} (or CSV).`,
    content: {
      'application/json': { schema: json },
      'text/csv': {
        schema: {
          type: 'string',
          description: 'Tệp CSV — every matching row (not paged): UTF-8 with BOM, header row, CRLF.',
        },
      },
    },
  },
  ...problemResponses('validation_failed', 'unauthorized', 'forbidden', ...extra),
})

/** A small, already computed answer (a report) as CSV: every row, columns in the given order. */
export function sendCsv<C extends string>(
  reply: FastifyReply,
  filename: string,
  columns: readonly C[],
  rows: Record<C, unknown>[],
) {
  const lines = rows.map((row) => csvLine(columns.map((c) => row[c])))
  return asCsvFile(reply, filename).send(`\uFEFF${csvLine([...columns])}${lines.join('')}`)
}

/** What a list exports: its rows in key order, the columns of each line and the file's name. */
interface CsvList<DB, TB extends keyof DB, O> {
  filename: string
  columns: (keyof O & string)[]
  query: (trx: Trx, scope: Scope) => SelectQueryBuilder<DB, TB, O>
  keys: SortKey<O>[]
}

/** The headers of every CSV answer: UTF-8 text, saved under `filename`. */
const asCsvFile = (reply: FastifyReply, filename: string) =>
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`)

export function exportCsv<DB, TB extends keyof DB, O>(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: CsvList<DB, TB, O>,
) {
  const out = new PassThrough()
  const write = (chunk: string) =>
    out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve))
  out.write(`\uFEFF${csvLine(opts.columns)}`)
  request
    .tenant(async (trx, scope) => {
      let last: unknown[] | undefined
      for (;;) {
        if (out.destroyed) return // the client went away
        const rows = await rowsAfter(opts.query(trx, scope), opts.keys, last, BATCH)
        for (const row of rows) await write(csvLine(opts.columns.map((c) => row[c])))
        const tail = rows.at(-1)
        if (rows.length < BATCH || !tail) break
        last = keysOf(tail, opts.keys)
      }
    })
    .then(
      () => out.end(),
      (error) => {
        // Headers are gone already: the truncated body (no final CRLF) is the only signal left.
        request.log.error({ err: error }, 'CSV export failed')
        out.destroy(error)
      },
    )
  return asCsvFile(reply, opts.filename).send(out)
}

/** A list route's whole answer: a keyset page of JSON, or every row as CSV on `Accept: text/csv`. */
export function listOrCsv<DB, TB extends keyof DB, O>(
  request: FastifyRequest,
  reply: FastifyReply,
  o: CsvList<DB, TB, O> & { page: PageParams },
) {
  if (wantsCsv(request)) return exportCsv(request, reply, o)
  return request.tenant((trx, scope) => paginate(request, reply, o.query(trx, scope), o.keys, o.page))
}

/**
 * A page of a record's children (its history, versions, reports): 404 when the record is not
 * visible to the caller, else a keyset page of `query(trx, scope, parentId)`.
 */
export function pageOfChildren<P extends { id: string }, DB, TB extends keyof DB, O>(
  request: FastifyRequest,
  reply: FastifyReply,
  o: {
    find: (trx: Trx, scope: Scope) => Promise<P | undefined>
    notFound: () => Error
    query: (trx: Trx, scope: Scope, parent: P) => SelectQueryBuilder<DB, TB, O>
    keys: SortKey<O>[]
    page: PageParams
  },
) {
  return request.tenant(async (trx, scope) => {
    const parent = await o.find(trx, scope)
    if (!parent) throw o.notFound()
    return paginate(request, reply, o.query(trx, scope, parent), o.keys, o.page)
  })
}
