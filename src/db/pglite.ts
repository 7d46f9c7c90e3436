// Opening the embedded database. PGlite's initdb costs 3–5 s of CPU and the migrations 1.5–3 s, and
// both give the same database every time for one PGlite version and one content of migrations/. So
// `npm install` makes them once (postinstall: scripts/pglite-cluster.ts, by db/clusters.ts) and
// keeps dumps of the result in node_modules/.cache/pglite, with a third: the migrated one with the
// demo data as the code loads it (4–6 s of a first start; the same rows every time but for their
// random ids and the time of the load on a few of them). A new database is unpacked from the
// fullest one that is wanted (the server, migrating and loading the demo at start) and current,
// else from the next one down to the empty one, else made by initdb as it always was (an install
// with --ignore-scripts).
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { contentHash } from '../lib/content-hash.ts'
import { migrationsFolder, migrationsHash } from './migrate.ts'

/** The installed package's own folder, whether the code runs from src/ or from dist/. */
const PACKAGE = path.resolve(fileURLToPath(import.meta.resolve('@electric-sql/pglite')), '../..')
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as { version: string })
  .version
const CACHE = path.join(PACKAGE, '..', '..', '.cache', 'pglite')

// The same extensions on every open: PGlite refuses a data directory created with others.
const extensions = { pg_trgm, unaccent }

/**
 * What the demo's rows are made from: the migrations, all the code (the demo, the domain's rules,
 * the reports' figures: any change names another dump), the libraries as installed, and the maker.
 * From dist/ it names nothing a dump made from src/ has.
 */
const demoSources = () =>
  contentHash([
    migrationsFolder,
    fileURLToPath(new URL('..', import.meta.url)),
    fileURLToPath(new URL('../../package-lock.json', import.meta.url)),
    fileURLToPath(new URL('../../scripts/pglite-cluster.ts', import.meta.url)),
  ])

/**
 * A database as initdb leaves it, with every migration of migrations/ as it is now, or that and
 * the demo data as the code now loads it (made by scripts/pglite-cluster.ts, the one place above
 * the demo). In order: each is made from the one before it, and a database that wants one starts
 * from the fullest kept one up to it.
 */
export const CLUSTERS = ['empty', 'migrated', 'demo'] as const
export type Cluster = (typeof CLUSTERS)[number]

/** Where the dump of `cluster` is kept (a tar of its data directory). */
export const clusterDump = (cluster: Cluster) =>
  path.join(
    CACHE,
    cluster === 'empty'
      ? `initdb-${VERSION}.tar`
      : cluster === 'migrated'
        ? `migrated-${VERSION}-${migrationsHash()}.tar`
        : `demo-${VERSION}-${demoSources()}.tar`,
  )

/** The dump kept in `file` (a clusterDump), if it was made. */
export function keptDump(file: string): Blob | undefined {
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined
}

/**
 * Keeps `dump` in `file` (a clusterDump taken before the cluster was made: the code may change
 * meanwhile). Written beside it, synced and renamed: installs or test files may race, and a torn
 * file would be unpacked by every later first start. A new dump replaces the older ones of its
 * kind (named alike up to the first dash: other migrations, code or PGlite versions).
 */
export async function keepCluster(file: string, dump: Blob): Promise<void> {
  mkdirSync(CACHE, { recursive: true })
  const temp = `${file}.${process.pid}`
  const fd = openSync(temp, 'w')
  try {
    try {
      writeSync(fd, new Uint8Array(await dump.arrayBuffer()))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
  const name = path.basename(file)
  const kind = name.slice(0, name.indexOf('-') + 1)
  for (const old of readdirSync(CACHE)) {
    if (old.startsWith(kind) && old.endsWith('.tar') && old !== name)
      rmSync(path.join(CACHE, old), { force: true })
  }
}

export interface OpenOptions {
  /** A data directory dump to start from instead of a kept cluster. */
  loadDataDir?: Blob
  /** The kept cluster a new database starts from, if it is there: the migrated one only when
   * the caller migrates anyway, the demo one when it also loads the demo. The empty one by default. */
  cluster?: Cluster
  /** postgresql.conf lines, e.g. the tests' smaller shared_buffers. */
  settings?: string[]
}

export type Created =
  | 'from a dump'
  | 'from the cached demo cluster'
  | 'from the cached migrated cluster'
  | 'from the cached empty cluster'
  | 'by initdb'

/** The dump a new database starts from (and its file, when kept), and what to call that. */
function origin({ loadDataDir, cluster }: OpenOptions): { load?: Blob; kept?: string; created: Created } {
  if (loadDataDir) return { load: loadDataDir, created: 'from a dump' }
  for (const kind of CLUSTERS.slice(0, CLUSTERS.indexOf(cluster ?? 'empty') + 1).reverse()) {
    const kept = clusterDump(kind)
    const load = keptDump(kept)
    if (load) return { load, kept, created: `from the cached ${kind} cluster` }
  }
  return { created: 'by initdb' }
}

/**
 * Opens the PGlite database in `dataDir` (undefined: in memory), creating it if it is not there.
 * `created` says how, when it was.
 */
export async function openPGlite(
  dataDir: string | undefined,
  options: OpenOptions = {},
): Promise<{ pglite: PGlite; created?: Created }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const exists = dataDir !== undefined && existsSync(path.join(dataDir, 'PG_VERSION'))
  if (exists && options.loadDataDir)
    throw new Error(`a database exists in ${dataDir}: not loading a dump over it`)
  const { load, kept, created } = exists ? {} : origin(options)
  try {
    const pglite = await PGlite.create(dataDir, {
      extensions,
      ...(load ? { loadDataDir: load } : {}),
      ...(options.settings ? { postgresqlconf: options.settings } : {}),
    })
    return { pglite, ...(created ? { created } : {}) }
  } catch (error) {
    // A kept dump that does not load is dropped: the next start falls back, the next install remakes
    // it. Where the cache is not the service's to change (the Docker image's), the start's own error stands.
    try {
      if (kept) rmSync(kept, { force: true })
    } catch {}
    throw error
  }
}

/** The empty cluster: initdb in memory, dumped. */
export async function initdbDump(): Promise<Blob> {
  const pglite = await PGlite.create({ extensions })
  try {
    return await pglite.dumpDataDir('none')
  } finally {
    await pglite.close()
  }
}
