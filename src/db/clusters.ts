// Makes the kept PGlite clusters that db/pglite.ts starts new databases from: npm's postinstall
// (scripts/pglite-cluster.ts) and the tests, which load the migrated one into each test database.
import { connectDatabase } from './connect.ts'
import { migrateToLatest } from './migrate.ts'
import { type Cluster, cachedCluster, keepCluster, makeEmptyCluster } from './pglite.ts'

/** Makes `cluster` (and the empty one it starts from) unless it is kept already; returns its dump. */
export async function ensureCluster(cluster: Cluster): Promise<{ dump: Blob; made: boolean }> {
  const kept = cachedCluster(cluster)
  if (kept) return { dump: kept, made: false }
  if (!cachedCluster('empty')) await makeEmptyCluster()
  if (cluster === 'migrated') {
    const database = await connectDatabase({ databaseUrl: undefined, dataDir: 'memory://', dbPoolMax: 1 })
    try {
      await migrateToLatest(database.db)
      await keepCluster(
        'migrated',
        await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir('none'),
      )
    } finally {
      await database.close()
    }
  }
  return { dump: cachedCluster(cluster) as Blob, made: true }
}
