// Filter expressions that many lists share, written once.
import { type RawBuilder, type SqlBool, sql } from 'kysely'
import { containsPattern } from '../lib/text.ts'

/** `column` (a date) falls in the calendar year: a range, so an index on the column serves it. */
export const inYear = (column: string, year: number): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(column)} >= ${`${year}-01-01`} and ${sql.ref(column)} < ${`${year + 1}-01-01`})`

/**
 * `column` (a generated search text, folded by kc_fold()) contains `q`, ignoring case and
 * diacritics: "bat trang" finds "Bát Tràng".
 */
export const contains = (column: string, q: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${sql.ref(column)} like kc_fold(${containsPattern(q)})`

/**
 * A dated row of `table` (valid_from, and valid_to or none: still valid; both days included) is
 * valid on some day from `first` to `last` — one day when `last` is not given.
 */
export const validDuring = (table: string, first: string, last = first): RawBuilder<SqlBool> => {
  const [from, to] = [sql.ref(`${table}.valid_from`), sql.ref(`${table}.valid_to`)]
  return sql<SqlBool>`(${from} <= ${last}::date and (${to} is null or ${to} >= ${first}::date))`
}
