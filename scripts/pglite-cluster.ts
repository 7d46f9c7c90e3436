// npm's postinstall (`npm run postinstall` to run it again): makes PGlite's empty and migrated
// clusters once (src/db/clusters.ts), so a first start on the embedded database unpacks one instead
// of running initdb and the migrations. Name one (`empty`) to make only that. Exits 1 if one was not
// made; package.json lets the install go on, since a first start then does that work itself.
import { ensureCluster } from '../src/db/clusters.ts'
import type { Cluster } from '../src/db/pglite.ts'

const wanted = process.argv.slice(2) as Cluster[]
for (const cluster of wanted.length ? wanted : (['empty', 'migrated'] as const)) {
  try {
    const started = performance.now()
    const { file, made } = await ensureCluster(cluster)
    const ms = Math.round(performance.now() - started)
    console.log(`PGlite's ${cluster} cluster ${made ? `made in ${ms} ms` : 'kept'}: ${file}`)
  } catch (error) {
    console.error(`PGlite's ${cluster} cluster not made: ${(error as Error).message}`)
    process.exitCode = 1
  }
}
