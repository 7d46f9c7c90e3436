// Makes the kept PGlite clusters that db/pglite.ts starts new databases from: npm's postinstall
// (scripts/pglite-cluster.ts) and the tests, which load the migrated one into each test database.
import { existsSync } from 'node:fs'
import { connectDatabase } from './connect.ts'
import { migrateToLatest } from './migrate.ts'
import { type Cluster, cachedCluster, clusterDump, keepCluster, makeEmptyCluster } from './pglite.ts'

/** Makes `cluster` (and the empty one it starts from) unless it is kept already; returns its dump. */
export async function ensureCluster(cluster: Cluster): Promise<{ dump: Blob; made: boolean }> {
  const kept = cachedCluster(cluster)
  if (kept) return { dump: kept, made: false }
  if (!existsSync(clusterDump('empty'))) await makeEmptyCluster()
  if (cluster === 'empty') return { dump: cachedCluster('empty') as Blob, made: true }
  // Named before migrating: were migrations/ edited meanwhile, the dump would be named by the old content.
  const file = clusterDump('migrated')
  const database = await connectDatabase({ databaseUrl: undefined, dataDir: 'memory://', dbPoolMax: 1 })
  try {
    await migrateToLatest(database.db)
    const dump = await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir('none')
    await keepCluster(file, dump)
    return { dump, made: true }
  } finally {
    await database.close()
  }
}
