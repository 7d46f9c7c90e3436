// How many rows each table holds, as the connection sees them: what two loads of the demo are
// compared by (as the schema's owner, or PGlite's superuser, whom row-level security does not filter).
import { type Kysely, sql } from 'kysely'

/** Rows in each of `tables`, by name; every table of the schema when none are named. */
export async function rowCounts(
  // biome-ignore lint/suspicious/noExplicitAny: counted by name, whatever the schema's types
  db: Kysely<any>,
  tables?: readonly string[],
): Promise<Record<string, number>> {
  const names =
    tables ??
    (
      await sql<{ tablename: string }>`
        select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(db)
    ).rows.map((r) => r.tablename)
  const counts: Record<string, number> = {}
  for (const table of names) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)
    counts[table] = rows[0]?.n ?? 0
  }
  return counts
}
