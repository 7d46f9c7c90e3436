// Backup and restore of the service's database, as the schema's owner:
//
//   npm run backup -- FILE      PostgreSQL (MIGRATION_DATABASE_URL, else DATABASE_URL): pg_dump -Fc;
//                               the embedded database (DATA_DIR): PGlite's own dump, a .tar.gz
//   npm run restore -- FILE     PostgreSQL: pg_restore --clean --if-exists in one transaction;
//                               embedded: DATA_DIR is moved aside (DATA_DIR.before-restore-<time>)
//                               and made anew from the dump
//
// The embedded database is one process's: stop the service before either (PGlite does not share
// its data directory). PostgreSQL may stay up; a restore replaces every table at once.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { loadConfigOrExit } from '../src/config.ts'
import { connectDatabase } from '../src/db/connect.ts'

const [command, file] = process.argv.slice(2)
if (!['backup', 'restore'].includes(command ?? '') || !file) {
  console.error('usage: npm run backup -- FILE | npm run restore -- FILE')
  process.exit(2)
}

const config = loadConfigOrExit(2)

/** The newest PostgreSQL client tools installed, else whichever are on PATH. */
function tool(name: string): string {
  const root = '/usr/lib/postgresql'
  const newest = existsSync(root)
    ? readdirSync(root)
        .sort((a, b) => Number(a) - Number(b))
        .at(-1)
    : undefined
  const full = newest && path.join(root, newest, 'bin', name)
  return full && existsSync(full) ? full : name
}

const url = config.migrationDatabaseUrl
if (url) {
  const where = new URL(url)
  // The password goes to the tools in their environment, never on a command line `ps` shows.
  const password = decodeURIComponent(where.password)
  const dbname = new URL(url)
  dbname.password = ''
  const options = {
    stdio: 'inherit',
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  } as const
  if (command === 'backup') {
    execFileSync(tool('pg_dump'), ['--format=custom', `--file=${file}`, `--dbname=${dbname}`], options)
  } else {
    execFileSync(
      tool('pg_restore'),
      ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, file],
      options,
    )
  }
  console.log(
    `${command === 'backup' ? 'backed up' : 'restored'} ${where.host}${where.pathname} ${command === 'backup' ? 'to' : 'from'} ${file}`,
  )
} else if (command === 'backup') {
  const database = await connectDatabase(config)
  try {
    const dump = await (database.pglite as PGlite).dumpDataDir('gzip')
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  } finally {
    await database.close()
  }
  console.log(`backed up the embedded database ${config.dataDir} to ${file}`)
} else {
  const dump = new Blob([readFileSync(file)])
  if (existsSync(config.dataDir)) {
    const aside = `${config.dataDir.replace(/\/+$/, '')}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(config.dataDir, aside)
    console.log(`moved the current ${config.dataDir} to ${aside}`)
  }
  const database = await connectDatabase(config, { loadDataDir: dump })
  await database.close()
  console.log(`restored the embedded database ${config.dataDir} from ${file}`)
}
