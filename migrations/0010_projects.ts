// Khuyến công schemes (đề án khuyến công), every step of their lifecycle, and their
// disbursements (giải ngân, tạm ứng, thu hồi).
//
// Tenancy differs from the template: a province writes its own schemes, and the ministry — which
// approves, adjusts and closes centrally funded ones — may update any scheme it reads; the
// application lets it do so only through lifecycle transitions (src/routes/v1/projects/).
//
// Money is whole VND in bigint columns, per funding source: requested, approved (null until
// approved) and disbursed. disbursed_* is kept by a trigger on disbursements, in the same
// statement, and a CHECK keeps it within [0, approved]: the UPDATE takes the scheme's row lock,
// so concurrent disbursements queue behind each other and none can push the total past the
// approved amount — the database refuses it whatever the application does. Lowering an approved
// amount below what was disbursed is refused by the same CHECK.
import { type Kysely, sql } from 'kysely'

const SOURCES = ['central', 'local', 'counterpart', 'other'] as const

const moneyColumns = SOURCES.map(
  (s) => `
      requested_${s} bigint not null default 0 check (requested_${s} >= 0),
      approved_${s} bigint check (approved_${s} >= 0),
      disbursed_${s} bigint not null default 0,
      check (disbursed_${s} >= 0 and disbursed_${s} <= coalesce(approved_${s}, 0)),`,
).join('')

const disbursedCase = SOURCES.map(
  (s) => `disbursed_${s} = disbursed_${s} + case when new.funding_source = '${s}' then delta else 0 end`,
).join(',\n          ')

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
    create table projects (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      plan_id uuid references plans (id),
      year integer not null check (year between 2000 and 2100),
      code text,
      title text not null,
      funding_level text not null check (funding_level in ('central', 'local')),
      kind text not null default 'standard' check (kind in ('standard', 'pilot', 'group')),
      activity_contents text[] not null check (cardinality(activity_contents) >= 1),
      project_type text,
      industry text,
      priority_areas text[] not null default '{}',
      priority_products text[] not null default '{}',
      communes text[] not null default '{}',
      location text,
      implementing_unit text not null,
      partner_unit text,
      beneficiary_establishment_ids uuid[] not null default '{}',
      beneficiary_count integer check (beneficiary_count >= 0),
      objectives text,
      content text,
      expected_effects text,
      planned_start date,
      planned_end date,
      actual_start date,
      actual_end date,
      selection_method text check (selection_method in ('selection', 'tender')),
      ${moneyColumns}
      state text not null default 'draft' check (state in ('draft', 'submitted', 'appraised', 'approved',
        'in_progress', 'completed', 'accepted', 'settled', 'returned', 'rejected', 'suspended', 'cancelled')),
      approval_decision text,
      approval_date date,
      search_text text generated always as (kc_fold(coalesce(code, '') || ' ' || title)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, province_code),
      check (planned_end is null or planned_start is null or planned_end >= planned_start),
      check (actual_end is null or actual_start is null or actual_end >= actual_start),
      check (kind <> 'pilot' or cardinality(activity_contents) >= 2)
    );
    create index projects_list_idx on projects (province_code, year desc, id desc);
    create index projects_year_idx on projects (year desc, id desc);
    create index projects_plan_idx on projects (plan_id);

    create table project_transitions (
      seq bigint generated always as identity primary key,
      id uuid not null unique default gen_random_uuid(),
      project_id uuid not null,
      province_code text not null,
      action text not null,
      from_state text not null,
      to_state text not null,
      note text,
      decision text,
      decision_date date,
      amounts_before jsonb,
      amounts_after jsonb,
      actor_sub text not null,
      actor_role text not null check (actor_role in ('ministry', 'province')),
      occurred_at timestamptz not null default now(),
      foreign key (project_id, province_code) references projects (id, province_code)
    );
    create index project_transitions_project_idx on project_transitions (project_id, seq);

    create table disbursements (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null,
      province_code text not null,
      date date not null,
      funding_source text not null check (funding_source in ('central', 'local', 'counterpart', 'other')),
      amount bigint not null check (amount > 0),
      kind text not null check (kind in ('advance', 'payment', 'refund')),
      document text,
      note text,
      created_by text not null,
      created_at timestamptz not null default now(),
      foreign key (project_id, province_code) references projects (id, province_code)
    );
    create index disbursements_project_idx on disbursements (project_id, date desc, id desc);

    -- Each disbursement moves its scheme's running total in the same statement; the scheme's
    -- CHECK refuses a total above the approved amount (or below zero).
    create function kc_disbursement_applied() returns trigger language plpgsql as $$
      declare delta bigint := case when new.kind = 'refund' then -new.amount else new.amount end;
      begin
        update projects set
          ${disbursedCase},
          version = version + 1,
          updated_at = now()
        where id = new.project_id and province_code = new.province_code;
        if not found then
          raise exception 'no scheme % for this disbursement', new.project_id using errcode = '23503';
        end if;
        return new;
      end $$;
    create trigger disbursements_applied after insert on disbursements
      for each row execute function kc_disbursement_applied();

    alter table projects enable row level security;
    alter table projects force row level security;
    create policy projects_read on projects for select using (kc_in_scope(province_code));
    create policy projects_insert on projects for insert
      with check (kc_role() = 'province' and province_code = kc_province());
    -- The ministry acts on schemes it reads (approval, adjustment, closing of central schemes).
    create policy projects_update on projects for update
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update on projects to kc_app;

    alter table project_transitions enable row level security;
    alter table project_transitions force row level security;
    create policy project_transitions_read on project_transitions for select using (kc_in_scope(province_code));
    create policy project_transitions_append on project_transitions for insert
      with check (kc_in_scope(province_code) and actor_role = kc_role());
    grant select, insert on project_transitions to kc_app;

    alter table disbursements enable row level security;
    alter table disbursements force row level security;
    create policy disbursements_read on disbursements for select using (kc_in_scope(province_code));
    create policy disbursements_insert on disbursements for insert
      with check (kc_role() = 'province' and province_code = kc_province());
    grant select, insert on disbursements to kc_app;
  `)
    .execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table disbursements;
    drop function kc_disbursement_applied();
    drop table project_transitions;
    drop table projects;
  `.execute(db)
}
