// Time-ordered ids (UUID version 7) for the two tables a bulk import fills by the million: the
// establishments (their ids are chosen by the importer, src/lib/uuid7.ts; this is the default for
// the other writes) and the audit events. A random id put each new row at a random page of the
// id's index; a time-ordered one puts it at the index's right edge (issue #18). Existing ids stay.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A random (version 4) id with its first 48 bits replaced by the time in milliseconds and its
    -- version digit by 7: bits 52 and 53 turn 0100 into 0111.
    create function kc_uuid7() returns uuid language sql volatile parallel safe
      return encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
        from 1 for 6), 52, 1), 53, 1), 'hex')::uuid;
    alter table establishments alter column id set default kc_uuid7();
    alter table audit_events alter column id set default kc_uuid7();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_events alter column id set default gen_random_uuid();
    alter table establishments alter column id set default gen_random_uuid();
    drop function kc_uuid7();
  `.execute(db)
}
