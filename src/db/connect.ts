// One code path for both databases: Kysely's PostgresDialect over a pg.Pool. For the embedded
// default the pool talks to PGlite through its node-postgres adapter (one connection: PGlite is
// single-session), so types, transactions and savepoints behave as on PostgreSQL.
import type { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Config } from '../config.ts'
import { serviceClient } from './client.ts'
import { type Created, type OpenOptions, openPGlite } from './pglite.ts'
import type { Database } from './schema.ts'

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

export interface DatabaseHandle {
  db: Kysely<Database>
  pool: pg.Pool
  kind: 'pglite' | 'postgresql'
  /** Where the data lives, safe to log (no credentials). */
  location: string
  /** The embedded instance, when kind is pglite (its data directory can be dumped). */
  pglite?: PGlite
  /** How an embedded database was created by this open, if it was. */
  created?: Created
  close(): Promise<void>
  /**
   * Ends the connections that requests hold right now, so their transactions roll back in
   * PostgreSQL and close() can finish: the last step of a shutdown whose grace ran out.
   */
  abort(): void
}

export interface ConnectOptions extends OpenOptions {
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

/**
 * The pool under each handle's Kysely instance: what a statement that needs no connection of its
 * own — a read's, each in its own implicit transaction — can be sent to without Kysely's
 * connection provider around it (compiledPerRole, src/db/compiled.ts). Only the handle's own
 * instance: one bound to a connection (a write's transaction) or with a plugin is another object,
 * and goes through Kysely.
 */
const pools = new WeakMap<object, pg.Pool>()
export const poolOf = (db: object): pg.Pool | undefined => pools.get(db)

/** The handle's Kysely instance over `pool`, known to poolOf(). */
function kyselyOver(pool: pg.Pool): Kysely<Database> {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  pools.set(db, pool)
  return db
}

/**
 * Kysely ends the pool only if it ever used it: a handle whose statements all went to the pool
 * directly (compiled reads, src/db/compiled.ts) would keep its connections open.
 */
async function closePool(db: Kysely<Database>, pool: pg.Pool) {
  await db.destroy()
  if (!pool.ending) await pool.end()
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
  { onConnectionLost = () => {}, ...open }: ConnectOptions = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const { pool, abort } = resilientPool(
      {
        connectionString: config.databaseUrl,
        max: config.dbPoolMax,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 30_000,
        application_name: 'khuyen-cong-api',
        Client: serviceClient(config.dbPreparedStatements !== false),
      },
      onConnectionLost,
    )
    const db = kyselyOver(pool)
    const url = new URL(config.databaseUrl)
    return {
      db,
      pool,
      kind: 'postgresql',
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: once(() => closePool(db, pool)),
      abort,
    }
  }

  const inMemory = config.dataDir.startsWith('memory://')
  const { pglite, created } = await openPGlite(inMemory ? undefined : config.dataDir, open)
  // Unnamed statements on PGlite, as before prepared statements came to PostgreSQL. Every query
  // goes through this pool: a direct pglite.query() would bypass the adapter's ordering and could
  // land between a statement and the tenant context sent in front of it.
  const { pool, abort } = resilientPool(
    { ...createPgConfig(pglite), max: 1, Client: serviceClient(false) },
    onConnectionLost,
  )
  const db = kyselyOver(pool)
  return {
    db,
    pool,
    kind: 'pglite',
    location: inMemory ? 'memory' : config.dataDir,
    pglite,
    created,
    abort,
    close: once(async () => {
      await closePool(db, pool)
      await pglite.close()
    }),
  }
}
