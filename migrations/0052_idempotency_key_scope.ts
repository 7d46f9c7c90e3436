// Idempotency keys belong to a caller — issuer, subject, role and province — not to a subject
// alone: two issuers may use the same subject, and one subject may hold tokens of two provinces
// (a user who moves province, or the token tool's shared `dev-province`). Keyed by subject only,
// province 01 replaying a key of province 08 received 08's record and its own create never happened.
// Existing keys cannot be given a caller (the issuer and province were not kept): they are dropped,
// so a retry spanning this migration creates again — keys live 24 hours and this runs once.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from idempotency_keys;
    alter table idempotency_keys drop constraint idempotency_keys_pkey;
    alter table idempotency_keys add column caller text not null;
    alter table idempotency_keys add primary key (caller, key);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from idempotency_keys;
    alter table idempotency_keys drop constraint idempotency_keys_pkey;
    alter table idempotency_keys drop column caller;
    alter table idempotency_keys add primary key (actor_sub, key);
  `.execute(db)
}
