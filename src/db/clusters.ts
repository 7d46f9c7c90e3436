// Makes the kept PGlite clusters that db/pglite.ts starts new databases from: npm's postinstall
// (scripts/pglite-cluster.ts) and the tests, which load the migrated one into each test database.
import { existsSync } from 'node:fs'
import { connectDatabase } from './connect.ts'
import { migrateToLatest } from './migrate.ts'
import { type Cluster, clusterDump, initdbDump, keepCluster } from './pglite.ts'

/** Makes `cluster` unless it is kept already; returns the file it is kept in. */
export async function ensureCluster(cluster: Cluster): Promise<{ file: string; made: boolean }> {
  // Named before it is made: were migrations/ edited meanwhile, the dump would be named by the old content.
  const file = clusterDump(cluster)
  if (existsSync(file)) return { file, made: false }
  // The migrated one starts from the empty one, kept first for the new databases that want it.
  if (cluster === 'migrated') await ensureCluster('empty')
  await keepCluster(file, cluster === 'empty' ? await initdbDump() : await migratedDump())
  return { file, made: true }
}

/** Every migration of migrations/ on an in-memory database (from the empty cluster), dumped. */
async function migratedDump(): Promise<Blob> {
  const database = await connectDatabase({ databaseUrl: undefined, dataDir: 'memory://', dbPoolMax: 1 })
  try {
    await migrateToLatest(database.db)
    return await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir('none')
  } finally {
    await database.close()
  }
}
