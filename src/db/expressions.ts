// Filter expressions that many lists share, written once.
import { type RawBuilder, type SqlBool, sql } from 'kysely'
import { containsPattern } from '../lib/text.js'

/** `column` (a date) falls in the calendar year: a range, so an index on the column serves it. */
export const inYear = (column: string, year: number): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(column)} >= ${`${year}-01-01`} and ${sql.ref(column)} < ${`${year + 1}-01-01`})`

/**
 * `column` (a generated search text, folded by kc_fold()) contains `q`, ignoring case and
 * diacritics: "bat trang" finds "Bát Tràng".
 */
export const contains = (column: string, q: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${sql.ref(column)} like kc_fold(${containsPattern(q)})`
