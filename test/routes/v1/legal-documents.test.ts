import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { createProvincialProgramme, resolution } from '../../helpers/records.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

const create = (headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/legal-documents', headers: { ...headers, ...extra }, payload })

let id = ''
let etag = ''

t.test('a province records a document; it reads back with its ETag', async (t) => {
  const res = await create(as.officer08, { ...resolution, origin_province_code: '02' })
  t.equal(res.statusCode, 201)
  const doc = res.json()
  id = doc.id
  etag = res.headers.etag as string
  t.equal(res.headers.location, `/v1/legal-documents/${id}`)
  t.equal(etag, '"1"')
  t.match(doc, {
    ...resolution,
    province_code: '08',
    origin_province_code: '02',
    status: 'in_force',
    version: 1,
  })
  t.match(doc.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

  const read = await app.inject({ url: `/v1/legal-documents/${id}`, headers: as.officer08 })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  t.same(read.json(), { ...doc, attachment_count: 0 }, 'as created, with how many files it keeps')
  const notModified = await app.inject({
    url: `/v1/legal-documents/${id}`,
    headers: { ...as.officer08, 'if-none-match': '"1"' },
  })
  t.equal(notModified.statusCode, 304)
})

t.test('a document can name the provincial programme it approves', async (t) => {
  const own = await createProvincialProgramme(app, as.officer08)
  const foreign = await createProvincialProgramme(app, as.officer01)
  const approval = {
    ...resolution,
    number: '20/QĐ-UBND',
    kind: 'decision',
    subject: 'local_programme_approval',
  }
  const ok = await create(as.officer08, { ...approval, programme_id: own })
  t.equal(ok.statusCode, 201)
  t.equal(ok.json().programme_id, own)
  const other = await create(as.officer08, { ...approval, number: '21/QĐ-UBND', programme_id: foreign })
  t.equal(other.statusCode, 400, "another province's programme")
  t.match(other.json(), { errors: [{ in: 'body', pointer: '/programme_id' }] })
  t.notMatch(other.body, /Hà Nội/, 'the refusal does not describe the other record')
})

t.test('a legal normative document is flagged; a plan never is one', async (t) => {
  const normative = await create(as.officer08, {
    ...resolution,
    number: '7/2024/NQ-HĐND',
    is_normative: true,
  })
  t.equal(normative.statusCode, 201)
  t.equal(normative.json().is_normative, true)
  const plan = (number: string, extra: object = {}) =>
    create(as.officer08, { ...resolution, number, kind: 'plan', ...extra })
  t.equal((await plan('8/KH-UBND')).json().is_normative, false, 'false unless said')
  const refused = await plan('9/KH-UBND', { is_normative: true })
  t.equal(refused.statusCode, 400)
  t.match(refused.json(), { errors: [{ in: 'body', pointer: '/is_normative' }] })
  const turned = await app.inject({
    method: 'PATCH',
    url: `/v1/legal-documents/${normative.json().id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
    payload: { kind: 'plan' },
  })
  t.equal(turned.statusCode, 400, 'nor does a normative document become a plan')
  t.match(turned.json(), { errors: [{ pointer: '/is_normative' }] })
  const listed = await app.inject({ url: '/v1/legal-documents?is_normative=true', headers: as.officer08 })
  t.same(
    listed.json().items.map((d: { number: string }) => d.number),
    ['7/2024/NQ-HĐND'],
    'filtered on the flag',
  )
})

t.test('text arrives NFD with stray spaces and is stored NFC, trimmed', async (t) => {
  const nfdTitle = '  Kế hoạch khuyến công năm 2023  '.normalize('NFD')
  const res = await create(as.officer08, {
    ...resolution,
    number: '01/KH-UBND',
    kind: 'plan',
    title: nfdTitle,
  })
  t.equal(res.statusCode, 201)
  t.equal(res.json().title, 'Kế hoạch khuyến công năm 2023')
  t.ok(res.json().title === res.json().title.normalize('NFC'))
  const found = await app.inject({ url: '/v1/legal-documents?q=ke hoach', headers: as.officer08 })
  t.same(
    found.json().items.map((d: { number: string }) => d.number),
    ['01/KH-UBND'],
    'search ignores diacritics',
  )
})

t.test('every validation failure names its field', async (t) => {
  const cases: [object, string][] = [
    [{ ...resolution, kind: 'poem' }, '/kind'],
    [{ ...resolution, subject: undefined }, '/subject'],
    [{ ...resolution, signed_date: '2022-02-30' }, '/signed_date'],
    [{ ...resolution, number: '' }, '/number'],
    [{ ...resolution, colour: 'red' }, '/colour'],
    [{ ...resolution, province_code: 'x8' }, '/province_code'],
    [{ ...resolution, number: 'A', effective_date: '2022-01-01' }, '/effective_date'],
    [{ ...resolution, number: 'B', expiry_date: '2022-07-31' }, '/expiry_date'],
    [{ ...resolution, number: 'C', status: 'replaced' }, '/changed_by_id'],
    [{ ...resolution, number: 'D', origin_province_code: '01' }, '/origin_province_code'],
    [
      {
        ...resolution,
        number: 'E',
        changed_by_id: '00000000-0000-4000-8000-000000000000',
        status: 'amended',
      },
      '/changed_by_id',
    ],
  ]
  for (const [payload, pointer] of cases) {
    const res = await create(as.officer08, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
  const dup = await create(as.officer08, resolution)
  t.equal(dup.statusCode, 409, 'the same number twice in one province')
  const elsewhere = await create(as.officer01, { ...resolution, issuer: 'HĐND Hà Nội' })
  t.equal(elsewhere.statusCode, 201, 'the same number in another province is another document')
})

t.test('Idempotency-Key: a retry returns the first result, never a duplicate', async (t) => {
  const key = { 'idempotency-key': 'retry-1' }
  const payload = { ...resolution, number: '99/QĐ-UBND', kind: 'decision' }
  const first = await create(as.officer08, payload, key)
  const second = await create(as.officer08, payload, key)
  t.equal(first.statusCode, 201)
  t.equal(second.statusCode, 201)
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.equal(second.headers.location, first.headers.location)
  t.same(second.json(), first.json())
  const list = await app.inject({ url: '/v1/legal-documents?kind=decision', headers: as.officer08 })
  t.equal(
    list.json().items.filter((d: { number: string }) => d.number === '99/QĐ-UBND').length,
    1,
    'one document, not two',
  )

  const other = await create(as.officer08, { ...payload, title: 'Khác' }, key)
  t.equal(other.statusCode, 422)
  t.match(other.json(), { errors: [{ in: 'headers', pointer: '/idempotency-key' }] })
  const someoneElse = await create(as.officer01, { ...payload, issuer: 'UBND Hà Nội' }, key)
  t.equal(someoneElse.statusCode, 201, 'keys belong to their caller')
  t.not(someoneElse.headers['idempotent-replayed'], 'true')

  const failed = await create(
    as.officer08,
    { ...payload, number: 'F', kind: 'poem' },
    { 'idempotency-key': 'k2' },
  )
  t.equal(failed.statusCode, 400)
  const fixed = await create(as.officer08, { ...payload, number: 'F' }, { 'idempotency-key': 'k2' })
  t.equal(fixed.statusCode, 201, 'a request refused before it ran does not spend its key')
})

t.test('updates need the current ETag', async (t) => {
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/legal-documents/${id}`, headers, payload })
  const missing = await patch(as.officer08, { notes: 'x' })
  t.equal(missing.statusCode, 428)
  const garbled = await patch({ ...as.officer08, 'if-match': 'yesterday' }, { notes: 'x' })
  t.equal(garbled.statusCode, 400)

  const ok = await patch(
    { ...as.officer08, 'if-match': etag },
    { notes: 'Đã đăng công báo', expiry_date: null },
  )
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"2"')
  t.match(ok.json(), { notes: 'Đã đăng công báo', version: 2 })

  const stale = await patch({ ...as.officer08, 'if-match': etag }, { notes: 'overwrite' })
  t.equal(stale.statusCode, 412)
  t.equal(stale.headers.etag, '"2"', 'the 412 carries the current ETag')
  const read = await app.inject({ url: `/v1/legal-documents/${id}`, headers: as.officer08 })
  t.equal(read.json().notes, 'Đã đăng công báo', 'the stale write changed nothing')

  const cleared = await app.inject({
    method: 'PATCH',
    url: `/v1/legal-documents/${id}`,
    headers: { ...as.officer08, 'if-match': '"2"' },
    payload: { notes: null, effective_date: null },
  })
  t.equal(cleared.statusCode, 200)
  t.equal(cleared.json().notes, null, 'null clears a field: a body is never coerced (null is not "")')
  t.equal(cleared.json().effective_date, null)
  const restored = await patch(
    { ...as.officer08, 'if-match': '"3"' },
    { notes: 'Đã đăng công báo', effective_date: '2022-08-01' },
  )
  t.equal(restored.headers.etag, '"4"')
  const typed = await patch({ ...as.officer08, 'if-match': '"4"' }, { notes: 5 })
  t.equal(typed.statusCode, 400, 'a number is not a string in a body')

  const same = await patch({ ...as.officer08, 'if-match': '"4"' }, { notes: 'Đã đăng công báo' })
  t.equal(same.statusCode, 200)
  t.equal(same.headers.etag, '"4"', 'a patch that changes nothing keeps the version')

  const bad = await patch({ ...as.officer08, 'if-match': '"4"' }, { status: 'replaced' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ pointer: '/changed_by_id' }] })
  const empty = await patch({ ...as.officer08, 'if-match': '"4"' }, {})
  t.equal(empty.statusCode, 400)
  etag = '"4"'
})

t.test('another province: 404 on read, refusal on write, nothing changed', async (t) => {
  const read = await app.inject({ url: `/v1/legal-documents/${id}`, headers: as.officer01 })
  t.equal(read.statusCode, 404)
  t.notMatch(read.body, /Tuyên Quang|15\/2022/)
  const list = await app.inject({ url: '/v1/legal-documents?province_code=08', headers: as.officer01 })
  t.same(list.json().items, [])
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/legal-documents/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
    payload: { title: 'Hijacked' },
  })
  t.equal(patch.statusCode, 404)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/legal-documents/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
  })
  t.equal(del.statusCode, 404)
  const into = await create(as.officer01, { ...resolution, number: 'X', province_code: '08' })
  t.equal(into.statusCode, 403)
  const after = await app.inject({ url: `/v1/legal-documents/${id}`, headers: as.officer08 })
  t.equal(after.json().title, resolution.title)
  t.equal(after.headers.etag, etag)
})

t.test('a read by id, compiled once per role, binds each caller’s own province and id', async (t) => {
  // 08 has read its document above, so the province read is compiled with 08's values in hand.
  const own01 = await create(as.officer01, { ...resolution, number: '01/ID' })
  t.equal(own01.statusCode, 201)
  const id01 = own01.json().id
  const read = (headers: Record<string, string>, doc: string) =>
    app.inject({ url: `/v1/legal-documents/${doc}`, headers })
  t.equal((await read(as.officer08, id)).statusCode, 200)
  t.equal((await read(as.officer01, id01)).json().province_code, '01', 'not the province it was compiled for')
  t.equal((await read(as.officer08, id01)).statusCode, 404)
  t.equal((await read(as.ministry, id)).json().province_code, '08')
  t.equal((await read(as.ministry, id01)).json().province_code, '01')
})

t.test('the ministry reads every province but writes none', async (t) => {
  const all = await app.inject({ url: '/v1/legal-documents?include_total=true', headers: as.ministry })
  const provinces = new Set(all.json().items.map((d: { province_code: string }) => d.province_code))
  t.same([...provinces].sort(), ['01', '08'])
  const only01 = await app.inject({ url: '/v1/legal-documents?province_code=01', headers: as.ministry })
  t.ok(only01.json().items.every((d: { province_code: string }) => d.province_code === '01'))
  const write = await create(as.ministry, { ...resolution, number: 'M', province_code: '08' })
  t.equal(write.statusCode, 403)
  const readOnly = await create(as.reader08, { ...resolution, number: 'R' })
  t.equal(readOnly.statusCode, 403)
})

t.test('CSV export streams every match, with BOM and quoting', async (t) => {
  const res = await app.inject({
    url: '/v1/legal-documents',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.match(res.headers['content-disposition'], /attachment; filename="legal-documents.csv"/)
  t.ok(res.body.startsWith('\uFEFFid,province_code,number,'))
  const lines = res.body.trimEnd().split('\r\n')
  const json = await app.inject({ url: '/v1/legal-documents?include_total=true', headers: as.officer08 })
  t.equal(lines.length - 1, json.json().total, 'every row, not a page')
  t.match(res.body, /"Quy định nội dung, mức hỗ trợ hoạt động khuyến công"/, 'commas are quoted')
  t.notMatch(res.body, /HĐND Hà Nội/, 'only the caller’s province')
})

t.test('deleting needs the ETag and leaves an audit trail', async (t) => {
  const other = (await create(as.officer08, { ...resolution, number: 'DEL-1', kind: 'other' })).json()
  const noMatch = await app.inject({
    method: 'DELETE',
    url: `/v1/legal-documents/${other.id}`,
    headers: as.officer08,
  })
  t.equal(noMatch.statusCode, 428)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/legal-documents/${other.id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(del.statusCode, 204)
  t.equal(
    (await app.inject({ url: `/v1/legal-documents/${other.id}`, headers: as.officer08 })).statusCode,
    404,
  )

  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=legal_document&entity_id=${other.id}`,
    headers: as.officer08,
  })
  t.equal(trail.statusCode, 200)
  t.same(
    trail.json().items.map((e: { action: string }) => e.action),
    ['delete', 'create'],
  )
  t.match(trail.json().items[0], {
    actor: { sub: 'officer-08', role: 'province', province: '08' },
    province_code: '08',
    before: { number: 'DEL-1' },
    after: null,
  })
})

t.test('the audit trail: updates hold only what changed; provinces see their own', async (t) => {
  const events = await app.inject({
    url: `/v1/audit-events?entity_id=${id}`,
    headers: { ...as.officer08, 'x-request-id': 'audit-read' },
  })
  const [restore, clear, update, create] = events.json().items
  t.match(clear, { action: 'update', before: { notes: 'Đã đăng công báo' }, after: { notes: null } })
  t.match(restore, { action: 'update', before: { notes: null }, after: { notes: 'Đã đăng công báo' } })
  t.match(update, {
    action: 'update',
    before: { notes: null, expiry_date: null },
    after: { notes: 'Đã đăng công báo' },
  })
  t.notOk('title' in update.after, 'unchanged fields are not repeated')
  t.match(create, { action: 'create', before: null, after: { number: '15/2022/NQ-HĐND' } })
  t.equal(events.json().items.length, 4, 'the no-op patch wrote no event')

  const foreign = await app.inject({ url: `/v1/audit-events?entity_id=${id}`, headers: as.officer01 })
  t.same(foreign.json().items, [])
  const national = await app.inject({ url: `/v1/audit-events?entity_id=${id}`, headers: as.ministry })
  t.equal(national.json().items.length, 4)
  const refused = await app.inject({ method: 'DELETE', url: '/v1/audit-events', headers: as.ministry })
  t.equal(refused.statusCode, 405, 'no one can delete audit events through the API')
})
