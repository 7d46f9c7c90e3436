// Shutdown and connection timeouts, on the real process: SIGTERM lets the request in flight finish
// and exits 0; past SHUTDOWN_GRACE what is left is cut and the process still exits 0; a client
// that stops sending is cut by IDLE_TIMEOUT.
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { Socket } from 'node:net'
import t from 'tap'
import { connectDatabase } from '../src/db/connect.ts'
import { buildTestApp } from './helpers/app.ts'
import { resolution as document } from './helpers/records.ts'
import { eventually, freePort, logLines, serviceDatabase, startService } from './helpers/service.ts'
import { token } from './helpers/tokens.ts'

// Each test starts the real service (seconds, more on a busy machine).
t.setTimeout(600_000)

const authorization = `Bearer ${await token({ role: 'province', province: '08', sub: 'officer-08' })}`

/**
 * A POST whose body is sent in two parts: the test decides when the second goes. `inFlight`
 * resolves once the server has the request (its 100 Continue), so its connection is not idle.
 */
function slowPost(base: string, path: string, body: object) {
  const payload = Buffer.from(JSON.stringify(body))
  const req = request(`${base}${path}`, {
    method: 'POST',
    headers: {
      authorization,
      'content-type': 'application/json',
      'content-length': payload.length,
      expect: '100-continue',
    },
  })
  const inFlight = new Promise<void>((resolve) => req.once('continue', () => resolve()))
  inFlight.then(() => req.write(payload.subarray(0, 20)))
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = ''
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
  req.flushHeaders()
  return { response, inFlight, finish: () => req.end(payload.subarray(20)) }
}

const logged = (service: { logs(): Record<string, unknown>[] }, msg: string) => () =>
  service.logs().some((line) => line.msg === msg)

t.test('SIGTERM: the request in flight completes, new connections are refused, exit 0', async (t) => {
  const env = await serviceDatabase(t)
  const service = await startService(t, env)
  /** Whether the request line of `route` with `status` has left the process. */
  const requestLine = (route: string, status: number) => () =>
    service.logs().some((l) => l.msg === 'request' && l.route === route && l.status === status)
  await fetch(`${service.base}/healthz`)
  t.ok(
    await eventually(requestLine('/healthz', 200), 30),
    'a request line leaves within a second or so, though the log is written in blocks',
  )
  const upload = slowPost(service.base, '/v1/legal-documents', document)
  await upload.inFlight
  service.child.kill('SIGTERM')
  t.ok(await eventually(logged(service, 'shutting down')), 'the service heard the signal')
  await t.rejects(fetch(`${service.base}/healthz`), 'a new connection is refused while it shuts down')
  t.ok(service.alive(), 'still running while a request is in flight')
  upload.finish()
  const answer = await upload.response
  t.equal(answer.status, 201, 'the in-flight create was answered')
  t.equal(await service.exited, 0, 'exit code 0')
  t.ok(
    await eventually(requestLine('/v1/legal-documents', 201), 20),
    'the last request’s line, still held in the block, was written before the process ended',
  )

  const id = (JSON.parse(answer.body) as { id: string }).id
  const database = await connectDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR ?? 'memory://',
    dbPoolMax: 1,
  })
  t.teardown(() => database.close())
  const row = await database.db
    .selectFrom('legal_documents')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  t.ok(row, 'the acknowledged write is in the database')
})

t.test('SIGTERM past the grace: what is left is cut, exit 0', async (t) => {
  const service = await startService(t, { ...(await serviceDatabase(t)), SHUTDOWN_GRACE: '1s' })
  const upload = slowPost(service.base, '/v1/legal-documents', document)
  await upload.inFlight
  service.child.kill('SIGTERM')
  await t.rejects(upload.response, 'the stalled request was cut')
  t.equal(await service.exited, 0, 'exit code 0')
  t.ok(logged(service, 'shutdown grace over: aborting the requests still running')())
})

// Past the grace the database is closed under the requests still running (the server's last step):
// what they ask of it then is refused as a database that cannot be reached, not as a bug of ours.
t.test('a read that outlives the closing of the database answers 503, by id and as a list', async (t) => {
  const { app } = await buildTestApp(t)
  const read = (url: string) => app.inject({ method: 'GET', url, headers: { authorization } })
  t.equal((await read('/v1/legal-documents')).statusCode, 200)
  await app.database.close()
  for (const url of ['/v1/legal-documents', '/v1/legal-documents/0190c9a4-0000-7000-8000-000000000000']) {
    const res = await read(url)
    t.equal(res.statusCode, 503, url)
    t.equal(res.json().type, '/problems/service_unavailable', url)
  }
})

// A process manager stops `npm start` by signalling npm: the signal must reach the server itself
// (npm relays it to the script's shell, which execs node), or the server lives on, orphaned.
const npm = process.env.npm_execpath
t.test(
  'npm start: a SIGTERM to npm shuts the server down',
  { skip: !npm && 'not run through npm' },
  async (t) => {
    const port = await freePort()
    const child = spawn(process.execPath, [npm as string, 'start', '--silent'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: 'memory://',
        DEMO_DATA: 'false',
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
      },
    })
    const logs = logLines(child)
    const npmExited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    t.teardown(() => child.kill('SIGKILL'))
    t.ok(await eventually(() => logs().some((l) => l.address), 600), 'the server listens')
    const server = logs().find((l) => l.address)?.pid as number
    // An orphaned server would outlive the test (and hold its output open).
    t.teardown(() => {
      try {
        process.kill(server, 'SIGKILL')
      } catch {}
    })
    child.kill('SIGTERM')
    await npmExited
    const gone = () => {
      try {
        process.kill(server, 0)
        return false
      } catch {
        return true
      }
    }
    t.ok(await eventually(gone, 100), 'the server process has exited')
    // Its last lines may still be on their way when npm has exited.
    t.ok(await eventually(() => logs().some((l) => l.msg === 'shut down'), 50), 'after its own shutdown')
  },
)

t.test('IDLE_TIMEOUT cuts a client that stops sending; a slow answer is not cut', async (t) => {
  const service = await startService(t, { ...(await serviceDatabase(t)), IDLE_TIMEOUT: '1s' })
  const { port } = new URL(service.base)
  const socket = new Socket()
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.connect(Number(port), '127.0.0.1')
  socket.write(`POST /v1/legal-documents HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n`)
  socket.write(`authorization: ${authorization}\r\ncontent-length: 100\r\n\r\n{"num`)
  await closed // bounded by the test's own timeout: it fails if the server never cuts
  t.pass('the server closed the silent connection')

  // A request whose answer takes longer than the idle limit to compute is answered whole.
  const rows = Array.from({ length: 3000 }, (_, i) => ({
    commune_code: '00691',
    name: `Cơ sở thử ${i}`,
    kind: 'household_business',
  }))
  const res = await fetch(`${service.base}/v1/establishments/imports`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  })
  t.equal(res.status, 200)
  t.match(await res.json(), { created: 3000, committed: true })
  t.ok(service.alive())
})
