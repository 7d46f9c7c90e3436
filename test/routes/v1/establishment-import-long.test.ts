// A long import on either database: liveness keeps answering, readiness says the database is
// busy, and closing the app aborts an import still running (rolled back, marked interrupted).
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { loadConfig } from '../../../src/config.ts'
import { BATCH } from '../../../src/routes/v1/establishments/imports/run.ts'
import { buildTestApp, onPostgres } from '../../helpers/app.ts'
import { listening } from '../../helpers/http.ts'
import { csvOf } from '../../helpers/imports.ts'
import { cast } from '../../helpers/tokens.ts'

// A 5,000-row import on PGlite takes a minute on a busy machine: more than the runner's default.
t.setTimeout(300_000)
const { app, database } = await buildTestApp(t)
const as = await cast()
const call = await listening(app)
const importCsv = (csv: string) =>
  call('POST', '/v1/establishments/imports', { ...as.officer08, 'content-type': 'text/csv' }, csv)
const total = async () =>
  (await call('GET', '/v1/establishments?include_total=true&limit=1', as.officer08)).json().total as number

// PostgreSQL imports several times faster (7,500 rows/s under load): more rows keep it long
// enough to count rounds in.
const ROWS = onPostgres ? 20_000 : 5_000

t.test('a long import: /healthz keeps answering and /readyz says the database is busy', async (t) => {
  let ended = false
  const running = importCsv(csvOf('LONG', ROWS)).finally(() => {
    ended = true
  })
  // Rounds of /readyz then /healthz, each counted when both were answered while the import ran.
  let during = 0
  while (!ended) {
    const ready = await call('GET', '/readyz')
    const live = await call('GET', '/healthz')
    if (ready.json().database === 'busy' && live.status === 200 && !ended) during += 1
    await sleep(5)
  }
  const res = await running
  t.equal(res.status, 200, res.body)
  t.match(res.json(), { created: ROWS })
  t.comment(`${during} rounds answered during the import`)
  // Without yielding, the only turns of the event loop during the import are the few reads of
  // its file: a handful of rounds at most.
  t.ok(during >= 20, '/readyz (busy) and /healthz kept answering while the import ran')
  t.same((await call('GET', '/readyz')).json(), { status: 'ok', database: 'ok' })
})

t.test('a large import counts its own rows in the planner statistics, a dry run too', async (t) => {
  // Its writes are invisible to autovacuum until it commits: without the refresh, the lookup of
  // each batch's keys was planned for the province as it was before, and read all of it.
  const { db } = database
  await sql`alter table establishments set (autovacuum_enabled = off)`.execute(db) // only the import analyzes
  await sql`analyze establishments`.execute(db) // the earlier imports' rows counted
  const reltuples = async () =>
    (
      await sql<{
        n: number
      }>`select reltuples::float8 as n from pg_class where oid = 'establishments'::regclass`.execute(db)
    ).rows[0]?.n ?? 0
  const dryRun = (tag: string, rows: number) =>
    call(
      'POST',
      '/v1/establishments/imports?dry_run=true',
      { ...as.officer08, 'content-type': 'text/csv' },
      csvOf(tag, rows),
    )
  const before = await reltuples()
  t.ok(before >= ROWS, 'the earlier rows are counted')
  const batch = BATCH[database.kind]
  const small = await dryRun('SMALL', 7 * batch)
  t.equal(small.status, 200, small.body)
  t.equal(await reltuples(), before, 'a small import does not analyze (nor take the lock)')
  const rows = 10 * batch
  const res = await dryRun('STATS', rows)
  t.equal(res.status, 200, res.body)
  t.match(res.json(), { created: rows, committed: false })
  // Refreshed once it had written eight batches; ANALYZE's count outlives the rollback.
  t.ok((await reltuples()) >= before + 8 * batch, 'the statistics count the rows it wrote')
})

/** A second app over the same database, to close under a running import. */
async function another(shutdownGraceMs: number) {
  const config = { ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent' as const, migrateOnStart: false }
  const other = await buildApp({
    config: { ...config, shutdownGraceMs, rateLimit: { max: 0, windowMs: 60_000 } },
    database,
  })
  await other.ready()
  const start = (csv: string) =>
    other.inject({
      method: 'POST',
      url: '/v1/establishments/imports',
      headers: { ...as.officer08, 'content-type': 'text/csv', prefer: 'respond-async' },
      payload: csv,
    })
  return { other, start }
}

t.test('closing the app lets an import finish within the grace', async (t) => {
  const { other, start } = await another(120_000)
  const before = await total()
  const res = await start(csvOf('GRACE', 10))
  t.equal(res.statusCode, 202, res.body)
  await other.close()
  const job = await call('GET', res.headers.location as string, as.officer08)
  t.match(job.json(), { status: 'committed', created: 10 })
  t.equal(await total(), before + 10)
})

t.test(
  'past the grace, closing the app aborts a running import: rolled back and marked interrupted',
  async (t) => {
    const { other, start } = await another(0)
    const before = await total()
    const res = await start(csvOf('CLOSED', 5000))
    t.equal(res.statusCode, 202, res.body)
    await other.close()
    const job = await call('GET', res.headers.location as string, as.officer08)
    t.match(job.json(), { status: 'interrupted', committed: false })
    t.ok(job.json().finished_at)
    t.equal(await total(), before, 'nothing written')
  },
)
