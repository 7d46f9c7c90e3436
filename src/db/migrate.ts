import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  FileMigrationProvider,
  type Kysely,
  type MigrationResultSet,
  Migrator,
  NO_MIGRATIONS,
  sql,
} from 'kysely'
import { contentHash } from '../lib/content-hash.ts'

// migrations/ sits two levels above this file both in the source tree and in dist/.
export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url))

/** A short hash of the content of migrations/: what a cached migrated database was made from. */
export const migrationsHash = () => contentHash([migrationsFolder])

// biome-ignore lint/suspicious/noExplicitAny: migrations work on any schema, as in Kysely's docs
type AnyDb = Kysely<any>

export function migrator(db: AnyDb): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: migrationsFolder }),
  })
}

function check({ error, results }: MigrationResultSet): MigrationResultSet {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error })
  }
  return { results }
}

interface Ownership {
  user: string
  owner: string | null
  mayActAsOwner: boolean
  bypassesRls: boolean
}

/**
 * Who may run the migrations, and who must not be the service: the role of this connection, the
 * owner of the migrated schema (null before the first migration), whether this role is, or may
 * SET ROLE to, that owner — or bypasses row-level security — and whether it bypasses row-level
 * security itself. A superuser may do everything.
 */
export async function schemaOwnership(db: AnyDb): Promise<Ownership> {
  const { rows } = await sql<Ownership>`
    select current_user as "user", c.relowner::regrole::text as owner,
      r.rolsuper or r.rolbypassrls or coalesce(pg_has_role(c.relowner, 'MEMBER'), false) as "mayActAsOwner",
      r.rolsuper or r.rolbypassrls as "bypassesRls"
    from pg_roles r left join pg_class c on c.oid = to_regclass('kysely_migration')
    where r.rolname = current_user`.execute(db)
  return rows[0] as Ownership
}

/**
 * Migrations change the schema as its owner: a service login that owns nothing is refused. They
 * also load and move rows of tables whose row-level security binds their owner too (forced), so a
 * role that cannot bypass it is refused before the first one runs, rather than half-way with a
 * policy violation. `pending` says whether there is anything to run.
 */
async function requireOwner(
  db: AnyDb,
  run: () => Promise<MigrationResultSet>,
  pending: () => Promise<boolean> = async () => true,
) {
  const { user, owner, mayActAsOwner, bypassesRls } = await schemaOwnership(db)
  if (owner !== null && !mayActAsOwner) {
    throw new Error(
      `the database user ${user} may not migrate: the schema belongs to ${owner}. Run migrations as the ` +
        'owner: set MIGRATION_DATABASE_URL, or MIGRATE_ON_START=false and `npm run migrate` as the owner',
    )
  }
  if (!(await pending())) return { results: [] }
  if (!bypassesRls) {
    throw new Error(
      `the database user ${user} may not migrate: migrations write rows under row-level security, ` +
        'which needs a superuser or a role with BYPASSRLS (README, Running on PostgreSQL)',
    )
  }
  return check(await run())
}

/**
 * Whether every migration file is already applied, read without importing the files (Kysely's
 * provider imports each one to list them: most of a restart's migration step).
 */
async function upToDate(db: AnyDb): Promise<boolean> {
  const files = (await fs.readdir(migrationsFolder))
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
  const { rows } = await sql<{ present: boolean }>`
    select to_regclass('kysely_migration') is not null as present`.execute(db)
  if (!rows[0]?.present) return false
  const applied = new Set(
    (await db.selectFrom('kysely_migration').select('name').execute()).map((r: { name: string }) => r.name),
  )
  return files.every((f) => applied.has(f))
}

export const migrateToLatest = (db: AnyDb) =>
  requireOwner(
    db,
    () => migrator(db).migrateToLatest(),
    async () => !(await upToDate(db)),
  )
export const migrateDown = (db: AnyDb) => requireOwner(db, () => migrator(db).migrateDown())
export const migrateToZero = (db: AnyDb) => requireOwner(db, () => migrator(db).migrateTo(NO_MIGRATIONS))
