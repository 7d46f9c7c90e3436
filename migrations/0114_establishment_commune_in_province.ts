// An establishment's commune lies in its province, as one foreign key (issue #18). Two keys, to
// communes by code and to provinces, let the database hold a commune of another province (only the
// API's check kept it out) and cost an import two lookups per row; the pair (commune, province) is
// unique in communes (0007, the key of collaborator_communes), and communes' own key makes the
// province one that exists.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table establishments
      add constraint establishments_commune_in_province foreign key (commune_code, province_code)
        references communes (code, province_code),
      drop constraint establishments_commune_code_fkey,
      drop constraint establishments_province_code_fkey
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table establishments
      add constraint establishments_commune_code_fkey foreign key (commune_code) references communes (code),
      add constraint establishments_province_code_fkey foreign key (province_code) references provinces (code),
      drop constraint establishments_commune_in_province
  `.execute(db)
}
