// The scorecard's schemes from indexes alone (issue #18). For each province (or former province)
// and year the report reads its schemes, some 19,000 a year at 100,000 schemes: in the table, a
// scheme is a row of about 1.4 kB (texts, the search text), two to a page, so the ministry's
// scorecard went through some 8,800 pages of it, and as many random reads into
// project_transitions for the day a scheme was accepted. The schemes' new index carries what the
// report reads of a scheme, the step indexes what it reads of the step, so both are index-only
// scans: about a third of the report's time at that size. (A scheme changed since the table was
// last vacuumed is still read from the table: the answer does not depend on it, only the speed.)
import { type Kysely, sql } from 'kysely'

/** What the scorecard reads of a scheme besides its province and year (reports/repository.ts). */
const SCHEME = `origin_province_code, id, state, kind, activity_contents, planned_start, planned_end, actual_end,
  approved_central, approved_local, approved_counterpart, approved_other, disbursed_central, disbursed_local,
  disbursed_until, key_product_ids`

/** The step indexes of migrations 0040 and 0053; with `include`, what the step lookup reads. */
const steps = (include: boolean) =>
  ['accepted', 'completed']
    .map(
      (state) => `
    drop index project_transitions_${state}_idx;
    create index project_transitions_${state}_idx on project_transitions (project_id, seq)
      ${include ? 'include (province_code, decision_date, occurred_at)' : ''} where to_state = '${state}';`,
    )
    .join('')

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
    create index projects_scorecard_idx on projects (province_code, year) include (${SCHEME});
    ${steps(true)}
  `)
    .execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
    drop index projects_scorecard_idx;
    ${steps(false)}
  `)
    .execute(db)
}
