// The money a scheme had been paid by a day, from the index alone (issue #18). The scorecard sums,
// for each scheme of the year (19,000 at 100,000 schemes), its disbursements dated on or before 31
// December: a look into disbursements_project_idx, then into the table for the kind, source and
// amount of each row. The index now carries those (and the province its policy reads), so the sum
// is an index-only scan; the scheme's list of disbursements uses the same index as before.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index disbursements_project_idx;
    create index disbursements_project_idx on disbursements (project_id, date desc, id desc)
      include (province_code, kind, funding_source, amount);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index disbursements_project_idx;
    create index disbursements_project_idx on disbursements (project_id, date desc, id desc);
  `.execute(db)
}
