// Makes the kept PGlite clusters that db/pglite.ts starts new databases from: npm's postinstall
// (scripts/pglite-cluster.ts) and the tests, which load the migrated one into each test database.
import { existsSync } from 'node:fs'
import { connectDatabase } from './connect.ts'
import { migrateToLatest } from './migrate.ts'
import { CLUSTERS, type Cluster, clusterDump, initdbDump, keepCluster } from './pglite.ts'

/**
 * Makes `cluster` unless it is kept already; returns the file it is kept in. The demo one is made
 * by `demoDump` (the demo sits above this layer: scripts/pglite-cluster.ts gives it).
 */
export async function ensureCluster(
  cluster: Cluster,
  demoDump?: () => Promise<Blob>,
): Promise<{ file: string; made: boolean }> {
  const file = clusterDump(cluster)
  if (existsSync(file)) return { file, made: false }
  // Each starts from the one before it, kept first for the new databases that want it.
  const before = CLUSTERS[CLUSTERS.indexOf(cluster) - 1]
  if (before) await ensureCluster(before)
  const dump = await dumpOf(cluster, demoDump)
  // Code edited while it was made (a branch switched during an install): whichever content it holds,
  // it is kept under neither name.
  if (clusterDump(cluster) !== file) return { file, made: false }
  await keepCluster(file, dump)
  return { file, made: true }
}

function dumpOf(cluster: Cluster, demoDump: (() => Promise<Blob>) | undefined): Promise<Blob> {
  if (cluster === 'empty') return initdbDump()
  if (cluster === 'migrated') return migratedDump()
  if (!demoDump) throw new Error('the demo cluster is made by scripts/pglite-cluster.ts')
  return demoDump()
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
