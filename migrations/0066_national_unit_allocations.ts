// Central allocations to a national implementing unit (issue #15): the ministry also allocates
// central khuyến công funds (KCQG) to its own units — e.g. a regional khuyến công centre — which
// belong to no province: province_code null, the unit named in recipient_unit, readable by the
// ministry only (kc_in_scope(null) is the ministry's alone). `allocated_to` is the key's first part
// for both kinds of row, so one index and one "later row of the same key" test serve both.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table budget_allocations alter column province_code drop not null;
    alter table budget_allocations add column recipient_unit text
      check (recipient_unit is null or length(recipient_unit) between 1 and 300);
    -- A row goes to a province or to a national unit, never both; a unit's money is central and
    -- has no former province.
    alter table budget_allocations add constraint budget_allocations_recipient check (
      (province_code is null) = (recipient_unit is not null)
      and (province_code is not null or (funding_source = 'central' and origin_province_code is null)));
    alter table budget_allocations add column allocated_to text not null
      generated always as (coalesce(province_code, 'unit:' || recipient_unit)) stored;

    drop index budget_allocations_original_key;
    create unique index budget_allocations_original_key on budget_allocations
      (allocated_to, coalesce(origin_province_code, ''), year, funding_source, coalesce(activity_content, ''))
      where type = 'original';
    drop index budget_allocations_key_idx;
    create index budget_allocations_key_idx on budget_allocations
      (allocated_to, year, funding_source, activity_content, seq desc);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from budget_allocations where province_code is null;
    drop index budget_allocations_key_idx;
    drop index budget_allocations_original_key;
    alter table budget_allocations drop column allocated_to;
    alter table budget_allocations drop constraint budget_allocations_recipient;
    alter table budget_allocations drop column recipient_unit;
    alter table budget_allocations alter column province_code set not null;
    create unique index budget_allocations_original_key on budget_allocations
      (province_code, coalesce(origin_province_code, ''), year, funding_source, coalesce(activity_content, ''))
      where type = 'original';
    create index budget_allocations_key_idx on budget_allocations
      (province_code, year, funding_source, activity_content, seq desc);
  `.execute(db)
}
