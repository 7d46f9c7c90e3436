// Communication activities on khuyến công (thông tin tuyên truyền): channel, digital or not,
// date, reach and cost (ask 7 of letter 3384/BCT-CTĐP).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table communication_activities (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      channel text not null,
      is_digital boolean not null,
      date date not null,
      title text not null,
      description text,
      reach integer,
      reach_unit text,
      -- Whole VND. Bounded by 2^53 - 1 so that the API returns it as an exact JSON number.
      cost bigint,
      -- The scheme (đề án) it belongs to; a foreign key once schemes exist.
      project_id uuid,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (reach is null or reach >= 0),
      check (reach_unit in ('viewers', 'listeners', 'copies', 'visits', 'participants', 'other')),
      check ((reach is null) = (reach_unit is null)),
      check (cost is null or cost between 0 and 9007199254740991)
    );
    create index communication_activities_list_idx
      on communication_activities (province_code, date desc, id desc);
    create index communication_activities_date_idx on communication_activities (date desc, id desc);

    alter table communication_activities enable row level security;
    alter table communication_activities force row level security;
    create policy communication_activities_tenant on communication_activities
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on communication_activities to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table communication_activities`.execute(db)
}
