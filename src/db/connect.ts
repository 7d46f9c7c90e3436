// One code path for both databases: Kysely's PostgresDialect over a pg.Pool. For the embedded
// default the pool talks to PGlite through its node-postgres adapter (one connection: PGlite is
// single-session), so types, transactions and savepoints behave as on PostgreSQL.
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
// TIMESTAMPTZ leaves as RFC 3339 in UTC, the API's one timestamp form.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value).toISOString())

export interface DatabaseHandle {
  db: Kysely<Database>
  pool: pg.Pool
  kind: 'pglite' | 'postgresql'
  /** Where the data lives, safe to log (no credentials). */
  location: string
  /** The embedded instance, when kind is pglite (tests snapshot it). */
  pglite?: PGlite
  close(): Promise<void>
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
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'>,
  /** A PGlite data directory dump to start an in-memory database from. */
  loadDataDir?: Blob,
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.dbPoolMax,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'khuyen-cong-api',
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const url = new URL(config.databaseUrl)
    return {
      db,
      pool,
      kind: 'postgresql',
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: once(() => db.destroy()),
    }
  }

  const inMemory = config.dataDir.startsWith('memory://')
  if (!inMemory) mkdirSync(config.dataDir, { recursive: true })
  // The same extensions on every open: PGlite refuses a data directory created with others.
  const pglite = await PGlite.create(inMemory ? undefined : config.dataDir, {
    extensions: { pg_trgm, unaccent },
    ...(loadDataDir ? { loadDataDir } : {}),
  })
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    pool,
    kind: 'pglite',
    location: inMemory ? 'memory' : config.dataDir,
    pglite,
    close: once(async () => {
      await db.destroy()
      await pglite.close()
    }),
  }
}
