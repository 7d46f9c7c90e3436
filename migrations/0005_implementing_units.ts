// Implementing units of khuyến công (đơn vị thực hiện khuyến công, e.g. the provincial Trung tâm
// Khuyến công): organisation, staff by year, equipment and premises (ask 5 of letter 3384/BCT-CTĐP).
// Staff and equipment are small nested lists read and written whole with the unit: jsonb,
// validated by the API's schema; the database only checks their shape.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table implementing_units (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      name text not null,
      unit_model text not null,
      parent_body text,
      founding_decision_number text,
      founding_decision_date date,
      founding_decision_issuer text,
      address text,
      phone text,
      email text,
      website text,
      staff jsonb not null default '[]',
      equipment jsonb not null default '[]',
      premises_description text,
      premises_area_m2 double precision,
      status text not null default 'active',
      search_text text generated always as (kc_fold(name)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status in ('active', 'dissolved')),
      check (jsonb_typeof(staff) = 'array'),
      check (jsonb_typeof(equipment) = 'array'),
      check (premises_area_m2 is null or premises_area_m2 > 0)
    );
    create index implementing_units_list_idx on implementing_units (province_code, name, id);
    create index implementing_units_name_idx on implementing_units (name, id);

    alter table implementing_units enable row level security;
    alter table implementing_units force row level security;
    create policy implementing_units_tenant on implementing_units
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on implementing_units to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table implementing_units`.execute(db)
}
