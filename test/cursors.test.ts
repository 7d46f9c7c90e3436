// A tampered cursor is a 400 naming `cursor`, never a 500, on every list the contract says takes
// one. A cursor's values reach SQL, so each must be one its column accepts: a value PostgreSQL
// refuses (a date that does not exist, an int4 overflow, a NUL) fails the query, a 500. Each list is
// paged on the demo data as the ministry; its genuine cursor, spoiled one key at a time, and the
// genuine cursors of the other lists are sent back to it. Through HTTP on a real database.
import t from 'tap'
import { buildTestApp } from './helpers/app.ts'
import { type Operation, operations } from './helpers/contract.ts'
import { csvOf } from './helpers/imports.ts'
import { resolution } from './helpers/records.ts'
import { cast } from './helpers/tokens.ts'

// Loading the demo data takes a while on a busy machine.
t.setTimeout(300_000)
const { app } = await buildTestApp(t, { demoData: true })
const as = await cast()

type Row = Record<string, unknown>
const get = (url: string) => app.inject({ url, headers: as.ministry })
const items = async (url: string) => ((await get(url)).json().items ?? []) as Row[]
const join = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`
const encode = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url')
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[]

// The demo data writes no audit events and runs no imports: two of each, so that both lists page.
for (const n of [1, 2]) {
  const posts = [
    await app.inject({
      method: 'POST',
      url: '/v1/legal-documents',
      headers: as.officer08,
      payload: { ...resolution, number: `${n}/2022/NQ-HĐND` },
    }),
    await app.inject({
      method: 'POST',
      url: '/v1/establishments/imports?dry_run=true',
      headers: { ...as.officer08, 'content-type': 'text/csv' },
      payload: csvOf(`CURSOR${n}`, 1),
    }),
  ]
  for (const res of posts) if (res.statusCode >= 300) throw new Error(`fixture: ${res.body}`)
}

/** The key kinds of lib/pagination.ts, as the value of a genuine cursor shows them. */
type Kind = 'integer' | 'uuid' | 'date' | 'bigint' | 'text'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
function kindOf(value: unknown, row: Row): Kind {
  if (typeof value === 'number') return 'integer'
  const text = String(value)
  if (UUID.test(text)) return 'uuid'
  if (/^\d{4}-\d\d-\d\d$/.test(text)) return 'date'
  // Digits are a BIGINT sequence number, unless the row shows them as its code (a commune's, a period's).
  if (/^\d+$/.test(text) && row.code !== text) return 'bigint'
  return 'text'
}
/** What a key of each kind takes from a genuine cursor (of another list): its own kind of value. */
const takes: Record<Kind, (v: unknown) => boolean> = {
  integer: (v) => typeof v === 'number',
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v),
  bigint: (v) => typeof v === 'string' && /^\d+$/.test(v),
  text: (v) => typeof v === 'string',
}
/** Values a key of each kind refuses; every kind refuses SPOILED_ANY. */
const SPOILED: Record<Kind, unknown[]> = {
  integer: [2147483648, -2147483649, 1.5, 1e300, '2024'],
  uuid: ['x', '', '00000000-0000-0000-0000-00000000000g', '00000000000000000000000000000000', 1],
  date: ['2024-02-30', '2023-02-29', '2024-13-01', '0000-01-01', '2024-1-1', 'infinity', 'x', 20240101],
  bigint: ['9223372036854775808', '-9223372036854775809', '1.5', 'x', '', 1],
  text: ['a\u0000', '\u0000', '\ud800', 1],
}
const SPOILED_ANY = [null, true, {}, []]

interface List {
  path: string
  /** The list's URL: real path parameters, its required filters. */
  url: string
  cursor: string
  values: unknown[]
  kinds: Kind[]
}

/**
 * URLs of `op` to try: path parameters from the parent list (the records a sub-collection belongs
 * to), a required query parameter from the reporting periods its pattern matches (a month).
 */
async function candidates(op: Operation): Promise<string[]> {
  let urls = [op.path]
  for (const [, name] of op.path.matchAll(/\{(\w+)\}/g)) {
    const parent = op.path.slice(0, op.path.indexOf('/{'))
    const paged = operations.some(
      (o) => o.method === 'GET' && o.path === parent && o.parameters.some((p) => p.name === 'limit'),
    )
    const rows = await items(paged ? `${parent}?limit=500` : parent)
    urls = urls.flatMap((u) => rows.map((row) => u.replace(`{${name}}`, String(row[name as string]))))
  }
  for (const p of op.parameters.filter((p) => p.in === 'query' && p.required)) {
    const pattern = new RegExp(String(p.schema.pattern))
    const codes = (await items('/v1/reporting-periods?limit=500'))
      .map((r) => String(r.code))
      .filter((c) => pattern.test(c))
    urls = urls.flatMap((u) => codes.map((c) => join(u, `${p.name}=${c}`)))
  }
  return urls
}

/** The first URL of `op` whose first page has a next one, with the cursor to it. */
async function pageable(op: Operation): Promise<List | undefined> {
  for (const url of await candidates(op)) {
    const res = await get(join(url, 'limit=1'))
    const { items: rows, next_cursor: cursor } = res.json() as { items?: Row[]; next_cursor?: string }
    if (res.statusCode !== 200 || !cursor || !rows?.[0]) continue
    const values = decode(cursor)
    const row = rows[0]
    return { path: op.path, url, cursor, values, kinds: values.map((v) => kindOf(v, row)) }
  }
  return undefined
}

const withCursor = operations.filter(
  (op) => op.method === 'GET' && op.parameters.some((p) => p.in === 'query' && p.name === 'cursor'),
)
const lists: List[] = []
for (const op of withCursor) {
  const list = await pageable(op)
  if (list) lists.push(list)
  else t.fail(`${op.path}: no URL in the demo data whose first page has a second`)
}

t.test('every list that takes a cursor is tried, with keys of every kind', async (t) => {
  t.ok(withCursor.length >= 20, `${withCursor.length} lists`)
  t.equal(lists.length, withCursor.length)
  t.same(new Set(lists.flatMap((l) => l.kinds)), new Set(['integer', 'uuid', 'date', 'bigint', 'text']))
  t.comment(lists.map((l) => `${l.path}: ${l.kinds.join(', ')}`).join('\n'))
})

for (const list of lists) {
  t.test(`${list.path}: a genuine cursor pages on; a tampered one → 400 naming cursor`, async (t) => {
    const two = await items(join(list.url, 'limit=2'))
    const next = await get(join(list.url, `limit=1&cursor=${list.cursor}`))
    t.equal(next.statusCode, 200)
    t.same(next.json().items, two.slice(1), 'the page after the first row is the second row')

    const { values, kinds } = list
    const spoiled: [string, string][] = [
      ['not base64url JSON', 'not-a-cursor'],
      ['truncated', list.cursor.slice(0, -2)],
      ['an object', encode({ a: 1 })],
      ['a string', encode('x')],
      ['null', encode(null)],
      ['no values', encode([])],
      ['a value too many', encode([...values, values.at(-1)])],
      ['nested', encode([values])],
    ]
    if (values.length > 1) spoiled.push(['a value too few', encode(values.slice(0, -1))])
    kinds.forEach((kind, i) => {
      for (const v of [...SPOILED[kind], ...SPOILED_ANY])
        spoiled.push([`key ${i} (${kind}) = ${JSON.stringify(v).slice(0, 40)}`, encode(values.with(i, v))])
    })
    // The cursor of another list, unless its values are of this list's kinds: then it is a position.
    const foreign = lists.filter((o) => o !== list)
    const fits = (o: List) =>
      o.values.length === kinds.length && o.values.every((v, i) => takes[kinds[i] as Kind](v))
    for (const other of foreign.filter((o) => !fits(o))) spoiled.push([`from ${other.path}`, other.cursor])

    for (const [what, cursor] of spoiled) {
      const res = await get(join(list.url, `limit=1&cursor=${cursor}`))
      t.equal(res.statusCode, 400, `${what}: ${res.body.slice(0, 200)}`)
      t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'query', pointer: '/cursor' }] }, what)
    }
    for (const other of foreign.filter(fits)) {
      const res = await get(join(list.url, `limit=1&cursor=${other.cursor}`))
      t.equal(res.statusCode, 200, `from ${other.path}, of the same kinds: ${res.body.slice(0, 200)}`)
    }
  })
}

t.test('the cursor of the longest sort key there is (a 500-character name) still pages', async (t) => {
  // Vietnamese takes up to three bytes a letter: such a cursor is over 1,024 characters.
  for (const letter of ['A', 'B']) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/implementing-units',
      headers: as.officer08,
      // 500 code points, astral ones among them (two UTF-16 units each): 1,000 units.
      payload: { name: `Trung tâm ${letter} ${'😀'.repeat(240)}`.padEnd(740, 'ễ'), unit_model: 'branch' },
    })
    t.equal(res.statusCode, 201, res.body.slice(0, 200))
  }
  let url = '/v1/implementing-units?province_code=08&limit=1'
  let longest = 0
  for (let pages = 0; pages < 100; pages++) {
    const res = await get(url)
    t.equal(res.statusCode, 200, res.body.slice(0, 200))
    const cursor = res.json().next_cursor as string | null
    if (!cursor) break
    longest = Math.max(longest, cursor.length)
    url = `/v1/implementing-units?province_code=08&limit=1&cursor=${cursor}`
  }
  t.ok(longest > 1024, `a cursor of ${longest} characters was followed`)
})
