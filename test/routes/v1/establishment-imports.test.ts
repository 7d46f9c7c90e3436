import { Readable } from 'node:stream'
import { sql } from 'kysely'
import t from 'tap'
import { establishments, HEADER } from '../../../scripts/generate-establishments.ts'
import { withTenant } from '../../../src/db/tenancy.ts'
import { csvLine } from '../../../src/lib/csv.ts'
import { DEFAULTS } from '../../../src/routes/v1/establishments/imports/cells.ts'
import { matching } from '../../../src/routes/v1/establishments/imports/repository.ts'
import { BATCH } from '../../../src/routes/v1/establishments/imports/run.ts'
import { csvRows } from '../../../src/routes/v1/establishments/imports/sources.ts'
import { COLUMNS } from '../../../src/routes/v1/establishments/repository.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { directScope } from '../../helpers/scopes.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, logText, database } = await buildTestApp(t)
const as = await cast()

const importCsv = (headers: Record<string, string>, csv: string | Buffer, query = '') =>
  app.inject({
    method: 'POST',
    url: `/v1/establishments/imports${query}`,
    headers: { ...headers, 'content-type': 'text/csv' },
    payload: csv,
  })
const importJson = (headers: Record<string, string>, rows: unknown, query = '') =>
  app.inject({ method: 'POST', url: `/v1/establishments/imports${query}`, headers, payload: rows as object })
const count = async (headers = as.officer08, query = '') =>
  (await app.inject({ url: `/v1/establishments?include_total=true${query}`, headers })).json().total as number
/** The report part of an import's answer (the rest is its record: id, status, times…). */
const reportOf = (res: { json(): Record<string, unknown> }) => {
  const { created, updated, unchanged, failed, errors, dry_run, committed } = res.json()
  return { created, updated, unchanged, failed, errors, dry_run, committed }
}
const byName = async (q: string) =>
  (await app.inject({ url: `/v1/establishments?q=${encodeURIComponent(q)}`, headers: as.officer08 })).json()
    .items as Record<string, unknown>[]

t.test('the template is the header of the export', async (t) => {
  const res = await app.inject({ url: '/v1/establishments/imports/template', headers: as.officer08 })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/csv/)
  t.equal(
    res.body,
    '\uFEFFid,province_code,commune_code,name,kind,tax_code,industry,vsic_code,address,year_founded,employees,' +
      'main_products,phone,email,priority_areas,priority_products,status,origin_province_code,external_id,' +
      'version,created_at,updated_at\r\n',
  )
})

t.test('good and bad rows mixed: an exact report in row order, and nothing written', async (t) => {
  const csv = [
    'commune_code,name,kind,tax_code,employees,priority_areas',
    '00691,Cơ sở Một,household_business,,5,',
    '00004,Cơ sở Hai,sme,5000000002,10,', // a commune of Hà Nội
    '00691,Cơ sở Ba,corporation,5000000003,x,', // two bad cells
    '00691,,sme,5000000004,1,difficult_area', // no name
    '00694,Cơ sở Năm,sme,5000000005,2,difficult_area;poor_area',
    '00694,Cơ sở Sáu,sme,5000000005,2,', // the tax code of row 5
    '00694,Cơ sở Bảy,sme,123,2,',
  ].join('\n')
  const res = await importCsv(as.officer08, csv)
  t.equal(res.statusCode, 422, res.body)
  t.same(reportOf(res), {
    created: 2,
    updated: 0,
    unchanged: 0,
    failed: 5,
    dry_run: false,
    committed: false,
    errors: [
      { row: 2, column: 'commune_code', message: 'must be a commune of province 08' },
      { row: 3, column: 'kind', message: 'must be a code of the list establishment_kind' },
      { row: 3, column: 'employees', message: 'must be a whole number from 0 to 10000000' },
      { row: 4, column: 'name', message: 'is required' },
      { row: 6, column: 'tax_code', message: 'is also on row 5' },
      {
        row: 7,
        column: 'tax_code',
        message: 'must be 10 digits, or 10 digits, "-" and 3 digits for a branch',
      },
    ],
  })
  t.equal(await count(), 0, 'nothing written')
  const partial = await importCsv(as.officer08, csv, '?atomic=false')
  t.equal(partial.statusCode, 200)
  t.match(partial.json(), { created: 2, failed: 5, committed: true })
  t.equal(await count(), 2, 'atomic=false writes the good rows')
})

t.test('every CSV dialect, NFD stored as NFC', async (t) => {
  const header = 'external_id;commune_code;name;kind;address;main_products'
  const nfd = 'Cơ sở Dệt thổ cẩm Lũng Cú'.normalize('NFD')
  const semicolonCrlfBom = `\uFEFF${header}\r\nD-1;00700;  ${nfd}  ;household_business;"Thôn 1; xã Ngọc Đường";"Vải, khăn\r\nthổ cẩm"\r\n`
  const res = await importCsv(as.officer08, Buffer.from(semicolonCrlfBom, 'utf8'))
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { created: 1, failed: 0, committed: true })
  const [stored] = await byName('det tho cam')
  t.equal(stored?.name, 'Cơ sở Dệt thổ cẩm Lũng Cú')
  t.equal(stored?.name, 'Cơ sở Dệt thổ cẩm Lũng Cú'.normalize('NFC'), 'stored NFC')
  t.equal(stored?.address, 'Thôn 1; xã Ngọc Đường')
  t.equal(stored?.main_products, 'Vải, khăn thổ cẩm', 'a quoted line break, whitespace normalised')

  const commaLf =
    'external_id,commune_code,name,kind,address\nD-2,00700,"Cơ sở Rèn ""Phúc Sen""",sme,"Thôn 2, xã Ngọc Đường"\n'
  const res2 = await importCsv(as.officer08, commaLf)
  t.equal(res2.statusCode, 200, res2.body)
  t.equal((await byName('ren phuc sen'))[0]?.name, 'Cơ sở Rèn "Phúc Sen"')
  t.equal((await byName('ren phuc sen'))[0]?.address, 'Thôn 2, xã Ngọc Đường')

  const charset = await app.inject({
    method: 'POST',
    url: '/v1/establishments/imports?dry_run=true',
    headers: { ...as.officer08, 'content-type': 'text/csv; charset=utf-8' },
    payload: 'commune_code,name,kind\r\n00700,Cơ sở Thử,sme\r\n',
  })
  t.equal(charset.statusCode, 200, charset.body)
  t.match(charset.json(), { created: 1, dry_run: true, committed: false })

  const commaCrlfBomNoNewline = '\uFEFFexternal_id,commune_code,name,kind\r\nD-3,00700,Cơ sở Mộc,sme'
  const res3 = await importCsv(as.officer08, commaCrlfBomNoNewline)
  t.equal(res3.statusCode, 200, res3.body)
  t.equal(res3.json().created, 1)

  const again = await importCsv(as.officer08, commaLf.replace('sme', 'cooperative'))
  t.match(again.json(), { created: 0, updated: 1, unchanged: 0 }, 'upsert by external_id')

  const badHeader = await importCsv(as.officer08, 'name,colour\nA,red\n')
  t.equal(badHeader.statusCode, 400)
  t.match(badHeader.json().errors, [{ pointer: '/columns/1' }])
  const unclosed = await importCsv(as.officer08, 'name,kind\n"A,sme\n')
  t.equal(unclosed.statusCode, 400)
  const ragged = await importCsv(as.officer08, 'commune_code,name,kind\n00700,A\n')
  t.equal(ragged.statusCode, 422)
  t.match(ragged.json().errors, [{ row: 1, column: null }])
})

t.test('tax codes: upsert against the database, another province’s code refused', async (t) => {
  const first = await importJson(as.officer01, [
    { commune_code: '00004', name: 'Công ty Hà Nội', kind: 'sme', tax_code: '0100000001' },
  ])
  t.equal(first.statusCode, 200, first.body)
  const seed = await importJson(as.officer08, [
    { commune_code: '00691', name: 'HTX Chè', kind: 'cooperative', tax_code: '5000000010', employees: 10 },
  ])
  t.equal(seed.json().created, 1)
  const res = await importJson(as.officer08, [
    { commune_code: '00691', name: 'HTX Chè', kind: 'cooperative', tax_code: '5000000010', employees: 12 },
    { commune_code: '00691', name: 'Trùng Hà Nội', kind: 'sme', tax_code: '0100000001' },
  ])
  t.equal(res.statusCode, 422)
  t.same(res.json().errors, [
    { row: 2, column: 'tax_code', message: 'is already used by an active establishment' },
  ])
  t.match(res.json(), { created: 0, updated: 1, failed: 1 })
  t.notMatch(res.body, 'Công ty Hà Nội')
  t.equal((await byName('htx che'))[0]?.employees, 10, 'nothing written')
  const ok = await importJson(as.officer08, [
    { name: 'HTX Chè', kind: 'cooperative', tax_code: '5000000010', employees: 12 },
  ])
  t.match(ok.json(), { created: 0, updated: 1, unchanged: 0, committed: true })
  t.equal((await byName('htx che'))[0]?.employees, 12)
})

t.test('a blank status cell keeps the status: active when created, unchanged when stored', async (t) => {
  const header = 'external_id,commune_code,name,kind,status\n'
  const created = await importCsv(as.officer08, `${header}ST-1,00691,Cơ sở Trạng Thái,sme,\n`)
  t.equal(created.statusCode, 200, created.body)
  t.match(reportOf(created), { created: 1, failed: 0 })
  const [stored] = await byName('trang thai')
  t.equal(stored?.status, 'active', 'created with the default')
  const closed = await importCsv(as.officer08, `${header}ST-1,00691,Cơ sở Trạng Thái,sme,closed\n`)
  t.match(reportOf(closed), { updated: 1 })
  for (const json of [false, true]) {
    const blank = json
      ? await importJson(as.officer08, [{ external_id: 'ST-1', status: null }])
      : await importCsv(as.officer08, 'external_id,status\nST-1,\n')
    t.equal(blank.statusCode, 200, blank.body)
    t.match(reportOf(blank), { unchanged: 1, failed: 0 }, 'a blank status changes nothing')
    t.equal((await byName('trang thai'))[0]?.status, 'closed')
  }
})

t.test('another province’s rows are refused; the ministry imports nothing', async (t) => {
  const before = await count()
  const rows = [
    { commune_code: '00004', name: 'Cơ sở của 01', kind: 'sme' },
    { province_code: '08', commune_code: '00691', name: 'INTRUDER', kind: 'sme' },
  ]
  const res = await importJson(as.officer01, rows)
  t.equal(res.statusCode, 422)
  t.same(res.json().errors, [
    { row: 2, column: 'province_code', message: 'must be 01: this import writes province 01' },
  ])
  t.equal((await importJson(as.officer01, rows, '?province_code=08')).statusCode, 403)
  t.equal((await importJson(as.ministry, rows)).statusCode, 403)
  t.equal((await importJson(as.reader08, rows)).statusCode, 403)
  t.equal(await count(), before)
  t.equal(await count(as.ministry, '&q=intruder'), 0)
})

t.test('JSON array input and dry run', async (t) => {
  const before = await count()
  const rows = [
    {
      commune_code: '00694',
      name: 'Cơ sở Gốm Bát Tràng',
      kind: 'household_business',
      priority_products: ['key_product', 'export_product'],
      year_founded: 2001,
      phone: '0912345678',
      email: 'gom@example.vn',
    },
  ]
  const dry = await importJson(as.officer08, rows, '?dry_run=true')
  t.equal(dry.statusCode, 200)
  t.equal(dry.json().status, 'validated', 'a clean dry run is validated, not committed')
  t.same(reportOf(dry), {
    created: 1,
    updated: 0,
    unchanged: 0,
    failed: 0,
    errors: [],
    dry_run: true,
    committed: false,
  })
  t.equal(await count(), before, 'a dry run writes nothing')
  const real = await importJson(as.officer08, rows)
  t.match(real.json(), { created: 1, committed: true })
  t.same((await byName('bat trang'))[0]?.priority_products, ['key_product', 'export_product'])
  const notArray = await importJson(as.officer08, { name: 'x' })
  t.equal(notArray.statusCode, 400)
  const mixed = await importJson(as.officer08, [42])
  t.equal(mixed.statusCode, 422, 'an element that is not an object is a failing row')
  t.same(mixed.json().errors, [{ row: 1, column: null, message: 'must be an object' }])
  const events = await app.inject({
    url: '/v1/audit-events?entity_type=establishment',
    headers: as.officer08,
  })
  t.ok(events.json().items.length > 0, 'imports are audited')
})

t.test('an import audits each row it writes, once, in row order, personal values withheld', async (t) => {
  const csv = [
    'commune_code,name,kind,tax_code,phone',
    '00691,Cơ sở Kiểm Một,sme,5000000901,0912000001',
    '00691,Cơ sở Kiểm Hai,sme,5000000902,',
    '00691,Cơ sở Kiểm Ba,sme,5000000903,',
  ].join('\n')
  t.match((await importCsv(as.officer08, csv)).json(), { created: 3, committed: true })
  // The second row again, with a phone now: an update; the others unchanged, so no event.
  const again = csv.replace('5000000902,', '5000000902,0912000002')
  t.match((await importCsv(as.officer08, again)).json(), { created: 0, updated: 1, unchanged: 2 })
  const ids = new Map<string, string>()
  for (const n of ['Một', 'Hai', 'Ba']) ids.set(n, (await byName(`Cơ sở Kiểm ${n}`))[0]?.id as string)
  const eventsOf = async (id: string | undefined) =>
    (
      await app.inject({
        url: `/v1/audit-events?entity_type=establishment&entity_id=${id}`,
        headers: as.officer08,
      })
    ).json().items as Record<string, unknown>[]
  const one = await eventsOf(ids.get('Một'))
  t.equal(one.length, 1, 'created once, unchanged after: one event')
  t.match(one[0], {
    action: 'create',
    actor: { sub: 'officer-08' },
    after: { name: 'Cơ sở Kiểm Một', phone: { changed: true } },
  })
  // The event holds the record as the API shows it: dates as the same ISO strings, arrays, numbers.
  const record = (
    await app.inject({ url: `/v1/establishments/${ids.get('Một')}`, headers: as.officer08 })
  ).json() as Record<string, unknown>
  const after = one[0]?.after as Record<string, unknown>
  t.ok(Object.keys(after).length >= 15, 'a create records every field')
  for (const [field, value] of Object.entries(after)) {
    if (field === 'phone') continue
    t.same(value, record[field], `the event's ${field} is the record's`)
  }
  const two = await eventsOf(ids.get('Hai'))
  t.same(
    two.map((e) => e.action),
    ['update', 'create'],
    'listed newest first: the update, then the create',
  )
  t.same(two[0]?.after, { phone: { changed: true } }, 'the update holds what changed, withheld')
  const all = (
    await app.inject({ url: '/v1/audit-events?entity_type=establishment&limit=500', headers: as.officer08 })
  ).json().items as Record<string, unknown>[]
  const order = all
    .filter((e) => e.action === 'create' && [...ids.values()].includes(e.entity_id as string))
    .map((e) => e.entity_id)
  t.same(
    order,
    ['Ba', 'Hai', 'Một'].map((n) => ids.get(n)),
    'written in row order (listed newest first)',
  )
})

t.test('a batch that creates and updates audits its rows in row order, each as written', async (t) => {
  const header = 'commune_code,name,kind,tax_code'
  t.match((await importCsv(as.officer08, `${header}\n00691,Cơ sở Trộn Một,sme,5000000911`)).json(), {
    created: 1,
  })
  // One batch: a new establishment, the first one renamed (found by its tax code), another new one.
  const mixed = [
    header,
    '00691,Cơ sở Trộn Hai,sme,5000000912',
    '00691,Cơ sở Trộn Một Mới,sme,5000000911',
    '00691,Cơ sở Trộn Ba,sme,5000000913',
  ].join('\n')
  t.match((await importCsv(as.officer08, mixed)).json(), { created: 2, updated: 1, committed: true })
  const ids = new Map<string, string>()
  for (const n of ['Một Mới', 'Hai', 'Ba']) ids.set(n, (await byName(`Cơ sở Trộn ${n}`))[0]?.id as string)
  const all = (
    await app.inject({ url: '/v1/audit-events?entity_type=establishment&limit=500', headers: as.officer08 })
  ).json().items as Record<string, unknown>[]
  const mine = all.filter((e) => [...ids.values()].includes(e.entity_id as string))
  t.same(
    mine.map((e) => [e.action, e.entity_id]),
    [
      ['create', ids.get('Ba')],
      ['update', ids.get('Một Mới')],
      ['create', ids.get('Hai')],
      ['create', ids.get('Một Mới')],
    ],
    'the batch in row order (listed newest first), after the first import',
  )
  t.same(mine[1]?.before, { name: 'Cơ sở Trộn Một' }, 'the update holds what changed')
  t.same(mine[1]?.after, { name: 'Cơ sở Trộn Một Mới' })
  // A create without personal values records the row as written, its empty contact fields included.
  const record = (
    await app.inject({ url: `/v1/establishments/${ids.get('Hai')}`, headers: as.officer08 })
  ).json() as Record<string, unknown>
  const after = mine[2]?.after as Record<string, unknown>
  t.equal(after.phone, null)
  for (const [field, value] of Object.entries(after)) t.same(value, record[field], `the event's ${field}`)
})

t.test('export → import of the same file changes nothing', async (t) => {
  const exported = await app.inject({
    url: '/v1/establishments',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(exported.statusCode, 200)
  const total = await count()
  t.ok(total >= 5)
  const res = await importCsv(as.officer08, exported.rawPayload)
  t.equal(res.statusCode, 200, res.body)
  t.same(reportOf(res), {
    created: 0,
    updated: 0,
    unchanged: total,
    failed: 0,
    errors: [],
    dry_run: false,
    committed: true,
  })
  const reexported = await app.inject({
    url: '/v1/establishments',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(reexported.body, exported.body)
})

t.test('all-or-nothing stops writing at the first bad row in row order, whatever the timing', async (t) => {
  // The next batch is checked while one is written: a bad row there must not stop the batch
  // before it from being written, or what later rows are told would depend on timing.
  const batch = BATCH[app.database.kind]
  const header = 'external_id,commune_code,name,kind,tax_code\n'
  t.equal(
    (await importCsv(as.officer08, `${header}ORD-X,00691,Cơ sở Thứ Tự X,sme,5100000000\n`)).statusCode,
    200,
  )
  const rows = [`ORD-1,00691,Cơ sở Thứ Tự 1,sme,5100000001`]
  for (let i = 2; i <= batch; i++) rows.push(`ORD-${i},00691,Cơ sở Thứ Tự ${i},sme,`)
  rows.push(`ORD-BAD,99999,Cơ sở Thứ Tự Sai,sme,`) // first row of the next batch: its own check fails
  rows.push(`ORD-X,00691,Cơ sở Thứ Tự X,sme,5100000001`) // X takes row 1's tax code
  for (const query of ['?dry_run=true', '']) {
    const res = await importCsv(as.officer08, `${header}${rows.join('\n')}\n`, query)
    t.equal(res.statusCode, 422, res.body)
    t.same(res.json().errors, [
      { row: batch + 1, column: 'commune_code', message: 'must be a commune of province 08' },
      // Row 1's establishment was written with its batch, so it is the one row X's tax code finds.
      { row: batch + 2, column: 'external_id', message: 'belongs to another establishment of this province' },
    ])
  }
})

t.test('a file larger than one batch: duplicates found across batches, then a round trip', async (t) => {
  const communes = ['00691', '00694', '00700']
  const line = (i: number, tax = `6${String(i).padStart(9, '0')}`) =>
    `B-${i},${communes[i % 3]},Cơ sở số ${i},household_business,${tax},${i % 50}`
  const batch = BATCH[app.database.kind]
  const n = 2 * batch + 200
  const rows = Array.from({ length: n }, (_, i) => line(i + 1))
  const repeat = 2 * batch + 100 // the tax code of row 7, two batches later
  rows[repeat - 1] = line(repeat, '6000000007')
  const csv = `external_id,commune_code,name,kind,tax_code,employees\n${rows.join('\n')}\n`
  const before = await count()
  const res = await importCsv(as.officer08, csv)
  t.equal(res.statusCode, 422)
  t.same(res.json().errors, [{ row: repeat, column: 'tax_code', message: 'is also on row 7' }])
  t.match(res.json(), { created: n - 1, failed: 1 })
  t.equal(await count(), before, 'nothing written')
  rows[repeat - 1] = line(repeat)
  const ok = await importCsv(
    as.officer08,
    `external_id,commune_code,name,kind,tax_code,employees\n${rows.join('\n')}`,
  )
  t.equal(ok.statusCode, 200, ok.body)
  t.match(ok.json(), { created: n, failed: 0, committed: true })
  t.equal(await count(), before + n)
  const exported = await app.inject({
    url: '/v1/establishments',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  const again = await importCsv(as.officer08, exported.rawPayload)
  t.match(again.json(), { created: 0, updated: 0, unchanged: before + n, failed: 0 })
})

t.test('the load-test generator writes rows the import accepts', async (t) => {
  const mine = [...establishments(680, 7)].filter((r) => r.province_code === '08')
  t.equal(mine.length, 20)
  const csv = `\uFEFF${csvLine([...HEADER])}${mine.map((r) => csvLine(HEADER.map((h) => r[h]))).join('')}`
  const res = await importCsv(as.officer08, csv)
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { created: 20, failed: 0 })
  t.same([...establishments(5, 7)], [...establishments(5, 7)], 'deterministic')
})

t.test('the CSV stream is counted: past the limit, 413', async (t) => {
  const chunks = ['name,kind\n', 'A,sme\n', 'B,sme\n', 'C,sme\n']
  const read = async (limit: number) => {
    const rows = []
    for await (const row of csvRows(Readable.from(chunks.map((c) => Buffer.from(c))), limit)) rows.push(row)
    return rows
  }
  t.equal((await read(1000)).length, 3)
  const status = (limit: number) =>
    read(limit).then(
      () => 200,
      (error: { status?: number }) => error.status,
    )
  t.equal(await status(20), 413)
  t.equal(await status(5), 413, 'also while reading the header')
})

t.test('personal data never reaches the log', async (t) => {
  t.notMatch(logText(), '0912345678')
  t.notMatch(logText(), 'gom@example.vn')
})

t.test(
  'a write the database refuses fails the import: nothing is kept, whichever batch it is in',
  async (t) => {
    // The fault: the database refuses one establishment as a duplicate, which the importer could not
    // foresee (as when another transaction commits the same tax code meanwhile).
    await sql`create function kc_test_refuse() returns trigger language plpgsql as $$
    begin
      if new.name = 'Cơ sở Từ Chối' then raise unique_violation using message = 'refused by the test'; end if;
      return new;
    end $$;
    create trigger kc_test_refuse before insert on establishments
      for each row execute function kc_test_refuse()`.execute(database.db) // as the owner
    t.teardown(() =>
      sql`drop trigger kc_test_refuse on establishments; drop function kc_test_refuse()`.execute(database.db),
    )
    const before = await count()
    const row = (name: string) => `00691,${name},sme\n`
    const fillers = Array.from({ length: BATCH[app.database.kind] }, (_, i) => row(`Cơ sở Đệm ${i}`)).join('')
    for (const [where, csv] of [
      ['the only batch, the last', `commune_code,name,kind\n${row('Cơ sở Trước')}${row('Cơ sở Từ Chối')}`],
      ['the first of two', `commune_code,name,kind\n${row('Cơ sở Từ Chối')}${fillers}${row('Cơ sở Sau')}`],
    ]) {
      for (const query of ['', '?atomic=false']) {
        const res = await importCsv(as.officer08, csv as string, query)
        t.equal(res.statusCode, 409, `${where}${query}: refused`)
        t.match(res.json(), { code: 'conflict' })
        t.equal(await count(), before, `${where}${query}: nothing kept`)
        const job = await app.inject({ url: res.headers.location as string, headers: as.officer08 })
        t.match(job.json(), { status: 'failed', problem: { code: 'conflict' } }, `${where}${query}: recorded`)
      }
    }
  },
)

t.test('a new establishment takes the table’s default for each column its row leaves out', async (t) => {
  // The importer builds new rows whole (cells.ts DEFAULTS, version 1); the table's defaults are
  // what a row left out would otherwise get.
  const built: Record<string, unknown> = { ...DEFAULTS, version: 1 }
  for (const column of COLUMNS.filter(
    (c) => !['id', 'province_code', 'created_at', 'updated_at'].includes(c),
  )) {
    const { rows } = await sql<{ expression: string | null }>`select column_default as expression
      from information_schema.columns where table_name = 'establishments' and column_name = ${column}`.execute(
      database.db,
    )
    const expression = rows[0]?.expression ?? null
    const value =
      expression === null
        ? null
        : (await sql<{ v: unknown }>`select ${sql.raw(expression)} as v`.execute(database.db)).rows[0]?.v
    t.same(built[column], value, `${column}: ${expression ?? 'no default'}`)
  }
})

t.test(
  'new establishments and their audit events get time-ordered ids (version 7), by import or one by one',
  async (t) => {
    const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    /** The time a version 7 id carries, in milliseconds. */
    const timeOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)
    const before = Date.now()
    const csv = [
      'commune_code,name,kind,tax_code,external_id',
      '00691,Cơ sở Thời Một,household_business,,v7-1',
      '00691,Cơ sở Thời Hai,sme,5000077002,v7-2',
    ].join('\n')
    t.equal((await importCsv(as.officer08, csv)).statusCode, 200)
    const one = await app.inject({
      method: 'POST',
      url: '/v1/establishments',
      headers: as.officer08,
      payload: { commune_code: '00691', name: 'Cơ sở Thời Ba', kind: 'sme' },
    })
    t.equal(one.statusCode, 201, one.body)
    const after = Date.now()
    const ids = (await byName('co so thoi')).map((e) => e.id as string)
    t.equal(ids.length, 3)
    for (const id of ids) {
      t.match(id, V7)
      t.ok(timeOf(id) >= before - 1000 && timeOf(id) <= after + 1000, 'it carries the time it was made')
      const events = (
        await app.inject({
          url: `/v1/audit-events?entity_type=establishment&entity_id=${id}`,
          headers: as.officer08,
        })
      ).json().items as { id: string }[]
      t.equal(events.length, 1)
      t.match(events[0]?.id, V7, 'so does its audit event')
    }
  },
)

t.test('matching() gives each establishment once, however many rows name it', async (t) => {
  const res = await importCsv(
    as.officer08,
    'external_id,commune_code,name,kind,tax_code\nONCE-1,00691,Cơ sở Một Lần,sme,6100000001\n',
  )
  t.equal(res.statusCode, 200, res.body)
  const scope = directScope('province', '08')
  const { id } = await withTenant(app.db, scope, (trx) =>
    trx
      .selectFrom('establishments')
      .select('id')
      .where('external_id', '=', 'ONCE-1')
      .executeTakeFirstOrThrow(),
  )
  const ids = async (...keys: [string[], string[], string[]]) =>
    (await withTenant(app.db, scope, (trx) => matching(trx, '08', ...keys))).map((e) => e.id)
  t.same(await ids([id, id], [], []), [id], 'by id, named twice')
  t.same(await ids([], ['6100000001', '6100000001'], []), [id], 'by tax code, named twice')
  t.same(await ids([], [], ['ONCE-1', 'ONCE-1']), [id], 'by external id, named twice')
  t.same(await ids([id], ['6100000001'], ['ONCE-1']), [id], 'by all three')
})
