// Rural-industrial establishments (cơ sở công nghiệp nông thôn): the beneficiaries of khuyến công.
// Name search folds case and diacritics (search_name) and ranks by trigram similarity (pg_trgm).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;
    create table establishments (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      commune_code text not null references communes (code),
      origin_province_code text references former_provinces (code),
      name text not null,
      kind text not null,
      tax_code text check (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
      industry text,
      vsic_code text check (vsic_code ~ '^[0-9]{1,5}$'),
      address text,
      year_founded integer,
      employees integer check (employees >= 0),
      main_products text,
      phone text,
      email text,
      priority_areas text[] not null default '{}',
      priority_products text[] not null default '{}',
      status text not null default 'active' check (status in ('active', 'closed')),
      external_id text,
      search_name text generated always as (kc_fold(name)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (province_code, external_id)
    );
    create unique index establishments_active_tax_code_key on establishments (tax_code)
      where status = 'active' and tax_code is not null;
    create index establishments_province_idx on establishments (province_code, id);
    create index establishments_commune_idx on establishments (commune_code, id);
    create index establishments_search_name_trgm on establishments using gin (search_name gin_trgm_ops);

    alter table establishments enable row level security;
    alter table establishments force row level security;
    create policy establishments_tenant on establishments
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on establishments to kc_app;

    -- A tax code is unique among active establishments nationwide, but a province officer sees
    -- only their own province: this answers "is it taken (by another record)?" and nothing more.
    create function kc_establishment_tax_code_taken(code text, except_id uuid) returns boolean
      language sql stable security definer set search_path = public
      return exists (select 1 from establishments
        where tax_code = code and status = 'active' and (except_id is null or id <> except_id));
    revoke all on function kc_establishment_tax_code_taken(text, uuid) from public;
    grant execute on function kc_establishment_tax_code_taken(text, uuid) to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function kc_establishment_tax_code_taken(text, uuid);
    drop table establishments;
  `.execute(db)
}
