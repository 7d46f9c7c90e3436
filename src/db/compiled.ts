// A read every request makes (a record by its id) builds the same SQL each time but for its values,
// and Kysely's building and compiling was about a tenth of such a read's time. compiledPerRole()
// builds the query once for each role — the one part of a scope that changes its SQL: a province's
// filter compares its code, the ministry's is `true` — with markers in place of the arguments and
// of the province, and each call puts the real values in their places. For queries whose SQL
// depends on nothing else: no JavaScript value (a date, a setting) may go into them, since it would
// be compiled once for good. An argument the query does not use, a province's query that does not
// filter by the province, and one that uses the caller's sub or request id are programming errors,
// refused at the first call. Each call reuses the first compile's query id (no plugin keys on it).
// findByIdIn() is the by-id read every resource's repository takes from it. A read's statement
// (outside a transaction) goes to the pool directly: Kysely's connection provider around it, with
// nothing to add to a compiled query, was a sixth of a read by id's allocations.
import { type Compilable, type CompiledQuery, type SelectQueryBuilder, sql } from 'kysely'
import { poolOf } from './connect.ts'
import type { Database } from './schema.ts'
import type { Scope, Trx } from './tenancy.ts'

/** Where a parameter's value comes from: an argument (its index), the caller's province, a constant. */
type Slot = { argument: number } | { province: true } | { constant: unknown }

export function compiledPerRole<A extends unknown[], R>(
  build: (trx: Trx, scope: Scope, ...args: A) => Compilable<R>,
): (trx: Trx, scope: Scope, ...args: A) => Promise<R[]> {
  const compiled = new Map<Scope['role'], { query: CompiledQuery<R>; slots: Slot[] }>()

  function compile(trx: Trx, scope: Scope, arity: number) {
    const markers = Array.from({ length: arity }, (_, argument) => ({ argument }))
    const province = { province: true as const }
    // The rest of the scope varies by caller and may not reach the SQL: markers that must not appear.
    const unbound = { sub: {}, requestId: {} }
    const query = build(
      trx,
      { ...scope, ...(unbound as object), province: scope.province === null ? null : (province as never) },
      ...(markers as A),
    ).compile()
    const slots = query.parameters.map(
      (value): Slot =>
        value === province
          ? province
          : markers.includes(value as never)
            ? (value as Slot)
            : { constant: value },
    )
    const unused = markers.filter((marker) => !slots.includes(marker))
    if (unused.length)
      throw new Error(`compiledPerRole: the query does not use argument ${unused[0]?.argument}`)
    // A province's query without its province has lost the application's tenancy filter.
    if (scope.province !== null && !slots.includes(province))
      throw new Error('compiledPerRole: the query does not filter by the caller’s province')
    if (query.parameters.some((value) => Object.values(unbound).includes(value as never)))
      throw new Error('compiledPerRole: the query uses the caller’s sub or request id')
    return { query, slots }
  }

  return async (trx, scope, ...args) => {
    let entry = compiled.get(scope.role)
    if (!entry) {
      entry = compile(trx, scope, args.length)
      compiled.set(scope.role, entry)
    }
    const parameters = entry.slots.map((slot) =>
      'argument' in slot ? args[slot.argument] : 'province' in slot ? scope.province : slot.constant,
    )
    const pool = poolOf(trx)
    if (pool) {
      // Checked out with a promise, not a callback: pg-pool runs a waiting caller's callback inside
      // the request that frees a connection, whose tenant context (AsyncLocalStorage) it would carry.
      const client = await pool.connect()
      try {
        return (await client.query(entry.query.sql, parameters)).rows as R[]
      } catch (error) {
        // As Kysely does: the stack says which read failed, not only pg's socket callbacks.
        if (error instanceof Error) Error.captureStackTrace(error)
        throw error
      } finally {
        client.release()
      }
    }
    const { rows } = await trx.executeQuery<R>({ ...entry.query, parameters })
    return rows
  }
}

/**
 * A record by its id (`column`, e.g. `projects.id`) among the rows `select` shows the caller: the
 * by-id read of every resource, compiled once per role.
 */
export function findByIdIn<TB extends keyof Database, O>(
  select: (trx: Trx, scope: Scope) => SelectQueryBuilder<Database, TB, O>,
  column: string,
): (trx: Trx, scope: Scope, id: string) => Promise<O | undefined> {
  const key = sql.ref(column)
  const find = compiledPerRole((trx: Trx, scope: Scope, id: string) => select(trx, scope).where(key, '=', id))
  return async (trx, scope, id) => (await find(trx, scope, id))[0]
}
