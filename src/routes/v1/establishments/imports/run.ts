// Running a recorded import: the import of a spooled body in a transaction of its own, its lease
// renewed while it runs (repository.ts), its slot tracked (plugins/imports.ts), its record closed
// with the outcome.
import type { FastifyInstance } from 'fastify'
import { type Scope, withTenant } from '../../../../db/tenancy.ts'
import { YieldToEventLoop } from '../../../../db/yielding.ts'
import { Problem, problem } from '../../../../lib/problems.ts'
import type { Spool } from '../../../../lib/spool.ts'
import type { Slot } from '../../../../plugins/imports.ts'
import { importRows, type Report, RolledBack, type Watch } from './importer.ts'
import { finishJob, heartbeat, type JobRow, type Progress } from './repository.ts'
import { csvRows, jsonRows, type SourceRow } from './sources.ts'
import { jobPath } from './views.ts'

/** The rows of a spooled body, streamed from its file (never read whole). */
const rowsOf = (format: Format, file: Spool): AsyncIterable<SourceRow> =>
  format === 'csv' ? csvRows(file.read()) : jsonRows(file.read())

export type Format = 'csv' | 'json'

/**
 * Rows matched and written per statement. PGlite runs in this thread, so its statements stay small
 * enough that none holds the event loop for long. On PostgreSQL the database waits for Node between
 * two statements (about a millisecond, the rows being checked meanwhile): larger batches wait less
 * often — at 500 rows the import's backend waited for Node 13 % of its time.
 */
export const BATCH = { pglite: 100, postgresql: 2000 } as const

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
export async function runImport(app: FastifyInstance, { job, scope, file, slot }: Run): Promise<JobRow> {
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
  // PGlite runs in this thread: the import yields between its statements (and keeps them small).
  const embedded = app.database.kind === 'pglite'
  const importDb = embedded ? db.withPlugin(new YieldToEventLoop()) : db
  const close = (status: 'failed' | 'interrupted', failure?: Problem) =>
    finishJob({ db, scope }, id, status, watch.report, failure)
  try {
    slot.importing = true
    const outcome = await withTenant(importDb, scope, async (trx) => {
      const rows = rowsOf(job.format, file)
      const batch = BATCH[app.database.kind]
      const report = await importRows(trx, province, rows, { dryRun, atomic, batch }, watch)
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
        {
          vi: 'Máy chủ đang dừng hoạt động: lượt nhập đã bị dừng và không ghi dữ liệu nào. Hãy gửi lại.',
          en: 'The server is shutting down: the import was stopped and wrote nothing. Send it again.',
        },
        {},
        { location: jobPath(id), 'retry-after': String(RETRY_AFTER) },
      )
    }
    const failure =
      error instanceof Problem
        ? error
        : (error as { code?: string }).code === '23505'
          ? problem('conflict', {
              vi: 'Hai dòng, hoặc một thay đổi đồng thời, trùng nhau về mã số thuế hoặc mã định danh ngoài (external_id).',
              en: 'Two rows or a concurrent change clash on a tax code or external id.',
            })
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

/** Seconds a client is told to wait when this instance runs all the imports it may. */
export const RETRY_AFTER = 10
