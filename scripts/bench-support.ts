// Shared by the benchmark scripts: a typed autocannon, child-process and /proc helpers, and the
// figures table.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../src/db/schema.ts'

export const HOST = '127.0.0.1'
export const READY_TIMEOUT_MS = 120_000

// autocannon ships no type declarations: type the small part used here.
export interface Stats {
  average: number
  mean: number
  p50: number
  p99: number
  total: number
}
export interface AutocannonResult {
  requests: Stats
  latency: Stats
  errors: number
  timeouts: number
  non2xx: number
  duration: number
}
export interface AutocannonOptions {
  url: string
  connections: number
  duration: number
  requests: { method: 'GET'; path: string }[]
  headers?: Record<string, string>
}
export type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult> & { stop(): void }
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, HOST, resolve)
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Resident memory of a process in MB, from /proc (Linux only). */
export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match?.[1] ? Number(match[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

/**
 * CPU time a process has used, user and system, in ms, from /proc (Linux; clock ticks taken as
 * 100 a second, the kernel's USER_HZ on every common build).
 */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    // The fields after the command name, which may hold spaces and parentheses: utime and stime
    // are the 14th and 15th of the line.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || !alive(child)) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), 12_000)
  await exited
  clearTimeout(killer)
}

/** Waits until `path` (the service's /readyz by default) answers 2xx. */
export async function waitReady(base: string, child: ChildProcess, path = '/readyz'): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (!alive(child)) throw new Error(`the server exited (code ${child.exitCode}) before it was ready`)
    try {
      const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(2_000) })
      if (response.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s`)
    await sleep(200)
  }
}

export interface Row {
  route: string
  database: string
  result: AutocannonResult
  rss: number | undefined
}

export function describeDatabase(): string {
  const url = process.env.DATABASE_URL
  if (!url) return 'PGlite (embedded)'
  try {
    const parsed = new URL(url)
    return `PostgreSQL ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
  } catch {
    return 'PostgreSQL'
  }
}

export function table(rows: Row[]): string {
  const header = ['route', 'database', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'RSS MB']
  const lines = rows.map(({ route, database, result, rss }) => [
    route,
    database,
    result.requests.mean.toFixed(0),
    String(result.latency.p50),
    String(result.latency.p99),
    String(result.non2xx),
    String(result.errors + result.timeouts),
    rss === undefined ? 'n/a' : rss.toFixed(0),
  ])
  const format = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [format(header), format(header.map(() => '---')), ...lines.map(format)].join('\n')
}

export interface ServerOptions {
  /** src: the TypeScript sources, run by Node as they are; dist: the compiled build (npm run build). */
  server?: 'src' | 'dist'
  /** Extra node flags, space-separated, e.g. --max-old-space-size=128. */
  flags?: string
  /** Added to (and overriding) the benchmark defaults below. */
  env?: Record<string, string>
  /** Drop the server's standard output (its request log). */
  quiet?: boolean
}

/**
 * The service as a child process on a free loopback port, against the environment's database,
 * without rate limits or demo data; resolves once /readyz answers (it migrates at start).
 */
export async function startServer(
  options: ServerOptions = {},
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort()
  const entry =
    options.server === 'dist'
      ? [fileURLToPath(new URL('../dist/src/server.js', import.meta.url))]
      : [fileURLToPath(new URL('../src/server.ts', import.meta.url))]
  const child = spawn(process.execPath, [...(options.flags ?? '').split(' ').filter(Boolean), ...entry], {
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit'],
    env: {
      ...process.env,
      HOST,
      PORT: String(port),
      RATE_LIMIT_MAX: '0',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      ...options.env,
    },
  })
  const base = `http://${HOST}:${port}`
  try {
    await waitReady(base, child)
  } catch (error) {
    await stopChild(child)
    throw error
  }
  return { child, base }
}

/**
 * `perProvince` legal documents in every province (numbered BENCH-n), unless they are there already:
 * the data of bench:tenancy and of bench:compare (the yardstick's README asks for 600 a province).
 */
export async function seedLegalDocuments(db: Kysely<Database>, perProvince: number) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from legal_documents where number like 'BENCH-%'`.execute(db)
  if (rows[0]?.n) return
  await sql`
    insert into legal_documents (province_code, number, kind, issuer, title, signed_date, subject)
    select p.code, 'BENCH-' || g, 'decision', 'UBND tỉnh ' || p.name,
           'Quyết định về khuyến công số ' || g, date '2021-01-01' + (g % 1800), 'other'
    from provinces p cross join generate_series(1, ${perProvince}) g`.execute(db)
}
