// Bulk import of establishments: CSV (streamed, never held whole) or a JSON array; upsert by id,
// tax code or external id; all-or-nothing by default, with an exact per-row report either way.
// The body is spooled to a file before the import opens its transaction, and every import is
// recorded (import-jobs.ts) and counted against the instance's bound (plugins/imports.ts).
import { Readable } from 'node:stream'
import { text as readText } from 'node:stream/consumers'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CsvError, parse } from 'csv-parse'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { audit } from '../../../db/audit.js'
import { provinceForWrite, type Scope, type Trx, withTenant } from '../../../db/tenancy.js'
import { YieldToEventLoop } from '../../../db/yielding.js'
import { codes } from '../../../lib/codelists.js'
import { csvLine } from '../../../lib/csv.js'
import { Page, pageQuery, paginate } from '../../../lib/pagination.js'
import { type FieldError, invalidField, Problem, type ProblemCode, problem } from '../../../lib/problems.js'
import { ProvinceCode, problemResponses, readResponses } from '../../../lib/schemas.js'
import { type Spool, spool } from '../../../lib/spool.js'
import { normalizeText } from '../../../lib/text.js'
import { idempotencyHeader, nextVersion } from '../../../lib/writes.js'
import { callerOf } from '../../../plugins/auth.js'
import type { Slot } from '../../../plugins/imports.js'
import { scopeOf } from '../../../plugins/tenancy.js'
import {
  type Actor,
  createJob,
  findByKey,
  findJob,
  finishJob,
  heartbeat,
  type JobRow,
  jobFields,
  jobPath,
  jobsQuery,
  jobView,
  type Progress,
} from './import-jobs.js'
import { COLUMNS, communesOf, type EstablishmentRow, originsOf } from './queries.js'
import { PHONE, TAX_CODE } from './schemas.js'

const ENTITY = 'establishment'
const BATCH = 500
const MAX_ERRORS = 1000
const BODY_LIMIT = 200 * 1024 * 1024

// ---------------------------------------------------------------------------------------------
// One cell → one value. CSV gives text, JSON gives typed values; both go through these.

class CellError extends Error {}
const fail = (message: string): never => {
  throw new CellError(message)
}

/** Undone: the export's guard against spreadsheet formulas (a leading apostrophe). */
const unguard = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s)

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

function asText(v: unknown): string {
  if (typeof v === 'string') return unguard(v)
  if (typeof v === 'number') return String(v)
  return fail('must be text')
}

const text =
  (max: number) =>
  (v: unknown): string | null => {
    if (blank(v)) return null
    const s = normalizeText(asText(v))
    return s.length > max ? fail(`must be at most ${max} characters`) : s
  }

const pattern =
  (re: RegExp, message: string) =>
  (v: unknown): string | null => {
    if (blank(v)) return null
    const s = asText(v).trim()
    return re.test(s) ? s : fail(message)
  }

const integer =
  (min: number, max: number) =>
  (v: unknown): number | null => {
    if (blank(v)) return null
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN
    return Number.isInteger(n) && n >= min && n <= max
      ? n
      : fail(`must be a whole number from ${min} to ${max}`)
  }

const code = (list: string) => {
  const known = new Set(codes(list))
  return (v: unknown): string | null => {
    if (blank(v)) return null
    const s = asText(v).trim()
    return known.has(s) ? s : fail(`must be a code of the list ${list}`)
  }
}

const codeArray = (list: string) => {
  const known = new Set(codes(list))
  return (v: unknown): string[] => {
    if (blank(v)) return []
    const items = Array.isArray(v)
      ? v
      : typeof v === 'string'
        ? v
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean)
        : fail('must be a list of codes separated by ";"')
    const out: string[] = []
    for (const item of items) {
      if (typeof item !== 'string' || !known.has(item))
        fail(`must be codes of the list ${list}, separated by ";"`)
      if (!out.includes(item as string)) out.push(item as string)
    }
    return out
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What a row may carry, and how each cell becomes a value. */
const CONVERT = {
  id: pattern(UUID, 'must be an establishment id (UUID) of this province, or empty'),
  province_code: pattern(/^[0-9]{2}$/, 'must be a province code (two digits)'),
  commune_code: pattern(/^[0-9]{5}$/, 'must be a commune code (five digits)'),
  name: text(300),
  kind: code('establishment_kind'),
  tax_code: pattern(new RegExp(TAX_CODE), 'must be 10 digits, or 10 digits, "-" and 3 digits for a branch'),
  industry: code('industry'),
  vsic_code: pattern(/^[0-9]{1,5}$/, 'must be a VSIC code of 1 to 5 digits'),
  address: text(500),
  year_founded: integer(1800, 2100),
  employees: integer(0, 10_000_000),
  main_products: text(2000),
  phone: pattern(new RegExp(PHONE), 'must be a phone number: 0… or +84…, digits only'),
  email: pattern(EMAIL, 'must be an email address'),
  priority_areas: codeArray('priority_area'),
  priority_products: codeArray('priority_product'),
  status: code('establishment_status'),
  origin_province_code: pattern(/^[0-9]{2}$/, 'must be a former province code (two digits)'),
  external_id: text(100),
} satisfies Record<string, (v: unknown) => unknown>

type Field = keyof typeof CONVERT
type Values = { [K in Field]?: ReturnType<(typeof CONVERT)[K]> }

/** Columns of the export that an import reads past: the server keeps them. */
const IGNORED = new Set(['version', 'created_at', 'updated_at'])
const REQUIRED = ['commune_code', 'name', 'kind'] as const
/** The stored fields an import writes (all but the keys the server keeps). */
const WRITABLE = (Object.keys(CONVERT) as Field[]).filter((f) => f !== 'id' && f !== 'province_code')

// ---------------------------------------------------------------------------------------------
// Sources of rows

interface SourceRow {
  row: number
  /** A whole-row problem (wrong column count, not an object). */
  problem?: string
  record: Record<string, unknown>
}

function checkColumns(columns: string[]) {
  columns.forEach((column, i) => {
    if (!(column in CONVERT) && !IGNORED.has(column)) {
      throw invalidField('body', `columns/${i}`, `"${column}" is not a column of the template`)
    }
    if (columns.indexOf(column) !== i) throw invalidField('body', `columns/${i}`, `"${column}" appears twice`)
  })
}

const MAX_HEADER = 64 * 1024

/**
 * CSV rows: the delimiter (`,` or `;`) from the header line, BOM, CRLF or LF, quoted fields. The
 * body is counted as it streams: past `limit` bytes the import stops with 413.
 */
export async function* csvRows(body: Readable, limit = BODY_LIMIT): AsyncGenerator<SourceRow> {
  const chunks = body[Symbol.asyncIterator]()
  let bytes = 0
  const take = (chunk: unknown): Buffer => {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    bytes += buffer.length
    if (bytes > limit) throw problem('payload_too_large', `The CSV file exceeds ${limit} bytes.`)
    return buffer
  }
  let head = Buffer.alloc(0)
  let done = false
  while (!head.includes(0x0a)) {
    if (head.length > MAX_HEADER) throw invalidField('body', 'csv', 'has a header line longer than 64 KB')
    const next = await chunks.next()
    if (next.done) {
      done = true
      break
    }
    head = Buffer.concat([head, take(next.value)])
  }
  const firstLine = head.subarray(0, head.includes(0x0a) ? head.indexOf(0x0a) : head.length).toString('utf8')
  const count = (c: string) => firstLine.split(c).length - 1
  const delimiter = count(';') > count(',') ? ';' : ','
  const source = Readable.from(
    (async function* () {
      yield head
      if (done) return
      for (;;) {
        const next = await chunks.next()
        if (next.done) return
        yield take(next.value)
      }
    })(),
  )
  const parser = parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true })
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  let columns: string[] | undefined
  let row = 0
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = cells.map((c) => c.normalize('NFC').trim())
        checkColumns(columns)
        continue
      }
      row += 1
      const record: Record<string, unknown> = {}
      columns.forEach((c, i) => {
        record[c] = cells[i]
      })
      yield cells.length === columns.length
        ? { row, record }
        : { row, record, problem: `has ${cells.length} fields; the header has ${columns.length}` }
    }
  } catch (error) {
    if (error instanceof CsvError) throw invalidField('body', 'csv', `cannot be read: ${error.message}`)
    throw error
  }
  if (!columns) throw invalidField('body', 'csv', 'is empty: the first line must be the header')
}

function* jsonRows(body: unknown): Generator<SourceRow> {
  if (!Array.isArray(body)) throw invalidField('body', '', 'must be a JSON array of establishments')
  let row = 0
  for (const item of body) {
    row += 1
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      yield { row, record: {}, problem: 'must be an object' }
    } else {
      yield { row, record: item as Record<string, unknown> }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The import

interface RowError {
  row: number
  column: string | null
  message: string
}

interface Report {
  created: number
  updated: number
  unchanged: number
  failed: number
  errors: RowError[]
  dry_run: boolean
  committed: boolean
}

interface Pending {
  row: number
  values: Values
}

/** Carries the report out of a transaction that must not commit. */
class RolledBack extends Error {
  constructor(readonly report: Report) {
    super('rolled back')
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

class Importer {
  readonly report: Report
  private failedRows = new Set<number>()
  private seenTax = new Map<string, number>()
  private seenExternal = new Map<string, number>()
  private seenTarget = new Map<string, number>()
  private pending: Pending[] = []

  constructor(
    private trx: Trx,
    private scope: Scope,
    private province: string,
    private communes: Set<string>,
    private origins: Set<string>,
    private opts: { dryRun: boolean; atomic: boolean },
  ) {
    this.report = {
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errors: [],
      dry_run: opts.dryRun,
      committed: false,
    }
  }

  private error(row: number, column: string | null, message: string) {
    if (!this.failedRows.has(row)) {
      this.failedRows.add(row)
      this.report.failed += 1
    }
    if (this.report.errors.length < MAX_ERRORS) this.report.errors.push({ row, column, message })
  }

  private get writing() {
    return !this.opts.dryRun && !(this.opts.atomic && this.report.failed > 0)
  }

  async add(source: SourceRow) {
    const { row, record } = source
    if (source.problem) return this.error(row, null, source.problem)
    const values: Record<string, unknown> = {}
    let bad = false
    for (const [column, raw] of Object.entries(record)) {
      if (IGNORED.has(column)) continue
      const convert = (CONVERT as Record<string, (v: unknown) => unknown>)[column]
      if (!convert) {
        this.error(row, column, 'is not a column of the template')
        bad = true
        continue
      }
      try {
        values[column] = convert(raw)
      } catch (error) {
        if (!(error instanceof CellError)) throw error
        this.error(row, column, error.message)
        bad = true
      }
    }
    if (bad) return
    const v = values as Values
    if (v.province_code && v.province_code !== this.province) {
      return this.error(
        row,
        'province_code',
        `must be ${this.province}: this import writes province ${this.province}`,
      )
    }
    if (v.commune_code && !this.communes.has(v.commune_code)) {
      return this.error(row, 'commune_code', `must be a commune of province ${this.province}`)
    }
    if (v.origin_province_code && !this.origins.has(v.origin_province_code)) {
      return this.error(row, 'origin_province_code', `must be a former province merged into ${this.province}`)
    }
    for (const key of ['id', 'external_id'] as const) {
      const value = v[key]
      if (!value) continue
      const seen = key === 'id' ? this.seenTarget : this.seenExternal
      const first = seen.get(value)
      if (first !== undefined) return this.error(row, key, `is also on row ${first}`)
      seen.set(value, row)
    }
    this.pending.push({ row, values: v })
    if (this.pending.length >= BATCH) await this.flush()
  }

  /** Matches a batch against the database, decides create / update / unchanged, and writes. */
  async flush() {
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const { trx, province } = this
    const ids = batch.flatMap((p) => (p.values.id ? [p.values.id] : []))
    const taxCodes = batch.flatMap((p) => (p.values.tax_code ? [p.values.tax_code] : []))
    const externals = batch.flatMap((p) => (p.values.external_id ? [p.values.external_id] : []))
    let query = trx.selectFrom('establishments').select(COLUMNS).where('province_code', '=', province)
    query = query.where((eb) =>
      eb.or([
        ...(ids.length ? [eb('id', 'in', ids)] : []),
        ...(taxCodes.length ? [eb.and([eb('tax_code', 'in', taxCodes), eb('status', '=', 'active')])] : []),
        ...(externals.length ? [eb('external_id', 'in', externals)] : []),
        eb.lit(false),
      ]),
    )
    const existing = ids.length + taxCodes.length + externals.length ? await query.execute() : []
    const byId = new Map(existing.map((e) => [e.id, e]))
    const byTax = new Map(
      existing.filter((e) => e.tax_code && e.status === 'active').map((e) => [e.tax_code, e]),
    )
    const byExternal = new Map(existing.filter((e) => e.external_id).map((e) => [e.external_id, e]))
    // Tax codes of active establishments anywhere (another province's included, without revealing it).
    const taken = new Set<string>()
    if (taxCodes.length) {
      const { rows } = await sqlTaken(trx, taxCodes)
      for (const r of rows) taken.add(r.code)
    }

    const creates: { row: number; values: Values }[] = []
    const updates: { row: number; current: EstablishmentRow; changes: Values }[] = []
    for (const { row, values: v } of batch) {
      let current: EstablishmentRow | undefined
      if (v.id) {
        current = byId.get(v.id)
        if (!current) {
          this.error(row, 'id', `is not an establishment of province ${province}`)
          continue
        }
      }
      const byTaxCode = v.tax_code ? byTax.get(v.tax_code) : undefined
      const byExt = v.external_id ? byExternal.get(v.external_id) : undefined
      current ??= byTaxCode ?? byExt
      if (byExt && current && byExt.id !== current.id) {
        this.error(row, 'external_id', 'belongs to another establishment of this province')
        continue
      }
      const status = v.status ?? current?.status ?? 'active'
      const tax = v.tax_code === undefined ? current?.tax_code : v.tax_code
      if (tax && status === 'active') {
        if (byTaxCode && current && byTaxCode.id !== current.id) {
          this.error(row, 'tax_code', 'belongs to another active establishment of this province')
          continue
        }
        const mine = current && current.tax_code === tax && current.status === 'active'
        if (!mine && !byTaxCode && taken.has(tax)) {
          this.error(row, 'tax_code', 'is already used by an active establishment')
          continue
        }
        const first = this.seenTax.get(tax)
        if (first !== undefined) {
          this.error(row, 'tax_code', `is also on row ${first}`)
          continue
        }
        this.seenTax.set(tax, row)
      }
      if (current) {
        const key = current.id
        const first = this.seenTarget.get(key)
        if (first !== undefined && first !== row) {
          this.error(row, null, `is the same establishment as row ${first}`)
          continue
        }
        this.seenTarget.set(key, row)
        const changes: Values = {}
        for (const f of WRITABLE) {
          if (f in v && !same(v[f], current[f])) (changes as Record<string, unknown>)[f] = v[f]
        }
        const missing = REQUIRED.find((f) => f in v && v[f] === null)
        if (missing) {
          this.error(row, missing, 'is required')
          continue
        }
        if (Object.keys(changes).length === 0) this.report.unchanged += 1
        else {
          this.report.updated += 1
          updates.push({ row, current, changes })
        }
      } else {
        const missing = REQUIRED.find((f) => v[f] == null)
        if (missing) {
          this.error(row, missing, 'is required')
          continue
        }
        this.report.created += 1
        creates.push({ row, values: v })
      }
    }
    if (this.writing) await this.write(creates, updates)
  }

  private async write(
    creates: { row: number; values: Values }[],
    updates: { row: number; current: EstablishmentRow; changes: Values }[],
  ) {
    const { trx, scope, province } = this
    if (creates.length) {
      const rows = creates.map(({ values }) => {
        const out: Record<string, unknown> = { province_code: province }
        for (const f of WRITABLE) if (values[f] !== undefined) out[f] = values[f]
        return out as { province_code: string; commune_code: string; name: string; kind: string }
      })
      const inserted = await trx.insertInto('establishments').values(rows).returning(COLUMNS).execute()
      for (const after of inserted) {
        await audit(trx, scope, {
          entityType: ENTITY,
          entityId: after.id,
          provinceCode: province,
          action: 'create',
          after,
        })
      }
    }
    for (const { current, changes } of updates) {
      const after = await trx
        .updateTable('establishments')
        .set({ ...(changes as Partial<EstablishmentRow>), ...nextVersion })
        .where('id', '=', current.id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow()
      const { version: _v, updated_at: _u, ...before } = current
      const { version: _v2, updated_at: _u2, ...next } = after
      await audit(trx, scope, {
        entityType: ENTITY,
        entityId: current.id,
        provinceCode: province,
        action: 'update',
        before,
        after: next,
      })
    }
  }

  async finish(): Promise<Report> {
    await this.flush()
    if (this.opts.dryRun || (this.opts.atomic && this.report.failed > 0)) throw new RolledBack(this.report)
    this.report.committed = true
    return this.report
  }
}

async function sqlTaken(trx: Trx, taxCodes: string[]) {
  return sql<{ code: string }>`
    select code from unnest(${taxCodes}::text[]) as code
    where kc_establishment_tax_code_taken(code, null)`.execute(trx)
}

// ---------------------------------------------------------------------------------------------
// One import, in the caller's transaction

/** Where a running import shows how far it got, and how it is told to stop. */
interface Watch {
  report?: Report
  signal: AbortSignal
}

async function importRows(
  trx: Trx,
  scope: Scope,
  province: string,
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  opts: { dryRun: boolean; atomic: boolean },
  watch: Watch,
): Promise<Report> {
  const [communes, origins] = await Promise.all([communesOf(trx, province), originsOf(trx, province)])
  const importer = new Importer(trx, scope, province, communes, origins, opts)
  watch.report = importer.report
  for await (const row of rows) {
    watch.signal.throwIfAborted()
    await importer.add(row)
  }
  return importer.finish()
}

/** The rows of a spooled body. */
async function rowsOf(format: Format, file: Spool): Promise<AsyncIterable<SourceRow> | Iterable<SourceRow>> {
  if (format === 'csv') return csvRows(file.read())
  let body: unknown
  try {
    body = JSON.parse(await readText(file.read()))
  } catch {
    throw problem('bad_request', 'The body is not valid JSON.')
  }
  return jsonRows(body)
}

// ---------------------------------------------------------------------------------------------
// Import jobs: the import of a spooled body, recorded (import-jobs.ts) and tracked (plugins/imports.ts)

type Format = 'csv' | 'json'

interface Run {
  job: JobRow
  scope: Scope
  file: Spool
  slot: Slot
}

const withLocation = (p: Problem, id: string) =>
  problem(p.code, p.detail, p.extensions, { ...p.headers, location: jobPath(id) })

/**
 * Runs a recorded import to its end and closes its record; resolves with the closed record, or
 * rejects with the problem the import ended with. Owns `file` and `slot` from here on.
 */
async function runImport(app: FastifyInstance, { job, scope, file, slot }: Run): Promise<JobRow> {
  const { db } = app
  const { leaseMs } = app.config.imports
  const { id, province_code: province, dry_run: dryRun, atomic } = job
  const watch: Watch = { signal: slot.signal }
  const none: Progress = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] }
  // The lease is renewed in transactions of its own; on PGlite they wait for the import's
  // connection, so one at a time.
  let beating = false
  const timer = setInterval(() => {
    if (beating) return
    beating = true
    heartbeat(db, scope, id, app.imports.instanceId, leaseMs, watch.report ?? none)
      .catch((error) => app.log.warn({ err: error, import_id: id }, 'import heartbeat failed'))
      .finally(() => {
        beating = false
      })
  }, leaseMs / 5)
  const importDb = app.database.kind === 'pglite' ? db.withPlugin(new YieldToEventLoop()) : db
  const close = (status: 'failed' | 'interrupted', failure?: Problem) =>
    finishJob({ db, scope }, id, status, watch.report, failure)
  try {
    slot.importing = true
    const outcome = await withTenant(importDb, scope, async (trx) => {
      const rows = await rowsOf(job.format, file)
      const report = await importRows(trx, scope, province, rows, { dryRun, atomic }, watch)
      // With its rows: a crash after this commit cannot leave a written import unrecorded.
      return { done: await finishJob({ trx }, id, 'committed', report) }
    }).catch((error) => {
      if (error instanceof RolledBack) return { report: error.report }
      throw error
    })
    if ('done' in outcome) return outcome.done
    const { report } = outcome
    return await finishJob({ db, scope }, id, report.failed > 0 && atomic ? 'failed' : 'committed', report)
  } catch (error) {
    if (slot.signal.aborted) {
      // Should the mark fail, the lapsed lease tells the same.
      await close('interrupted').catch(() => {})
      throw problem(
        'service_unavailable',
        'The server is shutting down: the import was stopped and wrote nothing. Send it again.',
        {},
        { location: jobPath(id), 'retry-after': String(RETRY_AFTER) },
      )
    }
    const failure =
      error instanceof Problem
        ? error
        : (error as { code?: string }).code === '23505'
          ? problem('conflict', 'Two rows or a concurrent change clash on a tax code or external id.')
          : undefined
    if (!failure) {
      // Unexpected (the database lost, …): nothing was written; the record says so if it can.
      await close('interrupted').catch(() => {})
      throw error
    }
    await close('failed', failure)
    throw withLocation(failure, id)
  } finally {
    slot.importing = false
    clearInterval(timer)
    slot.release()
    await file.remove()
  }
}

/** The answer for a recorded import: its representation, or the problem it ended with. */
function answer(reply: FastifyReply, job: JobRow, replayed: boolean) {
  const headers = { location: jobPath(job.id), ...(replayed ? { 'idempotent-replayed': 'true' } : {}) }
  const stored = job.problem as { code: ProblemCode; detail: string; errors?: FieldError[] } | null
  if (stored) {
    throw problem(stored.code, stored.detail, stored.errors ? { errors: stored.errors } : {}, headers)
  }
  if (job.status === 'interrupted') {
    throw problem(
      'conflict',
      `This Idempotency-Key names import ${job.id}, which was interrupted before its end and wrote ` +
        'nothing: send the file again with a new key.',
      {},
      headers,
    )
  }
  reply.headers(headers).code(job.status === 'running' ? 202 : job.status === 'failed' ? 422 : 200)
  return jobView(job)
}

/** RFC 7240: `Prefer: respond-async` among the preferences (names are case-insensitive). */
const prefersAsync = (header: string | undefined) =>
  (header ?? '')
    .split(',')
    .some((p) => p.split(';')[0]?.split('=')[0]?.trim().toLowerCase() === 'respond-async')

/** Seconds a client is told to wait when this instance runs all the imports it may. */
const RETRY_AFTER = 10

// ---------------------------------------------------------------------------------------------
// Routes

const ImportQuery = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — the province the rows belong to; defaults to (and must be) the caller’s province.',
    }),
    dry_run: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Chỉ kiểm tra — validate and report without writing anything.',
      }),
    ),
    atomic: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Tất cả hoặc không — all-or-nothing (default): one bad row and nothing is written. `false` writes the ' +
          'good rows and reports the bad ones.',
      }),
    ),
  },
  { additionalProperties: false },
)

const ImportHeaders = Type.Object({
  'idempotency-key': Type.Optional({
    ...idempotencyHeader.properties['idempotency-key'],
    description:
      'Khóa chống trùng — a client-chosen unique key. A retry with the same key (same caller and province) ' +
      'gets the import it started — running (202), its report, or the problem it ended with — and starts ' +
      'nothing; its body is not read. An interrupted import’s key answers 409: send the file again with a new key.',
  }),
  prefer: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'Ưu tiên (RFC 7240) — `respond-async`: answer 202 with `Location` as soon as the file is received, ' +
        'and import on in the background; poll the `Location`.',
      examples: ['respond-async'],
    }),
  ),
})

const RowErrorSchema = Type.Object(
  {
    row: Type.Integer({
      description:
        'Dòng — the record number: 1 is the first record after the header (CSV) or in the array (JSON).',
      examples: [3],
    }),
    column: Type.Union([Type.String(), Type.Null()], {
      description: 'Cột — the column (field) at fault; null for the whole row.',
      examples: ['commune_code'],
    }),
    message: Type.String({
      description: 'Lỗi — what is wrong.',
      examples: ['must be a commune of province 08'],
    }),
  },
  { description: 'Lỗi một dòng — one row’s error.' },
)

const ImportJob = Type.Object(
  {
    id: jobFields.id,
    province_code: jobFields.province_code,
    status: jobFields.status,
    format: jobFields.format,
    dry_run: Type.Boolean({ description: 'Chỉ kiểm tra — whether this was a dry run.' }),
    atomic: jobFields.atomic,
    committed: Type.Boolean({ description: 'Đã ghi — whether the rows were written.' }),
    created: Type.Integer({ description: 'Thêm mới — rows that create an establishment.', examples: [120] }),
    updated: Type.Integer({ description: 'Cập nhật — rows that change an existing one.', examples: [3] }),
    unchanged: Type.Integer({ description: 'Không đổi — rows equal to what is stored.', examples: [877] }),
    failed: Type.Integer({ description: 'Lỗi — rows with at least one error.', examples: [0] }),
    errors: Type.Array(RowErrorSchema, {
      description: `Các lỗi — the errors, in row order (the first ${MAX_ERRORS}; \`failed\` counts every failing row).`,
    }),
    problem: jobFields.problem,
    actor_sub: jobFields.actor_sub,
    started_at: jobFields.started_at,
    finished_at: jobFields.finished_at,
  },
  {
    $id: 'EstablishmentImport',
    description:
      'Lần nhập — an import and its report. The counts grow while it runs (recorded every few seconds) and are ' +
      'final when it ends. With failures in all-or-nothing mode (or a dry run) they say what the rows would ' +
      'have done; nothing was written.',
  },
)

const ImportSummary = Type.Omit(ImportJob, ['errors'], {
  description: 'Lần nhập — an import without its row errors (read `GET /v1/establishments/imports/{id}`).',
})

const TEMPLATE_DESCRIPTION =
  'Columns (the same as the CSV export): `id` (to update a record by id; else empty), `province_code` ' +
  '(empty or the import’s province), `commune_code`, `name`, `kind` (required for a new establishment), ' +
  '`tax_code`, `industry`, `vsic_code`, `address`, `year_founded`, `employees`, `main_products`, `phone`, ' +
  '`email`, `priority_areas` and `priority_products` (codes separated by `;`), `status`, ' +
  '`origin_province_code`, `external_id`; `version`, `created_at`, `updated_at` are read past. Any subset ' +
  'of columns in any order; an absent column leaves stored values as they are.'

/** The raw body of a request, handed over by the content-type parsers, and its format. */
const uploads = new WeakMap<FastifyRequest, { format: Format; stream: Readable }>()

const establishmentImports: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(ImportJob)
  // Bodies reach the handler as raw streams, spooled to a file before any database work. (Kept
  // beside the request rather than as the body: body hooks treat an object body as JSON. A JSON
  // body shows the validators an empty array: its rows are checked one by one as they are read.)
  app.removeContentTypeParser('application/json')
  for (const [type, format] of [
    ['text/csv', 'csv'],
    ['application/json', 'json'],
  ] as const) {
    app.addContentTypeParser(type, (request, payload, done) => {
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
          '(active), else by `external_id`; otherwise it creates one. Text is normalised to NFC and trimmed. ' +
          'All-or-nothing by default: one bad row (including a row of another province) and nothing is written ' +
          '(422 with the full report). `dry_run=true` only validates. The body (up to 200 MB) is received ' +
          'whole into a temporary file first — an upload that stalls is cut with 408 — then imported in ' +
          'batches in one transaction; every created or updated row is audited. Every import is recorded: ' +
          'the answer carries its `id` and `Location` (`GET /v1/establishments/imports/{id}`). By default the ' +
          'request waits for the end; with `Prefer: respond-async` it answers 202 once the file is received. ' +
          'Each instance runs a bounded number of imports at once; more get 429 with `Retry-After`. Exporting ' +
          `with \`Accept: text/csv\` and importing the same file changes nothing. ${TEMPLATE_DESCRIPTION}`,
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
            ...Type.Ref('EstablishmentImport'),
            description: 'Đang nhập — `Prefer: respond-async`: the import runs on; poll its `Location`.',
          },
          422: {
            ...Type.Ref('EstablishmentImport'),
            description: 'Có dòng lỗi — some rows failed; in all-or-nothing mode nothing was written.',
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
        },
      },
    },
    async (request, reply) => {
      const { dry_run: dryRun = false, atomic = true } = request.query
      const scope = scopeOf(request)
      const province = provinceForWrite(scope, request.query.province_code)
      const { issuer } = callerOf(request) as NonNullable<ReturnType<typeof callerOf>>
      const actor: Actor = { issuer, sub: scope.sub, role: scope.role }
      const key = request.headers['idempotency-key']
      if (key) {
        const prior = await withTenant(app.db, scope, (trx) => findByKey(trx, actor, province, key))
        if (prior) return answer(reply, prior, true)
      }
      const upload = uploads.get(request)
      if (!upload) throw problem('unsupported_media_type', 'Send the rows as text/csv or application/json.')
      if (Number(request.headers['content-length']) > BODY_LIMIT) {
        throw problem(
          'payload_too_large',
          `The body exceeds ${BODY_LIMIT} bytes.`,
          {},
          { connection: 'close' },
        )
      }
      const slot = app.imports.acquire()
      if (!slot) {
        throw problem(
          'too_many_requests',
          `This server already runs ${app.imports.concurrency} imports; retry in ${RETRY_AFTER} s.`,
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
        if (created.existing) return answer(reply, created.row, true)
        run = runImport(app, { job: created.row, scope, file, slot })
        if (prefersAsync(request.headers.prefer)) {
          run.catch((error) => {
            // Its outcome is in its record; only the unexpected is logged (the sync path's error handler would).
            if (!(error instanceof Problem))
              request.log.error({ err: error, import_id: created.row.id }, 'import failed')
          })
          reply.header('preference-applied', 'respond-async')
          return answer(reply, created.row, false)
        }
        return answer(reply, await run, false)
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
        querystring: Type.Object(
          {
            province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
            ...pageQuery,
          },
          { additionalProperties: false },
        ),
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
          items: page.items.map(({ errors: _errors, ...job }) => jobView({ ...job, errors: [] })),
        }
      }),
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
        params: Type.Object(
          { id: Type.String({ format: 'uuid', description: 'Mã lần nhập — the import’s id.' }) },
          { additionalProperties: false },
        ),
        response: readResponses(Type.Ref('EstablishmentImport')),
      },
    },
    async (request) => {
      const job = await request.tenant((trx, scope) => findJob(trx, scope, request.params.id))
      if (!job) throw problem('not_found', `No import ${request.params.id}.`)
      return jobView(job)
    },
  )
}

export default establishmentImports
