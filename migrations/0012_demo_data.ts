// Which demo datasets were loaded (src/demo/), so that a restart never loads one twice.
// Written by the service's own role at start, never by a request: kc_app has no grant on it.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table demo_data_loads (
      name text primary key,
      loaded_at timestamptz not null default now()
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table demo_data_loads`.execute(db)
}
