import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { Config } from '../config.ts'
import { connectDatabase, type DatabaseHandle } from '../db/connect.ts'
import { migrateToLatest, schemaOwnership } from '../db/migrate.ts'
import type { Database } from '../db/schema.ts'
import { type DemoServices, loadDemoData } from '../demo/index.ts'
import { flushLog } from '../logger.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    database: DatabaseHandle
    /** The streaming replica of DATABASE_READ_URL, if any (plugins/tenancy.ts routes reads to it). */
    replica: DatabaseHandle | undefined
  }
}

/**
 * Runs `work` as the owner of the schema: on its own short connection when MIGRATION_DATABASE_URL
 * names another user than the service's, else on the service's own (development, PGlite).
 */
async function withOwner(
  config: Config,
  database: DatabaseHandle,
  work: (db: Kysely<Database>) => Promise<void>,
): Promise<void> {
  if (database.kind === 'pglite' || config.migrationDatabaseUrl === config.databaseUrl) {
    return work(database.db)
  }
  const owner = await connectDatabase({ ...config, databaseUrl: config.migrationDatabaseUrl, dbPoolMax: 1 })
  try {
    await work(owner.db)
  } finally {
    await owner.close()
  }
}

const UNPROTECTED =
  'the service’s database user can act as the owner of the schema, so the audit trail is not protected ' +
  'from it: run the service as a login role granted kc_app only, and migrate with MIGRATION_DATABASE_URL ' +
  '(README, Running on PostgreSQL)'

/** Opens the database (or adopts one the caller owns), and migrates it when configured to. */
export default fp(
  async (app, opts: { database?: DatabaseHandle; demo: DemoServices }) => {
    const { config } = app
    // A progress line per phase of a start, with its duration: a first start on the embedded
    // database migrates and loads the demo, and nobody should think it hung.
    let since = performance.now()
    const phase = (msg: string, fields: object = {}) => {
      const ms = Math.round(performance.now() - since)
      since = performance.now()
      if (!opts.database) {
        app.log.info({ ...fields, ms }, msg)
        // The log goes out in blocks (src/logger.ts): a start's progress is wanted at once.
        flushLog(app.log)
      }
    }
    const database =
      opts.database ??
      (await connectDatabase(config, {
        // A new embedded database starts migrated when the start would migrate it anyway, and with
        // the demo data when it would load that too (the same rows: see db/pglite.ts).
        cluster: config.migrateOnStart ? (config.demoData ? 'demo' : 'migrated') : 'empty',
        onConnectionLost: (error) =>
          app.log.warn(
            { code: (error as { code?: string }).code, reason: error.message },
            'database connection lost',
          ),
      }))
    if (!opts.database) app.addHook('onClose', () => database.close())
    phase('database opened', { database: database.kind, created: database.created })
    if (config.migrateOnStart || config.demoData) {
      await withOwner(config, database, async (db) => {
        if (config.migrateOnStart) {
          const { results = [] } = await migrateToLatest(db)
          phase('database migrated', { applied: results.length })
        }
        if (!config.demoData) return
        const demo = await loadDemoData(db, opts.demo)
        if (demo === 'loaded') phase('demo data loaded')
        if (demo === 'present') phase('demo data present')
        if (demo === 'unmigrated') app.log.warn('demo data not loaded: the database is not migrated yet')
      })
    }
    // The embedded database has one user, a superuser: the separation is PostgreSQL's.
    if (database.kind === 'postgresql' && (await schemaOwnership(database.db)).mayActAsOwner) {
      if (config.env === 'production') throw new Error(UNPROTECTED)
      app.log.warn(UNPROTECTED)
    }
    app.decorate('database', database)
    app.decorate('db', database.db)
    // Opened lazily by the pool like the primary's: a replica down at start does not stop the start.
    const replica = config.databaseReadUrl
      ? await connectDatabase(
          { ...config, databaseUrl: config.databaseReadUrl },
          {
            onConnectionLost: (error) =>
              app.log.warn({ reason: error.message }, 'replica connection lost: reads go to the primary'),
          },
        )
      : undefined
    if (replica) {
      app.addHook('onClose', () => replica.close())
      phase('replica opened', { replica: replica.location })
    }
    app.decorate('replica', replica)
  },
  { name: 'database' },
)
