// kill -9 in the middle of an import: the real server in a child process, over a database that
// outlives it (a PGlite data directory, or a PostgreSQL test database). After a restart nothing
// of the import is written and its record reads `interrupted`, decided by its lapsed lease; and
// no upload's temporary file outlives the process, mid-upload or mid-import.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { onPostgres } from '../../helpers/app.ts'
import { csvOf } from '../../helpers/imports.ts'
import { eventually, serviceDatabase, startService } from '../../helpers/service.ts'
import { openSpools } from '../../helpers/spools.ts'
import { cast } from '../../helpers/tokens.ts'

// Two starts of the real server and a 5,000-row upload: more than the runner's default on a busy machine.
t.setTimeout(300_000)
const as = await cast()
// The child's temporary directory, its own: what the uploads leave in it is visible.
const temp = mkdtempSync(path.join(tmpdir(), 'kc-crash-tmp-'))
t.teardown(() => rmSync(temp, { recursive: true, force: true }))
const env = { ...(await serviceDatabase(t)), IMPORT_LEASE: '1s', TMPDIR: temp }
const spools = () => readdirSync(temp).filter((name) => name.startsWith('khuyen-cong-upload-'))
const csv = csvOf('KILLED', 5000)
const upload = { 'content-type': 'text/csv', prefer: 'respond-async', 'idempotency-key': 'crash-1' }

t.test('kill -9 during an import: nothing written, and the import reads interrupted', async (t) => {
  const first = await startService(t, env)
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
  first.child.kill('SIGKILL')
  t.equal(await first.exited, null, 'killed')
  t.same(spools(), [], 'the killed import left no temporary file')

  const second = await startService(t, env)
  let job: Record<string, unknown> = {}
  const settled = await eventually(async () => {
    job = (await (await fetch(`${second.base}${location}`, { headers: as.officer08 })).json()) as typeof job
    return job.status !== 'running'
  })
  t.ok(settled, 'its lease lapsed')
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
})

t.test('kill -9 while a body arrives: its temporary file is never in the directory, nor after', async (t) => {
  const service = await startService(t, env)
  const body = csvOf('SLOW', 5000)
  const half = Buffer.from(body).subarray(0, body.length >> 1)
  const req = request(`${service.base}/v1/establishments/imports`, {
    method: 'POST',
    headers: {
      ...as.officer08,
      ...upload,
      'idempotency-key': 'crash-2',
      'content-length': String(body.length),
    },
  })
  req.on('error', () => {}) // the server dies under it
  req.write(half)
  const pid = service.child.pid as number
  const spooling = await eventually(() => openSpools(pid).length === 1)
  t.ok(spooling, 'the server spools the body')
  // open() and unlink() are two steps: a look between them (a loaded machine) sees the name still.
  const unlinked = await eventually(() => /\(deleted\)$/.test(openSpools(pid)[0] ?? ''))
  t.ok(unlinked, 'through a descriptor to a file already unlinked')
  t.same(spools(), [], 'nothing in the temporary directory while it arrives')
  service.child.kill('SIGKILL')
  t.equal(await service.exited, null, 'killed')
  req.destroy()
  t.same(spools(), [], 'nor after the process died')
})

t.test('no room left for a body: 503, nothing recorded, and the server goes on', async (t) => {
  const service = await startService(t, env)
  const pid = service.child.pid as number
  const LIMIT = 24 * 1024 * 1024
  // The server may write no file past 24 MiB (RLIMIT_FSIZE: a write past it fails with EFBIG, as
  // one fails with ENOSPC on a full disk): PGlite's own files stay below it, a 30 MB body does not.
  execFileSync('prlimit', [`--pid=${pid}`, `--fsize=${LIMIT}`])
  const importsRecorded = async () =>
    (
      (await (
        await fetch(`${service.base}/v1/establishments/imports`, { headers: as.officer08 })
      ).json()) as {
        items: unknown[]
      }
    ).items.length
  const before = await importsRecorded()
  const body = Buffer.from(csvOf('FULL', 600_000))
  t.ok(body.length > LIMIT)
  const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const url = new URL(`${service.base}/v1/establishments/imports`)
    const req = request(url, {
      method: 'POST',
      headers: {
        ...as.officer08,
        ...upload,
        'idempotency-key': 'full-1',
        'content-length': String(body.length),
      },
    })
    let answered = false
    req.on('response', (res) => {
      answered = true
      let text = ''
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString()
      })
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }),
      )
    })
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    // All but the last 64 KiB below the limit, then, once the server has taken them, a little past
    // it: when it answers and closes, it has read all that was sent, so the close is not a reset
    // that would lose the answer.
    req.write(body.subarray(0, LIMIT - 65536))
    setTimeout(() => req.write(body.subarray(LIMIT - 65536, LIMIT + 1000)), 1000)
  })
  t.equal(answer.status, 503, answer.body)
  t.match(answer.type, /application\/problem\+json/)
  t.match(JSON.parse(answer.body), { code: 'service_unavailable', detail: /không còn chỗ/ })
  t.same(openSpools(pid), [], 'its temporary file is closed')
  t.ok(service.alive(), 'the server lives')
  t.equal(await importsRecorded(), before, 'no import recorded')
  const small = await fetch(`${service.base}/v1/establishments/imports`, {
    method: 'POST',
    headers: { ...as.officer08, 'content-type': 'text/csv', 'idempotency-key': 'full-2' },
    body: csvOf('ROOM', 10),
  })
  t.equal(small.status, 200, 'a body that fits is imported')
})
