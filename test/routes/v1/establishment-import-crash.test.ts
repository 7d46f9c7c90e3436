// kill -9 in the middle of an import: the real server in a child process, over a database that
// outlives it (a PGlite data directory, or a PostgreSQL test database). After a restart nothing
// of the import is written and its record reads `interrupted`, decided by its lapsed lease.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { connectDatabase } from '../../../src/db/connect.js'
import { migratedSnapshot, onPostgres, testDatabase } from '../../helpers/app.js'
import { cast } from '../../helpers/tokens.js'

// Two starts of the real server and a 5,000-row upload: more than the runner's default on a busy machine.
t.setTimeout(300_000)
const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const as = await cast()

/** Where the child servers keep their data: the same for both starts. */
async function databaseEnv(): Promise<Record<string, string>> {
  if (onPostgres) {
    const handle = await testDatabase(t)
    const url = new URL(process.env.DATABASE_URL as string)
    url.pathname = `/${handle.location.split('/').at(-1)}`
    return { DATABASE_URL: url.toString() }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'kc-crash-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // Migrated once from the tests' cached dump, so that the server starts without migrating.
  const handle = await connectDatabase(
    { databaseUrl: undefined, dataDir: dir, dbPoolMax: 1 },
    await migratedSnapshot(),
  )
  await handle.close()
  return { DATA_DIR: dir }
}

const { DATABASE_URL: _ignored, ...parentEnv } = process.env
const env = {
  ...parentEnv,
  ...(await databaseEnv()),
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
  IMPORT_LEASE: '1s',
}

/** Starts `src/server.ts` and resolves with its base URL once it listens. */
async function start(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  for await (const line of lines) {
    const address = (JSON.parse(line) as { address?: string }).address
    if (address) {
      lines.on('line', () => {}) // keep draining its log
      return { child, base: address }
    }
  }
  throw new Error('the server exited before listening')
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })

const csv =
  'external_id,commune_code,name,kind\n' +
  Array.from({ length: 5000 }, (_, i) => `K-${i},00691,Cơ sở ${i},household_business\n`).join('')

t.test('kill -9 during an import: nothing written, and the import reads interrupted', async (t) => {
  const upload = { 'content-type': 'text/csv', prefer: 'respond-async', 'idempotency-key': 'crash-1' }
  const first = await start()
  const res = await fetch(`${first.base}/v1/establishments/imports`, {
    method: 'POST',
    headers: { ...as.officer08, ...upload },
    body: csv,
  })
  t.equal(res.status, 202)
  const location = res.headers.get('location') as string
  if (onPostgres) {
    // PostgreSQL serves reads beside the import; the embedded database would make this wait.
    const job = (await (await fetch(`${first.base}${location}`, { headers: as.officer08 })).json()) as {
      status: string
    }
    t.equal(job.status, 'running', 'killed while running')
  }
  await killed(first.child)

  const second = await start()
  let job: Record<string, unknown> = {}
  for (let i = 0; i < 100; i++) {
    job = (await (await fetch(`${second.base}${location}`, { headers: as.officer08 })).json()) as typeof job
    if (job.status !== 'running') break
    await sleep(100)
  }
  t.match(job, { status: 'interrupted', committed: false })
  t.ok(job.finished_at, 'it ended when its lease did')
  const list = (await (
    await fetch(`${second.base}/v1/establishments?include_total=true`, { headers: as.officer08 })
  ).json()) as { total: number }
  t.equal(list.total, 0, 'nothing written')
  const retry = await fetch(`${second.base}/v1/establishments/imports`, {
    method: 'POST',
    headers: { ...as.officer08, ...upload },
    body: csv,
  })
  t.equal(retry.status, 409, 'its key names an interrupted import: send it again with a new key')
  t.equal(retry.headers.get('location'), location)
  await killed(second.child)
})
