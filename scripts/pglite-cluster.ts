// npm's postinstall: makes PGlite's empty cluster once per PGlite version (src/db/pglite.ts), so a
// first start on the embedded database unpacks it instead of running initdb. Never fails an install:
// without the cluster, a first start runs initdb itself.
import { EMPTY_CLUSTER, saveEmptyCluster } from '../src/db/pglite.ts'

try {
  const started = performance.now()
  const outcome = await saveEmptyCluster()
  const ms = Math.round(performance.now() - started)
  console.log(
    outcome === 'made'
      ? `PGlite's empty cluster made in ${ms} ms: ${EMPTY_CLUSTER}`
      : `PGlite's empty cluster: ${EMPTY_CLUSTER}`,
  )
} catch (error) {
  console.warn(`PGlite's empty cluster not made (a first start will run initdb): ${(error as Error).message}`)
}
