// The embedded default's first start: a new data directory is unpacked from PGlite's migrated
// cluster (made at install, src/db/clusters.ts) rather than made by initdb and the migrations, then
// given the demo data, with a progress line per phase; a restart finds it all there.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { ensureCluster } from '../src/db/clusters.ts'
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.ts'
import { migrator } from '../src/db/migrate.ts'
import { onPostgres } from './helpers/app.ts'
import { eventually, type Service, startService } from './helpers/service.ts'
import { token } from './helpers/tokens.ts'

t.test(
  'a first start on a new data directory, then a restart',
  { skip: onPostgres && 'the embedded default only' },
  async (t) => {
    await ensureCluster('migrated') // what npm's postinstall made (a no-op when it did)
    const dir = mkdtempSync(path.join(tmpdir(), 'kc-first-start-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const env = { DATA_DIR: path.join(dir, 'data'), DEMO_DATA: 'true' }
    const ministry = `Bearer ${await token({ role: 'ministry', sub: 'ctdp-officer' })}`
    // The lines of a start may still be in the pipe when /readyz answers.
    const listening = (service: Service) =>
      eventually(() => service.logs().some((l) => String(l.msg).startsWith('listening on')))
    const phases = (logs: Record<string, unknown>[]) =>
      logs.filter((l) => typeof l.ms === 'number' && l.msg !== 'request').map((l) => l.msg)

    const first = await startService(t, env)
    t.ok(await listening(first))
    const opened = first.logs().find((l) => l.msg === 'database opened')
    t.match(
      opened,
      { database: 'pglite', created: 'from the cached migrated cluster' },
      'unpacked, not initdb and migrations',
    )
    t.same(
      phases(first.logs()).slice(0, 4),
      ['database opened', 'database migrated', 'demo data loaded', 'routes ready'],
      'a line per phase, in order',
    )
    const schemes = await fetch(`${first.base}/v1/projects?limit=1`, { headers: { authorization: ministry } })
    t.equal(schemes.status, 200)
    t.ok(((await schemes.json()) as { items: unknown[] }).items.length > 0, 'the demo schemes are there')
    first.child.kill('SIGTERM')
    t.equal(await first.exited, 0)

    const again = await startService(t, env)
    t.ok(await listening(again))
    const reopened = again.logs().find((l) => l.msg === 'database opened')
    t.ok(reopened && !('created' in reopened), 'a restart opens the database it made')
    t.ok(
      again.logs().some((l) => l.msg === 'demo data present'),
      'and finds the demo loaded',
    )
    again.child.kill('SIGTERM')
    t.equal(await again.exited, 0)
  },
)

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
