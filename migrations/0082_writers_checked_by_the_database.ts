// The database backs two rules the application enforces (review of issues #15–#17):
//  - a scheme's monthly progress is reported by whoever runs the scheme (kc_scheme_decider of its
//    run_by, migration 0065), not by whichever reporter the row names;
//  - an attachment belongs to a record of its kind in its own province: the kind is one of the
//    known ones, and an upload whose record is not there with that province (not found, or hidden
//    from the caller by row-level security) is refused — migration 0081's trigger now counts the
//    record it moves.
import { type Kysely, sql } from 'kysely'

const KINDS = [
  'legal_document',
  'programme',
  'plan',
  'project',
  'inspection',
  'product_certificate',
  'periodic_report',
]

export async function up(db: Kysely<unknown>): Promise<void> {
  const tables = sql.raw(
    KINDS.map((k) => `when '${k}' then '${k === 'periodic_report' ? 'periodic_reports' : `${k}s`}'`).join(
      ' ',
    ),
  )
  await sql`
    drop policy progress_reports_insert on progress_reports;
    create policy progress_reports_insert on progress_reports for insert
      with check (
        reported_by = (select kc_scheme_decider(p.run_by) from projects p where p.id = project_id)
        and kc_may_decide(reported_by, province_code));

    alter table attachments add constraint attachments_parent_type check (parent_type in (${sql.join(KINDS.map((k) => sql.lit(k)))}));

    create or replace function kc_attachment_moves_parent() returns trigger language plpgsql as $$
    declare
      changed attachments;
      moved integer;
    begin
      if tg_op = 'DELETE' then changed := old; else changed := new; end if;
      execute format('update %I set version = version + 1, updated_at = now() where id = $1'
          || ' and province_code is not distinct from $2',
        case changed.parent_type ${tables} end) using changed.parent_id, changed.province_code;
      get diagnostics moved = row_count;
      -- On a delete the record may be going itself (kc_attachments_follow_parent): nothing to move.
      if tg_op = 'INSERT' and moved = 0 then
        raise exception 'no % % in province % for this attachment', changed.parent_type, changed.parent_id,
          coalesce(changed.province_code, '(national)') using errcode = '23503';
      end if;
      return null;
    end $$;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table attachments drop constraint attachments_parent_type;
    drop policy progress_reports_insert on progress_reports;
    create policy progress_reports_insert on progress_reports for insert
      with check (kc_may_decide(reported_by, province_code));
  `.execute(db)
}
