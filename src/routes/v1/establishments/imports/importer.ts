// The import of a province's rows in the caller's transaction: each row checked on its own, then
// in batches matched against the database and this import's earlier rows, decided (create, update,
// unchanged) and written; all-or-nothing by default, with an exact per-row report either way.
import { randomUUID } from 'node:crypto'
import { setImmediate } from 'node:timers/promises'
import { type AuditEntry, auditAll } from '../../../../db/audit.js'
import type { Trx } from '../../../../db/tenancy.js'
import type { Noun } from '../../../../domain/nouns.js'
import { withoutMeta } from '../../../../domain/versioned.js'
import { communesOf, type EstablishmentRow, originsOf, update } from '../repository.js'
import { BadCell, CellError, CONVERT, IGNORED, isColumn, REQUIRED, type Values, WRITABLE } from './cells.js'
import { type Keys, Known } from './known.js'
import {
  FirstRows,
  insertBatch,
  matching,
  type NewEstablishment,
  refreshStatistics,
  takenTaxCodes,
} from './repository.js'
import type { SourceRow } from './sources.js'

const ENTITY: Noun = 'establishment'
export const MAX_ERRORS = 1000
/** Rows checked between two turns of the event loop (about half a millisecond of work). */
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

interface Create {
  row: number
  id: string
  values: Values
}

interface Update {
  row: number
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
  constructor(readonly report: Report) {
    super('rolled back')
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
  private firstRows: FirstRows
  /**
   * The batch being matched and written: the next one is checked meanwhile, so that the database
   * and Node work at the same time. One at a time, in row order: each batch is matched against
   * the rows written before it.
   */
  private inFlight: Promise<void> = Promise.resolve()
  /** Rows written so far, and how many when the planner's statistics are next refreshed. */
  private written = 0
  private analyzeAt: number

  constructor(
    private trx: Trx,
    private province: string,
    private communes: Set<string>,
    private origins: Set<string>,
    private opts: ImportOptions,
  ) {
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
    if (this.pending.length >= this.opts.batch || this.found.length >= MAX_ERRORS) await this.flush()
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
        const value = (CONVERT as Record<string, (v: unknown) => unknown>)[column]?.(raw)
        if (value !== undefined) values[column] = value
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

  /**
   * Takes the rows checked so far as a batch, to be matched and written once the batch before it
   * is done; resolves when that one is (at most two batches held).
   */
  async flush() {
    const batch = this.pending
    const found = this.found
    this.pending = []
    this.found = []
    const previous = this.inFlight
    this.inFlight = previous.then(() => this.settle(batch, found))
    this.inFlight.catch(() => {}) // awaited at the next flush, or by drain()
    await previous
  }

  /** Waits for the batch in flight; rethrows its failure. */
  drain() {
    return this.inFlight
  }

  /** Decides and writes a batch, then reports the errors of its rows, checks' and decision's, in row order. */
  private async settle(batch: Pending[], found: RowError[]) {
    if (batch.length > 0) await this.decide(batch, found)
    found.sort((a, b) => a.row - b.row) // stable: one row's errors keep their order
    for (const e of found) if (this.report.errors.length < MAX_ERRORS) this.report.errors.push(e)
  }

  /**
   * Matches a batch against the database and this import's earlier rows, decides create / update /
   * unchanged, and writes. Each row sees what every earlier row of the file did: the rows of earlier
   * batches in the database, those of its own batch in `known`, the same way.
   */
  private async decide(batch: Pending[], found: RowError[]) {
    const { trx, province } = this
    // A large import refreshes the statistics once it wrote eight batches, then each time its rows
    // double; a small one never takes the statistics lock.
    if (this.written >= this.analyzeAt) {
      await refreshStatistics(trx)
      this.analyzeAt = 2 * this.written
    }
    const ids = batch.flatMap((p) => (p.values.id ? [p.values.id] : []))
    const taxCodes = batch.flatMap((p) => (p.values.tax_code ? [p.values.tax_code] : []))
    const externals = batch.flatMap((p) => (p.values.external_id ? [p.values.external_id] : []))
    const existing = await matching(trx, province, ids, taxCodes, externals)
    const stored = new Map(existing.map((e) => [e.id, e]))
    // Every tax code a row may end with: its own, or the stored one it keeps.
    const allTaxCodes = [
      ...new Set([...taxCodes, ...existing.flatMap((e) => (e.tax_code ? [e.tax_code] : []))]),
    ]
    // Tax codes of active establishments anywhere (another province's included, without revealing it).
    const taken = new Set<string>()
    if (allTaxCodes.length) {
      const { rows } = await takenTaxCodes(trx, allTaxCodes)
      for (const r of rows) taken.add(r.code)
    }
    const known = new Known(existing, taken)
    const claims = await this.firstRows.of([
      ...ids.map((k) => `i:${k}`),
      ...existing.map((e) => `i:${e.id}`),
      ...externals.map((k) => `e:${k}`),
      ...allTaxCodes.map((k) => `t:${k}`),
    ])
    const fresh = new Map<string, number>()
    const firstRow = (key: string) => fresh.get(key) ?? claims.get(key)
    const claim = (key: string, row: number) => {
      if (firstRow(key) === undefined) fresh.set(key, row)
    }

    const creates: Create[] = []
    const updates: Update[] = []
    for (const { row, values: v } of batch) {
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
            known.write(before, { ...before, ...changes } as Keys) // changes: writable fields only
            updates.push({ row, current: before, changes })
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
        const id = randomUUID()
        if (tax && status === 'active') claim(`i:${id}`, row)
        this.report.created += 1
        if (this.writes(row)) {
          const { status = 'active', tax_code = null, external_id = null } = v
          known.write(undefined, { id, status, tax_code, external_id })
          creates.push({ row, id, values: v })
        }
      }
    }
    await this.firstRows.add(fresh)
    await this.write(creates, updates)
  }

  /**
   * Writes a batch as its rows would one after the other: the updates in row order, then the
   * creations. An update may free a tax code or an external id that a later row creates with; a
   * creation frees nothing, and takes nothing that a later row of its batch writes (that row would
   * have found it). Audited in row order.
   */
  private async write(creates: Create[], updates: Update[]) {
    const { trx, province } = this
    const events: { row: number; entry: AuditEntry }[] = []
    const event = (row: number, entityId: string, action: string, before: object | null, after: object) =>
      events.push({
        row,
        entry: { entityType: ENTITY, entityId, provinceCode: province, action, before, after },
      })
    for (const { row, current, changes } of updates) {
      const after = await update(trx, current.id, changes as Partial<EstablishmentRow>)
      event(row, current.id, 'update', withoutMeta(current), withoutMeta(after))
    }
    if (creates.length) {
      const inserted = await insertBatch(
        trx,
        creates.map(({ id, values }) => {
          const out: Record<string, unknown> = { id, province_code: province }
          for (const f of WRITABLE) if (values[f] !== undefined) out[f] = values[f]
          return out as NewEstablishment
        }),
      )
      const byId = new Map(inserted.map((after) => [after.id, after]))
      for (const { row, id } of creates) event(row, id, 'create', null, byId.get(id) as EstablishmentRow)
    }
    this.written += updates.length + creates.length
    events.sort((a, b) => a.row - b.row)
    await auditAll(
      trx,
      events.map((e) => e.entry),
    )
  }

  async finish(): Promise<Report> {
    await this.flush()
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
  const [communes, origins] = await Promise.all([communesOf(trx, province), originsOf(trx, province)])
  const importer = new Importer(trx, province, communes, origins, opts)
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
