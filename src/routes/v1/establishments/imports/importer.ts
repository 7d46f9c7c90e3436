// The import of a province's rows in the caller's transaction: each row checked on its own, then
// in batches matched against the database and this import's earlier rows, decided (create, update,
// unchanged) and written; all-or-nothing by default, with an exact per-row report either way.
import { setImmediate } from 'node:timers/promises'
import { batchEvent, creationInBatch } from '../../../../db/audit.ts'
import type { Trx } from '../../../../db/tenancy.ts'
import { withoutMeta } from '../../../../domain/versioned.ts'
import { uuid7 } from '../../../../lib/uuid7.ts'
import { communesOf, type EstablishmentRow, originsOf, update } from '../repository.ts'
import {
  BadCell,
  CellError,
  CONVERT,
  DEFAULTS,
  IGNORED,
  isColumn,
  REQUIRED,
  type Values,
  WRITABLE,
} from './cells.ts'
import { type Keys, Known } from './known.ts'
import {
  ENTITY,
  FirstRows,
  matching,
  refreshStatistics,
  takenTaxCodes,
  transactionTime,
  writeBatch,
} from './repository.ts'
import type { SourceRow } from './sources.ts'

export const MAX_ERRORS = 1000
/**
 * Characters of cell text a batch holds at most, whatever its rows: a batch is held as several
 * copies (its cells, its rows' JSON, its updates' events before and after), two at a time. Rows
 * of a few hundred characters fill their batch by count; two imports of 2,000 rows of 3,000
 * characters each exhausted the service's 192 MB heap.
 */
export const BATCH_TEXT = 1_000_000
/** Rows checked, or decided, between two turns of the event loop (under a millisecond of work). */
const YIELD_EVERY = 32

export interface RowError {
  row: number
  column: string | null
  message: string
}

export interface Report {
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

/** A batch as it was taken: its place, and how many batches' writes were sent before its reads. */
interface Taken {
  index: number
  seen: number
  rows: Pending[]
}

/** What the database showed a batch (see Importer.read). */
interface Reads {
  existing: EstablishmentRow[]
  taken: Set<string>
  claims: Map<string, number>
}

/** What a batch wrote: its rows' writes as `known` took them, and the first rows of its new keys. */
interface Written {
  writes: Known['writes']
  fresh: Map<string, number>
}

interface Update {
  current: EstablishmentRow
  changes: Values
}

export interface ImportOptions {
  dryRun: boolean
  atomic: boolean
  /** Rows matched and written per statement. */
  batch: number
}

/** Carries the report out of a transaction that must not commit. */
export class RolledBack extends Error {
  readonly report: Report
  constructor(report: Report) {
    super('rolled back')
    this.report = report
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

export class Importer {
  readonly report: Report
  /** The last row that failed: rows are checked in order, so one row's errors come together. */
  private lastFailed = 0
  private lastFailedErrors = 0
  /**
   * The first row that failed so far. In all-or-nothing mode no row after it is written, nor seen
   * by later rows: they are checked against what the rows before it left.
   */
  private firstFailed = Number.POSITIVE_INFINITY
  /** The errors of the rows checked since the last batch was taken, put in row order when it is done. */
  private found: RowError[] = []
  private pending: Pending[] = []
  /** The cell text of the pending rows (see BATCH_TEXT). */
  private pendingText = 0
  private firstRows: FirstRows
  /**
   * The batch being decided: the next one is checked meanwhile, and its reads are sent. One at a
   * time, in row order: each batch is decided against what the batches before it wrote.
   */
  private inFlight: Promise<void> = Promise.resolve()
  /** Batches taken so far, and how many of them have their writes sent. */
  private batches = 0
  private sent = 0
  /**
   * The writes of each batch whose writes were sent after the reads of a batch not yet decided:
   * what that batch's reads did not see, replayed over them.
   */
  private unseen = new Map<number, Written>()
  /** The end of the last statement sent (see send()), and of each batch's last write. */
  private last: Promise<void> = Promise.resolve()
  private writtenBy = new Map<number, Promise<void>>()
  /**
   * The first statement that failed. It aborted the transaction: the statements after it failed
   * only because of it.
   */
  private failure: { error: unknown } | undefined
  /** Rows written so far, and how many when the planner's statistics are next refreshed. */
  private written = 0
  private analyzeAt: number
  private readonly trx: Trx
  private readonly province: string
  private readonly communes: Set<string>
  private readonly origins: Set<string>
  /** The transaction's time: the created_at of the establishments it creates. */
  private readonly now: string
  private readonly opts: ImportOptions

  constructor(
    trx: Trx,
    province: string,
    communes: Set<string>,
    origins: Set<string>,
    now: string,
    opts: ImportOptions,
  ) {
    this.trx = trx
    this.province = province
    this.communes = communes
    this.origins = origins
    this.now = now
    this.opts = opts
    this.firstRows = new FirstRows(trx)
    this.analyzeAt = 8 * opts.batch
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

  /** One row's errors come together, from its checks or from its batch's decision, never both. */
  private error(row: number, column: string | null, message: string, into = this.found) {
    if (row !== this.lastFailed) {
      this.lastFailed = row
      this.lastFailedErrors = 0
      this.report.failed += 1
      // Rows are checked, and batches decided, in row order: a row being decided was checked, and
      // so were all the rows before it; rows checked meanwhile come after it.
      this.firstFailed = Math.min(this.firstFailed, row)
    }
    // Bounded: no row can bring more than the report holds (a JSON row of 100,000 unknown keys),
    // and a batch is done once its errors would fill the report; settle() keeps the first ones.
    if (this.lastFailedErrors++ < MAX_ERRORS) into.push({ row, column, message })
  }

  /**
   * Whether a row that passed is written, and seen by the rows after it. A dry run writes exactly as
   * the import does, and rolls back at the end: the database's own checks run too, so both give the
   * same report. All-or-nothing stops writing at the first bad row (nothing will be kept) but goes
   * on checking.
   */
  private writes(row: number) {
    return !this.opts.atomic || row < this.firstFailed
  }

  async add(source: SourceRow) {
    this.check(source)
    // A batch is also done when its errors would fill the report, so the report stays in row order.
    const full = this.pending.length >= this.opts.batch || this.pendingText >= BATCH_TEXT
    if (full || this.found.length >= MAX_ERRORS) await this.flush()
  }

  /** The checks of one row on its own; a row that passes them waits for its batch. */
  private check(source: SourceRow) {
    const { row, record } = source
    if (source.problem) return this.error(row, null, source.problem)
    const values: Record<string, unknown> = {}
    let bad = false
    let text = 0
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
        const value = (CONVERT as Record<string, (v: unknown) => unknown>)[column]?.(raw)
        if (value !== undefined) values[column] = value
        if (typeof value === 'string') text += value.length
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
    this.pendingText += text
  }

  /**
   * Takes the rows checked so far as a batch and sends its reads; it is decided once the batch
   * before it is. Resolves when that one is decided (at most two batches held).
   */
  async flush() {
    const taken: Taken = { index: this.batches++, seen: this.sent, rows: this.pending }
    const found = this.found
    this.pending = []
    this.pendingText = 0
    this.found = []
    // Sent now, behind the writes sent so far: they show the database as those writes leave it.
    const reads = taken.rows.length > 0 ? this.read(taken.rows) : Promise.resolve(undefined)
    reads.catch(() => {}) // awaited by settle()
    const previous = this.inFlight
    this.inFlight = previous.then(
      () => this.settle(taken, reads, found),
      // Not decided after a failure, but its reads end before the import does (and its transaction).
      (error: unknown) =>
        reads.then(
          () => Promise.reject(error),
          () => Promise.reject(error),
        ),
    )
    this.inFlight.catch(() => {}) // awaited at the next flush, or by drain()
    await previous
  }

  /**
   * Waits for the batch in flight, then for every statement sent (that batch's writes included):
   * none may reach the connection after the import's transaction ends. Rethrows the first
   * statement's failure, else the batch's. A write that fails is reported here at the latest: the
   * COMMIT of an aborted transaction does not fail, it rolls back.
   */
  async drain() {
    const batch = await this.inFlight.then(
      () => undefined,
      (error: unknown) => ({ error }),
    )
    for (let last = this.last; ; last = this.last) {
      await last
      if (last === this.last) break
    }
    const failed = this.failure ?? batch
    if (failed) throw failed.error
  }

  /** Decides a batch and sends its writes, then reports the errors of its rows, checks' and decision's, in row order. */
  private async settle(taken: Taken, reads: Promise<Reads | undefined>, found: RowError[]) {
    // A read that fails after a write failed (the transaction is aborted) is reported as that
    // write's failure, by drain().
    const read = await reads
    // At most two batches' writes wait for the database: a batch whose rows name no key sends no
    // read to wait for, and Node would otherwise queue the whole file. None is decided once a
    // statement failed.
    await this.writtenBy.get(taken.index - 2)
    this.writtenBy.delete(taken.index - 2)
    if (this.failure) throw this.failure.error
    this.unseen.set(
      taken.index,
      read ? await this.decide(taken, read, found) : { writes: [], fresh: new Map() },
    )
    this.sent = taken.index + 1
    // Later batches were read after this one's `seen`: they replay no batch before it.
    for (const index of this.unseen.keys()) if (index < taken.seen) this.unseen.delete(index)
    found.sort((a, b) => a.row - b.row) // stable: one row's errors keep their order
    for (const e of found) if (this.report.errors.length < MAX_ERRORS) this.report.errors.push(e)
  }

  /**
   * What a batch is decided against: the establishments its rows name, the tax codes they may end
   * with that are taken, and the first row of each of its keys — as the database shows them.
   * Sent together: each statement goes as soon as the one before it ends, not when this code runs.
   */
  private async read(batch: Pending[]): Promise<Reads> {
    const { trx, province } = this
    const ids = batch.flatMap((p) => (p.values.id ? [p.values.id] : []))
    const taxCodes = batch.flatMap((p) => (p.values.tax_code ? [p.values.tax_code] : []))
    const externals = batch.flatMap((p) => (p.values.external_id ? [p.values.external_id] : []))
    const keys = [
      ...ids.map((k) => `i:${k}`),
      ...externals.map((k) => `e:${k}`),
      ...taxCodes.map((k) => `t:${k}`),
    ]
    const [existing, taken, claims] = await Promise.all([
      this.send(() => matching(trx, province, ids, taxCodes, externals)),
      this.send(() => takenTaxCodes(trx, taxCodes)),
      this.send(() => this.firstRows.of(keys)),
    ])
    // A stored establishment brings keys of its own that no row names: its id, and the tax code it
    // keeps (that a row may end with).
    const named = new Set(keys)
    const storedTaxCodes = [
      ...new Set(existing.flatMap((e) => (e.tax_code && !named.has(`t:${e.tax_code}`) ? [e.tax_code] : []))),
    ]
    const storedKeys = [
      ...existing.flatMap((e) => (named.has(`i:${e.id}`) ? [] : [`i:${e.id}`])),
      ...storedTaxCodes.map((k) => `t:${k}`),
    ]
    if (storedKeys.length) {
      const [moreTaken, moreClaims] = await Promise.all([
        this.send(() => takenTaxCodes(trx, storedTaxCodes)),
        this.send(() => this.firstRows.of(storedKeys)),
      ])
      for (const code of moreTaken) taken.add(code)
      for (const [key, row] of moreClaims) claims.set(key, row)
    }
    return { existing, taken, claims }
  }

  /**
   * Matches a batch against the database and this import's earlier rows, decides create / update /
   * unchanged, and sends its writes. Each row sees what every earlier row of the file did: the rows
   * of earlier batches in the database, or replayed where its reads came before their writes; those
   * of its own batch in `known`, the same way.
   */
  private async decide(
    { index, seen, rows: batch }: Taken,
    { existing, taken, claims }: Reads,
    found: RowError[],
  ): Promise<Written> {
    const { province } = this
    // Rows an earlier row of the file wrote are claimed by it, so a row that finds one fails: the
    // establishments a row updates are as stored.
    const stored = new Map(existing.map((e) => [e.id, e]))
    const known = new Known(existing, taken)
    for (let before = seen; before < index; before++) {
      const unseen = this.unseen.get(before) as Written
      known.replay(unseen.writes)
      for (const [key, row] of unseen.fresh) claims.set(key, row)
    }
    const fresh = new Map<string, number>()
    const firstRow = (key: string) => fresh.get(key) ?? claims.get(key)
    const claim = (key: string, row: number) => {
      if (firstRow(key) === undefined) fresh.set(key, row)
    }

    // Each write's statement parameters (its row's JSON, its event: a creation's names its row's
    // place among `creates`) are built with its row, in row order, and the loop yields every few
    // rows: the database's answers to the statements in flight are taken (and the next ones sent)
    // meanwhile.
    const creates: string[] = []
    const updates: Update[] = []
    const events: string[] = []
    let done = 0
    for (const { row, values: v } of batch) {
      if (++done % YIELD_EVERY === 0) {
        await setImmediate()
        // A statement that failed meanwhile ends the import: nothing more is sent.
        if (this.failure) throw this.failure.error
      }
      const repeated = (['id', 'external_id'] as const).find((k) => {
        const first = v[k] ? firstRow(`${k === 'id' ? 'i' : 'e'}:${v[k]}`) : undefined
        if (first !== undefined) this.error(row, k, `is also on row ${first}`, found)
        return first !== undefined
      })
      if (repeated) continue
      if (v.id) claim(`i:${v.id}`, row)
      if (v.external_id) claim(`e:${v.external_id}`, row)
      let current: Keys | undefined
      if (v.id) {
        current = known.byId.get(v.id)
        if (!current) {
          this.error(row, 'id', `is not an establishment of province ${province}`, found)
          continue
        }
      }
      const byTaxCode = v.tax_code ? known.byTax.get(v.tax_code) : undefined
      const byExt = v.external_id ? known.byExternal.get(v.external_id) : undefined
      current ??= byTaxCode ?? byExt
      if (byExt && current && byExt.id !== current.id) {
        this.error(row, 'external_id', 'belongs to another establishment of this province', found)
        continue
      }
      const status = v.status ?? current?.status ?? 'active'
      const tax = v.tax_code === undefined ? current?.tax_code : v.tax_code
      if (tax && status === 'active') {
        if (byTaxCode && current && byTaxCode.id !== current.id) {
          this.error(row, 'tax_code', 'belongs to another active establishment of this province', found)
          continue
        }
        const mine = current && current.tax_code === tax && current.status === 'active'
        if (!mine && !byTaxCode && known.taken.has(tax)) {
          this.error(row, 'tax_code', 'is already used by an active establishment', found)
          continue
        }
        const first = firstRow(`t:${tax}`)
        if (first !== undefined) {
          // A row without the cell keeps its establishment's code: then it is that establishment
          // (an active one holds its code alone) which the earlier row named.
          if (v.tax_code === undefined)
            this.error(row, null, `is the same establishment as row ${first}`, found)
          else this.error(row, 'tax_code', `is also on row ${first}`, found)
          continue
        }
        claim(`t:${tax}`, row)
      }
      if (current) {
        const first = firstRow(`i:${current.id}`)
        if (first !== undefined && first !== row) {
          this.error(row, null, `is the same establishment as row ${first}`, found)
          continue
        }
        claim(`i:${current.id}`, row)
        // As stored: an establishment that an earlier row of the batch wrote is claimed by that row.
        const before = stored.get(current.id) as EstablishmentRow
        const changes: Values = {}
        for (const f of WRITABLE) {
          if (f in v && !same(v[f], before[f])) (changes as Record<string, unknown>)[f] = v[f]
        }
        const missing = REQUIRED.find((f) => f in v && v[f] === null)
        if (missing) {
          this.error(row, missing, 'is required', found)
          continue
        }
        if (Object.keys(changes).length === 0) this.report.unchanged += 1
        else {
          this.report.updated += 1
          if (this.writes(row)) {
            const after = { ...before, ...changes } as EstablishmentRow // changes: writable fields only
            known.write(before, after)
            updates.push({ current: before, changes })
            // Its event leaves out the version and the time it moves: known without reading the row back.
            const event = batchEvent(ENTITY, {
              entityId: before.id,
              action: 'update',
              before: withoutMeta(before),
              after: withoutMeta(after),
            })
            if (event) events.push(event)
          }
        }
      } else {
        const missing = REQUIRED.find((f) => v[f] == null)
        if (missing) {
          this.error(row, missing, 'is required', found)
          continue
        }
        // The id is chosen here, not by the database: the rows after this one find it before it is
        // written. Only by its active tax code (its external id is claimed already, its id is new).
        const id = uuid7()
        if (tax && status === 'active') claim(`i:${id}`, row)
        this.report.created += 1
        if (this.writes(row)) {
          const establishment = this.created(id, v)
          known.write(undefined, establishment)
          events.push(creationInBatch(creates.length))
          creates.push(JSON.stringify(establishment))
        }
      }
    }
    this.write(index, fresh, creates, updates, events)
    return { writes: known.writes, fresh }
  }

  /**
   * A new establishment, whole, as it will be stored: its audit event, the same record, is then
   * written by the statement that inserts it.
   */
  private created(id: string, v: Values): EstablishmentRow {
    const row: Record<string, unknown> = { id, province_code: this.province, ...DEFAULTS }
    for (const f of WRITABLE) if (v[f] !== undefined) row[f] = v[f]
    return { ...row, version: 1, created_at: this.now, updated_at: this.now } as EstablishmentRow
  }

  /**
   * Sends the writes of a batch as its rows would make them one after the other: the updates in row
   * order, then the creations (`creates`, as JSON) with the batch's events, in row order, in one
   * statement. An update may free a tax code or an external id that a later row creates with; a
   * creation frees nothing, and takes nothing that a later row of its batch writes (that row would
   * have found it). Every statement is queued now, before the next batch's: the database runs them
   * in that order while Node decides the next batch.
   */
  private write(
    index: number,
    fresh: Map<string, number>,
    creates: string[],
    updates: Update[],
    events: string[],
  ) {
    const { trx } = this
    const written = writeBatch(this.province, creates, events)
    // Not awaited: a failure is kept by send() and reported by drain().
    this.send(() => this.firstRows.add(fresh))
    for (const { current, changes } of updates)
      this.send(() => update(trx, current.id, changes as Partial<EstablishmentRow>))
    if (written) this.send(() => written.execute(trx))
    // A large import refreshes the statistics once it wrote eight batches, then each time its rows
    // double; a small one never takes the statistics lock.
    this.written += updates.length + creates.length
    if (this.written >= this.analyzeAt) {
      this.send(() => refreshStatistics(trx))
      this.analyzeAt = 2 * this.written
    }
    this.writtenBy.set(index, this.last)
  }

  /**
   * Sends a statement once the one sent before it has ended, whatever its outcome: the import's
   * statements reach the database in the order it sends them. (Kysely's queue for one connection
   * would let a statement sent in the few microtasks after another ends go before those waiting.)
   * Keeps the first failure.
   */
  private send<T>(statement: () => Promise<T>): Promise<T> {
    const next = this.last.then(statement)
    this.last = next.then(
      () => {},
      (error: unknown) => {
        this.failure ??= { error }
      },
    )
    return next
  }

  async finish(): Promise<Report> {
    // flush() fails with the batch in flight, whose failure drain() reports once every statement ended.
    await this.flush().catch(() => {})
    await this.drain()
    if (this.opts.dryRun || (this.opts.atomic && this.report.failed > 0)) throw new RolledBack(this.report)
    this.report.committed = true
    return this.report
  }
}

/** Where a running import shows how far it got, and how it is told to stop. */
export interface Watch {
  report?: Report
  signal: AbortSignal
}

export async function importRows(
  trx: Trx,
  province: string,
  rows: AsyncIterable<SourceRow>,
  opts: ImportOptions,
  watch: Watch,
): Promise<Report> {
  const [communes, origins, now] = await Promise.all([
    communesOf(trx, province),
    originsOf(trx, province),
    transactionTime(trx),
  ])
  const importer = new Importer(trx, province, communes, origins, now, opts)
  watch.report = importer.report
  let read = 0
  try {
    for await (const row of rows) {
      watch.signal.throwIfAborted()
      await importer.add(row)
      // The rows of a chunk of the file come without a turn of the event loop: every few rows,
      // let the batch in flight go on to its next statement as soon as the database answers.
      if (++read % YIELD_EVERY === 0) await setImmediate()
    }
    return await importer.finish()
  } finally {
    // Nothing may reach the connection after its transaction ends: a batch still in flight would
    // then write outside it.
    await importer.drain().catch(() => {})
  }
}
