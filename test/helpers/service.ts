// The real service as a child process (src/server.ts, as Node runs it), for what app.inject cannot
// show: signals, exit codes, sockets, a database that goes away. Loopback only.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { connectDatabase } from '../../src/db/connect.ts'
import { migratedSnapshot } from './app.ts'

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url))
const READY_TIMEOUT_MS = 120_000

interface Teardown {
  teardown(fn: () => unknown): void
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return typeof address === 'object' && address ? address.port : 0
}

/**
 * Where a child service keeps its data: a new PostgreSQL database (dropped at teardown) when
 * `adminUrl` (or DATABASE_URL) is set, else a PGlite data directory of its own.
 */
export async function serviceDatabase(
  t: Teardown,
  adminUrl = process.env.DATABASE_URL,
): Promise<Record<string, string>> {
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'kc-service-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    // Unpacked from the migrated snapshot: the child skips initdb and the migrations.
    const handle = await connectDatabase(
      { databaseUrl: undefined, dataDir: dir, dbPoolMax: 1 },
      { loadDataDir: await migratedSnapshot() },
    )
    await handle.close()
    return { DATA_DIR: dir }
  }
  const name = `kc_test_${randomBytes(6).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(statement).finally(() => client.end())
  }
  await admin(`create database ${name}`)
  t.teardown(() => admin(`drop database if exists ${name} with (force)`).catch(() => {}))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { DATABASE_URL: url.toString() }
}

export interface Service {
  base: string
  child: ChildProcess
  /** Every log line so far, parsed. */
  logs(): Record<string, unknown>[]
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  alive(): boolean
}

/** The JSON lines a child process has written to its standard output so far, parsed (others skipped). */
export function logLines(child: ChildProcess): () => Record<string, unknown>[] {
  const lines: string[] = []
  let partial = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts.filter(Boolean))
  })
  return () =>
    lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>]
      } catch {
        return []
      }
    })
}

/** Starts the service on a free loopback port; resolves once /readyz answers. Killed at teardown. */
export async function startService(t: Teardown, env: Record<string, string>): Promise<Service> {
  const port = await freePort()
  // --liftoff-only as in .taprc: optimising PGlite's WebAssembly takes 500 MB for a moment.
  const child = spawn(process.execPath, ['--liftoff-only', SERVER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '0',
      DATABASE_URL: '',
      ...env,
    },
  })
  const logs = logLines(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const alive = () => child.exitCode === null && child.signalCode === null
  t.teardown(async () => {
    if (!alive()) return
    child.kill('SIGKILL')
    await exited
  })
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (!alive()) throw new Error(`the service exited (${child.exitCode}) before it was ready: ${stderr}`)
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined)
    if (ready?.ok) break
    if (Date.now() > deadline) throw new Error('the service was not ready in time')
    await sleep(200)
  }
  return {
    base,
    child,
    logs,
    exited,
    alive,
  }
}

/** Waits until `check` holds, polling; false if it never did within `attempts`. */
export async function eventually(check: () => boolean | Promise<boolean>, attempts = 100, everyMs = 100) {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true
    await sleep(everyMs)
  }
  return false
}
