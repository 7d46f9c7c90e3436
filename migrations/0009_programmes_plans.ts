// Khuyến công programmes (chương trình khuyến công) and their annual plans (kế hoạch năm).
//
// A programme is national (KCQG: no province, written by the ministry, read by every signed-in
// caller) or provincial (written and read by its province; the ministry reads it). That is not the
// template's rule, so these tables get their own policies: reads see national rows and rows in
// scope; writes go to the owner only (kc_owner_may_write). A plan belongs to its programme's
// owner: its province_code is the programme's.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- May the caller write a row owned by this province (null: national, the ministry's)?
    create function kc_owner_may_write(province_code text) returns boolean language sql stable parallel safe
      return (province_code is null and kc_role() = 'ministry')
        or (province_code is not null and kc_role() = 'province' and province_code = kc_province());
    grant execute on function kc_owner_may_write(text) to kc_app;

    create table programmes (
      id uuid primary key default gen_random_uuid(),
      level text not null,
      province_code text references provinces (code),
      origin_province_code text references former_provinces (code),
      title text not null,
      start_year integer not null,
      end_year integer not null,
      decision_number text,
      decision_date date,
      decision_issuer text,
      objectives text,
      targets jsonb not null default '[]',
      status text not null default 'draft',
      notes text,
      search_text text generated always as (kc_fold(coalesce(decision_number, '') || ' ' || title)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (level in ('national', 'provincial')),
      check ((level = 'national') = (province_code is null)),
      check (origin_province_code is null or province_code is not null),
      check (start_year between 2000 and 2100 and end_year between start_year and 2100),
      check (status in ('draft', 'approved', 'ended', 'cancelled')),
      check (status = 'draft' or status = 'cancelled' or (decision_number is not null and decision_date is not null)),
      check ((decision_number is null) = (decision_date is null)),
      check (jsonb_typeof(targets) = 'array')
    );
    create unique index programmes_decision_key
      on programmes (coalesce(province_code, ''), decision_number) where decision_number is not null;
    create index programmes_list_idx on programmes (start_year desc, id desc);
    create index programmes_province_idx on programmes (province_code, start_year desc, id desc);

    create table plans (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      province_code text references provinces (code),
      year integer not null,
      title text not null,
      decision_number text,
      decision_date date,
      decision_issuer text,
      targets jsonb not null default '[]',
      status text not null default 'draft',
      notes text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (programme_id, year),
      check (year between 2000 and 2100),
      check (status in ('draft', 'approved', 'revised')),
      check (status = 'draft' or (decision_number is not null and decision_date is not null)),
      check ((decision_number is null) = (decision_date is null)),
      check (jsonb_typeof(targets) = 'array')
    );
    create index plans_list_idx on plans (year desc, id desc);
    create index plans_province_idx on plans (province_code, year desc, id desc);

    alter table programmes enable row level security;
    alter table programmes force row level security;
    create policy programmes_read on programmes for select
      using (province_code is null or kc_in_scope(province_code));
    create policy programmes_insert on programmes for insert with check (kc_owner_may_write(province_code));
    create policy programmes_update on programmes for update
      using (kc_owner_may_write(province_code)) with check (kc_owner_may_write(province_code));
    create policy programmes_delete on programmes for delete using (kc_owner_may_write(province_code));
    grant select, insert, update, delete on programmes to kc_app;

    alter table plans enable row level security;
    alter table plans force row level security;
    create policy plans_read on plans for select using (province_code is null or kc_in_scope(province_code));
    create policy plans_insert on plans for insert with check (kc_owner_may_write(province_code));
    create policy plans_update on plans for update
      using (kc_owner_may_write(province_code)) with check (kc_owner_may_write(province_code));
    create policy plans_delete on plans for delete using (kc_owner_may_write(province_code));
    grant select, insert, update, delete on plans to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table plans;
    drop table programmes;
    drop function kc_owner_may_write(text);
  `.execute(db)
}
