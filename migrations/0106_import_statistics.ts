// Fresh statistics for a large import (issue #18). An import writes in one transaction, so until it
// commits autovacuum never counts its rows: the planner keeps believing that the province holds
// what it held before, and the lookup of a batch's keys (imports/repository.ts `matching`) reads
// the province's index end to end instead of probing the three key indexes: every batch read every
// row already written, and a 300,000-row dry run fell to 1,400 rows/s. After a rolled-back dry run
// it is worse: the table may be marked as empty while it still has all its pages.
// ANALYZE run inside the import's transaction counts the rows that transaction wrote. Only the
// table's owner may run it, hence a definer function that can do nothing else. It waits at most
// 100 ms for its lock (another import, or autovacuum, may hold it until it ends) and then gives up:
// the import goes on with the statistics it has, and tries again later.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kc_establishments_analyze() returns boolean
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp
      set lock_timeout = '100ms' as $$
    begin
      analyze establishments (province_code, external_id, tax_code, status);
      return true;
    exception when lock_not_available then
      return false;
    end $$;
    revoke all on function kc_establishments_analyze() from public;
    grant execute on function kc_establishments_analyze() to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function kc_establishments_analyze()`.execute(db)
}
