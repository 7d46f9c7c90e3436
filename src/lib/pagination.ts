// The one pagination helper: keyset (cursor) paging over a stable sort whose last key is unique.
// The cursor is the sort-key values of the last row, base64url-encoded JSON: opaque to clients,
// validated on the way in, and it costs the same at page 10,000 as at page 1.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely'
import { type TSchema, Type } from 'typebox'
import { invalidField } from './problems.ts'

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 500

/**
 * Query parameters every list accepts; spread them into the route's querystring schema.
 * Parameters with a default are Optional so that the contract does not mark them required;
 * Ajv still fills in the default before the handler runs.
 */
export const pageQuery = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_LIMIT,
      default: DEFAULT_LIMIT,
      description: `Số bản ghi mỗi trang — page size (1–${MAX_LIMIT}).`,
    }),
  ),
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      // A cursor holds its row's sort keys: a 500-character name in Vietnamese makes 1,400.
      maxLength: 4096,
      description: 'Con trỏ trang — opaque cursor from `next_cursor` of the previous page.',
    }),
  ),
  include_total: Type.Optional(
    Type.Boolean({
      default: false,
      description: 'Trả tổng số — also count all matching rows (costs one more query).',
    }),
  ),
}

export interface PageParams {
  limit?: number | undefined
  cursor?: string | undefined
  include_total?: boolean | undefined
}

/**
 * The body of every list response, for a page of `record`s. A record schema with an `$id` (a
 * component) is referred to, not repeated; its examples make the page's own example, the last
 * page holding them, so /docs shows a real page with the record examples inside, not an envelope
 * pieced together. No record examples, no page example: `npm run openapi:check` then names the
 * operation.
 */
export const Page = <T extends TSchema>(record: T, description: string) => {
  const { $id, examples } = record as { $id?: string; examples?: unknown }
  return Type.Object(
    {
      items: Type.Array($id ? Type.Ref($id) : record, {
        description: 'Các bản ghi — the rows of this page.',
      }),
      next_cursor: Type.Union([Type.String(), Type.Null()], {
        description: 'Con trỏ trang sau — pass as `cursor` for the next page; null on the last page.',
      }),
      total: Type.Optional(
        Type.Integer({ description: 'Tổng số — all matching rows, when `include_total=true`.' }),
      ),
    },
    {
      description,
      ...(Array.isArray(examples) && examples.length > 0
        ? { examples: [{ items: examples, next_cursor: null }] }
        : {}),
    },
  )
}

export interface SortKey<O> {
  /** SQL reference, e.g. `communes.code`. */
  column: string
  /** The property of the selected row holding this key. */
  field: keyof O & string
  direction?: 'asc' | 'desc'
  /**
   * The column's PostgreSQL type. A cursor value reaches SQL only if the column accepts it: else
   * PostgreSQL refuses the query, a 500 instead of the 400 a tampered cursor earns. pg returns
   * `date` as 'YYYY-MM-DD' (src/db/connect.ts) and `bigint` as a string of digits.
   */
  type: 'text' | 'uuid' | 'date' | 'integer' | 'bigint'
}

const INT8 = 2n ** 63n

/** A calendar date PostgreSQL has: years 1–9999, and no 30 February (Date rolls it over to March). */
function isDate(v: unknown): boolean {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(v) || v.startsWith('0000')) return false
  const date = new Date(`${v}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v)
}

const VALID: Record<SortKey<unknown>['type'], (v: unknown) => boolean> = {
  // No NUL and no lone surrogate: UTF-8 has neither.
  // A text column takes any text of any length (the cursor's own length is bounded).
  text: (v) => typeof v === 'string' && !/[\0\ud800-\udfff]/u.test(v),
  // The form pg returns, and nothing PostgreSQL would merely tolerate.
  uuid: (v) =>
    typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  date: isDate,
  integer: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  bigint: (v) => typeof v === 'string' && /^-?\d{1,19}$/.test(v) && BigInt(v) >= -INT8 && BigInt(v) < INT8,
}

const encode = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url')

function decode<O>(cursor: string, keys: SortKey<O>[]): unknown[] {
  let values: unknown
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    values = undefined
  }
  const valid =
    Array.isArray(values) &&
    values.length === keys.length &&
    values.every((v, i) => keys[i] !== undefined && VALID[keys[i].type](v))
  if (!valid)
    throw invalidField('query', 'cursor', {
      vi: 'không phải là con trỏ (cursor) do danh sách này trả về',
      en: 'is not a cursor returned by this list',
    })
  return values as unknown[]
}

/** Rows strictly after `values` in the sort order. */
function after<O>(keys: SortKey<O>[], values: unknown[]): RawBuilder<SqlBool> {
  const refs = keys.map((k) => sql.ref(k.column))
  const vals = values.map((v) => sql.val(v))
  // Same direction everywhere: a row comparison, which PostgreSQL serves from a composite index.
  if (keys.every((k) => (k.direction ?? 'asc') === (keys[0]?.direction ?? 'asc'))) {
    const op = keys[0]?.direction === 'desc' ? sql`<` : sql`>`
    return sql<SqlBool>`(${sql.join(refs)}) ${op} (${sql.join(vals)})`
  }
  const branches = keys.map((k, i) => {
    const equal = refs.slice(0, i).map((r, j) => sql`${r} = ${vals[j]}`)
    const cmp = sql`${refs[i]} ${k.direction === 'desc' ? sql`<` : sql`>`} ${vals[i]}`
    return sql`(${sql.join([...equal, cmp], sql` and `)})`
  })
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`
}

function nextLink(request: FastifyRequest, cursor: string): string {
  const url = new URL(request.url, 'http://placeholder')
  url.searchParams.set('cursor', cursor)
  return `<${url.pathname}${url.search}>; rel="next"`
}

/** The next `limit` rows after `values` (from the start when undefined), in key order. */
export function rowsAfter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  keys: SortKey<O>[],
  values: unknown[] | undefined,
  limit: number,
): Promise<O[]> {
  let paged = values ? query.where(after(keys, values)) : query
  for (const key of keys) paged = paged.orderBy(sql.ref(key.column), key.direction ?? 'asc')
  return paged.limit(limit).execute()
}

export const keysOf = <O>(row: O, keys: SortKey<O>[]) => keys.map((k) => row[k.field])

export async function paginate<DB, TB extends keyof DB, O>(
  request: FastifyRequest,
  reply: FastifyReply,
  query: SelectQueryBuilder<DB, TB, O>,
  keys: SortKey<O>[],
  page: PageParams,
): Promise<{ items: O[]; next_cursor: string | null; total?: number }> {
  const limit = page.limit ?? DEFAULT_LIMIT
  const [rows, total] = await Promise.all([
    rowsAfter(query, keys, page.cursor ? decode(page.cursor, keys) : undefined, limit + 1),
    page.include_total
      ? query
          .clearSelect()
          .select(sql<string>`count(*)`.as('total'))
          .executeTakeFirstOrThrow()
          .then((r) => Number((r as { total: string }).total))
      : undefined,
  ])
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  const next_cursor = rows.length > limit && last ? encode(keysOf(last, keys)) : null
  if (next_cursor) reply.header('link', nextLink(request, next_cursor))
  return total === undefined ? { items, next_cursor } : { items, next_cursor, total }
}
