import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

const kcqg = {
  level: 'national',
  title: 'Chương trình khuyến công quốc gia giai đoạn 2021–2025',
  start_year: 2021,
  end_year: 2025,
  decision_number: '1881/QĐ-TTg',
  decision_date: '2020-11-20',
  decision_issuer: 'Thủ tướng Chính phủ',
  status: 'approved',
  targets: [{ indicator: 'Số lao động được đào tạo nghề', unit: 'người', target_value: 50000 }],
}
const local = {
  level: 'provincial',
  title: 'Chương trình khuyến công tỉnh Tuyên Quang đến năm 2025',
  start_year: 2021,
  end_year: 2025,
  decision_number: '12/QĐ-UBND',
  decision_date: '2021-03-01',
  status: 'approved',
}

const create = (headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/programmes', headers: { ...headers, ...extra }, payload })

let national = ''
let provincial = ''

t.test('the ministry records the national programme; everyone signed in reads it', async (t) => {
  const res = await create(as.ministry, kcqg)
  t.equal(res.statusCode, 201)
  t.match(res.json(), { ...kcqg, province_code: null, version: 1 })
  t.equal(res.headers.etag, '"1"')
  national = res.json().id
  for (const who of [as.officer08, as.officer01, as.reader08, as.ministry]) {
    const read = await app.inject({ url: `/v1/programmes/${national}`, headers: who })
    t.equal(read.statusCode, 200)
    t.equal(read.json().title, kcqg.title)
  }
  const byProvince = await create(as.officer08, { ...kcqg, decision_number: 'X/QĐ-TTg' })
  t.equal(byProvince.statusCode, 403, 'a province does not write national programmes')
  const withProvince = await create(as.ministry, { ...kcqg, province_code: '08', decision_number: 'Y' })
  t.equal(withProvince.statusCode, 400)
  t.match(withProvince.json(), { errors: [{ pointer: '/province_code' }] })
})

t.test('a province records its own programme; the ministry reads but does not write it', async (t) => {
  const res = await create(as.officer08, { ...local, origin_province_code: '02' })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { province_code: '08', origin_province_code: '02', level: 'provincial' })
  provincial = res.json().id
  t.equal(
    (await create(as.ministry, { ...local, province_code: '08', decision_number: 'M' })).statusCode,
    403,
  )
  t.equal(
    (await create(as.officer01, { ...local, province_code: '08', decision_number: 'Z' })).statusCode,
    403,
  )
  t.equal((await app.inject({ url: `/v1/programmes/${provincial}`, headers: as.ministry })).statusCode, 200)
  const other = await app.inject({ url: `/v1/programmes/${provincial}`, headers: as.officer01 })
  t.equal(other.statusCode, 404)
  const list01 = await app.inject({ url: '/v1/programmes', headers: as.officer01 })
  t.same(
    list01.json().items.map((p: { id: string }) => p.id),
    [national],
    'province 01 sees the national programme only',
  )
  const list08 = await app.inject({ url: '/v1/programmes?level=provincial', headers: as.officer08 })
  t.same(
    list08.json().items.map((p: { id: string }) => p.id),
    [provincial],
  )
  const year = await app.inject({ url: '/v1/programmes?year=2026', headers: as.ministry })
  t.same(year.json().items, [])
})

t.test('every validation failure names its field', async (t) => {
  const cases: [object, string][] = [
    [{ ...local, level: 'district' }, '/level'],
    [{ ...local, end_year: 2020 }, '/end_year'],
    [{ ...local, start_year: 1800 }, '/start_year'],
    [{ ...local, decision_date: undefined }, '/decision_date'],
    [{ ...local, decision_number: undefined, decision_date: undefined }, '/decision_number'],
    [{ ...local, targets: [{ indicator: 'x', unit: 'y', target_value: -1 }] }, '/targets/0/target_value'],
    [{ ...local, targets: [{ indicator: 'x' }] }, '/targets/0/unit'],
    [{ ...local, decision_number: 'B', origin_province_code: '01' }, '/origin_province_code'],
    [{ ...local, colour: 'red' }, '/colour'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await create(as.officer08, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
  t.equal((await create(as.officer08, local)).statusCode, 409, 'the same decision twice')
  const draft = await create(as.officer01, {
    ...local,
    status: 'draft',
    decision_number: undefined,
    decision_date: undefined,
  })
  t.equal(draft.statusCode, 201, 'a draft needs no decision')
})

t.test('Idempotency-Key: a retry returns the first result', async (t) => {
  const key = { 'idempotency-key': 'prog-1' }
  const payload = { ...local, decision_number: '99/QĐ-UBND', title: 'Chương trình thứ hai' }
  const first = await create(as.officer08, payload, key)
  const second = await create(as.officer08, payload, key)
  t.equal(first.statusCode, 201)
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.same(second.json(), first.json())
  t.equal((await create(as.officer08, { ...payload, title: 'Khác' }, key)).statusCode, 422)
})

t.test('updates: If-Match, owners only', async (t) => {
  const patch = (id: string, headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/programmes/${id}`, headers, payload })
  t.equal((await patch(national, as.ministry, { notes: 'x' })).statusCode, 428)
  const ok = await patch(national, { ...as.ministry, 'if-match': '"1"' }, { objectives: 'Mục tiêu' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"2"')
  t.equal((await patch(national, { ...as.ministry, 'if-match': '"1"' }, { notes: 'y' })).statusCode, 412)
  const byProvince = await patch(national, { ...as.officer08, 'if-match': '"2"' }, { title: 'Hijack' })
  t.equal(byProvince.statusCode, 403, 'a province cannot change the national programme')
  const byMinistry = await patch(provincial, { ...as.ministry, 'if-match': '"1"' }, { title: 'Hijack' })
  t.equal(byMinistry.statusCode, 403, 'the ministry cannot change a provincial programme')
  const by01 = await patch(provincial, { ...as.officer01, 'if-match': '"1"' }, { title: 'Hijack' })
  t.equal(by01.statusCode, 404)
  const bad = await patch(provincial, { ...as.officer08, 'if-match': '"1"' }, { end_year: 2019 })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ pointer: '/end_year' }] })
  const read = await app.inject({ url: `/v1/programmes/${provincial}`, headers: as.officer08 })
  t.equal(read.json().title, local.title)
  t.equal(read.headers.etag, '"1"')
})

t.test('CSV export', async (t) => {
  const res = await app.inject({ url: '/v1/programmes', headers: { ...as.officer01, accept: 'text/csv' } })
  t.equal(res.statusCode, 200)
  t.ok(res.body.startsWith('\uFEFFid,level,province_code,'))
  t.match(res.body, /1881\/QĐ-TTg/)
  t.notMatch(res.body, /,provincial,08,/, 'not another province’s programme')
})

t.test('plans: the owner of the programme plans its years', async (t) => {
  const plan = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'POST', url: '/v1/plans', headers, payload })
  const p2024 = await plan(as.ministry, {
    programme_id: national,
    year: 2024,
    title: 'Kế hoạch khuyến công quốc gia năm 2024',
    decision_number: '3407/QĐ-BCT',
    decision_date: '2023-12-29',
    status: 'approved',
  })
  t.equal(p2024.statusCode, 201)
  t.match(p2024.json(), { province_code: null, year: 2024, status: 'approved', targets: [] })
  const planId = p2024.json().id
  t.equal((await app.inject({ url: `/v1/plans/${planId}`, headers: as.officer01 })).statusCode, 200)
  t.equal(
    (await plan(as.officer08, { programme_id: national, year: 2023, title: 'x' })).statusCode,
    403,
    'a province does not plan the national programme',
  )
  const twice = await plan(as.ministry, { programme_id: national, year: 2024, title: 'again' })
  t.equal(twice.statusCode, 409)
  const outside = await plan(as.ministry, { programme_id: national, year: 2026, title: 'x' })
  t.equal(outside.statusCode, 400)
  t.match(outside.json(), { errors: [{ pointer: '/year' }] })
  const noDecision = await plan(as.ministry, {
    programme_id: national,
    year: 2023,
    title: 'x',
    status: 'approved',
  })
  t.match(noDecision.json(), { errors: [{ pointer: '/decision_number' }] })

  const local2024 = await plan(as.officer08, { programme_id: provincial, year: 2024, title: 'KH 2024' })
  t.equal(local2024.statusCode, 201)
  t.equal(local2024.json().province_code, '08')
  const localId = local2024.json().id
  const foreign = await plan(as.officer01, { programme_id: provincial, year: 2023, title: 'x' })
  t.equal(foreign.statusCode, 404, 'another province’s programme does not exist for 01')
  t.match(foreign.json(), { errors: [{ pointer: '/programme_id' }] })
  t.equal((await app.inject({ url: `/v1/plans/${localId}`, headers: as.officer01 })).statusCode, 404)

  const list01 = await app.inject({ url: '/v1/plans', headers: as.officer01 })
  t.same(
    list01.json().items.map((p: { id: string }) => p.id),
    [planId],
  )
  const list08 = await app.inject({ url: '/v1/plans?level=provincial', headers: as.officer08 })
  t.same(
    list08.json().items.map((p: { id: string }) => p.id),
    [localId],
  )

  const revise = await app.inject({
    method: 'PATCH',
    url: `/v1/plans/${planId}`,
    headers: { ...as.ministry, 'if-match': '"1"' },
    payload: { status: 'revised', decision_number: '1120/QĐ-BCT', decision_date: '2024-06-10' },
  })
  t.equal(revise.statusCode, 200)
  t.equal(revise.json().status, 'revised')
  const stale = await app.inject({
    method: 'PATCH',
    url: `/v1/plans/${planId}`,
    headers: { ...as.ministry, 'if-match': '"1"' },
    payload: { notes: 'x' },
  })
  t.equal(stale.statusCode, 412)
  const byProvince = await app.inject({
    method: 'PATCH',
    url: `/v1/plans/${planId}`,
    headers: { ...as.officer08, 'if-match': '"2"' },
    payload: { notes: 'x' },
  })
  t.equal(byProvince.statusCode, 403)

  const blocked = await app.inject({
    method: 'DELETE',
    url: `/v1/programmes/${provincial}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(blocked.statusCode, 409, 'a programme with plans stays')
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/plans/${localId}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(del.statusCode, 204)
  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=plan&entity_id=${localId}`,
    headers: as.officer08,
  })
  t.same(
    trail.json().items.map((e: { action: string }) => e.action),
    ['delete', 'create'],
  )
})
