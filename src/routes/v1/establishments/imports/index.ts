// Bulk import of establishments: CSV or a JSON array, both streamed (never held whole); upsert by
// id, tax code or external id; all-or-nothing by default, with an exact per-row report either way.
// The body is spooled to a file before the import opens its transaction, and every import is
// recorded (repository.ts) and counted against the instance's bound (plugins/imports.ts). Memory
// stays flat whatever the file's size: rows are read from the file one batch at a time, and the
// per-import duplicate checks live in a temporary table of the transaction rather than in the heap.
// Here the routes; sources.ts reads rows, cells.ts converts cells, importer.ts checks, decides and
// writes batches, run.ts runs a recorded import, views.ts shows one.
import type { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { provinceForWrite, withTenant } from '../../../../db/tenancy.ts'
import { notFound } from '../../../../domain/nouns.ts'
import { csvLine } from '../../../../lib/csv.ts'
import { speakTo } from '../../../../lib/negotiation.ts'
import { Page, paginate } from '../../../../lib/pagination.ts'
import { fromStored, Problem, problem, type StoredProblem } from '../../../../lib/problems.ts'
import { problemResponses, readResponses } from '../../../../lib/schemas.ts'
import { type Spool, spool } from '../../../../lib/spool.ts'
import { charsetRefusal } from '../../../../plugins/media-types.ts'
import { scopeOf } from '../../../../plugins/tenancy.ts'
import { COLUMNS } from '../repository.ts'

import { type Actor, createJob, findByKey, findJob, type JobRow, jobsQuery } from './repository.ts'
import { type Format, RETRY_AFTER, runImport } from './run.ts'
import {
  ImportHeaders,
  ImportJob,
  ImportParams,
  ImportQuery,
  ImportSummary,
  ListImportsQuery,
  runningImport,
  TEMPLATE_DESCRIPTION,
} from './schemas.ts'
import { BODY_LIMIT } from './sources.ts'
import { jobPath, jobView, summaryView } from './views.ts'

/** The answer for a recorded import: its representation, or the problem it ended with. */
function answer(request: FastifyRequest, reply: FastifyReply, job: JobRow, replayed: boolean) {
  const headers = { location: jobPath(job.id), ...(replayed ? { 'idempotent-replayed': 'true' } : {}) }
  if (job.problem) {
    const stored = fromStored(job.problem as StoredProblem)
    throw problem(stored.code, stored.detail, stored.extensions, headers)
  }
  if (job.status === 'interrupted') {
    throw problem(
      'conflict',
      {
        vi:
          `Idempotency-Key này ứng với lượt nhập ${job.id}, lượt nhập đã bị ngắt trước khi hoàn tất và không ` +
          'ghi dữ liệu nào: hãy gửi lại tệp với một khóa mới.',
        en:
          `This Idempotency-Key names import ${job.id}, which was interrupted before its end and wrote ` +
          'nothing: send the file again with a new key.',
      },
      {},
      headers,
    )
  }
  reply.headers(headers).code(job.status === 'running' ? 202 : job.status === 'failed' ? 422 : 200)
  return jobView(job, speakTo(request, reply))
}

/** A read of import jobs settles the expired ones first: its transaction writes. */
const SETTLES = { writes: true }

/** RFC 7240: `Prefer: respond-async` among the preferences (names are case-insensitive). */
const prefersAsync = (header: string | undefined) =>
  (header ?? '')
    .split(',')
    .some((p) => p.split(';')[0]?.split('=')[0]?.trim().toLowerCase() === 'respond-async')

/** The raw body of a request, handed over by the content-type parsers, and its format. */
const uploads = new WeakMap<FastifyRequest, { format: Format; stream: Readable }>()

const establishmentImports: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(ImportJob)
  // Bodies reach the handler as raw streams, spooled to a file before any database work, then
  // read from the file row by row. (Kept beside the request rather than as the body: body hooks
  // treat an object body as JSON. A JSON body shows the validators an empty array: its rows are
  // checked one by one as they are read.) Text is UTF-8 only: any other charset would be read
  // wrongly, so it is refused (415).
  app.removeContentTypeParser('application/json')
  for (const [type, format] of [
    ['text/csv', 'csv'],
    ['application/json', 'json'],
  ] as const) {
    app.addContentTypeParser(type, (request, payload, done) => {
      const refusal = charsetRefusal(request.headers['content-type'], type)
      if (refusal) return done(refusal, undefined)
      uploads.set(request, { format, stream: payload })
      done(null, format === 'json' ? [] : type)
    })
  }

  app.get(
    '/v1/establishments/imports/template',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getEstablishmentImportTemplate',
        tags: ['establishments'],
        summary: 'Get the import template',
        description: `Mẫu nhập — the CSV header of \`POST /v1/establishments/imports\` (UTF-8 with BOM). ${TEMPLATE_DESCRIPTION}`,
        response: {
          200: {
            description: 'Mẫu CSV — the header line.',
            content: {
              'text/csv': { schema: Type.String({ description: 'Dòng tiêu đề — the header line.' }) },
            },
          },
          ...problemResponses('unauthorized', 'forbidden'),
        },
      },
    },
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="establishments-template.csv"')
        .send(`\uFEFF${csvLine([...COLUMNS])}`),
  )

  app.post(
    '/v1/establishments/imports',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'importEstablishments',
        tags: ['establishments'],
        summary: 'Import establishments',
        description:
          'Nhập danh sách cơ sở — upsert establishments of the caller’s province from a CSV file (UTF-8 with or ' +
          'without BOM; `,` or `;` as found in the header line; CRLF or LF; quoted fields may hold commas and ' +
          'line breaks) or a JSON array. A row matches a stored establishment by `id`, else by `tax_code` ' +
          '(active), else by `external_id`; otherwise it creates one. Rows are taken in file order: each is ' +
          'matched against what every earlier row created or changed, whatever the batch sizes. Text is ' +
          'normalised to NFC and trimmed. ' +
          'All-or-nothing by default: one bad row (including a row of another province) and nothing is written ' +
          '(422 with the full report). `dry_run=true` runs the same checks and writes, then rolls back: the ' +
          'report is exactly the import’s, and nothing is kept. The body (up to 200 MB) is received whole ' +
          'into a temporary file first — an upload that stalls is cut with 408 — then read from it row by ' +
          'row (a row up to 1 MB) and imported in batches in one transaction; every created or updated row ' +
          'is audited. Text must be UTF-8 (another `charset` → 415; a CSV cell that is not UTF-8, a NUL ' +
          'character or a lone surrogate → that row’s error). Every import is recorded: the answer carries ' +
          'its `id` and `Location` (`GET /v1/establishments/imports/{id}`). By default the request waits for ' +
          'the end; with `Prefer: respond-async` it answers 202 once the file is received. Each instance runs ' +
          'a bounded number of imports at once; more get 429 with `Retry-After`. Exporting with ' +
          '`Accept: text/csv` and importing the same file changes nothing (the import removes exactly the ' +
          `formula guard the export added). ${TEMPLATE_DESCRIPTION}`,
        querystring: ImportQuery,
        headers: ImportHeaders,
        body: {
          content: {
            'text/csv': {
              schema: { description: 'Tệp CSV — the rows, with the template’s header line first.' },
            },
            'application/json': {
              schema: Type.Array(
                Type.Object({}, { additionalProperties: true, description: 'Một cơ sở — one row.' }),
                {
                  description: 'Mảng JSON — the rows as objects with the template’s column names.',
                  examples: [
                    [{ commune_code: '00691', name: 'Cơ sở Mây tre đan', kind: 'household_business' }],
                  ],
                },
              ),
            },
          },
        },
        response: {
          200: {
            ...Type.Ref('EstablishmentImport'),
            description: 'Kết quả nhập — the import, ended: written, or a clean dry run.',
          },
          202: {
            description: 'Đang nhập — `Prefer: respond-async`: the import runs on; poll its `Location`.',
            content: {
              'application/json': { schema: Type.Ref('EstablishmentImport'), example: runningImport },
            },
          },
          422: {
            ...Type.Ref('EstablishmentImport'),
            description:
              'Có dòng lỗi — some rows failed; in all-or-nothing mode or a dry run nothing was written.',
          },
          ...problemResponses(
            'bad_request',
            'validation_failed',
            'unauthorized',
            'forbidden',
            'request_timeout',
            'conflict',
            'payload_too_large',
            'unsupported_media_type',
            'too_many_requests',
            'service_unavailable',
          ),
          429: {
            ...problemResponses('too_many_requests')[429],
            description:
              'Rate limit exceeded, or this instance already runs as many imports as it allows ' +
              '(`IMPORT_CONCURRENCY`); retry after `Retry-After` seconds.',
          },
        },
      },
    },
    async (request, reply) => {
      const { dry_run: dryRun = false, atomic = true } = request.query
      const scope = scopeOf(request)
      const province = provinceForWrite(scope, request.query.province_code)
      const { issuer } = request.user
      const actor: Actor = { issuer, sub: scope.sub, role: scope.role }
      const key = request.headers['idempotency-key']
      if (key) {
        const prior = await withTenant(app.db, scope, (trx) => findByKey(trx, actor, province, key))
        if (prior) return answer(request, reply, prior, true)
      }
      const upload = uploads.get(request)
      if (!upload) {
        throw problem('unsupported_media_type', {
          vi: 'Hãy gửi các dòng dữ liệu dưới dạng text/csv hoặc application/json.',
          en: 'Send the rows as text/csv or application/json.',
        })
      }
      if (Number(request.headers['content-length']) > BODY_LIMIT) {
        throw problem(
          'payload_too_large',
          { vi: `Nội dung vượt quá ${BODY_LIMIT} byte.`, en: `The body exceeds ${BODY_LIMIT} bytes.` },
          {},
          { connection: 'close' },
        )
      }
      const slot = app.imports.acquire()
      if (!slot) {
        throw problem(
          'too_many_requests',
          {
            vi: `Máy chủ này đang chạy ${app.imports.concurrency} lượt nhập; hãy thử lại sau ${RETRY_AFTER} giây.`,
            en: `This server already runs ${app.imports.concurrency} imports; retry in ${RETRY_AFTER} s.`,
          },
          {},
          { 'retry-after': String(RETRY_AFTER), connection: 'close' },
        )
      }
      let file: Spool | undefined
      let run: Promise<JobRow> | undefined
      try {
        const { limit, idleMs } = { limit: BODY_LIMIT, idleMs: app.config.imports.bodyIdleTimeoutMs }
        file = await spool(upload.stream, { limit, idleMs, signal: slot.signal })
        const { leaseMs } = app.config.imports
        const { instanceId } = app.imports
        const { format } = upload
        const created = await createJob(app.db, scope, {
          actor,
          province,
          key,
          format,
          dryRun,
          atomic,
          instanceId,
          leaseMs,
        })
        // A concurrent request with the same key recorded its import first.
        if (created.existing) return answer(request, reply, created.row, true)
        run = runImport(app, { job: created.row, scope, file, slot })
        if (prefersAsync(request.headers.prefer)) {
          run.catch((error) => {
            // Its outcome is in its record; only the unexpected is logged (the sync path's error handler would).
            if (!(error instanceof Problem))
              request.log.error({ err: error, import_id: created.row.id }, 'import failed')
          })
          reply.header('preference-applied', 'respond-async')
          return answer(request, reply, created.row, false)
        }
        return answer(request, reply, await run, false)
      } finally {
        if (!run) {
          slot.release()
          await file?.remove()
        }
      }
    },
  )

  app.get(
    '/v1/establishments/imports',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listEstablishmentImports',
        tags: ['establishments'],
        summary: 'List imports',
        description:
          'Các lần nhập — the imports of the caller’s province (the ministry: of every province), newest ' +
          'first, without their row errors. A running import whose server stopped reads `interrupted` once ' +
          'its lease (renewed every few seconds while it runs) has passed.',
        querystring: ListImportsQuery,
        response: {
          200: Page(ImportSummary, 'Một trang lần nhập — a page of imports, newest first.'),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden'),
        },
      },
    },
    async (request, reply) =>
      request.tenant(async (trx, scope) => {
        const page = await paginate(
          request,
          reply,
          await jobsQuery(trx, scope, request.query.province_code),
          [{ column: 'establishment_imports.seq', field: 'seq', type: 'bigint', direction: 'desc' }],
          request.query,
        )
        return {
          ...page,
          items: page.items.map(({ seq: _seq, ...job }) => summaryView(job, speakTo(request, reply))),
        }
        // Reading settles the expired jobs first (jobsQuery).
      }, SETTLES),
  )

  app.get(
    '/v1/establishments/imports/:id',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getEstablishmentImport',
        tags: ['establishments'],
        summary: 'Get an import',
        description:
          'Lần nhập — an import: its status, its counts so far and, once it ended, its report. A running ' +
          'import whose server stopped reads `interrupted` once its lease has passed; it wrote nothing.',
        params: ImportParams,
        response: readResponses(Type.Ref('EstablishmentImport')),
      },
    },
    async (request, reply) => {
      const job = await request.tenant((trx, scope) => findJob(trx, scope, request.params.id), SETTLES)
      if (!job) throw notFound('establishment_import', request.params.id)
      return jobView(job, speakTo(request, reply))
    },
  )
}

export default establishmentImports
