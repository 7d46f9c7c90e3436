// The day of a scheme's latest disbursement (issue #18). The scorecard needs what each scheme of the
// year (19,000 at 100,000 schemes) had been paid by 31 December: its running total (disbursed_*,
// migration 0010) less what is dated after that day. Finding what is dated after was a look into
// disbursements_project_idx for every scheme, about 60 ms of the ministry's scorecard, nearly
// always to find nothing. The scheme now holds the day of its latest disbursement, set by the
// trigger that moves its totals, in the same statement (disbursements are never changed or
// removed): the scorecard looks only when that day is after the year's end.
import { type Kysely, sql } from 'kysely'

const SOURCES = ['central', 'local', 'counterpart', 'other'] as const

/** Migration 0010's trigger function, and with `until` the day of the latest disbursement too. */
const applied = (until: boolean) =>
  sql.raw(`
    create or replace function kc_disbursement_applied() returns trigger language plpgsql as $$
      declare delta bigint := case when new.kind = 'refund' then -new.amount else new.amount end;
      begin
        update projects set
          ${SOURCES.map((s) => `disbursed_${s} = disbursed_${s} + case when new.funding_source = '${s}' then delta else 0 end`).join(',\n          ')},
          ${until ? 'disbursed_until = greatest(disbursed_until, new.date),' : ''}
          version = version + 1,
          updated_at = now()
        where id = new.project_id and province_code = new.province_code;
        if not found then
          raise exception 'no scheme % for this disbursement', new.project_id using errcode = '23503';
        end if;
        return new;
      end $$;`)

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table projects add column disbursed_until date`.execute(db)
  await applied(true).execute(db)
  // Row-level security forced on the owner would hide every row from this update (no tenant
  // context here): lifted for it, put back after, in the migration's transaction.
  await sql`
    do $$
    declare
      forced text[] := array(select relname::text from pg_class where relnamespace = current_schema()::regnamespace
        and relname in ('projects', 'disbursements') and relforcerowsecurity);
      t text;
    begin
      foreach t in array forced loop execute format('alter table %I no force row level security', t); end loop;
      update projects p set disbursed_until = d.until
        from (select project_id, max(date) as until from disbursements group by project_id) d
        where d.project_id = p.id;
      foreach t in array forced loop execute format('alter table %I force row level security', t); end loop;
    end $$
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await applied(false).execute(db)
  await sql`alter table projects drop column disbursed_until`.execute(db)
}
