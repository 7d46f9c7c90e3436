// Every test file gets its own database, migrated from zero: an in-memory PGlite, or — when
// DATABASE_URL is set — a fresh PostgreSQL database created for the file and dropped after it.
// The app is built by the same buildApp() the server uses.
import { createHash, randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { type Config, loadConfig } from '../../src/config.js'
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrate.js'

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url))
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/khuyen-cong-tests', import.meta.url))

interface Teardown {
  teardown(fn: () => unknown): void
}

export const onPostgres = Boolean(process.env.DATABASE_URL)

/** A database of its own for one test file, closed (and dropped on PostgreSQL) at teardown. */
export async function testDatabase(t: Teardown, opts: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    const snapshot = opts.migrate === false ? undefined : await migratedSnapshot()
    const handle = await connectDatabase(
      { databaseUrl: undefined, dataDir: 'memory://', dbPoolMax: 1 },
      { loadDataDir: snapshot },
    )
    t.teardown(() => handle.close())
    return handle
  }
  const name = `kc_test_${randomBytes(6).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(statement).finally(() => client.end())
  }
  await admin(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const handle = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', dbPoolMax: 5 })
  // pg's pool.end() resolves before its clients have closed their connections, and dropping the
  // database (with force) under a client still closing makes that client fail the test file: wait
  // until the pool has seen every one of them go (bounded, so a teardown never hangs).
  let open = 0
  let allClosed: (() => void) | undefined
  handle.pool.on('connect', () => {
    open++
  })
  handle.pool.on('remove', () => {
    if (--open === 0) allClosed?.()
  })
  const close = handle.close
  handle.close = async () => {
    const closed = new Promise<void>((resolve) => {
      if (open === 0) resolve()
      allClosed = resolve
      setTimeout(resolve, 5_000).unref()
    })
    await close()
    await closed
    await admin(`drop database if exists ${name} with (force)`)
  }
  t.teardown(() => handle.close())
  if (opts.migrate !== false) await migrateToLatest(handle.db)
  return handle
}

/**
 * PGlite's initdb costs seconds; loading a dump of a migrated database costs a fraction. The dump
 * is cached per content of migrations/, so a changed migration is always run for real once.
 */
export async function migratedSnapshot(): Promise<Blob> {
  const hash = createHash('sha256')
  for (const file of readdirSync(MIGRATIONS, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(MIGRATIONS, file)
    if (statSync(full).isFile()) hash.update(file).update(readFileSync(full))
  }
  const cached = path.join(CACHE, `pglite-${hash.digest('hex').slice(0, 16)}.tar`)
  if (existsSync(cached)) return new Blob([readFileSync(cached)])
  const handle = await connectDatabase({ databaseUrl: undefined, dataDir: 'memory://', dbPoolMax: 1 })
  await migrateToLatest(handle.db)
  const dump = await (handle.pglite as NonNullable<DatabaseHandle['pglite']>).dumpDataDir('none')
  await handle.close()
  mkdirSync(CACHE, { recursive: true })
  const temp = `${cached}.${process.pid}`
  writeFileSync(temp, Buffer.from(await dump.arrayBuffer()))
  renameSync(temp, cached) // atomic: parallel test files never read a half-written dump
  return dump
}

export interface TestApp {
  app: FastifyInstance
  database: DatabaseHandle
  /** Every log line the app wrote so far, parsed. */
  logs(): Record<string, unknown>[]
  /** The raw log text, to search for things that must never be logged. */
  logText(): string
}

export async function buildTestApp(
  t: Teardown,
  overrides: Partial<Config> = {},
  /** Extra routes a test needs to reach a shared mechanism (a body parser, the 500 path). */
  extend?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const database = await testDatabase(t)
  const lines: string[] = []
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    logLevel: 'info',
    migrateOnStart: false,
    // Tests make many requests as one subject; test/rate-limit.test.ts turns the limit back on.
    rateLimit: { max: 0, windowMs: 60_000 },
    ...overrides,
  }
  const app = await buildApp({ config, database, logStream })
  extend?.(app)
  await app.ready()
  t.teardown(() => app.close())
  return {
    app,
    database,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    logText: () => lines.join('\n'),
  }
}
