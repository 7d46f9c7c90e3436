// Bulk import of establishments: CSV or a JSON array, both streamed (never held whole); upsert by
// id, tax code or external id; all-or-nothing by default, with an exact per-row report either way.
// The body is spooled to a file before the import opens its transaction, and every import is
// recorded (import-jobs.ts) and counted against the instance's bound (plugins/imports.ts). Memory
// stays flat whatever the file's size: rows are read from the file one batch at a time, and the
// per-import duplicate checks live in a temporary table of the transaction rather than in the heap.
import { isUtf8 } from 'node:buffer'
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CsvError, parse } from 'csv-parse'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { audit } from '../../../db/audit.js'
import { provinceForWrite, type Scope, type Trx, withTenant } from '../../../db/tenancy.js'
import { YieldToEventLoop } from '../../../db/yielding.js'
import { idempotencyHeader, nextVersion, withoutMeta } from '../../../domain/versioned.js'
import { codes } from '../../../lib/codelists.js'
import { csvLine, unguard } from '../../../lib/csv.js'
import { JsonArrayError, jsonArrayItems } from '../../../lib/json-array.js'
import { Page, pageQuery, paginate } from '../../../lib/pagination.js'
import { type FieldError, invalidField, Problem, type ProblemCode, problem } from '../../../lib/problems.js'
import { ProvinceCode, problemResponses, readResponses } from '../../../lib/schemas.js'
import { type Spool, spool } from '../../../lib/spool.js'
import { normalizeText } from '../../../lib/text.js'
import type { Slot } from '../../../plugins/imports.js'
import { charsetRefusal } from '../../../plugins/media-types.js'
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
  summaryView,
} from './import-jobs.js'
import { COLUMNS, communesOf, type EstablishmentRow, originsOf } from './repository.js'
import { PHONE, TAX_CODE } from './schemas.js'

const ENTITY = 'establishment'
const BATCH = 500
const MAX_ERRORS = 1000
const BODY_LIMIT = 200 * 1024 * 1024
/** A row (a CSV field, a JSON array item) this long is no establishment: refused before it fills the heap. */
const MAX_ROW_BYTES = 1024 * 1024

// ---------------------------------------------------------------------------------------------
// One cell → one value. CSV gives text, JSON gives typed values; both go through these.

class CellError extends Error {}
const fail = (message: string): never => {
  throw new CellError(message)
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/** Text PostgreSQL can store: no NUL, no lone surrogate (which would be stored as U+FFFD). */
function asText(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fail('must be text')
  if (s.includes('\u0000')) fail('must not contain a NUL character (U+0000)')
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed())
    fail('must be valid Unicode text (it holds a lone surrogate)')
  return s
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

/** A cell that could not be read as text (invalid UTF-8): reported as that cell's error. */
class BadCell {
  constructor(readonly message: string) {}
}

const isColumn = (column: string) => Object.hasOwn(CONVERT, column)

function checkColumns(columns: string[]) {
  columns.forEach((column, i) => {
    if (!isColumn(column) && !IGNORED.has(column)) {
      throw invalidField('body', `columns/${i}`, `"${column}" is not a column of the template`)
    }
    if (columns.indexOf(column) !== i) throw invalidField('body', `columns/${i}`, `"${column}" appears twice`)
  })
}

/** The body's chunks, counted as they stream: past `limit` bytes, 413. */
async function* limited(body: Readable, limit: number, what: string): AsyncGenerator<Buffer> {
  let bytes = 0
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    bytes += buffer.length
    if (bytes > limit) throw problem('payload_too_large', `The ${what} exceeds ${limit} bytes.`)
    yield buffer
  }
}

const MAX_HEADER = 64 * 1024
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])
const NOT_UTF8 = 'is not valid UTF-8 text: save the file as UTF-8'

/** A cell's bytes as text, or null when they are not UTF-8 (never replaced by U+FFFD). */
const utf8 = (bytes: Uint8Array) =>
  isUtf8(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : null

/**
 * CSV rows: the delimiter (`,` or `;`) from the header line, BOM, CRLF or LF, quoted fields. The
 * body is counted as it streams: past `limit` bytes the import stops with 413. Cells are read as
 * bytes and each checked to be UTF-8, so that a bad cell is reported by row and column.
 */
export async function* csvRows(body: Readable, limit = BODY_LIMIT): AsyncGenerator<SourceRow> {
  const chunks = limited(body, limit, 'CSV file')
  let head = Buffer.alloc(0)
  let done = false
  while (!head.includes(0x0a)) {
    if (head.length > MAX_HEADER) throw invalidField('body', 'csv', 'has a header line longer than 64 KB')
    const next = await chunks.next()
    if (next.done) {
      done = true
      break
    }
    head = Buffer.concat([head, next.value])
  }
  // The BOM is dropped here: csv-parse's own detection would switch it to decoding text itself.
  if (head.subarray(0, 3).equals(UTF8_BOM)) head = head.subarray(3)
  const firstLine = head.subarray(0, head.includes(0x0a) ? head.indexOf(0x0a) : head.length).toString('utf8')
  const count = (c: string) => firstLine.split(c).length - 1
  const delimiter = count(';') > count(',') ? ';' : ','
  const source = Readable.from(
    (async function* () {
      yield head
      if (!done) yield* chunks
    })(),
  )
  const parser = parse({
    delimiter,
    encoding: null,
    max_record_size: MAX_ROW_BYTES,
    relax_column_count: true,
    skip_empty_lines: true,
  })
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  let columns: string[] | undefined
  let row = 0
  try {
    for await (const cells of parser as AsyncIterable<Uint8Array[]>) {
      if (!columns) {
        columns = cells.map((c, i) => {
          const name = utf8(c)
          if (name === null) throw invalidField('body', `columns/${i}`, NOT_UTF8)
          return name.normalize('NFC').trim()
        })
        checkColumns(columns)
        continue
      }
      row += 1
      const record: Record<string, unknown> = {}
      columns.forEach((c, i) => {
        const cell = cells[i]
        if (cell === undefined) return
        const text = utf8(cell)
        record[c] = text === null ? new BadCell(NOT_UTF8) : unguard(text)
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

/**
 * JSON rows, from the array streamed item by item (see jsonArrayItems). Malformed JSON, text that
 * is not UTF-8 (RFC 8259) or a body that is no array → 400 naming the place; an item that is no
 * object → that row's error.
 */
export async function* jsonRows(body: Readable, limit = BODY_LIMIT): AsyncGenerator<SourceRow> {
  let row = 0
  try {
    for await (const item of jsonArrayItems(limited(body, limit, 'JSON body'), MAX_ROW_BYTES)) {
      row += 1
      if (!isUtf8(item))
        throw invalidField('body', String(row - 1), 'is not valid UTF-8 (JSON must be UTF-8)')
      let value: unknown
      try {
        value = JSON.parse(item.toString('utf8'))
      } catch {
        throw invalidField('body', String(row - 1), 'is not valid JSON')
      }
      yield typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { row, record: value as Record<string, unknown> }
        : { row, record: {}, problem: 'must be an object' }
    }
  } catch (error) {
    if (!(error instanceof JsonArrayError)) throw error
    throw invalidField('body', error.index === null ? '' : String(error.index), error.message)
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

/**
 * The first row of each key of this import — `i:` an establishment a row targets, `e:` an
 * external id, `t:` an active tax code — in a temporary table of the import's transaction (gone
 * at its end), not in the heap: a file of millions of rows keeps memory flat. One query looks up a
 * batch's keys, one stores the batch's new ones.
 */
class FirstRows {
  private created = false

  constructor(private trx: Trx) {}

  async of(keys: string[]): Promise<Map<string, number>> {
    if (!this.created) {
      await sql`create temporary table kc_import_keys (key text primary key, first_row integer not null)
        on commit drop`.execute(this.trx)
      this.created = true
    }
    if (keys.length === 0) return new Map()
    const { rows } = await sql<{ key: string; first_row: number }>`
      select key, first_row from pg_temp.kc_import_keys where key = any(${keys}::text[])`.execute(this.trx)
    return new Map(rows.map((r) => [r.key, r.first_row]))
  }

  async add(firsts: Map<string, number>) {
    if (firsts.size === 0) return
    await sql`insert into pg_temp.kc_import_keys (key, first_row)
      select * from unnest(${[...firsts.keys()]}::text[], ${[...firsts.values()]}::integer[])`.execute(
      this.trx,
    )
  }
}

class Importer {
  readonly report: Report
  /** The last row that failed: rows are checked in order, so one row's errors come together. */
  private lastFailed = 0
  private lastFailedErrors = 0
  /** The errors found since the last batch was done, put in row order when it is. */
  private found: RowError[] = []
  private pending: Pending[] = []
  private firstRows: FirstRows

  constructor(
    private trx: Trx,
    private province: string,
    private communes: Set<string>,
    private origins: Set<string>,
    private opts: { dryRun: boolean; atomic: boolean },
  ) {
    this.firstRows = new FirstRows(trx)
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
    if (row !== this.lastFailed) {
      this.lastFailed = row
      this.lastFailedErrors = 0
      this.report.failed += 1
    }
    // Bounded: no row can bring more than the report holds (a JSON row of 100,000 unknown keys).
    if (this.report.errors.length < MAX_ERRORS && this.lastFailedErrors++ < MAX_ERRORS)
      this.found.push({ row, column, message })
  }

  /**
   * A dry run writes exactly as the import does, and rolls back at the end: the database's own
   * checks run too, so both give the same report. All-or-nothing stops writing at the first bad
   * row (nothing will be kept) but goes on checking.
   */
  private get writing() {
    return !(this.opts.atomic && this.report.failed > 0)
  }

  async add(source: SourceRow) {
    this.check(source)
    // A batch is also done when its errors would fill the report, so the report stays in row order.
    if (this.pending.length >= BATCH || this.found.length >= MAX_ERRORS) await this.flush()
  }

  /** The checks of one row on its own; a row that passes them waits for its batch. */
  private check(source: SourceRow) {
    const { row, record } = source
    if (source.problem) return this.error(row, null, source.problem)
    const values: Record<string, unknown> = {}
    let bad = false
    for (const [column, raw] of Object.entries(record)) {
      if (IGNORED.has(column)) continue
      if (!isColumn(column)) {
        this.error(row, column, 'is not a column of the template')
        bad = true
        continue
      }
      if (raw instanceof BadCell) {
        this.error(row, column, raw.message)
        bad = true
        continue
      }
      try {
        values[column] = (CONVERT as Record<string, (v: unknown) => unknown>)[column]?.(raw)
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
    this.pending.push({ row, values: v })
  }

  /** Matches a batch against the database and this import's earlier rows, decides create / update / unchanged, and writes. */
  async flush() {
    const batch = this.pending
    this.pending = []
    if (batch.length > 0) await this.decide(batch)
    this.found.sort((a, b) => a.row - b.row) // stable: one row's errors keep their order
    for (const e of this.found) if (this.report.errors.length < MAX_ERRORS) this.report.errors.push(e)
    this.found = []
  }

  private async decide(batch: Pending[]) {
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
    // Every tax code a row may end with: its own, or the stored one it keeps.
    const allTaxCodes = [
      ...new Set([...taxCodes, ...existing.flatMap((e) => (e.tax_code ? [e.tax_code] : []))]),
    ]
    // Tax codes of active establishments anywhere (another province's included, without revealing it).
    const taken = new Set<string>()
    if (allTaxCodes.length) {
      const { rows } = await sqlTaken(trx, allTaxCodes)
      for (const r of rows) taken.add(r.code)
    }
    const stored = await this.firstRows.of([
      ...ids.map((k) => `i:${k}`),
      ...existing.map((e) => `i:${e.id}`),
      ...externals.map((k) => `e:${k}`),
      ...allTaxCodes.map((k) => `t:${k}`),
    ])
    const fresh = new Map<string, number>()
    const firstRow = (key: string) => fresh.get(key) ?? stored.get(key)
    const claim = (key: string, row: number) => {
      if (firstRow(key) === undefined) fresh.set(key, row)
    }

    const creates: { row: number; values: Values }[] = []
    const updates: { row: number; current: EstablishmentRow; changes: Values }[] = []
    for (const { row, values: v } of batch) {
      const repeated = (['id', 'external_id'] as const).find((k) => {
        const first = v[k] ? firstRow(`${k === 'id' ? 'i' : 'e'}:${v[k]}`) : undefined
        if (first !== undefined) this.error(row, k, `is also on row ${first}`)
        return first !== undefined
      })
      if (repeated) continue
      if (v.id) claim(`i:${v.id}`, row)
      if (v.external_id) claim(`e:${v.external_id}`, row)
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
        const first = firstRow(`t:${tax}`)
        if (first !== undefined) {
          this.error(row, 'tax_code', `is also on row ${first}`)
          continue
        }
        claim(`t:${tax}`, row)
      }
      if (current) {
        const first = firstRow(`i:${current.id}`)
        if (first !== undefined && first !== row) {
          this.error(row, null, `is the same establishment as row ${first}`)
          continue
        }
        claim(`i:${current.id}`, row)
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
    await this.firstRows.add(fresh)
    if (this.writing) await this.write(creates, updates)
  }

  private async write(
    creates: { row: number; values: Values }[],
    updates: { row: number; current: EstablishmentRow; changes: Values }[],
  ) {
    const { trx, province } = this
    if (creates.length) {
      const rows = creates.map(({ values }) => {
        const out: Record<string, unknown> = { province_code: province }
        for (const f of WRITABLE) if (values[f] !== undefined) out[f] = values[f]
        return out as { province_code: string; commune_code: string; name: string; kind: string }
      })
      const inserted = await trx.insertInto('establishments').values(rows).returning(COLUMNS).execute()
      for (const after of inserted) {
        await audit(trx, {
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
      await audit(trx, {
        entityType: ENTITY,
        entityId: current.id,
        provinceCode: province,
        action: 'update',
        before: withoutMeta(current),
        after: withoutMeta(after),
      })
    }
  }

  async finish(): Promise<Report> {
    await this.flush()
    if (this.opts.dryRun || !this.writing) throw new RolledBack(this.report)
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
  province: string,
  rows: AsyncIterable<SourceRow>,
  opts: { dryRun: boolean; atomic: boolean },
  watch: Watch,
): Promise<Report> {
  const [communes, origins] = await Promise.all([communesOf(trx, province), originsOf(trx, province)])
  const importer = new Importer(trx, province, communes, origins, opts)
  watch.report = importer.report
  for await (const row of rows) {
    watch.signal.throwIfAborted()
    await importer.add(row)
  }
  return importer.finish()
}

/** The rows of a spooled body, streamed from its file (never read whole). */
const rowsOf = (format: Format, file: Spool): AsyncIterable<SourceRow> =>
  format === 'csv' ? csvRows(file.read()) : jsonRows(file.read())

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
      const rows = rowsOf(job.format, file)
      const report = await importRows(trx, province, rows, { dryRun, atomic }, watch)
      // With its rows: a crash after this commit cannot leave a written import unrecorded.
      return { done: await finishJob({ trx }, id, 'committed', report) }
    }).catch((error) => {
      if (error instanceof RolledBack) return { report: error.report }
      throw error
    })
    if ('done' in outcome) return outcome.done
    const { report } = outcome
    return await finishJob({ db, scope }, id, rolledBackStatus(report), report)
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

/**
 * How an import that was rolled back ended: a dry run that found no error `validated`; else
 * `failed` (a dry run with errors, or an all-or-nothing import refused because of its rows).
 */
const rolledBackStatus = (report: Report) => (report.dry_run && report.failed === 0 ? 'validated' : 'failed')

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
          '(active), else by `external_id`; otherwise it creates one. Text is normalised to NFC and trimmed. ' +
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
            ...Type.Ref('EstablishmentImport'),
            description: 'Đang nhập — `Prefer: respond-async`: the import runs on; poll its `Location`.',
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
          items: page.items.map(({ seq: _seq, ...job }) => summaryView(job)),
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
