// Attributes of provinces (current and former) and communes that changed on a date — the name,
// type and full name — are read through this helper. The reference data holds their values of
// 1 July 2025; a change on or before the given date gives its new value (the latest such), else
// the first change after that date gives its old value (a change before 1 July 2025, such as
// Thừa Thiên Huế becoming Thành phố Huế), else the reference value stands. The date may be SQL
// (a report's year end), and `alias` the name the query gives the unit's table.
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from './schema.ts'
import type { AdministrativeChangesTable, ChangedField } from './tables/administrative-changes.table.ts'

type Level = AdministrativeChangesTable['level']
const TABLE = { province: 'provinces', former_province: 'former_provinces', commune: 'communes' } as const

export function effective<T extends string = string>(
  level: Level,
  field: ChangedField,
  asOf: string | RawBuilder<string>,
  alias: string = TABLE[level],
): RawBuilder<T> {
  const unit = sql`ac.level = ${level} and ac.code = ${sql.ref(`${alias}.code`)} and ac.field = ${field}`
  return sql<T>`coalesce(
    (select ac.new_value from administrative_changes ac where ${unit} and ac.effective_date <= ${asOf}
      order by ac.effective_date desc, ac.id desc limit 1),
    (select ac.old_value from administrative_changes ac where ${unit} and ac.effective_date > ${asOf}
      order by ac.effective_date, ac.id limit 1),
    ${sql.ref(`${alias}.${field}`)})`
}

/** The dated changes of one unit, oldest first (including those not yet in force). */
export const changesOf = (db: Kysely<Database>, level: Level, code: string) =>
  db
    .selectFrom('administrative_changes')
    .select(['field', 'old_value', 'new_value', 'effective_date', 'legal_basis'])
    .where('level', '=', level)
    .where('code', '=', code)
    .orderBy('effective_date', (ob) => ob.asc().nullsLast())
    .orderBy('id')
    .execute()
