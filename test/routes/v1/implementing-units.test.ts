import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, logText } = await buildTestApp(t)
const as = await cast()

const staff2024 = {
  year: 2024,
  headcount_total: 18,
  full_time_khuyen_cong: 12,
  other_staff: 6,
  by_qualification: { postgraduate: 3, university: 11, college: 2, other: 2 },
}
const staff2023 = { year: 2023, headcount_total: 15, full_time_khuyen_cong: 10, other_staff: 5 }
const centre = {
  name: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Tuyên Quang',
  unit_model: 'independent_centre',
  parent_body: 'Sở Công Thương tỉnh Tuyên Quang',
  founding_decision_number: '1234/QĐ-UBND',
  founding_decision_date: '2009-05-12',
  founding_decision_issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
  address: 'Số 8 đường 17/8, phường Minh Xuân',
  phone: '0207 3822 345',
  email: 'ttkc-private@tuyenquang.example',
  website: 'https://khuyencong.tuyenquang.example',
  staff: [staff2024, staff2023],
  equipment: [
    { name: 'Xe ô tô bán tải', kind: 'vehicle', quantity: 1, condition: 'fair', year_acquired: 2015 },
    { name: 'Máy chiếu', kind: 'equipment', quantity: 2, condition: 'good' },
  ],
  premises_description: 'Trụ sở làm việc 3 tầng',
  premises_area_m2: 850.5,
}

const create = (headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/implementing-units', headers: { ...headers, ...extra }, payload })

let id = ''
let etag = ''

t.test('a province records its centre; it reads back with its ETag', async (t) => {
  const res = await create(as.officer08, { ...centre, origin_province_code: '08' })
  t.equal(res.statusCode, 201, res.body)
  const unit = res.json()
  id = unit.id
  etag = res.headers.etag as string
  t.equal(res.headers.location, `/v1/implementing-units/${id}`)
  t.equal(etag, '"1"')
  t.match(unit, {
    ...centre,
    staff: [staff2023, staff2024],
    province_code: '08',
    origin_province_code: '08',
    status: 'active',
    version: 1,
  })
  t.same(
    unit.staff.map((s: { year: number }) => s.year),
    [2023, 2024],
    'staff kept in year order',
  )
  t.same(unit.equipment, centre.equipment)
  t.equal(unit.premises_area_m2, 850.5)

  const read = await app.inject({ url: `/v1/implementing-units/${id}`, headers: as.officer08 })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  t.same(read.json(), unit)

  const minimal = await create(as.officer08, {
    name: 'Phòng Quản lý công nghiệp',
    unit_model: 'doit_division',
  })
  t.equal(minimal.statusCode, 201)
  t.match(minimal.json(), { staff: [], equipment: [], parent_body: null, phone: null, status: 'active' })
})

t.test('filters and name search without diacritics', async (t) => {
  const byName = await app.inject({
    url: '/v1/implementing-units?q=tu van phat trien',
    headers: as.officer08,
  })
  t.same(
    byName.json().items.map((u: { id: string }) => u.id),
    [id],
  )
  const byModel = await app.inject({
    url: '/v1/implementing-units?unit_model=doit_division',
    headers: as.officer08,
  })
  t.same(
    byModel.json().items.map((u: { name: string }) => u.name),
    ['Phòng Quản lý công nghiệp'],
  )
  const dissolved = await app.inject({
    url: '/v1/implementing-units?status=dissolved',
    headers: as.officer08,
  })
  t.same(dissolved.json().items, [])
  const page = await app.inject({ url: '/v1/implementing-units?limit=1', headers: as.officer08 })
  t.equal(page.json().items.length, 1)
  t.ok(page.json().next_cursor)
  const next = await app.inject({
    url: `/v1/implementing-units?limit=1&cursor=${page.json().next_cursor}`,
    headers: as.officer08,
  })
  t.equal(next.json().items.length, 1)
  t.not(next.json().items[0].id, page.json().items[0].id, 'the next page continues after the first')
  const bad = await app.inject({ url: '/v1/implementing-units?status=closed', headers: as.officer08 })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ in: 'query', pointer: '/status' }] })
})

t.test('every validation failure names its field', async (t) => {
  const cases: [object, string][] = [
    [{ ...centre, unit_model: 'agency' }, '/unit_model'],
    [{ ...centre, name: '' }, '/name'],
    [{ ...centre, name: undefined }, '/name'],
    [{ ...centre, colour: 'red' }, '/colour'],
    [{ ...centre, province_code: 'x8' }, '/province_code'],
    [{ ...centre, status: 'closed' }, '/status'],
    [{ ...centre, email: 'not an email' }, '/email'],
    [{ ...centre, phone: 'call me' }, '/phone'],
    [{ ...centre, website: 'ftp://x.example' }, '/website'],
    [{ ...centre, founding_decision_date: '2009-02-30' }, '/founding_decision_date'],
    [{ ...centre, premises_area_m2: 0 }, '/premises_area_m2'],
    [{ ...centre, origin_province_code: '01' }, '/origin_province_code'],
    [{ ...centre, staff: [{ ...staff2023, headcount_total: -1 }] }, '/staff/0/headcount_total'],
    [{ ...centre, staff: [{ ...staff2023, year: undefined }] }, '/staff/0/year'],
    [{ ...centre, staff: [{ ...staff2023, interns: 2 }] }, '/staff/0/interns'],
    [{ ...centre, staff: [staff2023, { ...staff2024, headcount_total: 19 }] }, '/staff/1/headcount_total'],
    [
      {
        ...centre,
        staff: [{ ...staff2024, by_qualification: { ...staff2024.by_qualification, college: 3 } }],
      },
      '/staff/0/by_qualification',
    ],
    [
      {
        ...centre,
        staff: [{ ...staff2024, by_qualification: { postgraduate: 3, university: 15 } }],
      },
      '/staff/0/by_qualification/college',
    ],
    [{ ...centre, staff: [staff2024, staff2023, { ...staff2023 }] }, '/staff/2/year'],
    [{ ...centre, equipment: [{ ...centre.equipment[0], kind: 'building' }] }, '/equipment/0/kind'],
    [
      { ...centre, equipment: [centre.equipment[1], { ...centre.equipment[0], quantity: 0 }] },
      '/equipment/1/quantity',
    ],
    [{ ...centre, equipment: [{ ...centre.equipment[0], condition: 'new' }] }, '/equipment/0/condition'],
    [{ ...centre, equipment: [{ ...centre.equipment[0], name: undefined }] }, '/equipment/0/name'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await create(as.officer08, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
})

t.test('Idempotency-Key: a retry returns the first result, never a duplicate', async (t) => {
  const key = { 'idempotency-key': 'unit-retry-1' }
  const payload = { name: 'Chi nhánh Trung tâm Khuyến công Hà Giang', unit_model: 'branch' }
  const first = await create(as.officer08, payload, key)
  const second = await create(as.officer08, payload, key)
  t.equal(first.statusCode, 201)
  t.equal(second.statusCode, 201)
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.equal(second.headers.location, first.headers.location)
  t.same(second.json(), first.json())
  const list = await app.inject({ url: '/v1/implementing-units?unit_model=branch', headers: as.officer08 })
  t.equal(list.json().items.length, 1, 'one unit, not two')
  const other = await create(as.officer08, { ...payload, unit_model: 'other' }, key)
  t.equal(other.statusCode, 422)
  t.match(other.json(), { errors: [{ in: 'headers', pointer: '/idempotency-key' }] })
})

t.test('updates need the current ETag; lists are replaced whole and checked', async (t) => {
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/implementing-units/${id}`, headers, payload })
  const missing = await patch(as.officer08, { parent_body: 'x' })
  t.equal(missing.statusCode, 428)

  const staff2025 = { year: 2025, headcount_total: 20, full_time_khuyen_cong: 14, other_staff: 6 }
  const ok = await patch(
    { ...as.officer08, 'if-match': etag },
    { staff: [staff2025, staff2024, staff2023], equipment: [], website: null, premises_area_m2: null },
  )
  t.equal(ok.statusCode, 200, ok.body)
  t.equal(ok.headers.etag, '"2"')
  t.same(
    ok.json().staff.map((s: { year: number }) => s.year),
    [2023, 2024, 2025],
  )
  t.same(ok.json().equipment, [])
  t.equal(ok.json().website, null)
  t.equal(ok.json().premises_area_m2, null)
  t.equal(ok.json().parent_body, centre.parent_body, 'fields not sent are kept')

  const stale = await patch({ ...as.officer08, 'if-match': etag }, { parent_body: 'overwrite' })
  t.equal(stale.statusCode, 412)
  t.equal(stale.headers.etag, '"2"', 'the 412 carries the current ETag')

  const same = await patch(
    { ...as.officer08, 'if-match': '"2"' },
    { staff: [staff2023, staff2025, staff2024] },
  )
  t.equal(same.statusCode, 200)
  t.equal(same.headers.etag, '"2"', 'the same staff in another order changes nothing')

  const wrongSum = await patch(
    { ...as.officer08, 'if-match': '"2"' },
    { staff: [{ ...staff2025, other_staff: 5 }] },
  )
  t.equal(wrongSum.statusCode, 400)
  t.match(wrongSum.json(), { errors: [{ pointer: '/staff/0/headcount_total' }] })
  const nullStaff = await patch({ ...as.officer08, 'if-match': '"2"' }, { staff: null })
  t.equal(nullStaff.statusCode, 400, 'staff is cleared with [], not null')
  const empty = await patch({ ...as.officer08, 'if-match': '"2"' }, {})
  t.equal(empty.statusCode, 400)

  const dissolve = await patch({ ...as.officer08, 'if-match': '"2"' }, { status: 'dissolved' })
  t.equal(dissolve.statusCode, 200)
  t.equal(dissolve.headers.etag, '"3"')
  etag = '"3"'
  const missingId = await app.inject({
    method: 'PATCH',
    url: '/v1/implementing-units/00000000-0000-4000-8000-000000000000',
    headers: { ...as.officer08, 'if-match': '"1"' },
    payload: { status: 'active' },
  })
  t.equal(missingId.statusCode, 404)
})

t.test('not found', async (t) => {
  const res = await app.inject({
    url: '/v1/implementing-units/00000000-0000-4000-8000-000000000000',
    headers: as.officer08,
  })
  t.equal(res.statusCode, 404)
  t.equal(res.json().code, 'not_found')
  const badId = await app.inject({ url: '/v1/implementing-units/42', headers: as.officer08 })
  t.equal(badId.statusCode, 400)
  t.match(badId.json(), { errors: [{ in: 'params', pointer: '/id' }] })
})

t.test('another province: 404 on read, refusal on write, nothing changed', async (t) => {
  await create(as.officer01, { name: 'Trung tâm Khuyến công Hà Nội', unit_model: 'merged_centre' })
  const read = await app.inject({ url: `/v1/implementing-units/${id}`, headers: as.officer01 })
  t.equal(read.statusCode, 404)
  t.notMatch(read.body, /Tuyên Quang/)
  const list = await app.inject({ url: '/v1/implementing-units?province_code=08', headers: as.officer01 })
  t.same(list.json().items, [])
  const all = await app.inject({ url: '/v1/implementing-units', headers: as.officer01 })
  t.same(
    all.json().items.map((u: { province_code: string }) => u.province_code),
    ['01'],
  )
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/implementing-units/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
    payload: { name: 'Hijacked' },
  })
  t.equal(patch.statusCode, 404)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/implementing-units/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
  })
  t.equal(del.statusCode, 404)
  const into = await create(as.officer01, { ...centre, province_code: '08' })
  t.equal(into.statusCode, 403)
  const after = await app.inject({ url: `/v1/implementing-units/${id}`, headers: as.officer08 })
  t.equal(after.json().name, centre.name)
  t.equal(after.headers.etag, etag)
})

t.test('the ministry reads every province but writes none', async (t) => {
  const all = await app.inject({ url: '/v1/implementing-units?include_total=true', headers: as.ministry })
  const provinces = new Set(all.json().items.map((u: { province_code: string }) => u.province_code))
  t.same([...provinces].sort(), ['01', '08'])
  t.equal(all.json().total, 4)
  const one = await app.inject({ url: `/v1/implementing-units/${id}`, headers: as.ministry })
  t.equal(one.statusCode, 200)
  const write = await create(as.ministry, { ...centre, province_code: '08' })
  t.equal(write.statusCode, 403)
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/implementing-units/${id}`,
    headers: { ...as.ministry, 'if-match': etag },
    payload: { name: 'Ministry edit' },
  })
  t.equal(patch.statusCode, 403)
  const readOnly = await create(as.reader08, centre)
  t.equal(readOnly.statusCode, 403)
})

t.test('CSV export streams every match, lists as JSON cells', async (t) => {
  const res = await app.inject({
    url: '/v1/implementing-units',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.match(res.headers['content-disposition'], /attachment; filename="implementing-units.csv"/)
  t.ok(res.body.startsWith('\uFEFFid,province_code,name,unit_model,'))
  const lines = res.body.trimEnd().split('\r\n')
  t.equal(lines.length - 1, 3, 'every row of the province')
  t.match(res.body, /"\[\{""year"":2023/, 'staff as a quoted JSON cell')
  t.notMatch(res.body, /Hà Nội/, 'only the caller’s province')
})

t.test('deleting needs the ETag and leaves an audit trail', async (t) => {
  const noMatch = await app.inject({
    method: 'DELETE',
    url: `/v1/implementing-units/${id}`,
    headers: as.officer08,
  })
  t.equal(noMatch.statusCode, 428)
  const stale = await app.inject({
    method: 'DELETE',
    url: `/v1/implementing-units/${id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(stale.statusCode, 412)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/implementing-units/${id}`,
    headers: { ...as.officer08, 'if-match': etag },
  })
  t.equal(del.statusCode, 204)
  t.equal((await app.inject({ url: `/v1/implementing-units/${id}`, headers: as.officer08 })).statusCode, 404)
  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=implementing_unit&entity_id=${id}`,
    headers: as.officer08,
  })
  t.same(
    trail.json().items.map((e: { action: string }) => e.action),
    ['delete', 'update', 'update', 'create'],
  )
})

t.test('the unit’s phone and email never reach the log', async (t) => {
  t.notMatch(logText(), 'ttkc-private@tuyenquang.example')
  t.notMatch(logText(), '3822 345')
})
