// The import's refresh of statistics (migration 0106) never waits for the lock (issue #18). Waiting
// even 100 ms could close a cycle: an import holding the statistics lock may itself wait for a
// second import's uncommitted row (a tax code is unique nationwide), and the second then waits for
// that lock; PostgreSQL's deadlock check would end one of them. SKIP_LOCKED analyzes nothing when
// the lock is taken (another import, or autovacuum, holds it until it ends) and the import goes on
// with the statistics it has. The import first refreshes once it wrote eight batches, so a small
// one never takes the lock (importer.ts). ANALYZE writes the table's row count in place, outside
// the transaction: after a dry run it still counts the rows the dry run wrote, until the next
// vacuum or analyze. That overestimate only favours the index probes.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function kc_establishments_analyze();
    create function kc_establishments_analyze() returns void
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
    begin
      analyze (skip_locked) public.establishments (province_code, external_id, tax_code, status);
    end $$;
    revoke all on function kc_establishments_analyze() from public;
    grant execute on function kc_establishments_analyze() to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function kc_establishments_analyze();
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
