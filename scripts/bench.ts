// Load benchmark (not a test): the real server against a static twin.
//
//   npm run bench -- [--duration 10] [--connections 50] [--warmup 2]
//                            [--path '/v1/provinces/{code}/communes?limit=50'] [--codes 01,08,79,24,46]
//
// It starts `node src/server.ts` as a child on a free loopback port, against
// DATABASE_URL when set, else PGlite in a temporary DATA_DIR (deleted afterwards), and waits for
// /readyz. Every path of the rotation ({code} replaced by each code) is fetched once; a second
// child, a bare Fastify server, then serves those very bodies from memory. The same load (after a
// warm-up) runs against both, so the difference is what the database, validation and
// serialisation cost. Both children are killed at the end, on error, on Ctrl-C, and by a
// watchdog if anything hangs.
import { type ChildProcess, fork, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  alive,
  autocannon,
  describeDatabase,
  freePort,
  HOST,
  READY_TIMEOUT_MS,
  type Row,
  rssMb,
  stopChild,
  table,
  waitReady,
} from './bench-support.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SELF = fileURLToPath(import.meta.url)
const USAGE = `usage: npm run bench -- [options]
  --duration SECONDS      measured run against each server (default 10)
  --connections N         concurrent connections (default 50)
  --warmup SECONDS        unmeasured load before each run (default 2)
  --path PATH             path to load; {code} is replaced by each code (default
                          /v1/provinces/{code}/communes?limit=50)
  --codes A,B,...         the rotation of codes (default 01,08,79,24,46)
DATABASE_URL set: the server uses that PostgreSQL; unset: PGlite in a temporary directory.`

/** Messages between the bench and its static-twin child. */
type StubRequest = { bodies: [string, string][]; contentType: string }
type StubReady = { port: number }

// ---------------------------------------------------------------------------------------------
// The static twin: a bare Fastify that answers each known URL with its recorded body.

async function runStub(): Promise<void> {
  const { default: Fastify } = await import('fastify')
  // The bench went away (crash, kill -9): do not linger.
  process.on('disconnect', () => process.exit(0))
  const { bodies, contentType } = await new Promise<StubRequest>((resolve) =>
    process.once('message', (message) => resolve(message as StubRequest)),
  )
  const byUrl = new Map(bodies)
  const app = Fastify({ logger: false })
  app.get('/*', async (request, reply) => {
    const body = byUrl.get(request.url)
    if (body === undefined) return reply.code(404).send()
    return reply.header('content-type', contentType).send(body)
  })
  await app.listen({ host: HOST, port: 0 })
  process.send?.({ port: (app.server.address() as AddressInfo).port } satisfies StubReady)
}

// ---------------------------------------------------------------------------------------------
// The bench.

interface Options {
  duration: number
  connections: number
  warmup: number
  pathTemplate: string
  codes: string[]
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '2' },
      path: { type: 'string', default: '/v1/provinces/{code}/communes?limit=50' },
      codes: { type: 'string', default: '01,08,79,24,46' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const positive = (name: string, raw: string, max: number): number => {
    const value = Number(raw)
    if (!Number.isInteger(value) || value < 0 || value > max) {
      console.error(`--${name} must be an integer between 0 and ${max}, got "${raw}"`)
      process.exit(2)
    }
    return value
  }
  const codes = values.codes.split(',').map((c) => c.trim())
  if (!values.path.startsWith('/') || codes.some((c) => !/^[\w-]+$/.test(c))) {
    console.error('--path must start with / and --codes be a comma-separated list of codes')
    process.exit(2)
  }
  return {
    duration: Math.max(1, positive('duration', values.duration, 3600)),
    connections: Math.max(1, positive('connections', values.connections, 10_000)),
    warmup: positive('warmup', values.warmup, 600),
    pathTemplate: values.path,
    codes,
  }
}

async function load(base: string, paths: string[], connections: number, duration: number) {
  return autocannon({
    url: base,
    connections,
    duration,
    requests: paths.map((path) => ({ method: 'GET', path })),
  })
}

async function bench(): Promise<void> {
  const opts = options()
  const paths = opts.pathTemplate.includes('{code}')
    ? opts.codes.map((code) => opts.pathTemplate.replaceAll('{code}', encodeURIComponent(code)))
    : [opts.pathTemplate]
  const database = describeDatabase()

  let server: ChildProcess | undefined
  let stub: ChildProcess | undefined
  let dataDir: string | undefined
  let cleaning: Promise<void> | undefined
  const cleanup = () => {
    cleaning ??= (async () => {
      await Promise.all([stopChild(server), stopChild(stub)])
      // Only after the server exited: PGlite keeps its files open until it closes.
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    })()
    return cleaning
  }
  // Last resort if this process exits without cleaning (uncaught error): no orphans.
  process.once('exit', () => {
    for (const child of [server, stub]) if (child && alive(child)) child.kill('SIGKILL')
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })
  // `on`, not `once`: Ctrl-C reaches this process both from the terminal and relayed by npm,
  // and a second, unhandled signal would kill it before the children are stopped.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (cleaning) return
      console.error(`\n${signal}: stopping`)
      void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
    })
  }
  // Everything is bounded: start-up, two warm-ups, two runs, and slack.
  const budgetMs = READY_TIMEOUT_MS + 2 * (opts.warmup + opts.duration) * 1000 + 60_000
  const watchdog = setTimeout(() => {
    console.error(`bench did not finish within ${budgetMs / 1000} s; stopping`)
    void cleanup().finally(() => process.exit(1))
  }, budgetMs)

  try {
    const port = await freePort()
    // One client hammering one route from one address: the per-IP rate limit would answer 429s.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOST,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '0',
    }
    if (!process.env.DATABASE_URL) {
      dataDir = mkdtempSync(join(tmpdir(), 'khuyen-cong-bench-'))
      env.DATA_DIR = dataDir
    }
    console.error(`starting the server on ${HOST}:${port} (${database})`)
    server = spawn(process.execPath, ['src/server.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const base = `http://${HOST}:${port}`
    const started = Date.now()
    await waitReady(base, server)
    console.error(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)

    // The bodies the twin will serve, and a check that every path of the rotation succeeds.
    const bodies: [string, string][] = []
    let contentType = 'application/json; charset=utf-8'
    for (const path of paths) {
      const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) })
      const body = await response.text()
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`)
      contentType = response.headers.get('content-type') ?? contentType
      bodies.push([path, body])
    }
    const sizes = bodies.map(([, body]) => Buffer.byteLength(body))
    console.error(
      `rotation of ${paths.length} path(s), bodies ${Math.min(...sizes)}–${Math.max(...sizes)} bytes`,
    )

    stub = fork(SELF, ['--stub'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const stubPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the static twin did not start within 30 s')), 30_000)
      stub?.once('message', (message) => {
        clearTimeout(timer)
        resolve((message as StubReady).port)
      })
      stub?.once('exit', (code) => reject(new Error(`the static twin exited (code ${code})`)))
      stub?.send({ bodies, contentType } satisfies StubRequest)
    })
    const stubBase = `http://${HOST}:${stubPort}`

    const label = paths.length > 1 ? opts.pathTemplate : (paths[0] ?? '')
    const rows: Row[] = []
    for (const [target, route, db, child] of [
      [base, label, database, server],
      [stubBase, `${label} (static twin)`, 'none (bodies in memory)', stub],
    ] as const) {
      if (opts.warmup > 0) {
        console.error(`warming up ${route} for ${opts.warmup} s`)
        await load(target, paths, opts.connections, opts.warmup)
      }
      console.error(`loading ${route}: ${opts.connections} connections for ${opts.duration} s`)
      const result = await load(target, paths, opts.connections, opts.duration)
      rows.push({ route, database: db, result, rss: rssMb(child.pid) })
      if (!alive(child)) throw new Error(`${route}: the server died during the run`)
    }

    console.log(
      `\n${opts.connections} connections, ${opts.duration} s per server after a ${opts.warmup} s warm-up; ` +
        `node ${process.version}; rotation: ${paths.join(', ')}\n`,
    )
    console.log(table(rows))
    const [real, twin] = rows.map((row) => row.result.requests.mean)
    if (real && twin)
      console.log(`\nThe static twin answers ${(twin / real).toFixed(1)}× as many requests per second.`)
  } finally {
    clearTimeout(watchdog)
    await cleanup()
  }
}

if (process.argv.includes('--stub')) await runStub()
else
  await bench().catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
