// The import under hostile and large input: JSON streamed item by item (memory does not follow
// the body's size), duplicates found across the whole file by the temporary table, deep nesting,
// text PostgreSQL cannot store (a dry run reports exactly what the import does), bytes that are
// not UTF-8, charsets, and the export's formula guard undone exactly once.
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { up as grantTemporary } from '../../../migrations/0042_import_temporary_tables.ts'
import { csvLine, unguard } from '../../../src/lib/csv.ts'
import { normalizeText } from '../../../src/lib/text.ts'
import { buildTestApp, onPostgres } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()

const post = (headers: Record<string, string>, type: string, payload: string | Buffer, query = '') =>
  app.inject({
    method: 'POST',
    url: `/v1/establishments/imports${query}`,
    headers: { ...headers, 'content-type': type },
    payload,
  })
const json = (payload: string | Buffer, query = '') => post(as.officer08, 'application/json', payload, query)
const csv = (payload: string | Buffer, query = '') => post(as.officer08, 'text/csv', payload, query)
const count = async () =>
  (await app.inject({ url: '/v1/establishments?include_total=true', headers: as.officer08 })).json()
    .total as number
const COMMUNES = ['00691', '00694', '00700']
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed()

t.test(
  'a large JSON array is streamed: memory does not follow the body, duplicates far apart are found',
  async (t) => {
    // 20,000 rows, each after 4 KB of whitespace (legal between items): an 84 MB body. Row 1
    // is bad, so nothing is written and every row is only checked (quick on every database).
    const ROWS = 20_000
    const padding = Buffer.alloc(4 * 1024, 0x20)
    const row = (i: number) => {
      const tax = i === ROWS - 1 ? '7000000002' : `7${String(i).padStart(9, '0')}` // row 19,999 repeats row 2's
      const external = i === ROWS ? 'X-3' : `X-${i}` // row 20,000 repeats row 3's
      const commune = i === 1 ? '00004' : COMMUNES[i % 3] // row 1: a commune of Hà Nội
      return JSON.stringify({
        external_id: external,
        commune_code: commune,
        name: `Cơ sở ${i}`,
        kind: 'sme',
        tax_code: tax,
      })
    }
    function* body() {
      yield Buffer.from('[')
      for (let i = 1; i <= ROWS; i++)
        yield Buffer.concat([Buffer.from(i > 1 ? ',' : ''), padding, Buffer.from(row(i))])
      yield Buffer.from(']')
    }
    const bodyBytes = ROWS * (padding.length + 100)
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    t.ok(address)
    // What the JavaScript heap retains (a full collection first, so garbage not yet collected does
    // not count): a body buffered whole would be there as a string (PGlite's memory is not).
    const retained = () => {
      gc()
      return process.memoryUsage().heapUsed
    }
    const before = retained()
    let peak = before
    const sampler = setInterval(() => {
      peak = Math.max(peak, retained())
    }, 1500)
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/establishments/imports',
          headers: { ...as.officer08, 'content-type': 'application/json' },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (d) => {
            text += d
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
      const chunks = body()
      const write = () => {
        for (let next = chunks.next(); !next.done; next = chunks.next()) {
          if (!req.write(next.value)) return void req.once('drain', write)
        }
        req.end()
      }
      write()
    })
    clearInterval(sampler)
    t.equal(answer.status, 422, answer.text.slice(0, 500))
    const report = JSON.parse(answer.text)
    t.same(report.errors, [
      { row: 1, column: 'commune_code', message: 'must be a commune of province 08' },
      { row: 19_999, column: 'tax_code', message: 'is also on row 2' },
      { row: 20_000, column: 'external_id', message: 'is also on row 3' },
    ])
    t.match(report, { created: ROWS - 3, failed: 3, committed: false })
    const grew = peak - before
    t.ok(
      grew < bodyBytes / 4,
      `memory grew by ${Math.round(grew / 1e6)} MB for a ${Math.round(bodyBytes / 1e6)} MB body`,
    )
    t.equal(await count(), 0, 'nothing written')
  },
)

t.test('malformed JSON is a 400 naming the body; an item that is no object is a row error', async (t) => {
  const cases: [string, string][] = [
    ['', '/'],
    ['{"name":"x"}', '/'],
    ['"x"', '/'],
    ['[{"name":"x"}', '/'],
    ['[{"name":"x"}] x', '/'],
    ['[{"name":}]', '/0'],
    ['[{"name":"a"},]', '/1'],
    ['[,{"name":"a"}]', '/0'],
    ['[{"name":"a"} {"name":"b"}]', '/0'],
    ['\uFEFF\uFEFF[]', '/'],
  ]
  for (const [body, pointer] of cases) {
    const res = await json(body)
    t.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`)
    t.match(
      res.json(),
      { code: 'validation_failed', errors: [{ in: 'body', pointer }] },
      JSON.stringify(body),
    )
  }
  t.equal((await json('\uFEFF [ ] ')).statusCode, 200, 'a BOM and whitespace around the array')
  const items = await json('[42, null, [], "x", {"__proto__": {"name": "x"}, "constructor": "y"}]')
  t.equal(items.statusCode, 422)
  t.same(items.json().errors, [
    { row: 1, column: null, message: 'must be an object' },
    { row: 2, column: null, message: 'must be an object' },
    { row: 3, column: null, message: 'must be an object' },
    { row: 4, column: null, message: 'must be an object' },
    { row: 5, column: '__proto__', message: 'is not a column of the template' },
    { row: 5, column: 'constructor', message: 'is not a column of the template' },
  ])
  const keys = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, 1]))
  const many = await json(JSON.stringify([keys, { commune_code: '00004', name: 'A', kind: 'sme' }]))
  t.equal(many.statusCode, 422)
  t.match(many.json(), { failed: 2 })
  t.equal(many.json().errors.length, 1000, 'the report holds the first 1,000 errors')
  t.ok(
    many.json().errors.every((e: { row: number }) => e.row === 1),
    'in row order',
  )
  const huge = await json(`[{"name":"${'x'.repeat(1024 * 1024)}"}]`)
  t.equal(huge.statusCode, 400, 'an item over 1 MB is refused before it is held')
  t.match(huge.json(), { errors: [{ pointer: '/0' }] })
  const header = await csv('__proto__,name\n{},x\n')
  t.equal(header.statusCode, 400)
})

t.test('nesting thousands of levels deep: a row error or a 400, never a 500', async (t) => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
  const inRow = await json(`[{"commune_code":"00691","name":${deep(100_000)},"kind":"sme"}]`)
  t.equal(inRow.statusCode, 422, inRow.body.slice(0, 300))
  t.same(inRow.json().errors, [{ row: 1, column: 'name', message: 'must be text' }])
  const asItem = await json(`[${deep(100_000)}]`)
  t.equal(asItem.statusCode, 422)
  t.same(asItem.json().errors, [{ row: 1, column: null, message: 'must be an object' }])
  const objects = await json(`[{"name":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}]`)
  t.equal(objects.statusCode, 422)
  const unbalanced = await json(`[${'['.repeat(100_000)}]`)
  t.equal(unbalanced.statusCode, 400)
})

t.test('a dry run reports exactly what the import does: NUL, lone surrogates, database rules', async (t) => {
  // An active establishment holds tax code 7100000001; a closed one had it before (created first:
  // the other way round, the closed row would find the active one by its tax code).
  const seed = await json(
    JSON.stringify([
      {
        external_id: 'S-2',
        commune_code: '00691',
        name: 'Đã đóng cửa',
        kind: 'sme',
        tax_code: '7100000001',
        status: 'closed',
      },
      {
        external_id: 'S-1',
        commune_code: '00691',
        name: 'Đang hoạt động',
        kind: 'sme',
        tax_code: '7100000001',
      },
    ]),
  )
  t.equal(seed.statusCode, 200, seed.body)
  const rows = [
    { commune_code: '00691', name: 'Tên\u0000có NUL', kind: 'sme' },
    { commune_code: '00691', name: 'Thư', kind: 'sme', email: 'a\u0000b@example.vn' },
    { commune_code: '00691', name: 'Mã', kind: 'sme', external_id: 'E\u0000' },
    { commune_code: '00691', name: 'Tốt', kind: 'sme', external_id: 'GOOD-1' },
    // Reopening the closed one would give two active establishments one tax code.
    { external_id: 'S-2', status: 'active' },
  ]
  // A lone surrogate cannot be written in JSON.stringify's output: spliced in as an escape.
  const body = JSON.stringify([...rows, { commune_code: '00691', name: 'SURROGATE', kind: 'sme' }]).replace(
    'SURROGATE',
    'x\\ud800y',
  )
  const expected = [
    { row: 1, column: 'name', message: 'must not contain a NUL character (U+0000)' },
    { row: 2, column: 'email', message: 'must not contain a NUL character (U+0000)' },
    { row: 3, column: 'external_id', message: 'must not contain a NUL character (U+0000)' },
    { row: 5, column: 'tax_code', message: 'is already used by an active establishment' },
    { row: 6, column: 'name', message: 'must be valid Unicode text (it holds a lone surrogate)' },
  ]
  const reports = []
  for (const query of ['?dry_run=true', '?dry_run=true&atomic=false', '', '?atomic=false']) {
    const res = await json(body, query)
    // Only the partial import commits; a dry run with errors failed, as the import would have in part.
    const partial = query === '?atomic=false'
    t.equal(res.statusCode, partial ? 200 : 422, `${query}: ${res.body}`)
    t.equal(res.json().status, partial ? 'committed' : 'failed', query)
    const { created, updated, unchanged, failed, errors } = res.json()
    const report = { created, updated, unchanged, failed, errors }
    t.same(report.errors, expected, query)
    reports.push(report)
  }
  t.same(reports[1], reports[0], 'a dry run and an all-or-nothing import agree')
  t.same(reports[3], reports[0], 'a dry run and a partial import agree')
  t.same(reports[0], { created: 1, updated: 0, unchanged: 0, failed: 5, errors: expected })
  t.equal(await count(), 3, 'only the good row was written, by atomic=false')

  const cells = await csv(
    'commune_code,name,kind,address\n00691,A\u0000B,sme,x\n00691,C,sme,"y\u0000"\n',
    '?dry_run=true',
  )
  t.equal(cells.statusCode, 422)
  t.same(cells.json().errors, [
    { row: 1, column: 'name', message: 'must not contain a NUL character (U+0000)' },
    { row: 2, column: 'address', message: 'must not contain a NUL character (U+0000)' },
  ])
})

t.test('text that is not UTF-8 is refused, never stored as U+FFFD', async (t) => {
  const latin1 = Buffer.concat([
    Buffer.from('commune_code,name,kind\n00691,Cơ sở Một,sme\n00691,'),
    Buffer.from([0x43, 0xf4, 0x20, 0x73, 0xe1]), // "Cô sá" in Latin-1
    Buffer.from(',sme\n'),
  ])
  const res = await csv(latin1, '?atomic=false')
  t.equal(res.statusCode, 200, res.body)
  t.same(res.json().errors, [
    { row: 2, column: 'name', message: 'is not valid UTF-8 text: save the file as UTF-8' },
  ])
  t.match(res.json(), { created: 1, failed: 1 })
  const header = await csv(
    Buffer.concat([Buffer.from('commune_code,n'), Buffer.from([0xe1]), Buffer.from('me\n')]),
  )
  t.equal(header.statusCode, 400)
  t.match(header.json().errors, [{ pointer: '/columns/1' }])
  const utf16 = await csv(Buffer.from('\uFEFFcommune_code,name,kind\n', 'utf16le'))
  t.equal(utf16.statusCode, 400, 'UTF-16 is not read as something else')
  const jsonBad = await json(
    Buffer.concat([
      Buffer.from('[{"commune_code":"00691","name":"'),
      Buffer.from([0xff]),
      Buffer.from('","kind":"sme"}]'),
    ]),
  )
  t.equal(jsonBad.statusCode, 400)
  t.match(jsonBad.json(), { errors: [{ in: 'body', pointer: '/0' }] })

  for (const [type, charset] of [
    ['text/csv', 'latin1'],
    ['text/csv', 'ISO-8859-1'],
    ['text/csv', '"windows-1258"'],
    ['application/json', 'utf-16'],
  ] as const) {
    const refused = await post(as.officer08, `${type}; charset=${charset}`, 'commune_code,name,kind\n')
    t.equal(refused.statusCode, 415, `${type}; charset=${charset}`)
    t.match(refused.json(), { code: 'unsupported_media_type', detail: new RegExp(`${type}; charset=utf-8`) })
  }
  for (const charset of ['utf-8', 'UTF-8', 'utf8', '"utf-8"']) {
    const ok = await post(
      as.officer08,
      `text/csv; charset=${charset}`,
      'commune_code,name,kind\n',
      '?dry_run=true',
    )
    t.equal(ok.statusCode, 200, charset)
  }
})

// Strings that begin like formulas, apostrophes and all.
const PREFIXES = ["'", "''", '=', "'=", "''=", '+', '-', '@', '+84', '-5', "'+", '\t', ' ', '"', '']
const tricky = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.string({ unit: 'grapheme', maxLength: 12 }))
  .map(([prefix, rest]) => prefix + rest)

t.test('the formula guard is undone exactly once: cell by cell', async (t) => {
  fc.assert(
    fc.property(fc.oneof(tricky, fc.string({ unit: 'binary' })), (text) => {
      const records = parse(csvLine([text])) as string[][]
      return unguard(records[0]?.[0] ?? '') === text
    }),
    { numRuns: 20_000, seed: 12 },
  )
  t.equal(csvLine(["'=x"]), "''=x\r\n")
  t.equal(csvLine(["'abc"]), "''abc\r\n")
  t.equal(csvLine(["''=x"]), "'''=x\r\n")
  t.equal(csvLine(['=x']), "'=x\r\n")
  t.equal(csvLine(['+84 912 345 678']), '+84 912 345 678\r\n')
  t.equal(unguard("'abc"), "'abc", 'an apostrophe the export did not add stays')
})

t.test('export → import of any text changes nothing, through HTTP', async (t) => {
  const texts = fc
    .sample(tricky, { numRuns: 150, seed: 7 })
    .concat(["'=x", "'abc", "''=x", '=SUM(A1)', "'", "''", '@x'])
    .map(normalizeText)
    .filter((s) => s !== '' && wellFormed(s) && !s.includes('\u0000') && s.length <= 300)
  const rows = texts.map((text, i) => ({
    external_id: `RT-${i}`,
    commune_code: '00694',
    name: text,
    kind: 'sme',
    address: text,
    main_products: text,
  }))
  const created = await json(JSON.stringify(rows))
  t.equal(created.statusCode, 200, created.body.slice(0, 500))
  const list = async () => {
    const res = await app.inject({
      url: '/v1/establishments?limit=500',
      headers: { ...as.officer08 },
    })
    const byExternal = new Map<string, Record<string, unknown>>()
    for (const item of res.json().items) byExternal.set(item.external_id, item)
    return byExternal
  }
  const stored = await list()
  for (const [i, text] of texts.entries()) {
    const item = stored.get(`RT-${i}`)
    t.equal(item?.name, text, 'JSON stores text as sent (normalised), no apostrophe removed')
    if (item?.name !== text) break
  }
  const exported = await app.inject({
    url: '/v1/establishments',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(exported.statusCode, 200)
  t.match(exported.body, "''=x", 'an apostrophe of the text is guarded')
  const again = await csv(exported.rawPayload)
  t.equal(again.statusCode, 200, again.body.slice(0, 500))
  t.match(again.json(), { created: 0, updated: 0, failed: 0 })
  t.same(await list(), stored, 'nothing changed')
})

t.test(
  'kc_app may create the temporary table, also where PUBLIC may not',
  { skip: !onPostgres && 'PostgreSQL only' },
  async (t) => {
    const { db } = database
    const may = async () =>
      (
        await sql<{ may: boolean }>`
        select has_database_privilege('kc_app', current_database(), 'temporary') as may`.execute(db)
      ).rows[0]?.may
    const dryRun = () => json('[{"commune_code":"00691","name":"Tạm","kind":"sme"}]', '?dry_run=true')
    t.equal(await may(), true)
    // A hardened database: TEMPORARY revoked from PUBLIC (and so from kc_app).
    await sql`do $$ begin execute format('revoke temporary on database %I from public', current_database()); end $$`.execute(
      db,
    )
    t.equal(await may(), false)
    t.not((await dryRun()).statusCode, 200, 'without the privilege the import cannot run')
    await grantTemporary(db as unknown as Kysely<unknown>)
    t.equal(await may(), true, 'the migration grants it')
    t.equal((await dryRun()).statusCode, 200)
  },
)

t.test(
  'a CSV line of a million empty fields is a 400 naming the line, before the parser builds them',
  async (t) => {
    // 600 KB of commas exhausted the production heap (192 MB): each field is an object of the parser's.
    const heap = process.memoryUsage().heapUsed
    const res = await csv(`name,kind,commune_code\n${','.repeat(1_000_000)}\n`, '?dry_run=true')
    t.equal(res.statusCode, 400, res.body.slice(0, 300))
    t.match(res.json(), {
      errors: [{ in: 'body', pointer: '/csv', detail: /1000.*(line 2|dòng 2)|dòng 2.*1000/ }],
    })
    t.ok(process.memoryUsage().heapUsed - heap < 100 * 1024 * 1024, 'the heap did not follow the fields')
    // Commas inside a quoted field are not fields: the row is read, and its name is too long.
    const quoted = await csv(
      `external_id,commune_code,name,kind\nQ-1,00691,"Cơ sở ${','.repeat(5000)}",household_business\n`,
      '?dry_run=true',
    )
    t.not(quoted.statusCode, 400, quoted.body.slice(0, 300))
    t.match(quoted.json(), { errors: [{ row: 1, column: 'name' }] })
  },
)

t.test(
  'a CSV the parser cannot read: a 400 naming the line, in the caller’s language, no parser internals',
  async (t) => {
    const res = await csv(
      'external_id,commune_code,name,kind\nX-1,00691,=HYPERLINK("x"),sme\n',
      '?dry_run=true',
    )
    t.equal(res.statusCode, 400)
    const detail = res.json().errors[0].detail as string
    t.match(detail, /dòng 2/)
    t.notMatch(detail, /Invalid|Buffer|data/, 'nothing of the parser’s own message')
  },
)
