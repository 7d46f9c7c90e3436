// The service as several instances, started by scripts/cluster.sh exactly as a developer starts it:
// PostgreSQL primary and streaming replica, Redis, three instances, nginx in front. Through nginx,
// under load, one instance is stopped and started again, another killed and started again: no
// request fails (a client retries a 502/503 with the same Idempotency-Key), no acknowledged write
// is lost. The rate limit
// is one budget across instances; the same Idempotency-Key sent to two instances at once makes one
// record; the replica's lag is measured, and a caller reads its own writes.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import t from 'tap'
import { sleep } from '../helpers/service.ts'
import { token } from '../helpers/tokens.ts'

t.setTimeout(180_000)

const SCRIPT = fileURLToPath(new URL('../../scripts/cluster.sh', import.meta.url))
const LIMIT = 100

/** Whether nothing listens on the port (probed by listening on it, then released). */
const free = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

/** A base port with the 14 ports the cluster takes free. */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 2_000) * 10
    const ports = [0, 1, 2, 3, 11, 12, 13].map((offset) => base + offset)
    if ((await Promise.all(ports.map(free))).every(Boolean)) return base
  }
}

const base = await freeBase()
// Made by the script, readable by the postgres user (a mkdtemp directory is not).
const dir = path.join(tmpdir(), `kc-scenario-${randomBytes(4).toString('hex')}`)
const env = { ...process.env, CLUSTER_DIR: dir, CLUSTER_PORT: String(base), RATE_LIMIT_MAX: String(LIMIT) }
const cluster = (...args: string[]) => promisify(execFile)('bash', [SCRIPT, ...args], { env })
t.teardown(async () => {
  await cluster('stop').catch(() => {})
  rmSync(dir, { recursive: true, force: true })
})
const started = Date.now()
await cluster('start')
t.comment(`cluster started in ${Date.now() - started} ms`)

const entry = `http://127.0.0.1:${base + 3}`
const instance = (n: number) => `http://127.0.0.1:${base + 10 + n}`
const primary = `postgres://postgres@127.0.0.1:${base}/khuyencong`
const replica = `postgres://postgres@127.0.0.1:${base + 1}/khuyencong`

// Many subjects, so that the load (some 150 requests a second here) stays within each one's limit.
const officers = await Promise.all(
  Array.from({ length: 200 }, async (_, i) => ({
    authorization: `Bearer ${await token({ role: 'province', province: '08', sub: `load-${i}` })}`,
    'content-type': 'application/json',
  })),
)
let turn = 0
const officer = () => officers[turn++ % officers.length] as Record<string, string>

let serial = 0
const document = (number = `${++serial}/2024/QĐ-UBND`) => ({
  number,
  kind: 'decision',
  issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
  title: `Quyết định số ${number}`,
  signed_date: '2024-03-01',
  subject: 'local_programme_approval',
})

async function count(url: string, numbers: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(
      'select count(*)::int as n from legal_documents where number = any($1)',
      [numbers],
    )
    return rows[0].n
  } finally {
    await client.end()
  }
}

t.test('the same Idempotency-Key at two instances at once: one record', async (t) => {
  const headers = { ...officer(), 'idempotency-key': 'scenario-same-key-1' }
  const body = JSON.stringify(document())
  const answers = await Promise.all(
    [1, 2].map((n) => fetch(`${instance(n)}/v1/legal-documents`, { method: 'POST', headers, body })),
  )
  const statuses = answers.map((r) => r.status)
  t.ok(statuses.includes(201), `answers: ${statuses.join(', ')}`)
  t.notOk(
    statuses.some((s) => s >= 500),
    'no 5xx',
  )
  const ids = new Set(
    await Promise.all(
      answers.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as { id: string }).id),
    ),
  )
  t.equal(ids.size, 1, 'every 201 names the same record')
  t.equal(await count(primary, [document(`${serial}/2024/QĐ-UBND`).number]), 1, 'one row in the database')
})

t.test('the rate limit is one budget across instances', async (t) => {
  const headers = {
    authorization: `Bearer ${await token({ role: 'province', province: '08', sub: 'limited' })}`,
  }
  const statuses: number[] = []
  for (let i = 0; i < 2 * LIMIT; i++) {
    statuses.push((await fetch(`${instance((i % 3) + 1)}/v1/me`, { headers })).status)
  }
  t.equal(
    statuses.filter((s) => s === 200).length,
    LIMIT,
    `${LIMIT} accepted of ${2 * LIMIT} over 3 instances`,
  )
  t.equal(statuses.filter((s) => s === 429).length, LIMIT)
})

/** A process that has ended: no such pid, or a zombie nobody reaped (its parent, the script, is gone). */
function gone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

t.test('load through nginx while instances are stopped, killed and started again', async (t) => {
  const acknowledged: string[] = []
  const failures: string[] = []
  let retries = 0
  let reads = 0
  let running = true

  /** A create as a careful client makes it: on 502/503 or a cut connection, the same key again. */
  async function create(worker: number, i: number) {
    const doc = document()
    const headers = { ...officer(), 'idempotency-key': `scenario-${worker}-${i}` }
    for (let attempt = 0; attempt < 20; attempt++) {
      const res = await fetch(`${entry}/v1/legal-documents`, {
        method: 'POST',
        headers,
        body: JSON.stringify(doc),
      }).catch(() => undefined)
      if (res?.status === 201) {
        acknowledged.push(doc.number)
        return
      }
      if (res && res.status !== 502 && res.status !== 503) {
        failures.push(`POST ${res.status} ${await res.text()}`)
        return
      }
      retries++
      await sleep(100)
    }
    failures.push('POST still failing after 20 attempts')
  }

  async function worker(w: number) {
    for (let i = 0; running; i++) {
      await create(w, i)
      const res = await fetch(`${entry}/v1/legal-documents?limit=5`, { headers: officer() }).catch(
        () => undefined,
      )
      if (res?.status === 200) reads++
      else failures.push(`GET ${res?.status ?? 'no answer'}`)
      await res?.arrayBuffer()
    }
  }

  const workers = Promise.all([1, 2, 3, 4].map(worker))
  await sleep(2_000)
  await cluster('stop-instance', '2')
  await sleep(2_000)
  await cluster('start-instance', '2')
  // And one that crashes: its requests in flight are cut (502), the client retries them.
  const crashed = Number(readFileSync(path.join(dir, 'app-3.pid'), 'utf8'))
  process.kill(crashed, 'SIGKILL')
  await sleep(2_000)
  t.ok(gone(crashed), 'the crashed instance is gone (its pid is the server itself)')
  await cluster('start-instance', '3')
  await sleep(1_000)
  running = false
  await workers

  t.comment(
    `${acknowledged.length} creates acknowledged, ${reads} reads, ${retries} retries with the same key`,
  )
  t.same(failures, [], 'no request failed')
  t.ok(acknowledged.length > 10, 'the load ran')
  t.equal(
    await count(primary, acknowledged),
    acknowledged.length,
    'every acknowledged create is in the database, once',
  )
  const status = await cluster('status')
  t.match(status.stdout, /up {4}instance 2/, 'instance 2 is back')
  t.match(status.stdout, /up {4}instance 3/, 'instance 3 is back')
})

t.test('replica lag, and a caller reads its own writes', async (t) => {
  const client = new pg.Client({ connectionString: replica })
  await client.connect()
  t.teardown(() => client.end())
  const lags: number[] = []
  let ownReads = 0
  for (let i = 0; i < 20; i++) {
    const headers = officer()
    const doc = document()
    const res = await fetch(`${entry}/v1/legal-documents`, {
      method: 'POST',
      headers,
      body: JSON.stringify(doc),
    })
    t.equal(res.status, 201)
    const lsn = res.headers.get('x-read-after') ?? ''
    const written = performance.now()
    // Straight away, through nginx to any instance, the caller sees its write.
    const { id } = (await res.json()) as { id: string }
    const own = await fetch(`${entry}/v1/legal-documents/${id}`, {
      headers: { ...headers, 'x-read-after': lsn },
    })
    if (own.status === 200) ownReads++
    await own.arrayBuffer()
    // How long until the replica has replayed the write.
    for (;;) {
      const { rows } = await client.query('select pg_last_wal_replay_lsn() >= $1::pg_lsn as caught', [lsn])
      if (rows[0].caught) break
      await sleep(1)
    }
    lags.push(performance.now() - written)
  }
  lags.sort((a, b) => a - b)
  t.comment(
    `replica lag over ${lags.length} writes: median ${lags[10]?.toFixed(1)} ms, max ${lags.at(-1)?.toFixed(1)} ms`,
  )
  t.equal(ownReads, 20, 'every read with X-Read-After saw the write just made')
  t.ok((lags.at(-1) ?? Infinity) < 5_000, 'the replica keeps up')
})

t.test('stop leaves nothing behind: no instance, restarted or not, still listens', async (t) => {
  await cluster('stop')
  for (const n of [1, 2, 3]) t.ok(await free(base + 10 + n), `instance ${n}'s port is free`)
})
