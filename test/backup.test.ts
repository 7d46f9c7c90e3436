// npm run backup / npm run restore on the database the suite runs on: a record is made through
// HTTP, the database is backed up, the record destroyed (PostgreSQL: its table emptied; embedded:
// the whole data directory deleted), the backup restored, and the record read back through HTTP.
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import t from 'tap'
import { type Service, serviceDatabase, startService } from './helpers/service.ts'
import { cast } from './helpers/tokens.ts'

t.setTimeout(300_000)

const SCRIPT = fileURLToPath(new URL('../scripts/backup.ts', import.meta.url))
const env = await serviceDatabase(t)
const dump = path.join(tmpdir(), `kc-backup-${process.pid}.dump`)
t.teardown(() => rmSync(dump, { force: true }))
const { officer08 } = await cast()

// --liftoff-only, as in the test processes (.taprc): optimising PGlite's WebAssembly would take the
// script to a gigabyte for a moment, the suite's largest process, for a run of a second or two.
const script = (command: 'backup' | 'restore') =>
  promisify(execFile)(process.execPath, ['--liftoff-only', SCRIPT, command, dump], {
    env: { ...process.env, DATABASE_URL: '', MIGRATION_DATABASE_URL: '', ...env },
  })

async function stop(service: Service) {
  service.child.kill('SIGTERM')
  t.equal(await service.exited, 0, 'the service stopped cleanly')
}

const read = (service: Service, id: string) =>
  fetch(`${service.base}/v1/legal-documents/${id}`, { headers: officer08 })

t.test('back up, destroy, restore, read back', async (t) => {
  let service = await startService(t, env)
  const created = await fetch(`${service.base}/v1/legal-documents`, {
    method: 'POST',
    headers: { ...officer08, 'content-type': 'application/json' },
    body: JSON.stringify({
      number: '7/2024/QĐ-UBND',
      kind: 'decision',
      issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
      title: 'Quyết định phê duyệt đề án khuyến công',
      signed_date: '2024-03-01',
      subject: 'local_programme_approval',
    }),
  })
  t.equal(created.status, 201)
  const { id } = (await created.json()) as { id: string }

  if (env.DATA_DIR) {
    // The embedded database is one process's: stopped for the backup, and while it is destroyed.
    await stop(service)
    t.match((await script('backup')).stdout, /backed up the embedded database/)
    rmSync(env.DATA_DIR, { recursive: true, force: true })
    t.match((await script('restore')).stdout, /restored the embedded database/)
    service = await startService(t, env)
  } else {
    // PostgreSQL stays up: the service answers throughout.
    t.match((await script('backup')).stdout, /backed up/)
    const owner = new pg.Client({ connectionString: env.DATABASE_URL })
    await owner.connect()
    await owner.query('truncate legal_documents cascade').finally(() => owner.end())
    t.equal((await read(service, id)).status, 404, 'destroyed')
    t.match((await script('restore')).stdout, /restored/)
  }
  const back = await read(service, id)
  t.equal(back.status, 200, 'read back through HTTP after the restore')
  t.match(await back.json(), {
    id,
    number: '7/2024/QĐ-UBND',
    title: 'Quyết định phê duyệt đề án khuyến công',
  })
})
