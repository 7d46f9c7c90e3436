// What every versioned table's repository does, written once: read what the caller may see, lock
// a row for a change, insert, update with the next version, delete. A resource's repository.ts
// spreads it and adds its own filters and checks. Every function takes the transaction first.
import { type RawBuilder, type Selection, type SelectQueryBuilder, type SqlBool, sql } from 'kysely'
import { type JsonInsert, type JsonUpdate, withJson } from './columns.ts'
import { findByIdIn } from './compiled.ts'
import type { Database } from './schema.ts'
import { inScope, type Scope, type Trx } from './tenancy.ts'

/** The tables of versioned records: an id, a province (or none: national), a version. */
type VersionedTable = {
  [T in keyof Database]: Database[T] extends { id: unknown; version: unknown; province_code: unknown }
    ? T
    : never
}[keyof Database]

/** Sets on every update: the next version and the time. */
export const nextVersion = { version: sql<number>`version + 1`, updated_at: sql<string>`now()` }

/**
 * Kysely cannot type a query over a table chosen by a type parameter, so the builders below are
 * cast once, here; what they return is typed from the table's interface and the columns given.
 */
export function versionedRepository<
  T extends VersionedTable,
  const C extends readonly (keyof Database[T] & string)[],
  const J extends readonly (keyof Database[T] & string)[] = [],
>(
  table: T,
  columns: C,
  /** Which rows the caller sees: their province's (default), or also the national ones. */
  visible: (scope: Scope, column: string) => RawBuilder<SqlBool> = inScope,
  /** The jsonb columns: insert and update take them as values and write their JSON. */
  json: J = [] as unknown as J,
) {
  type Row = Selection<Database, T, C[number]>
  const id = sql.ref(`${table}.id`)
  const select = (trx: Trx, scope: Scope): SelectQueryBuilder<Database, T, Row> =>
    trx
      .selectFrom(table as VersionedTable)
      .select(columns as never)
      .where(visible(scope, `${table}.province_code`)) as never
  return {
    /** The rows the caller may see, as the representation has them. */
    select,
    findById: findByIdIn(select, `${table}.id`),
    /** For a change: the row, locked, so the version check and the write are one step. */
    findForUpdate: (trx: Trx, scope: Scope, key: string) =>
      select(trx, scope).where(id, '=', key).forUpdate().executeTakeFirst(),
    insert: (trx: Trx, values: JsonInsert<Database[T], J[number]>): Promise<Row> =>
      trx
        .insertInto(table)
        .values(withJson(values, ...json) as never)
        .returning(columns as never)
        .executeTakeFirstOrThrow() as never,
    /** Changes some fields and moves the version on. */
    update: (trx: Trx, key: string, values: JsonUpdate<Database[T], J[number]>): Promise<Row> =>
      trx
        .updateTable(table as VersionedTable)
        .set({ ...withJson(values, ...json), ...nextVersion } as never)
        .where(id, '=', key)
        .returning(columns as never)
        .executeTakeFirstOrThrow() as never,
    remove: async (trx: Trx, key: string) => {
      await trx
        .deleteFrom(table as VersionedTable)
        .where(id, '=', key)
        .execute()
    },
  }
}
