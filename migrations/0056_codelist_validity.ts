// Code-list entries get a validity period, so that a change of law adds entries (a new wording
// from its date, the old one ending the day before) instead of rewriting the labels that past
// records were written with. A null bound is open: the entry has no known start or end.
// A code may then appear more than once in a list, once per period: the key becomes
// (list, code, valid_from).
//
// Databases migrated before this one also receive the labels and list descriptions corrected in
// the data files (issue #14): 0001 reads those files, so a fresh database already has them.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { type Kysely, sql } from 'kysely'

const data = (file: string): Record<string, string>[] =>
  parse(readFileSync(new URL(`./data/${file}`, import.meta.url)), { columns: true, skip_empty_lines: true })

// Dates of the texts each list's wording comes from; only those known are given.
const DECREE_45_IN_FORCE = '2012-07-05'
const VALIDITY: { list: string; code?: string; valid_from?: string; valid_to?: string }[] = [
  // Decree 45/2012/NĐ-CP, wording of 2012.
  { list: 'activity_content', valid_from: DECREE_45_IN_FORCE },
  { list: 'establishment_kind', valid_from: DECREE_45_IN_FORCE },
  { list: 'industry', valid_from: DECREE_45_IN_FORCE },
  { list: 'priority_area', valid_from: DECREE_45_IN_FORCE },
  { list: 'priority_product', valid_from: DECREE_45_IN_FORCE },
  // The district level ended with the 1 July 2025 reform; special zones began with it.
  { list: 'certificate_level', code: 'district', valid_to: '2025-06-30' },
  { list: 'commune_type', code: 'dac_khu', valid_from: '2025-07-01' },
]

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table codelist_entries
      add column valid_from date,
      add column valid_to date,
      add constraint codelist_entries_period_check check (valid_to >= valid_from),
      drop constraint codelist_entries_pkey,
      add constraint codelist_entries_list_code_valid_from_key unique nulls not distinct (list, code, valid_from);
  `.execute(db)

  for (const r of data('codelist_names.csv')) {
    await sql`
      update codelists set label_vi = ${r.label_vi}, label_en = ${r.label_en}, description = ${r.description || null}
      where name = ${r.name}`.execute(db)
  }
  for (const r of data('codelists.csv')) {
    await sql`
      update codelist_entries set label_vi = ${r.label_vi}, label_en = ${r.label_en}
      where list = ${r.list} and code = ${r.code} and (label_vi, label_en) <> (${r.label_vi}, ${r.label_en})`.execute(
      db,
    )
  }
  for (const v of VALIDITY) {
    await sql`
      update codelist_entries set valid_from = ${v.valid_from ?? null}::date, valid_to = ${v.valid_to ?? null}::date
      where list = ${v.list} and (${v.code ?? null}::text is null or code = ${v.code ?? null})`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Entries added for a later period go; the corrected labels stay (they were wrong before).
  await sql`
    delete from codelist_entries e where exists (
      select 1 from codelist_entries o
      where o.list = e.list and o.code = e.code and o.valid_from is distinct from e.valid_from
        and (e.valid_from > o.valid_from or o.valid_from is null));
    alter table codelist_entries
      drop constraint codelist_entries_list_code_valid_from_key,
      drop constraint codelist_entries_period_check,
      drop column valid_from,
      drop column valid_to,
      add primary key (list, code);
  `.execute(db)
}
