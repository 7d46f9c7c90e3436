// Names are dated: the reference data gives each code its name of 1 July 2025, but Huế (46) was
// Tỉnh Thừa Thiên Huế until 31 December 2024, and records of 2021–2024 must read the name of
// their time. administrative_changes already dates later changes; it now also takes changes from
// before the reference date (changes_before_2025-07-01.csv), of the name too, and of the former
// provinces (level former_province: a former code may now belong to another unit, e.g. 24).
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { type Kysely, sql } from 'kysely'

const FILE = 'changes_before_2025-07-01.csv'
const TABLE: Record<string, string> = { province: 'provinces', former_province: 'former_provinces' }

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table administrative_changes
      drop constraint administrative_changes_level_check,
      add constraint administrative_changes_level_check
        check (level in ('province', 'former_province', 'commune')),
      drop constraint administrative_changes_field_check,
      add constraint administrative_changes_field_check
        check (field in ('type', 'name', 'name_en', 'full_name', 'full_name_en'));
  `.execute(db)

  const changes: Record<string, string>[] = parse(readFileSync(new URL(`./data/${FILE}`, import.meta.url)), {
    columns: true,
    skip_empty_lines: true,
  })
  for (const c of changes) {
    // The change must end in the reference data's value, as the changes after it start from it.
    const table = TABLE[c.level as string]
    const base = table
      ? await sql<{ value: string }>`
          select ${sql.ref(c.field as string)} as value from ${sql.table(table)} where code = ${c.code}`.execute(
          db,
        )
      : undefined
    if (base?.rows[0]?.value !== c.new_value) {
      throw new Error(`administrative change does not match the base data: ${JSON.stringify(c)}`)
    }
    await sql`
      insert into administrative_changes
        (level, code, field, old_value, new_value, effective_date, legal_basis, evidence)
      values (${c.level}, ${c.code}, ${c.field}, ${c.old_value}, ${c.new_value}, ${c.effective_date}::date,
        ${c.legal_basis}, ${c.evidence || null})`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from administrative_changes
      where level = 'former_province' or field not in ('type', 'full_name') or effective_date < '2025-07-01';
    alter table administrative_changes
      drop constraint administrative_changes_level_check,
      add constraint administrative_changes_level_check check (level in ('province', 'commune')),
      drop constraint administrative_changes_field_check,
      add constraint administrative_changes_field_check check (field in ('type', 'full_name'));
  `.execute(db)
}
