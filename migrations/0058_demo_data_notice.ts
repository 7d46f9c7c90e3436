// Reports say when they are computed on the demo dataset (data_notice), so nobody quotes a demo
// figure as real: the service reads which demo parts were loaded. Names and times only.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`grant select on demo_data_loads to kc_app`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`revoke select on demo_data_loads from kc_app`.execute(db)
}
