// Every test file gets its own migrated database: an in-memory PGlite loaded from a migrated
// snapshot, or — when DATABASE_URL is set — a PostgreSQL database copied from a migrated template,
// created for the file and dropped after it. The app is built by the same buildApp() the server uses.
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp } from '../../src/app.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import { ensureCluster } from '../../src/db/clusters.ts'
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.ts'
import { migrateToLatest, migrationsHash } from '../../src/db/migrate.ts'
import { type Cluster, keptDump } from '../../src/db/pglite.ts'
import { checkResponse } from './contract.ts'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** A test that can also fail: buildTestApp() fails it on any response that breaks the contract. */
interface TestHandle extends Teardown {
  fail(message: string): unknown
}

export const onPostgres = Boolean(process.env.DATABASE_URL)

/** The URL of each PostgreSQL connection made here (as the owner, or as the service). */
const urls = new WeakMap<DatabaseHandle, string>()

/**
 * pg's pool.end() resolves before its clients have closed their connections, and dropping the
 * database (with force) under a client still closing makes that client fail the test file: the
 * returned close waits until the pool has seen every one of them go (bounded, so a teardown never
 * hangs).
 */
function closeFully(handle: DatabaseHandle): () => Promise<void> {
  let open = 0
  let allClosed: (() => void) | undefined
  handle.pool.on('connect', () => {
    open++
  })
  handle.pool.on('remove', () => {
    if (--open === 0) allClosed?.()
  })
  const close = handle.close
  return async () => {
    const closed = new Promise<void>((resolve) => {
      if (open === 0) resolve()
      allClosed = resolve
      setTimeout(resolve, 5_000).unref()
    })
    await close()
    await closed
  }
}

async function asAdmin(statement: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  await client.query(statement).finally(() => client.end())
}

/** The URL of database `name` on the cluster of DATABASE_URL, as its admin. */
function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL as string)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * Running every migration costs each test file seconds; copying a migrated database costs a
 * fraction. The template is migrated once per content of migrations/ and left on the cluster for
 * later files and runs. It is built under another name and renamed when complete, so its name
 * always means a finished migration; the advisory lock keeps parallel files from building it
 * twice. Nothing stays connected to it: `create database … template` refuses a template in use.
 */
async function migratedTemplate(): Promise<string> {
  const template = `kc_test_template_${migrationsHash()}`
  const building = `${template}_building`
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await admin.connect()
  try {
    await admin.query('select pg_advisory_lock(hashtext($1))', [template])
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template])
    if (rowCount === 0) {
      // A build that died half-way (killed run) leaves `building` behind: start it over.
      await admin.query(`drop database if exists ${building} with (force)`)
      await admin.query(`create database ${building}`)
      const handle = await connectDatabase({
        databaseUrl: databaseUrl(building),
        dataDir: 'memory://',
        dbPoolMax: 1,
      })
      const close = closeFully(handle)
      await migrateToLatest(handle.db).finally(close)
      await admin.query(`alter database ${building} rename to ${template}`)
    }
  } finally {
    await admin.end() // ends the session, and with it the advisory lock
  }
  return template
}

/** A database of its own for one test file, closed (and dropped on PostgreSQL) at teardown. */
export async function testDatabase(t: Teardown, opts: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  if (!onPostgres) {
    const snapshot = opts.migrate === false ? await initdbSnapshot() : await migratedSnapshot()
    const handle = await connectDatabase(
      { databaseUrl: undefined, dataDir: 'memory://', dbPoolMax: 1 },
      // A test database is small: 16 MB of shared buffers instead of 128 MB keeps a file that
      // builds several apps (each with its own database) well under a gigabyte.
      { loadDataDir: snapshot, settings: ['shared_buffers = 16MB'] },
    )
    t.teardown(() => handle.close())
    return handle
  }
  const name = `kc_test_${randomBytes(6).toString('hex')}`
  // Roles are the cluster's; the grants inside the database come with the copy.
  const template = opts.migrate === false ? '' : ` template ${await migratedTemplate()}`
  await asAdmin(`create database ${name}${template}`)
  const handle = await connectDatabase({ databaseUrl: databaseUrl(name), dataDir: 'memory://', dbPoolMax: 5 })
  urls.set(handle, databaseUrl(name))
  const close = closeFully(handle)
  handle.close = async () => {
    await close()
    await asAdmin(`drop database if exists ${name} with (force)`)
  }
  t.teardown(() => handle.close())
  return handle
}

/**
 * The service's login role in tests on PostgreSQL, set up as the README asks of production: a
 * member of kc_app and nothing else, so it owns nothing and cannot become the owner.
 */
export const SERVICE_ROLE = 'kc_test_service'

/**
 * The migrated test database `owner` as the service connects to it on PostgreSQL (as
 * SERVICE_ROLE); on PGlite, with its one user, `owner` itself. Closing `owner` closes it first.
 */
export async function serviceDatabase(owner: DatabaseHandle): Promise<DatabaseHandle> {
  const ownerUrl = urls.get(owner)
  if (!ownerUrl) return owner
  // Roles belong to the cluster and test files run in parallel: one file at a time (the lock is
  // the admin database's), and a role another run created already is fine.
  await asAdmin(`
    begin;
    select pg_advisory_xact_lock(hashtext('${SERVICE_ROLE}'));
    do $$ begin
      create role ${SERVICE_ROLE} login password '${SERVICE_ROLE}';
    exception when duplicate_object or unique_violation then null;
    end $$;
    grant kc_app to ${SERVICE_ROLE};
    commit;`)
  const url = new URL(ownerUrl)
  url.username = SERVICE_ROLE
  url.password = SERVICE_ROLE
  const service = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', dbPoolMax: 5 })
  urls.set(service, url.toString())
  const closeService = closeFully(service)
  service.close = closeService
  const closeOwner = owner.close
  owner.close = async () => {
    await closeService()
    await closeOwner()
  }
  return service
}

/** The kept PGlite clusters (src/db/clusters.ts), read once per process and shared by its databases. */
const clusters = new Map<Cluster, Promise<Blob>>()
function cluster(kind: Cluster): Promise<Blob> {
  let dump = clusters.get(kind)
  if (!dump) {
    dump = ensureCluster(kind).then(({ file }) => keptDump(file) as Blob)
    clusters.set(kind, dump)
  }
  return dump
}

/** A migrated database: PGlite's initdb and the migrations cost seconds, loading the dump a fraction. */
export const migratedSnapshot = () => cluster('migrated')

/** A database as PGlite's initdb leaves it, before any migration. */
const initdbSnapshot = () => cluster('empty')

export interface TestApp {
  app: FastifyInstance
  /**
   * The test database as its owner, for fixtures no request can make; the app itself connects as
   * the service (`app.database`: SERVICE_ROLE on PostgreSQL). Closing it closes both.
   */
  database: DatabaseHandle
  /** Every log line the app wrote so far, parsed. */
  logs(): Record<string, unknown>[]
  /** The raw log text, to search for things that must never be logged. */
  logText(): string
}

export async function buildTestApp(
  t: TestHandle,
  overrides: Partial<Config> = {},
  /** Extra routes a test needs to reach a shared mechanism (a body parser, the 500 path). */
  extend?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const database = await testDatabase(t)
  const service = await serviceDatabase(database)
  const lines: string[] = []
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    // As in production: migrations and demo data as the owner, requests as the service.
    databaseUrl: urls.get(service),
    migrationDatabaseUrl: urls.get(database),
    logLevel: 'info',
    migrateOnStart: false,
    // Tests make many requests as one subject; test/rate-limit.test.ts turns the limit back on.
    rateLimit: { max: 0, windowMs: 60_000 },
    ...overrides,
  }
  // Each file answers a few of the routes: their validators and serializers are compiled when
  // first used (the real server compiles them all at start: test/shutdown.test.ts starts it).
  const app = await buildApp({ config, database: service, logStream, compileOnFirstUse: true })
  const extraRoutes = new Set<string>()
  app.addHook('onRoute', (route) => {
    extraRoutes.add(route.url)
  })
  extend?.(app)
  validateResponses(t, app, extraRoutes)
  await app.ready()
  t.teardown(() => app.close())
  return {
    app,
    database,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    logText: () => lines.join('\n'),
  }
}

/**
 * Every response the app sends in a test is checked against the committed contract; one that
 * breaks it fails the test, naming the operation, the status and what is wrong. Routes a test
 * added for itself (`extend`) and the routes the contract hides (/docs, /openapi.json) are not in
 * the contract and are left alone; a response from no route (404, 405) must be a problem.
 */
function validateResponses(t: TestHandle, app: FastifyInstance, extraRoutes: Set<string>) {
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url
    const hidden =
      route !== undefined && (extraRoutes.has(route) || request.routeOptions.schema?.hide === true)
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : undefined
    const violation = hidden
      ? undefined
      : checkResponse({
          method: request.method,
          route,
          status: reply.statusCode,
          contentType: reply.getHeader('content-type') as string | undefined,
          // Fastify never sends a body with 204 or 304, whatever the handler returned.
          body: payload == null || [204, 304].includes(reply.statusCode) ? '' : body,
        })
    if (violation) t.fail(`response breaks the contract: ${violation} — ${request.method} ${request.url}`)
    return payload
  })
}

/** `call(method, url, headers, payload?)`: an injected request to `app`, the body only when given. */
export const caller =
  (app: FastifyInstance) =>
  (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) =>
    app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
