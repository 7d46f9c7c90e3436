import { sql } from 'kysely'
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { cast, token } from '../../helpers/tokens.ts'

const { app, database, logText } = await buildTestApp(t)
const as = await cast()

// Personal data that must never reach the log.
const PHONE = '0912345678'
const EMAIL = 'hoa.nt@example.vn'
const NEW_PHONE = '+84987654321'
// Personal data (Decree 13/2023/NĐ-CP): the append-only trail says that it changed, never what it was.
const CHANGED = { changed: true }
const PERSONAL = /Nguyễn Thị Hoa|0912345678|987654321|example\.vn|Ngọc Đường/

const hoa = {
  full_name: 'Nguyễn Thị Hoa',
  phone: PHONE,
  email: EMAIL,
  organisation: 'Công chức kinh tế UBND xã Ngọc Đường',
  communes: ['00700', '00691'],
  appointment_decision_number: '215/QĐ-SCT',
  appointment_decision_date: '2023-03-01',
  start_date: '2023-03-15',
  fee_basis: 'Thù lao 500.000 đồng/tháng, theo Nghị quyết 15/2022/NQ-HĐND',
  training: [{ year: 2023, title: 'Tập huấn nghiệp vụ khuyến công', hours: 16 }],
}

const create = (headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/collaborators', headers: { ...headers, ...extra }, payload })
const list = (headers: Record<string, string>, query = '') =>
  app.inject({ url: `/v1/collaborators${query}`, headers })
const names = (res: { json(): { items: { full_name: string }[] } }) =>
  res
    .json()
    .items.map((c) => c.full_name)
    .sort()

let id = ''
let etag = ''

t.test('a province records a collaborator; it reads back with communes in code order', async (t) => {
  const res = await create(as.officer08, { ...hoa, origin_province_code: '02' })
  t.equal(res.statusCode, 201)
  const body = res.json()
  id = body.id
  etag = res.headers.etag as string
  t.equal(etag, '"1"')
  t.equal(res.headers.location, `/v1/collaborators/${id}`)
  t.match(body, {
    ...hoa,
    communes: ['00691', '00700'],
    province_code: '08',
    origin_province_code: '02',
    status: 'active',
    end_date: null,
    version: 1,
  })
  const read = await app.inject({ url: `/v1/collaborators/${id}`, headers: as.officer08 })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  t.same(read.json(), body)

  const minimal = await create(as.officer08, { full_name: 'Trần Văn Nam', start_date: '2024-01-01' })
  t.equal(minimal.statusCode, 201)
  t.match(minimal.json(), {
    phone: null,
    email: null,
    communes: [],
    training: [],
    status: 'active',
    appointment_decision_number: null,
  })
})

t.test('every validation failure names its field', async (t) => {
  const cases: [object, string][] = [
    [{ ...hoa, full_name: '' }, '/full_name'],
    [{ ...hoa, full_name: undefined }, '/full_name'],
    [{ ...hoa, start_date: undefined }, '/start_date'],
    [{ ...hoa, start_date: '2023-02-30' }, '/start_date'],
    [{ ...hoa, phone: '12345' }, '/phone'],
    [{ ...hoa, email: 'not an email' }, '/email'],
    [{ ...hoa, status: 'retired' }, '/status'],
    [{ ...hoa, communes: ['00700', '7'] }, '/communes/1'],
    [{ ...hoa, communes: ['00700', '00004'] }, '/communes/1'],
    [{ ...hoa, communes: ['00700', '00691', '99999'] }, '/communes/2'],
    [{ ...hoa, communes: ['00700', '00691', '00700'] }, '/communes/2'],
    [{ ...hoa, end_date: '2023-03-14' }, '/end_date'],
    [{ ...hoa, status: 'ended' }, '/end_date'],
    [{ ...hoa, appointment_decision_date: undefined }, '/appointment_decision_date'],
    [{ ...hoa, appointment_decision_number: null }, '/appointment_decision_number'],
    [{ ...hoa, training: [{ year: 2023 }] }, '/training/0/title'],
    [{ ...hoa, training: [{ year: 1900, title: 'x' }] }, '/training/0/year'],
    [{ ...hoa, training: [{ year: 2023, title: 'x', hours: 0 }] }, '/training/0/hours'],
    [{ ...hoa, origin_province_code: '01' }, '/origin_province_code'],
    [{ ...hoa, province_code: '8' }, '/province_code'],
    [{ ...hoa, colour: 'red' }, '/colour'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await create(as.officer08, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
  const foreign = await create(as.officer08, { ...hoa, communes: ['00004'] })
  t.match(foreign.json().errors, [
    { pointer: '/communes/0', detail: 'phải là đơn vị hành chính cấp xã của tỉnh/thành phố 08' },
  ])
})

t.test('every failing field is listed, not the first only', async (t) => {
  const communes = await create(as.officer08, { ...hoa, communes: ['02374', '00004', '99999'] })
  t.equal(communes.statusCode, 400)
  t.same(
    communes.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/communes/1', '/communes/2'],
    'both communes that are not of province 08',
  )
  const twoRules = await create(as.officer08, {
    ...hoa,
    communes: ['00700', '00004'],
    end_date: '2023-01-01',
  })
  t.equal(twoRules.statusCode, 400)
  t.match(twoRules.json(), {
    code: 'validation_failed',
    errors: [
      { in: 'body', pointer: '/end_date', detail: 'không được sớm hơn start_date' },
      { in: 'body', pointer: '/communes/1' },
    ],
  })
  t.equal(twoRules.json().errors.length, 2)
  t.match(twoRules.json().detail, /end_date.*; .*communes\/1/, 'the summary names both')
  const twice = await create(as.officer08, { ...hoa, communes: ['00700', '00700', '00691', '00691'] })
  t.same(
    twice.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/communes/1', '/communes/3'],
    'each repetition',
  )
})

t.test('Idempotency-Key: a retry returns the first result, never a duplicate', async (t) => {
  const key = { 'idempotency-key': 'collab-1' }
  const payload = { full_name: 'Lê Văn Bình', start_date: '2022-05-01', communes: ['00706'] }
  const first = await create(as.officer08, payload, key)
  const second = await create(as.officer08, payload, key)
  t.equal(first.statusCode, 201)
  t.equal(second.statusCode, 201)
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.same(second.json(), first.json())
  t.same(names(await list(as.officer08, '?q=binh')), ['Lê Văn Bình'], 'one collaborator, not two')
  const other = await create(as.officer08, { ...payload, full_name: 'Lê Văn Khác' }, key)
  t.equal(other.statusCode, 422)
  t.match(other.json(), { errors: [{ in: 'headers', pointer: '/idempotency-key' }] })
})

t.test('updates need the current ETag; communes and training are replaced whole', async (t) => {
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/collaborators/${id}`, headers, payload })
  t.equal((await patch(as.officer08, { fee_basis: 'x' })).statusCode, 428)

  const ok = await patch(
    { ...as.officer08, 'if-match': etag },
    { phone: NEW_PHONE, communes: ['00715', '00700', '00706'] },
  )
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"2"')
  t.match(ok.json(), { phone: NEW_PHONE, communes: ['00700', '00706', '00715'], version: 2 })

  const stale = await patch({ ...as.officer08, 'if-match': etag }, { full_name: 'overwrite' })
  t.equal(stale.statusCode, 412)
  t.equal(stale.headers.etag, '"2"')
  const read = await app.inject({ url: `/v1/collaborators/${id}`, headers: as.officer08 })
  t.equal(read.json().full_name, hoa.full_name, 'the stale write changed nothing')

  const same = await patch({ ...as.officer08, 'if-match': '"2"' }, { communes: ['00715', '00706', '00700'] })
  t.equal(same.statusCode, 200)
  t.equal(same.headers.etag, '"2"', 'the same communes in another order change nothing')

  const cases: [object, string][] = [
    [{ status: 'ended' }, '/end_date'],
    [{ end_date: '2020-01-01' }, '/end_date'],
    [{ communes: ['00004'] }, '/communes/0'],
    [{ appointment_decision_date: null }, '/appointment_decision_date'],
    [
      { appointment_decision_date: null, appointment_decision_number: null, end_date: '2020-01-01' },
      '/end_date',
    ],
    [{ email: 'x@' }, '/email'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await patch({ ...as.officer08, 'if-match': '"2"' }, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { errors: [{ in: 'body', pointer }] }, pointer)
  }
  t.equal((await patch({ ...as.officer08, 'if-match': '"2"' }, {})).statusCode, 400)

  const ended = await patch(
    { ...as.officer08, 'if-match': '"2"' },
    { status: 'ended', end_date: '2025-06-30', training: [] },
  )
  t.equal(ended.statusCode, 200)
  t.match(ended.json(), { status: 'ended', end_date: '2025-06-30', training: [], version: 3 })
  etag = '"3"'
})

t.test('filters: province, commune, status, active_on, name without diacritics', async (t) => {
  await create(as.officer08, {
    full_name: 'Phạm Thị Suspended',
    start_date: '2020-01-01',
    status: 'suspended',
    communes: ['00700'],
  })
  await create(as.officer08, { full_name: 'Đỗ Văn Future', start_date: '2030-01-01', communes: ['00700'] })
  t.same(names(await list(as.officer08, '?commune_code=00700')), [
    'Nguyễn Thị Hoa',
    'Phạm Thị Suspended',
    'Đỗ Văn Future',
  ])
  t.same(names(await list(as.officer08, '?status=suspended')), ['Phạm Thị Suspended'])
  // Hoa: 2023-03-15 – 2025-06-30; Nam from 2024-01-01; Bình from 2022-05-01; Future from 2030.
  t.same(names(await list(as.officer08, '?active_on=2025-06-30')), [
    'Lê Văn Bình',
    'Nguyễn Thị Hoa',
    'Trần Văn Nam',
  ])
  t.same(names(await list(as.officer08, '?active_on=2025-07-01')), ['Lê Văn Bình', 'Trần Văn Nam'])
  t.same(names(await list(as.officer08, '?active_on=2023-03-15&commune_code=00700')), ['Nguyễn Thị Hoa'])
  t.same(names(await list(as.officer08, '?active_on=2023-03-14&commune_code=00700')), [])
  t.same(names(await list(as.officer08, '?q=NGUYEN thi')), ['Nguyễn Thị Hoa'])
  t.same(names(await list(as.officer08, '?q=Hoa&province_code=08')), ['Nguyễn Thị Hoa'])
  const paged = await list(as.officer08, '?limit=2')
  t.equal(paged.json().items.length, 2)
  t.ok(paged.json().next_cursor)
  const bad = await list(as.officer08, '?active_on=yesterday')
  t.match(bad.json(), { errors: [{ in: 'query', pointer: '/active_on' }] })
})

t.test('another province: 404, empty lists, no personal data, refused writes', async (t) => {
  await create(as.officer01, { full_name: 'Hoàng Văn Hà Nội', start_date: '2024-01-01', communes: ['00004'] })
  const read = await app.inject({ url: `/v1/collaborators/${id}`, headers: as.officer01 })
  t.equal(read.statusCode, 404)
  for (const query of ['', '?province_code=08', '?commune_code=00700', '?q=hoa']) {
    const res = await list(as.officer01, query)
    t.notMatch(res.body, /Nguyễn Thị Hoa|0912345678|987654321|example\.vn/, `list${query}`)
    const csv = await list({ ...as.officer01, accept: 'text/csv' }, query)
    t.notMatch(csv.body, /Nguyễn Thị Hoa|0912345678|987654321|example\.vn/, `csv${query}`)
  }
  t.same(names(await list(as.officer01)), ['Hoàng Văn Hà Nội'])

  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/collaborators/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
    payload: { full_name: 'Hijacked' },
  })
  t.equal(patch.statusCode, 404)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/collaborators/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
  })
  t.equal(del.statusCode, 404)
  const into = await create(as.officer01, { ...hoa, province_code: '08' })
  t.equal(into.statusCode, 403)
  const communesOf08 = await create(as.officer01, { ...hoa, communes: ['00700'] })
  t.match(communesOf08.json(), { errors: [{ pointer: '/communes/0' }] }, 'nor assign 08’s communes')
  const after = await app.inject({ url: `/v1/collaborators/${id}`, headers: as.officer08 })
  t.equal(after.json().full_name, hoa.full_name)
  t.equal(after.headers.etag, etag)
})

t.test('the ministry reads every province, with contact details, but writes none', async (t) => {
  const all = await list(as.ministry, '?limit=500')
  const provinces = new Set(all.json().items.map((c: { province_code: string }) => c.province_code))
  t.same([...provinces].sort(), ['01', '08'])
  const read = await app.inject({ url: `/v1/collaborators/${id}`, headers: as.ministry })
  t.match(read.json(), { phone: NEW_PHONE, email: EMAIL })
  t.equal((await create(as.ministry, { ...hoa, province_code: '08' })).statusCode, 403)
  t.equal((await create(as.reader08, hoa)).statusCode, 403)
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/collaborators/${id}`,
    headers: { ...as.ministry, 'if-match': etag },
    payload: { full_name: 'Ministry edit' },
  })
  t.equal(patch.statusCode, 403)
})

t.test('CSV export streams every match with communes and training', async (t) => {
  const res = await list({ ...as.officer08, accept: 'text/csv' }, '?q=hoa')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-disposition'], /filename="collaborators.csv"/)
  t.ok(res.body.startsWith('\uFEFFid,province_code,full_name,phone,email,organisation,communes,'))
  const lines = res.body.trimEnd().split('\r\n')
  t.equal(lines.length, 2)
  // Phone numbers stay as they are; only formula-like text gets a leading quote.
  t.match(lines[1], `,${NEW_PHONE},${EMAIL},`)
  t.match(lines[1], ',00700;00706;00715,')
  const all = await list({ ...as.officer08, accept: 'text/csv' })
  const json = await list(as.officer08, '?include_total=true')
  t.equal(all.body.trimEnd().split('\r\n').length - 1, json.json().total, 'every row, not a page')
})

t.test('deleting needs the ETag, removes the assignments and leaves an audit trail', async (t) => {
  const gone = (
    await create(as.officer08, { full_name: 'Xóa Nhầm', start_date: '2024-01-01', communes: ['00721'] })
  ).json()
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/collaborators/${gone.id}`, headers: as.officer08 }))
      .statusCode,
    428,
  )
  const stale = await app.inject({
    method: 'DELETE',
    url: `/v1/collaborators/${gone.id}`,
    headers: { ...as.officer08, 'if-match': '"7"' },
  })
  t.equal(stale.statusCode, 412)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/collaborators/${gone.id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(del.statusCode, 204)
  t.equal((await app.inject({ url: `/v1/collaborators/${gone.id}`, headers: as.officer08 })).statusCode, 404)
  t.same(names(await list(as.officer08, '?commune_code=00721')), [])
  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=collaborator&entity_id=${gone.id}`,
    headers: as.officer08,
  })
  t.same(
    trail.json().items.map((e: { action: string }) => e.action),
    ['delete', 'create'],
  )
  t.match(trail.json().items[0], { before: { full_name: CHANGED, communes: ['00721'] }, after: null })
  t.notMatch(trail.body, /Xóa Nhầm/, 'not even the deleted collaborator’s name')
})

const trailOf = (collaborator: string) =>
  app.inject({
    url: `/v1/audit-events?entity_type=collaborator&entity_id=${collaborator}`,
    headers: as.ministry,
  })

t.test('audit events record that personal fields changed, never their values', async (t) => {
  const trail = await trailOf(id)
  t.equal(trail.statusCode, 200)
  t.notMatch(trail.body, PERSONAL)
  const [update, created] = trail.json().items.slice(-2)
  t.match(created, {
    action: 'create',
    after: {
      full_name: CHANGED,
      phone: CHANGED,
      email: CHANGED,
      organisation: CHANGED,
      communes: ['00691', '00700'],
    },
  })
  t.match(update, {
    action: 'update',
    before: { phone: CHANGED, communes: ['00691', '00700'] },
    after: { phone: CHANGED, communes: ['00700', '00706', '00715'] },
  })
  t.notOk('email' in update.after, 'a field that did not change is not mentioned')
  const cleared = await create(as.officer08, {
    full_name: 'Vũ Thị Lan',
    start_date: '2024-01-01',
    phone: PHONE,
  })
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/collaborators/${cleared.json().id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
    payload: { phone: null, email: EMAIL },
  })
  t.equal(patch.statusCode, 200)
  const [event] = (await trailOf(cleared.json().id)).json().items
  t.same(
    [event.before, event.after],
    [
      { phone: CHANGED, email: null },
      { phone: null, email: CHANGED },
    ],
    'an empty value is no personal data: null stays null',
  )
})

t.test('the ministry erases a collaborator’s personal data, from the record and its history', async (t) => {
  const erase = (headers: Record<string, string>, target = id) =>
    app.inject({ method: 'POST', url: `/v1/collaborators/${target}/erasure`, headers })
  // An event written before personal data was withheld, as the trail may still hold them.
  await sql`insert into audit_events (actor_sub, actor_role, actor_province, province_code, entity_type,
      entity_id, action, before, after)
    values ('officer-08', 'province', '08', '08', 'collaborator', ${id}, 'update',
      ${JSON.stringify({ phone: PHONE, organisation: hoa.organisation })}::jsonb,
      ${JSON.stringify({ phone: NEW_PHONE, organisation: 'UBND xã' })}::jsonb)`.execute(database.db)
  t.match((await trailOf(id)).body, PERSONAL, 'the old event holds personal values')
  const before = (await app.inject({ url: `/v1/collaborators/${id}`, headers: as.officer08 })).json()

  t.equal((await erase(as.officer08)).statusCode, 403, 'not a province, even its own collaborator')
  t.equal((await erase(as.officer01)).statusCode, 403)
  const readOnly = { authorization: `Bearer ${await token({ role: 'ministry', scope: 'read' })}` }
  t.equal((await erase(readOnly)).statusCode, 403, 'not without the write scope')
  t.equal((await erase(as.ministry, '00000000-0000-4000-8000-000000000000')).statusCode, 404)

  const res = await erase(as.ministry)
  t.equal(res.statusCode, 200)
  const erased = res.json()
  t.match(erased, {
    id,
    full_name: `Cộng tác viên đã xóa ${id.slice(0, 8)}`,
    phone: null,
    email: null,
    organisation: null,
    personal_data_erased_at: /^\d{4}-\d\d-\d\dT/,
    version: before.version + 1,
    // The facts the statistics count stay.
    province_code: '08',
    communes: before.communes,
    start_date: before.start_date,
    end_date: before.end_date,
    status: before.status,
    training: before.training,
    appointment_decision_number: before.appointment_decision_number,
  })
  t.equal(res.headers.etag, `"${erased.version}"`)
  const read = await app.inject({ url: `/v1/collaborators/${id}`, headers: as.officer08 })
  t.same(read.json(), erased, 'the province reads it erased')
  t.notMatch((await list({ ...as.ministry, accept: 'text/csv' })).body, /Nguyễn Thị Hoa/)

  const trail = await trailOf(id)
  t.notMatch(trail.body, PERSONAL, 'no personal value left in the record’s history')
  const [event, ...older] = trail.json().items
  t.match(event, {
    action: 'erasure',
    actor: { sub: 'ministry-1', role: 'ministry' },
    province_code: '08',
    before: { full_name: CHANGED, phone: CHANGED, email: CHANGED },
    after: { full_name: CHANGED, phone: null, email: null, organisation: null },
  })
  t.match(
    older.find((e: { actor: { sub: string }; request_id: string | null }) => e.request_id === null),
    { before: { phone: CHANGED, organisation: CHANGED }, after: { phone: CHANGED, organisation: CHANGED } },
    'the old event keeps that they changed, and who changed them',
  )

  const again = await erase(as.ministry)
  t.equal(again.statusCode, 200, 'idempotent')
  t.same(again.json(), erased, 'nothing changes the second time')
  t.equal((await trailOf(id)).json().items.length, trail.json().items.length, 'and no second event')
})

t.test('personal data never reaches the log', async (t) => {
  // A validation failure that echoes nothing back, carrying the phone and email.
  const rejected = await create(as.officer08, { ...hoa, communes: ['00004'] })
  t.equal(rejected.statusCode, 400)
  const badEmail = await create(as.officer08, { ...hoa, email: 'bad-address@@example.vn' })
  t.equal(badEmail.statusCode, 400)
  const log = logText()
  t.ok(log.includes('"path":"/v1/collaborators"'), 'the requests were logged')
  for (const secret of [PHONE, NEW_PHONE, '987654321', EMAIL, 'bad-address', 'example.vn']) {
    t.notOk(log.includes(secret), `${secret} is not in the log`)
  }
})
