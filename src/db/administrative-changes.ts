// Province and commune attributes that changed after the 2025 reform (type, full_name) are read
// through this helper: the latest change effective on the given date, else the base value.
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from './schema.js'

export function effective<T extends string = string>(
  level: 'province' | 'commune',
  table: 'provinces' | 'communes',
  field: 'type' | 'full_name',
  asOf: string,
): RawBuilder<T> {
  return sql<T>`coalesce((
    select ac.new_value from administrative_changes ac
    where ac.level = ${level} and ac.code = ${sql.ref(`${table}.code`)} and ac.field = ${field}
      and ac.effective_date <= ${asOf}
    order by ac.effective_date desc, ac.id desc limit 1
  ), ${sql.ref(`${table}.${field}`)})`
}

/** The dated changes of one unit, oldest first (including those not yet in force). */
export const changesOf = (db: Kysely<Database>, level: 'province' | 'commune', code: string) =>
  db
    .selectFrom('administrative_changes')
    .select(['field', 'old_value', 'new_value', 'effective_date', 'legal_basis'])
    .where('level', '=', level)
    .where('code', '=', code)
    .orderBy('effective_date', (ob) => ob.asc().nullsLast())
    .orderBy('id')
    .execute()
