// Budget allocations for khuyến công (dự toán kinh phí khuyến công): per province, year, funding
// source and optionally activity content. Rows are never changed: a revision (dự toán điều chỉnh)
// is a new row of the same key, and the latest row of a key (by seq) is the allocation in force.
// One original per key. Tenancy is the template's: a province writes its own, the ministry reads.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table budget_allocations (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      year integer not null check (year between 2000 and 2100),
      funding_source text not null check (funding_source in ('central', 'local', 'counterpart', 'other')),
      activity_content text,
      amount bigint not null check (amount >= 0),
      type text not null check (type in ('original', 'revised')),
      decision_number text,
      decision_date date,
      decision_issuer text,
      notes text,
      created_by text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((decision_number is null) = (decision_date is null))
    );
    -- The key of an allocation; one original per key.
    create unique index budget_allocations_original_key on budget_allocations
      (province_code, coalesce(origin_province_code, ''), year, funding_source, coalesce(activity_content, ''))
      where type = 'original';
    create index budget_allocations_key_idx on budget_allocations
      (province_code, year, funding_source, activity_content, seq desc);
    create index budget_allocations_list_idx on budget_allocations (province_code, year desc, id desc);
    create index budget_allocations_year_idx on budget_allocations (year desc, id desc);
    create index budget_allocations_origin_idx on budget_allocations (origin_province_code, year)
      where origin_province_code is not null;
    create index projects_origin_idx on projects (origin_province_code, year) where origin_province_code is not null;

    alter table budget_allocations enable row level security;
    alter table budget_allocations force row level security;
    create policy budget_allocations_tenant on budget_allocations
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    -- Append-only: a revision is a new row, never an overwrite.
    grant select, insert on budget_allocations to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index projects_origin_idx;
    drop table budget_allocations;
  `.execute(db)
}
