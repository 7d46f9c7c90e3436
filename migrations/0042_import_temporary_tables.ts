// An import keeps its per-file duplicate checks in a temporary table of its own transaction (see
// FirstRows in src/routes/v1/establishments/imports/repository.ts), created as kc_app. PostgreSQL grants
// TEMPORARY on a new database to PUBLIC, but hardened databases revoke it: grant it to kc_app
// where it is missing, so an import never fails on it at run time.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$ begin
      if not has_database_privilege('kc_app', current_database(), 'temporary') then
        execute format('grant temporary on database %I to kc_app', current_database());
      end if;
    end $$;
  `.execute(db)
}

export async function down(): Promise<void> {
  // Kept: whether kc_app held the privilege before (through PUBLIC) cannot be told afterwards.
}
