// Who writes what (issue #15): the ministry records its own inspections of a province's khuyến công
// work (`inspected_by = 'ministry'`); the province reads them and may update only the status and
// dates of their follow-ups. The province's own inspections stay the province's. Existing rows were
// all recorded by their province and keep `inspected_by = 'province'`.
//  - insert and delete: kc_may_decide(inspected_by, province_code) (migration 0062);
//  - update: the inspector, or the province on the ministry's inspection — narrowed by a trigger to
//    the follow-ups' status, due_date and done_date (a policy sees only the new row, not what changed);
//    nobody changes who inspected.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table inspections add column inspected_by text not null default 'province'
      check (inspected_by in ('ministry', 'province'));
    create index inspections_inspected_by_idx on inspections (inspected_by, inspection_date desc, id desc)
      where inspected_by = 'ministry';

    create function kc_inspection_update_allowed() returns trigger language plpgsql as $$
    declare
      fixed text[] := array['follow_ups', 'open_follow_ups', 'version', 'updated_at'];
    begin
      if new.inspected_by is distinct from old.inspected_by then
        raise exception 'who inspected does not change' using errcode = '42501';
      end if;
      if old.inspected_by = 'ministry' and kc_role() is distinct from 'ministry' then
        if (to_jsonb(new) - fixed) is distinct from (to_jsonb(old) - fixed)
          or (select coalesce(jsonb_agg(f - 'status' - 'done_date' - 'due_date' order by i), '[]')
                from jsonb_array_elements(new.follow_ups) with ordinality as e (f, i))
             is distinct from
             (select coalesce(jsonb_agg(f - 'status' - 'done_date' - 'due_date' order by i), '[]')
                from jsonb_array_elements(old.follow_ups) with ordinality as e (f, i))
        then
          raise exception 'the province updates only the status and dates of the ministry''s follow-ups'
            using errcode = '42501';
        end if;
      end if;
      return new;
    end $$;
    create trigger inspections_update_allowed before update on inspections
      for each row execute function kc_inspection_update_allowed();

    drop policy inspections_tenant on inspections;
    create policy inspections_read on inspections for select using (kc_in_scope(province_code));
    create policy inspections_insert on inspections for insert
      with check (kc_may_decide(inspected_by, province_code));
    create policy inspections_update on inspections for update
      using (kc_in_scope(province_code))
      with check (kc_may_decide(inspected_by, province_code)
        or (inspected_by = 'ministry' and kc_may_decide('province', province_code)));
    create policy inspections_delete on inspections for delete
      using (kc_may_decide(inspected_by, province_code));
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop policy inspections_delete on inspections;
    drop policy inspections_update on inspections;
    drop policy inspections_insert on inspections;
    drop policy inspections_read on inspections;
    create policy inspections_tenant on inspections
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    drop trigger inspections_update_allowed on inspections;
    drop function kc_inspection_update_allowed();
    drop index inspections_inspected_by_idx;
    alter table inspections drop column inspected_by;
  `.execute(db)
}
