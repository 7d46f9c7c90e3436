import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../db/schema.js'

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

export async function getCodelist(db: Kysely<Database>, name: string) {
  const list = await db
    .selectFrom('codelists')
    .select(['name', 'label_vi', 'label_en', 'description'])
    .where('name', '=', name)
    .executeTakeFirst()
  if (!list) return undefined
  const entries = await db
    .selectFrom('codelist_entries')
    .select(['code', 'label_vi', 'label_en', 'parent_code'])
    .where('list', '=', name)
    .orderBy('sort_order')
    .execute()
  return { ...list, entries }
}
