// The record of every establishment import: who, what, how far it got and how it ended. It is
// written in short transactions of its own, beside the import's transaction, so that it shows
// progress and survives the rollback of an all-or-nothing import. A running import renews
// lease_until; one whose lease has passed was cut off with its instance and reads `interrupted`.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table establishment_imports (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      province_code text not null references provinces (code),
      actor_issuer text not null,
      actor_sub text not null,
      actor_role text not null check (actor_role in ('ministry', 'province')),
      idempotency_key text,
      request_id text,
      format text not null check (format in ('csv', 'json')),
      dry_run boolean not null,
      atomic boolean not null,
      status text not null default 'running'
        check (status in ('running', 'committed', 'validated', 'failed', 'interrupted')),
      created integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      failed integer not null default 0,
      errors jsonb not null default '[]',
      problem jsonb,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      heartbeat_at timestamptz not null default now(),
      lease_until timestamptz not null,
      instance_id text not null,
      unique (actor_issuer, actor_sub, actor_role, province_code, idempotency_key),
      check ((status = 'running') = (finished_at is null))
    );
    create index establishment_imports_recent_idx on establishment_imports (province_code, seq);
    create index establishment_imports_running_idx on establishment_imports (lease_until) where status = 'running';

    alter table establishment_imports enable row level security;
    alter table establishment_imports force row level security;
    create policy establishment_imports_tenant on establishment_imports
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update on establishment_imports to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table establishment_imports`.execute(db)
}
