// Column types shared by the tables' interfaces (tables/*.table.ts).
import type { ColumnType, Compilable, InferResult } from 'kysely'

/** A jsonb column: read as T, written as its JSON text. */
export type Json<T> = ColumnType<T, string | undefined, string>

/** A bigint column of whole VND: pg returns it as text; callers read it with Number(). */
export type Bigint = ColumnType<string, number | undefined, number>
export type NullableBigint = ColumnType<string | null, number | null | undefined, number | null>

/** The row a query builder's function selects: `type ThingRow = RowOf<typeof select>`. */
export type RowOf<F extends (...args: never[]) => Compilable> = InferResult<ReturnType<F>>[number]
