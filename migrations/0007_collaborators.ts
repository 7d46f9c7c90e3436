// Collaborators of khuyến công (cộng tác viên khuyến công), the network ask 5 of letter
// 3384/BCT-CTĐP wants down to commune level, and the communes each one covers.
//
// Assignments live in a child table, tenanted like the parent, so that coverage ("communes with at
// least one active collaborator on a date") is an indexed join, not a scan of arrays. Two composite
// foreign keys keep every assignment inside its collaborator's province: (collaborator_id,
// province_code) → collaborators and (commune_code, province_code) → communes.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table collaborators (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      full_name text not null,
      phone text,
      email text,
      organisation text,
      appointment_decision_number text,
      appointment_decision_date date,
      start_date date not null,
      end_date date,
      status text not null default 'active',
      fee_basis text,
      training jsonb not null default '[]',
      search_text text generated always as (kc_fold(full_name)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, province_code),
      check (status in ('active', 'ended', 'suspended')),
      check (end_date is null or end_date >= start_date),
      check (status <> 'ended' or end_date is not null),
      check ((appointment_decision_number is null) = (appointment_decision_date is null)),
      check (jsonb_typeof(training) = 'array')
    );
    create index collaborators_list_idx on collaborators (province_code, start_date desc, id desc);
    create index collaborators_start_idx on collaborators (start_date desc, id desc);

    alter table communes add constraint communes_code_province_key unique (code, province_code);

    create table collaborator_communes (
      collaborator_id uuid not null,
      commune_code text not null,
      province_code text not null,
      primary key (collaborator_id, commune_code),
      foreign key (collaborator_id, province_code)
        references collaborators (id, province_code) on delete cascade,
      foreign key (commune_code, province_code) references communes (code, province_code)
    );
    -- Coverage: the assignments of a province's communes, joined to their collaborator.
    create index collaborator_communes_coverage_idx
      on collaborator_communes (province_code, commune_code, collaborator_id);

    alter table collaborators enable row level security;
    alter table collaborators force row level security;
    create policy collaborators_tenant on collaborators
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on collaborators to kc_app;

    alter table collaborator_communes enable row level security;
    alter table collaborator_communes force row level security;
    create policy collaborator_communes_tenant on collaborator_communes
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on collaborator_communes to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table collaborator_communes;
    drop table collaborators;
    alter table communes drop constraint communes_code_province_key;
  `.execute(db)
}
