// npm's postinstall (`npm run postinstall` to run it again): makes PGlite's clusters once
// (src/db/clusters.ts) — empty, migrated, and migrated with the demo data — so a first start on the
// embedded database unpacks one instead of running initdb, the migrations and the demo's load.
// Name some (`empty`) to make only those. Exits 1 if one was not made; package.json lets the
// install go on, since a first start then does that work itself.
import { ensureCluster } from '../src/db/clusters.ts'
import { CLUSTERS, type Cluster } from '../src/db/pglite.ts'

/** The demo data as a first start loads it: the app itself starts, in memory, and is dumped. */
async function demoDump(): Promise<Blob> {
  // Loaded only for this one: the others need the database layer alone (the Docker build makes `empty`).
  const [{ buildApp }, { loadConfig }] = await Promise.all([
    import('../src/app.ts'),
    import('../src/config.ts'),
  ])
  const config = loadConfig({ DATA_DIR: 'memory://', DEMO_DATA: 'true', LOG_LEVEL: 'warn' })
  const app = await buildApp({ config, compileOnFirstUse: true })
  try {
    await app.ready()
    return await (app.database.pglite as NonNullable<typeof app.database.pglite>).dumpDataDir('none')
  } finally {
    await app.close()
  }
}

const wanted = process.argv.slice(2) as Cluster[]
for (const cluster of wanted.length ? wanted : CLUSTERS) {
  try {
    const started = performance.now()
    const { file, made } = await ensureCluster(cluster, demoDump)
    const ms = Math.round(performance.now() - started)
    console.log(`PGlite's ${cluster} cluster ${made ? `made in ${ms} ms` : 'kept'}: ${file}`)
  } catch (error) {
    console.error(`PGlite's ${cluster} cluster not made: ${(error as Error).message}`)
    process.exitCode = 1
  }
}
