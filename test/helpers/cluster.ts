// A throwaway PostgreSQL cluster of the test's own, so that a fault test can stop, restart and
// cut it without disturbing any other test. initdb refuses to run as root: as root the cluster
// belongs to the postgres user.
import { execFile, execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from './service.js'

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
  stop(): Promise<void>
  start(): Promise<void>
  /** Resolves once PostgreSQL is back; requests go on meanwhile. */
  restart(): Promise<void>
  /** Runs one statement as the superuser, in `database` (default postgres), and returns its rows. */
  query<R>(statement: string, database?: string): Promise<R[]>
}

export async function startCluster(t: Teardown): Promise<Cluster> {
  const bin = postgresBin()
  const dir = mkdtempSync(path.join(tmpdir(), 'kc-fault-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
    chownSync(dir, uid, gid)
  }
  const run = async (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : path.join(bin, tool)
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args
    await promisify(execFile)(command, argv)
  }
  const port = await freePort()
  const data = path.join(dir, 'data')
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'])
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
