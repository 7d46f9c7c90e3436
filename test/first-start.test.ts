// The embedded default's first start: a new data directory is unpacked from PGlite's demo cluster
// (migrated, with the demo data: made at install by scripts/pglite-cluster.ts) rather than made by
// initdb, the migrations and the demo's load, with a progress line per phase; a restart finds it all
// there. A database made without the demo gains it at a later start: the same rows in every table.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { ensureCluster } from '../src/db/clusters.ts'
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.ts'
import { migrator } from '../src/db/migrate.ts'
import { onPostgres } from './helpers/app.ts'
import { rowCounts } from './helpers/row-counts.ts'
import { eventually, type Service, startService } from './helpers/service.ts'
import { token } from './helpers/tokens.ts'

const skip = onPostgres && 'the embedded default only'
// The runner's 120 s is for the whole file: its starts of the real server (and the demo cluster,
// made again after an edit of src/) took 124 s under a busy CI run.
t.setTimeout(600_000)
const dir = mkdtempSync(path.join(tmpdir(), 'kc-first-start-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const ministry = `Bearer ${await token({ role: 'ministry', sub: 'ctdp-officer' })}`

// The lines of a start may still be in the pipe when /readyz answers.
const started = async (service: Service) => {
  await eventually(() => service.logs().some((l) => String(l.msg).startsWith('listening on')))
  return service.logs()
}
const phases = (logs: Record<string, unknown>[]) =>
  logs.filter((l) => typeof l.ms === 'number' && l.msg !== 'request').map((l) => l.msg)
const opened = (logs: Record<string, unknown>[]) => logs.find((l) => l.msg === 'database opened')
async function stop(t: Test, service: Service) {
  service.child.kill('SIGTERM')
  t.equal(await service.exited, 0)
}

/** Rows in every table of the database in `dataDir`, by table. */
async function countsIn(dataDir: string): Promise<Record<string, number>> {
  const database = await connectDatabase({ databaseUrl: undefined, dataDir, dbPoolMax: 1 })
  try {
    return await rowCounts(database.db)
  } finally {
    await database.close()
  }
}

const fromCluster = path.join(dir, 'from-cluster')
const loaded = path.join(dir, 'loaded')

const MAKER = fileURLToPath(new URL('../scripts/pglite-cluster.ts', import.meta.url))

t.test('a first start on a new data directory, then a restart', { skip }, async (t) => {
  // What npm's postinstall made (a no-op when it did; after an edit of src/, 10–20 s).
  t.setTimeout(240_000)
  await promisify(execFile)(process.execPath, ['--liftoff-only', MAKER, 'demo'])
  const env = { DATA_DIR: fromCluster, DEMO_DATA: 'true' }

  const first = await startService(t, env)
  const logs = await started(first)
  t.match(
    opened(logs),
    { database: 'pglite', created: 'from the cached demo cluster' },
    'unpacked, not initdb, migrations and the demo',
  )
  t.same(
    phases(logs).slice(0, 4),
    ['database opened', 'database migrated', 'demo data present', 'routes ready'],
    'a line per phase, in order',
  )
  t.match(
    logs.find((l) => l.msg === 'database migrated'),
    { applied: 0 },
    'nothing left to migrate',
  )
  const schemes = await fetch(`${first.base}/v1/projects?limit=1`, { headers: { authorization: ministry } })
  t.equal(schemes.status, 200)
  t.ok(((await schemes.json()) as { items: unknown[] }).items.length > 0, 'the demo schemes are there')
  await stop(t, first)

  const again = await startService(t, env)
  const relogs = await started(again)
  const reopened = opened(relogs)
  t.ok(reopened && !('created' in reopened), 'a restart opens the database it made')
  t.ok(
    relogs.some((l) => l.msg === 'demo data present'),
    'and finds the demo loaded',
  )
  await stop(t, again)
})

t.test('a database made without the demo gains the same demo at a later start', { skip }, async (t) => {
  t.ok(existsSync(path.join(fromCluster, 'PG_VERSION')), 'the first test made its database')
  // A database made without the demo (from the migrated cluster), then a start that loads it.
  const plain = await startService(t, { DATA_DIR: loaded, DEMO_DATA: 'false' })
  t.match(opened(await started(plain)), { created: 'from the cached migrated cluster' })
  await stop(t, plain)
  const demo = await startService(t, { DATA_DIR: loaded, DEMO_DATA: 'true' })
  t.same(phases(await started(demo)).slice(0, 4), [
    'database opened',
    'database migrated',
    'demo data loaded',
    'routes ready',
  ])
  await stop(t, demo)
  const [ours, theirs] = [await countsIn(loaded), await countsIn(fromCluster)]
  t.ok((ours.projects ?? 0) > 0 && (ours.attachments ?? 0) > 0, 'the demo was loaded, to its last part')
  t.same(ours, theirs, 'the same rows in every table as the demo cluster holds')
})

t.test(
  'a new database starts migrated only for a caller that migrates anyway',
  { skip: onPostgres && 'the embedded default only' },
  async (t) => {
    await ensureCluster('migrated')
    const dir = mkdtempSync(path.join(tmpdir(), 'kc-new-database-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const config = { databaseUrl: undefined, dbPoolMax: 1 }
    const pending = async (database: DatabaseHandle) =>
      (await migrator(database.db).getMigrations()).filter((m) => !m.executedAt).length

    const plain = await connectDatabase({ ...config, dataDir: path.join(dir, 'plain') })
    t.equal(plain.created, 'from the cached empty cluster')
    t.ok(
      (await pending(plain)) === (await migrator(plain.db).getMigrations()).length,
      'nothing migrated: `npm run migrate` and MIGRATE_ON_START=false see it all pending',
    )
    await plain.close()

    const migrated = await connectDatabase(
      { ...config, dataDir: path.join(dir, 'migrated') },
      { cluster: 'migrated' },
    )
    t.equal(migrated.created, 'from the cached migrated cluster')
    t.equal(await pending(migrated), 0, 'every migration of migrations/ as it is now')
    await migrated.close()

    const reopened = await connectDatabase(
      { ...config, dataDir: path.join(dir, 'plain') },
      { cluster: 'migrated' },
    )
    t.equal(reopened.created, undefined, 'an existing database is opened as it is')
    t.equal(await pending(reopened), (await migrator(reopened.db).getMigrations()).length)
    await reopened.close()
  },
)
