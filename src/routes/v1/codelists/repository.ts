import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../db/schema.ts'

export const listCodelists = (db: Kysely<Database>) =>
  db
    .selectFrom('codelists as l')
    .select(['l.name', 'l.label_vi', 'l.label_en', 'l.description'])
    .select((eb) =>
      eb
        .selectFrom('codelist_entries as e')
        .whereRef('e.list', '=', 'l.name')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('entry_count'),
    )
    .orderBy('l.name')
    .execute() as Promise<
    { name: string; label_vi: string; label_en: string; description: string | null; entry_count: number }[]
  >

/** One list with its entries: all periods, or those in force on `asOf` (open bounds always match). */
export async function getCodelist(db: Kysely<Database>, name: string, asOf?: string) {
  const list = await db
    .selectFrom('codelists')
    .select(['name', 'label_vi', 'label_en', 'description'])
    .where('name', '=', name)
    .executeTakeFirst()
  if (!list) return undefined
  let entries = db
    .selectFrom('codelist_entries')
    .select(['code', 'label_vi', 'label_en', 'parent_code', 'valid_from', 'valid_to'])
    .where('list', '=', name)
  if (asOf) {
    entries = entries
      .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', asOf)]))
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', asOf)]))
  }
  return {
    ...list,
    entries: await entries
      .orderBy('sort_order')
      .orderBy('valid_from', (ob) => ob.asc().nullsFirst())
      .execute(),
  }
}
