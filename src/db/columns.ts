// Column types shared by the tables' interfaces (tables/*.table.ts).
import type { ColumnType, Compilable, InferResult, Insertable, SelectType, Updateable } from 'kysely'

/** A jsonb column: read as T, written as its JSON text. */
export type Json<T> = ColumnType<T, string | undefined, string>

/** A bigint column of whole VND: pg returns it as text; callers read it with Number(). */
export type Bigint = ColumnType<string, number | undefined, number>
export type NullableBigint = ColumnType<string | null, number | null | undefined, number | null>

/** The row a query builder's function selects: `type ThingRow = RowOf<typeof select>`. */
export type RowOf<F extends (...args: never[]) => Compilable> = InferResult<ReturnType<F>>[number]

/** An insert into table T with its jsonb columns K given as the values they are read as. */
export type JsonInsert<T, K extends keyof T> = Omit<Insertable<T>, K> & { [P in K]?: SelectType<T[P]> }

/** An update of table T with its jsonb columns K given as the values they are read as. */
export type JsonUpdate<T, K extends keyof T> = Omit<Updateable<T>, K> & { [P in K]?: SelectType<T[P]> }

/**
 * Values for a write with their jsonb fields (`keys`) as JSON text: the one place where a
 * domain value becomes column text. A field left out (a patch without it) stays out.
 */
export function withJson<V extends object, K extends keyof V & string>(values: V, ...keys: K[]) {
  const out = { ...values } as Record<string, unknown>
  for (const key of keys) if (values[key] !== undefined) out[key] = JSON.stringify(values[key])
  return out as { [P in keyof V]: P extends K ? string : V[P] }
}
