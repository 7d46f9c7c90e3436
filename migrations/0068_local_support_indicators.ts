// Ask 6 reads the local support rules (issue #15): "has the province raised its local support
// levels" becomes data — two indicators after the ask's budget ones, as in
// data/scorecard_definitions.csv (which migration 0053 loads on a new database, so this one adds
// them only where they are missing).
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { type Kysely, sql } from 'kysely'

const CODES = ['local_support_rules_in_force', 'local_support_levels_raised']

export async function up(db: Kysely<unknown>): Promise<void> {
  const rows: Record<string, string>[] = parse(
    readFileSync(new URL('./data/scorecard_definitions.csv', import.meta.url)),
    { columns: true, skip_empty_lines: true },
  )
  const after = await sql<{ position: number }>`
    select position from scorecard_indicators where code = 'local_allocation_change'`.execute(db)
  const base = after.rows[0]?.position ?? 0
  for (const [i, code] of CODES.entries()) {
    const r = rows.find((row) => row.code === code)
    if (!r) throw new Error(`scorecard_definitions.csv has no ${code}`)
    await sql`
      insert into scorecard_indicators (code, ask, position, label_vi, label_en, unit, better, met, definition)
      values (${r.code}, ${Number(r.ask)}, ${base + i + 1}, ${r.label_vi}, ${r.label_en}, ${r.unit},
        ${r.better || null}, ${r.met || null}, ${r.definition})
      on conflict (code) do nothing`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from scorecard_indicators where code in (${sql.join(CODES)})`.execute(db)
}
