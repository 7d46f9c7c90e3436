// Scorecard definitions a ministry can defend (issue #14): indicators are replaced from
// data/scorecard_definitions.csv (new codes, thresholds with their basis in each definition), an
// indicator may carry a `parameter` (the acceptance period in days) and a code indicator the
// `met_codes` that meet it; legal documents say whether they are legal normative documents
// (văn bản quy phạm pháp luật), which ask 1 counts.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { type Kysely, sql } from 'kysely'

const rows = (file: string): Record<string, string>[] =>
  parse(readFileSync(new URL(`./data/${file}`, import.meta.url)), { columns: true, skip_empty_lines: true })

/** Replaces every indicator by the rows of a CSV, in its order; positions step by 10 to leave room. */
async function load(db: Kysely<unknown>, file: string) {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
  const typed = db as Kysely<any>
  await typed.deleteFrom('scorecard_indicators').execute()
  await typed
    .insertInto('scorecard_indicators')
    .values(
      rows(file).map(({ parameter, met_codes, ...r }, i) => ({
        ...r,
        ask: Number(r.ask),
        position: (i + 1) * 10,
        better: r.better || null,
        met: r.met || null,
        partly_met: r.partly_met || null,
        ...(parameter === undefined ? {} : { parameter: parameter || null }),
        ...(met_codes === undefined ? {} : { met_codes: met_codes ? met_codes.split('|') : null }),
      })),
    )
    .execute()
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table scorecard_indicators add column parameter numeric check (parameter >= 0);
    alter table scorecard_indicators add column met_codes text[];
    alter table scorecard_indicators add check (met_codes is null or unit = 'code');

    -- A legal normative document is numbered with its year (15/2022/NQ-HĐND), an administrative one
    -- is not (15/NQ-HĐND): existing rows are flagged by that rule; provinces correct them by PATCH.
    alter table legal_documents add column is_normative boolean not null default false;
    update legal_documents set is_normative = true where kind <> 'plan' and number ~ '^[0-9]+/[0-9]{4}/';
    alter table legal_documents add check (not (is_normative and kind = 'plan'));

    create index project_transitions_completed_idx on project_transitions (project_id, seq)
      where to_state = 'completed';
  `.execute(db)
  await load(db, 'scorecard_definitions.csv')
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index project_transitions_completed_idx;
    alter table legal_documents drop column is_normative;
    alter table scorecard_indicators drop column met_codes;
    alter table scorecard_indicators drop column parameter;
  `.execute(db)
  await load(db, 'scorecard_indicators.csv')
}
