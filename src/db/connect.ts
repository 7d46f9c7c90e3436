// One code path for both databases: Kysely's PostgresDialect over a pg.Pool. For the embedded
// default the pool talks to PGlite through its node-postgres adapter (one connection: PGlite is
// single-session), so types, transactions and savepoints behave as on PostgreSQL.
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Config } from '../config.js'
import type { Database } from './schema.js'

// DATE columns stay 'YYYY-MM-DD' strings (RFC 3339 full-date); a JS Date would shift them by
// the server's time zone. BIGINT (money in VND) is parsed where it is read, never as a float.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)
// TIMESTAMPTZ leaves as RFC 3339 in UTC with milliseconds, the API's one timestamp form. A server in
// UTC sends '2024-03-01 10:00:00.123456+00': rewritten as text, nine times cheaper than a Date per
// row (and right for years below 100, which Date reads as 19xx); any other offset goes through Date.
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/
export function timestamptz(value: string): string {
  const utc = UTC_TIMESTAMP.exec(value)
  if (!utc) return new Date(value).toISOString()
  return `${utc[1]}T${utc[2]}.${(utc[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`
}
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, timestamptz)

/** The most statements one connection keeps prepared; queries beyond them are parsed each time. */
const PREPARED_PER_CONNECTION = 500
/**
 * The most parameters of a statement worth preparing: a request's queries have a few; a batch's
 * (an import's 500-row insert, its IN lists) vary in length and would each keep a large plan.
 */
const PREPARED_MAX_PARAMETERS = 64

/**
 * A client that prepares each parameterised query Kysely sends, named after its text, so PostgreSQL
 * parses and plans it once per connection instead of on every request (what pg does for a query
 * given a `name`). Only parameterised ones, and not too many parameters: a text with inlined
 * literals varies, and the parameterless ones include multi-statement texts, which the extended
 * protocol refuses. Plans stay correct under row-level security: PostgreSQL re-plans a prepared
 * statement for another role.
 */
class PreparingClient extends pg.Client {
  readonly #named = new Set<string>()
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has many overloads; this one forwards all
  override query(config: any, values?: any, callback?: any): any {
    if (
      typeof config === 'string' &&
      Array.isArray(values) &&
      values.length > 0 &&
      values.length <= PREPARED_MAX_PARAMETERS
    ) {
      const name = nameOf(config)
      if (name && (this.#named.has(name) || this.#named.size < PREPARED_PER_CONNECTION)) {
        this.#named.add(name)
        return super.query({ name, text: config, values }, callback)
      }
    }
    return super.query(config, values, callback)
  }
}

/**
 * Statement names by text, shared by the connections (bounded: texts are the app's own queries).
 * A text that selects `*` stays unnamed: a column added by a migration while the service runs
 * would change its result, and PostgreSQL refuses to run a prepared statement whose result changed.
 */
const names = new Map<string, string | null>()
function nameOf(text: string): string | null {
  let name = names.get(text)
  if (name === undefined) {
    name = text.replaceAll('count(*)', '').includes('*')
      ? null
      : `kc_${createHash('sha1').update(text).digest('base64url')}`
    if (names.size < 5_000) names.set(text, name)
  }
  return name
}

export interface DatabaseHandle {
  db: Kysely<Database>
  pool: pg.Pool
  kind: 'pglite' | 'postgresql'
  /** Where the data lives, safe to log (no credentials). */
  location: string
  /** The embedded instance, when kind is pglite (tests snapshot it). */
  pglite?: PGlite
  close(): Promise<void>
  /**
   * Ends the connections that requests hold right now, so their transactions roll back in
   * PostgreSQL and close() can finish: the last step of a shutdown whose grace ran out.
   */
  abort(): void
}

export interface ConnectOptions {
  /** A PGlite data directory dump to start an in-memory database from. */
  loadDataDir?: Blob
  /** PGlite settings (postgresql.conf lines), e.g. the tests' smaller shared_buffers. */
  settings?: string[]
  /** Told of a lost connection; the pool replaces it on next use. */
  onConnectionLost?: (error: Error) => void
}

/**
 * A pg.Pool that survives PostgreSQL dropping connections. A lost connection is an 'error' event,
 * and an 'error' event nobody listens to ends the process: the pool listens on idle clients, and
 * every client gets a listener of its own for the time it is checked out (between the queries of
 * a transaction). Its next query then fails, and the pool discards it on release (pg checks
 * `_queryable`).
 */
function resilientPool(config: pg.PoolConfig, onLost: (error: Error) => void) {
  const pool = new pg.Pool(config)
  pool.on('error', onLost)
  pool.on('connect', (client) => client.on('error', onLost))
  const inUse = new Set<pg.PoolClient>()
  pool.on('acquire', (client) => inUse.add(client))
  pool.on('release', (_error, client) => inUse.delete(client))
  pool.on('remove', (client) => inUse.delete(client as pg.PoolClient))
  const abort = () => {
    for (const client of inUse) (client as pg.PoolClient & { end(): Promise<void> }).end().catch(() => {})
  }
  return { pool, abort }
}

/** Closing twice (a test, then its teardown) must not fail. */
const once = (fn: () => Promise<void>) => {
  let done: Promise<void> | undefined
  return () => {
    done ??= fn()
    return done
  }
}

export async function connectDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'> &
    Partial<Pick<Config, 'dbPreparedStatements'>>,
  { loadDataDir, settings, onConnectionLost = () => {} }: ConnectOptions = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const { pool, abort } = resilientPool(
      {
        connectionString: config.databaseUrl,
        max: config.dbPoolMax,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 30_000,
        application_name: 'khuyen-cong-api',
        ...(config.dbPreparedStatements === false ? {} : { Client: PreparingClient }),
      },
      onConnectionLost,
    )
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const url = new URL(config.databaseUrl)
    return {
      db,
      pool,
      kind: 'postgresql',
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: once(() => db.destroy()),
      abort,
    }
  }

  const inMemory = config.dataDir.startsWith('memory://')
  if (!inMemory) mkdirSync(config.dataDir, { recursive: true })
  // The same extensions on every open: PGlite refuses a data directory created with others.
  const pglite = await PGlite.create(inMemory ? undefined : config.dataDir, {
    extensions: { pg_trgm, unaccent },
    ...(loadDataDir ? { loadDataDir } : {}),
    ...(settings ? { postgresqlconf: settings } : {}),
  })
  const { pool, abort } = resilientPool({ ...createPgConfig(pglite), max: 1 }, onConnectionLost)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    pool,
    kind: 'pglite',
    location: inMemory ? 'memory' : config.dataDir,
    pglite,
    abort,
    close: once(async () => {
      await db.destroy()
      await pglite.close()
    }),
  }
}
