import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import { connectDatabase, type DatabaseHandle } from '../db/connect.js'
import { loadDemoData } from '../db/demo-data.js'
import { migrateToLatest } from '../db/migrate.js'
import type { Database } from '../db/schema.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    database: DatabaseHandle
  }
}

/** Opens the database (or adopts one the caller owns), and migrates it when configured to. */
export default fp(
  async (app, opts: { database?: DatabaseHandle }) => {
    const { config } = app
    const database =
      opts.database ??
      (await connectDatabase(config, {
        onConnectionLost: (error) =>
          app.log.warn(
            { code: (error as { code?: string }).code, reason: error.message },
            'database connection lost',
          ),
      }))
    if (!opts.database) app.addHook('onClose', () => database.close())
    if (config.migrateOnStart) await migrateToLatest(database.db)
    if (config.demoData) {
      const demo = await loadDemoData(database.db)
      if (demo === 'loaded') app.log.info('demo data loaded')
      if (demo === 'unmigrated') app.log.warn('demo data not loaded: the database is not migrated yet')
    }
    app.decorate('database', database)
    app.decorate('db', database.db)
  },
  { name: 'database' },
)
