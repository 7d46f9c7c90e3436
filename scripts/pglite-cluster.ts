// npm's postinstall: makes PGlite's empty and migrated clusters once (src/db/clusters.ts), so a first
// start on the embedded database unpacks one instead of running initdb and the migrations. Never
// fails an install: without them, a first start does that work itself.
import { ensureCluster } from '../src/db/clusters.ts'
import { clusterDump } from '../src/db/pglite.ts'

for (const cluster of ['empty', 'migrated'] as const) {
  try {
    const started = performance.now()
    const { made } = await ensureCluster(cluster)
    const ms = Math.round(performance.now() - started)
    console.log(`PGlite's ${cluster} cluster ${made ? `made in ${ms} ms` : 'kept'}: ${clusterDump(cluster)}`)
  } catch (error) {
    console.warn(
      `PGlite's ${cluster} cluster not made (a first start does that work): ${(error as Error).message}`,
    )
  }
}
