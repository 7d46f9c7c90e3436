import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely'

// migrations/ sits two levels above this file both in the source tree and in dist/.
const folder = fileURLToPath(new URL('../../migrations', import.meta.url))

// biome-ignore lint/suspicious/noExplicitAny: migrations work on any schema, as in Kysely's docs
type AnyDb = Kysely<any>

export function migrator(db: AnyDb): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: folder }),
  })
}

function check({ error, results }: MigrationResultSet): MigrationResultSet {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error })
  }
  return { results }
}

export const migrateToLatest = async (db: AnyDb) => check(await migrator(db).migrateToLatest())
export const migrateDown = async (db: AnyDb) => check(await migrator(db).migrateDown())
export const migrateToZero = async (db: AnyDb) => check(await migrator(db).migrateTo(NO_MIGRATIONS))
