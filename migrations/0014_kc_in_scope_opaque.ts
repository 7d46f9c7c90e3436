// kc_in_scope() as PL/pgSQL, which the planner cannot inline. Inlined, its OR of settings looked
// so selective that a province's list was planned as "fetch every row of the province, then
// sort" (2 ms for 600 rows, growing with the province) instead of walking the list index and
// stopping at the page (0.4 ms, flat). Opaque, it gets the default estimate and the index wins.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function kc_in_scope(province_code text) returns boolean
      language plpgsql stable parallel safe as $$
    begin
      return kc_role() = 'ministry' or (kc_role() = 'province' and province_code = kc_province());
    end $$;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function kc_in_scope(province_code text) returns boolean
      language sql stable parallel safe
      return kc_role() = 'ministry' or (kc_role() = 'province' and province_code = kc_province());
  `.execute(db)
}
