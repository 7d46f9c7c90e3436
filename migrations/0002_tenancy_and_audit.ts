// Row-level tenancy and the audit trail.
//
// Requests run their queries as kc_app, a role that owns nothing and has no BYPASSRLS, after
// setting kc.role and kc.province for the transaction (src/db/tenancy.ts). Policies read those
// settings: with none set, a tenant table shows no rows. kc_app may read and append audit events
// but never change or delete them.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Roles belong to the cluster: a database migrating at the same time may create it first.
    do $$ begin
      if not exists (select from pg_roles where rolname = 'kc_app') then
        create role kc_app nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$;
    grant kc_app to current_user;
    grant usage on schema public to kc_app;
    grant select on codelists, codelist_entries, provinces, former_provinces, communes, administrative_changes
      to kc_app;

    -- The caller's tenancy, as set for the current transaction; null when unset.
    create function kc_role() returns text language sql stable parallel safe
      return nullif(current_setting('kc.role', true), '');
    create function kc_province() returns text language sql stable parallel safe
      return nullif(current_setting('kc.province', true), '');
    -- May the caller see (and write) a row of this province? A null province is national data.
    create function kc_in_scope(province_code text) returns boolean language sql stable parallel safe
      return kc_role() = 'ministry' or (kc_role() = 'province' and province_code = kc_province());
    grant execute on function kc_role(), kc_province(), kc_in_scope(text) to kc_app;

    create table audit_events (
      seq bigint generated always as identity primary key,
      id uuid not null unique default gen_random_uuid(),
      occurred_at timestamptz not null default now(),
      actor_sub text not null,
      actor_role text not null check (actor_role in ('ministry', 'province')),
      actor_province text,
      request_id text,
      province_code text references provinces (code),
      entity_type text not null,
      entity_id text not null,
      action text not null,
      before jsonb,
      after jsonb
    );
    create index audit_events_entity_idx on audit_events (entity_type, entity_id, seq);
    create index audit_events_province_idx on audit_events (province_code, seq);
    create index audit_events_actor_idx on audit_events (actor_sub, seq);
    create index audit_events_time_idx on audit_events (occurred_at);

    alter table audit_events enable row level security;
    alter table audit_events force row level security;
    create policy audit_events_read on audit_events for select using (kc_in_scope(province_code));
    -- An event is written by the caller about data in its scope, in the caller's name.
    create policy audit_events_append on audit_events for insert
      with check ((province_code is null or kc_in_scope(province_code)) and actor_role = kc_role());
    grant select, insert on audit_events to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // kc_app is a cluster-wide role other databases may use: its grants here go, the role stays.
  await sql`
    drop table audit_events;
    drop function kc_in_scope(text);
    drop function kc_province();
    drop function kc_role();
    revoke select on codelists, codelist_entries, provinces, former_provinces, communes, administrative_changes
      from kc_app;
    revoke usage on schema public from kc_app;
  `.execute(db)
}
