// Idempotency-Key on creates: the first response to a key is kept, in the same transaction as
// the record it created, and returned again to every retry by the same caller for 24 hours.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table idempotency_keys (
      actor_sub text not null,
      key text not null,
      request_hash text not null,
      status_code integer,
      response jsonb,
      location text,
      created_at timestamptz not null default now(),
      primary key (actor_sub, key)
    );
    create index idempotency_keys_created_idx on idempotency_keys (created_at);
    alter table idempotency_keys enable row level security;
    alter table idempotency_keys force row level security;
    create policy idempotency_keys_own on idempotency_keys
      using (actor_sub = current_setting('kc.sub', true))
      with check (actor_sub = current_setting('kc.sub', true));
    grant select, insert, update on idempotency_keys to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table idempotency_keys`.execute(db)
}
