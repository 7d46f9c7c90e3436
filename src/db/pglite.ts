// Opening the embedded database. PGlite's initdb costs 3–5 s of CPU here and makes the same empty
// cluster every time for one PGlite version, so it runs once, at install (npm's postinstall runs
// `scripts/pglite-cluster.ts`), and is kept as a dump in node_modules/.cache, which a new database
// unpacks instead (1–2 s on disk; copying a kept data directory instead was no faster in all: what
// initdb saves, the first statements pay back while V8 optimises PGlite's WebAssembly).
// Without the dump (an install with --ignore-scripts), a new database runs initdb, as it always did.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'

/** The installed package's own folder, whether the code runs from src/ or from dist/. */
const PACKAGE = path.resolve(fileURLToPath(import.meta.resolve('@electric-sql/pglite')), '../..')
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as { version: string })
  .version
/** The empty cluster of this PGlite version, as a dump (tar) of its data directory. */
const CACHE = path.join(PACKAGE, '..', '..', '.cache', 'pglite')
export const EMPTY_CLUSTER = path.join(CACHE, `initdb-${VERSION}.tar`)

// The same extensions on every open: PGlite refuses a data directory created with others.
const extensions = { pg_trgm, unaccent }

export interface OpenOptions {
  /** A data directory dump to start from instead of the empty cluster. */
  loadDataDir?: Blob
  /** postgresql.conf lines, e.g. the tests' smaller shared_buffers. */
  settings?: string[]
}

export type Created = 'from a dump' | 'from the cached empty cluster' | 'by initdb'

/** The empty cluster's dump, if it was made. */
export function emptyCluster(): Blob | undefined {
  return existsSync(EMPTY_CLUSTER) ? new Blob([readFileSync(EMPTY_CLUSTER)]) : undefined
}

/**
 * Opens the PGlite database in `dataDir` (undefined: in memory), creating it if it is not there:
 * from `loadDataDir`, else from the cached empty cluster, else by initdb. `created` says which.
 */
export async function openPGlite(
  dataDir: string | undefined,
  { loadDataDir, settings }: OpenOptions = {},
): Promise<{ pglite: PGlite; created?: Created }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const exists = dataDir !== undefined && existsSync(path.join(dataDir, 'PG_VERSION'))
  const load = exists ? undefined : (loadDataDir ?? emptyCluster())
  const created: Created | undefined = exists
    ? undefined
    : loadDataDir
      ? 'from a dump'
      : load
        ? 'from the cached empty cluster'
        : 'by initdb'
  const pglite = await PGlite.create(dataDir, {
    extensions,
    ...(load ? { loadDataDir: load } : {}),
    ...(settings ? { postgresqlconf: settings } : {}),
  })
  return { pglite, ...(created ? { created } : {}) }
}

/** Runs initdb in memory and keeps its result as the empty cluster, unless it is kept already. */
export async function saveEmptyCluster(): Promise<'made' | 'present'> {
  if (existsSync(EMPTY_CLUSTER)) return 'present'
  const pglite = await PGlite.create({ extensions })
  const dump = await pglite.dumpDataDir('none')
  await pglite.close()
  mkdirSync(CACHE, { recursive: true })
  const temp = `${EMPTY_CLUSTER}.${process.pid}`
  writeFileSync(temp, Buffer.from(await dump.arrayBuffer()))
  renameSync(temp, EMPTY_CLUSTER) // atomic: two installs, or two test files, may race
  return 'made'
}
