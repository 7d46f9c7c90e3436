// A throwaway PostgreSQL cluster of the test's own, so that a fault test can stop, restart and
// cut it without disturbing any other test. initdb refuses to run as root: as root the cluster
// belongs to the postgres user.
import { execFile, execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from './service.ts'

interface Teardown {
  teardown(fn: () => unknown): void
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql'
  const versions = readdirSync(root).sort((a, b) => Number(a) - Number(b))
  const latest = versions.at(-1)
  if (!latest) throw new Error('PostgreSQL is not installed (apt-get install postgresql)')
  return path.join(root, latest, 'bin')
}

export interface Cluster {
  /** A superuser URL of the cluster's `postgres` database. */
  url: string
  port: number
  stop(): Promise<void>
  start(): Promise<void>
  /** Resolves once PostgreSQL is back; requests go on meanwhile. */
  restart(): Promise<void>
  /** Runs one statement as the superuser, in `database` (default postgres), and returns its rows. */
  query<R>(statement: string, database?: string): Promise<R[]>
}

type Run = (tool: string, args: string[]) => Promise<void>

/**
 * A cluster in a new directory under /tmp, its data directory made by `create` (initdb, or a base
 * backup), started on a free port and destroyed at teardown.
 */
async function cluster(t: Teardown, create: (run: Run, data: string) => Promise<void>): Promise<Cluster> {
  const bin = postgresBin()
  const dir = mkdtempSync(path.join(tmpdir(), 'kc-fault-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
    chownSync(dir, uid, gid)
  }
  const run: Run = async (tool, args) => {
    const command = asRoot ? 'runuser' : path.join(bin, tool)
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args
    await promisify(execFile)(command, argv)
  }
  const port = await freePort()
  const data = path.join(dir, 'data')
  await create(run, data)
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const ctl = (...args: string[]) => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', ...args])
  await ctl('-o', options, 'start')
  t.teardown(async () => {
    await ctl('-m', 'immediate', 'stop').catch(() => {}) // may be stopped already
    rmSync(dir, { recursive: true, force: true })
  })
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    url,
    port,
    stop: () => ctl('-m', 'fast', 'stop'),
    start: () => ctl('-o', options, 'start'),
    restart: () => ctl('-m', 'fast', '-o', options, 'restart'),
    async query<R>(statement: string, database = 'postgres') {
      const client = new pg.Client({ connectionString: url.replace(/\/postgres$/, `/${database}`) })
      await client.connect()
      try {
        return (await client.query(statement)).rows as R[]
      } finally {
        await client.end()
      }
    },
  }
}

export const startCluster = (t: Teardown): Promise<Cluster> =>
  cluster(t, (run, data) =>
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']),
  )

/**
 * A hot standby of `primary` streaming its WAL (pg_basebackup -R writes standby.signal and the
 * connection to the primary): a physical copy, the same roles, policies and data.
 */
export const startReplica = (t: Teardown, primary: Cluster): Promise<Cluster> =>
  cluster(t, (run, data) =>
    run('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      data,
      '-R',
      '-X',
      'stream',
      // A fast checkpoint: the default spreads it over minutes.
      '-c',
      'fast',
    ]),
  )
