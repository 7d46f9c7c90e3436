// Inspections, supervision and evaluations of khuyến công (kiểm tra, giám sát, đánh giá: ask 4 of
// letter 3384/BCT-CTĐP), with their findings and follow-up actions.
//
// The schemes and establishments covered are uuid arrays without foreign keys for now: those tables
// do not exist yet; they become links once they do. Follow-up actions are a small nested list read
// and written whole with the inspection (jsonb, validated by the API); the number still open is
// derived in the database so that `has_open_follow_ups` is a plain indexed comparison.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table inspections (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      kind text not null,
      inspection_date date not null,
      inspecting_body text not null,
      project_ids uuid[] not null default '{}',
      establishment_ids uuid[] not null default '{}',
      findings text,
      conclusion text,
      rating text,
      follow_ups jsonb not null default '[]',
      open_follow_ups integer generated always as (
        jsonb_array_length(jsonb_path_query_array(follow_ups, '$[*] ? (@.status != "done")'))
      ) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (rating in ('excellent', 'good', 'fair', 'poor')),
      check (jsonb_typeof(follow_ups) = 'array')
    );
    create index inspections_list_idx on inspections (province_code, inspection_date desc, id desc);
    create index inspections_date_idx on inspections (inspection_date desc, id desc);
    create index inspections_projects_idx on inspections using gin (project_ids);

    alter table inspections enable row level security;
    alter table inspections force row level security;
    create policy inspections_tenant on inspections
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on inspections to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table inspections`.execute(db)
}
