// The seven-ask scorecard (letter 3384/BCT-CTĐP): its indicators and their thresholds are data,
// loaded from data/scorecard_indicators.csv, read by everyone and changed by the ministry only.
// The figures themselves are computed live from the tables (src/routes/v1/reports/queries.ts);
// the indexes below serve its per-province, per-year aggregates.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Read here, not at import: the migrator imports every migration on each start.
  const rows: Record<string, string>[] = parse(
    readFileSync(new URL('./data/scorecard_indicators.csv', import.meta.url)),
    { columns: true, skip_empty_lines: true },
  )
  await sql`
    create table scorecard_indicators (
      code text primary key,
      ask integer not null check (ask between 1 and 7),
      position integer not null unique,
      label_vi text not null,
      label_en text not null,
      unit text not null check (unit in ('boolean', 'count', 'people', 'share', 'ratio', 'vnd', 'code')),
      better text check (better in ('higher', 'lower')),
      met numeric,
      partly_met numeric,
      definition text not null,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      check ((unit = 'code') = (better is null)),
      check (met is not null or partly_met is null),
      check (better is null or partly_met is null
        or (better = 'higher' and partly_met <= met) or (better = 'lower' and partly_met >= met))
    );
    alter table scorecard_indicators enable row level security;
    alter table scorecard_indicators force row level security;
    create policy scorecard_indicators_read on scorecard_indicators for select using (true);
    create policy scorecard_indicators_ministry on scorecard_indicators for update
      using (kc_role() = 'ministry') with check (kc_role() = 'ministry');
    grant select, update on scorecard_indicators to kc_app;

    create index product_certificates_province_idx on product_certificates (province_code, issued_date);
    create index project_transitions_accepted_idx on project_transitions (project_id, seq)
      where to_state = 'accepted';
  `.execute(db)
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
  await (db as Kysely<any>)
    .insertInto('scorecard_indicators')
    .values(
      rows.map((r, i) => ({
        ...r,
        ask: Number(r.ask),
        position: i + 1,
        better: r.better || null,
        met: r.met || null,
        partly_met: r.partly_met || null,
      })),
    )
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index project_transitions_accepted_idx;
    drop index product_certificates_province_idx;
    drop table scorecard_indicators;
  `.execute(db)
}
