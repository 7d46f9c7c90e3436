import t from 'tap'
import { withTenant } from '../../../src/db/tenancy.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { directScope } from '../../helpers/scopes.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t, { rateLimit: { max: 0, windowMs: 60_000 } })
const as = await cast()
type Headers = Record<string, string>

const post = (url: string, headers: Headers, payload: object) =>
  app.inject({ method: 'POST', url, headers, payload })
const allocate = (headers: Headers, payload: object, extra: Headers = {}) =>
  post('/v1/budget-allocations', { ...headers, ...extra }, payload)
const summary = async (headers: Headers, query: string) => {
  const res = await app.inject({ url: `/v1/budget-allocations/summary?${query}`, headers })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().items
}

let originalId = ''

t.test('allocations: originals, revisions as new rows, never overwritten', async (t) => {
  const original = await allocate(as.officer08, {
    year: 2022,
    funding_source: 'local',
    amount: 500_000_000,
    origin_province_code: '02',
    decision_number: '1/QĐ-UBND',
    decision_date: '2022-01-10',
  })
  t.equal(original.statusCode, 201)
  t.match(original.json(), {
    province_code: '08',
    origin_province_code: '02',
    type: 'original',
    amount: 500_000_000,
    is_current: true,
    activity_content: null,
    version: 1,
  })
  originalId = original.json().id
  t.equal(original.headers.location, `/v1/budget-allocations/${originalId}`)
  const again = await allocate(as.officer08, {
    year: 2022,
    funding_source: 'local',
    amount: 1,
    origin_province_code: '02',
  })
  t.equal(again.statusCode, 409, 'one original per key')
  const revised = await allocate(as.officer08, {
    year: 2022,
    funding_source: 'local',
    amount: 600_000_000,
    origin_province_code: '02',
    type: 'revised',
  })
  t.equal(revised.statusCode, 201)
  t.equal(revised.json().is_current, true)
  const first = await app.inject({ url: `/v1/budget-allocations/${originalId}`, headers: as.officer08 })
  t.match(first.json(), { amount: 500_000_000, is_current: false }, 'the original is kept, superseded')
  t.equal(first.headers.etag, '"1"')
  const current = await app.inject({
    url: '/v1/budget-allocations?year=2022&is_current=true',
    headers: as.officer08,
  })
  t.same(
    current.json().items.map((a: { amount: number }) => a.amount),
    [600_000_000],
  )
  const history = await app.inject({
    url: '/v1/budget-allocations?origin_province_code=02&include_total=true',
    headers: as.officer08,
  })
  t.equal(history.json().total, 2)
})

t.test('every validation failure names its field', async (t) => {
  const base = { year: 2023, funding_source: 'local', amount: 1_000 }
  const cases: [object, string, 'body' | 'query'][] = [
    [{ ...base, amount: -1 }, '/amount', 'body'],
    [{ ...base, amount: 2.5 }, '/amount', 'body'],
    [{ ...base, funding_source: 'lottery' }, '/funding_source', 'body'],
    [{ ...base, activity_content: 'poetry' }, '/activity_content', 'body'],
    [{ ...base, type: 'draft' }, '/type', 'body'],
    [{ ...base, type: 'revised' }, '/type', 'body'],
    [{ ...base, year: 1999 }, '/year', 'body'],
    [{ ...base, decision_number: '5/QĐ' }, '/decision_date', 'body'],
    [{ ...base, origin_province_code: '01' }, '/origin_province_code', 'body'],
    [{ ...base, year: 2026, origin_province_code: '02' }, '/origin_province_code', 'body'],
    [{ ...base, colour: 'red' }, '/colour', 'body'],
  ]
  for (const [payload, pointer, where] of cases) {
    const res = await allocate(as.officer08, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { errors: [{ in: where, pointer }] }, pointer)
  }
  const badProvince = await app.inject({
    url: '/v1/budget-allocations/summary?province=99',
    headers: as.ministry,
  })
  t.equal(badProvince.statusCode, 400)
  t.match(badProvince.json(), { errors: [{ in: 'query', pointer: '/province' }] })
  const badGroup = await app.inject({
    url: '/v1/budget-allocations/summary?group_by=colour',
    headers: as.ministry,
  })
  t.equal(badGroup.statusCode, 400)
})

t.test('Idempotency-Key, tenancy, the ministry, CSV', async (t) => {
  const key = { 'idempotency-key': 'alloc-1' }
  const payload = { year: 2024, funding_source: 'local', amount: 2_000_000_000 }
  const first = await allocate(as.officer08, payload, key)
  const replay = await allocate(as.officer08, payload, key)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.same(replay.json(), first.json())
  t.equal((await allocate(as.officer08, { ...payload, amount: 1 }, key)).statusCode, 422)

  t.equal(
    (await app.inject({ url: `/v1/budget-allocations/${originalId}`, headers: as.officer01 })).statusCode,
    404,
  )
  t.equal((await allocate(as.officer01, { ...payload, province_code: '08' })).statusCode, 403)
  t.equal((await allocate(as.ministry, { ...payload, province_code: '08' })).statusCode, 403)
  t.equal((await allocate(as.reader08, payload)).statusCode, 403)
  const list01 = await app.inject({ url: '/v1/budget-allocations', headers: as.officer01 })
  t.same(list01.json().items, [])
  const all = await app.inject({ url: '/v1/budget-allocations?include_total=true', headers: as.ministry })
  t.equal(all.json().total, 3)
  const csv = await app.inject({
    url: '/v1/budget-allocations',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.ok(
    csv.body.startsWith(
      '\uFEFFid,province_code,year,funding_source,activity_content,amount,type,is_current,',
    ),
  )
  t.match(csv.body, /,2022,local,,600000000,revised,true,/)
  t.match(csv.body, /,2022,local,,500000000,original,false,/)
})

t.test('the summary follows the merger: Hà Giang (02) alone, and within Tuyên Quang (08)', async (t) => {
  // 2022, before the merger: Hà Giang (02) and the old Tuyên Quang (08), both now province 08.
  await allocate(as.ministry, {
    province_code: '08',
    year: 2022,
    funding_source: 'central',
    amount: 1_000_000_000,
    origin_province_code: '02',
  })
  await allocate(as.officer08, {
    year: 2022,
    funding_source: 'local',
    activity_content: 'training',
    amount: 800_000_000,
    origin_province_code: '08',
  })
  await allocate(as.officer01, { year: 2022, funding_source: 'local', amount: 700_000_000 })
  const scheme = async (headers: Headers, extra: object, approver: Headers, pay: object) => {
    const res = await post('/v1/projects', headers, {
      year: 2022,
      title: 'Đề án 2022',
      implementing_unit: 'Trung tâm Khuyến công',
      ...extra,
    })
    const id = res.json().id
    await post(`/v1/projects/${id}/transitions`, { ...headers, 'if-match': '*' }, { action: 'submit' })
    await post(
      `/v1/projects/${id}/transitions`,
      { ...approver, 'if-match': '*' },
      { action: 'approve', decision: '1/QĐ', decision_date: '2021-12-20' },
    )
    await post(`/v1/projects/${id}/transitions`, { ...headers, 'if-match': '*' }, { action: 'start' })
    const payer = 'funding_source' in pay && pay.funding_source === 'central' ? as.ministry : headers
    const paid = await post(`/v1/projects/${id}/disbursements`, payer, {
      date: '2022-06-01',
      kind: 'payment',
      ...pay,
    })
    if (paid.statusCode !== 201) throw new Error(paid.body)
  }
  await scheme(
    as.officer08,
    {
      funding_level: 'central',
      activity_contents: ['demonstration_technology'],
      origin_province_code: '02',
      requested_central: 400_000_000,
    },
    as.ministry,
    { funding_source: 'central', amount: 100_000_000 },
  )
  await scheme(
    as.officer08,
    {
      funding_level: 'local',
      activity_contents: ['training'],
      origin_province_code: '08',
      requested_local: 300_000_000,
    },
    as.officer08,
    { funding_source: 'local', amount: 300_000_000 },
  )
  // A draft's requested money is not approved money.
  await post('/v1/projects', as.officer08, {
    year: 2022,
    title: 'Nháp',
    implementing_unit: 'x',
    funding_level: 'local',
    activity_contents: ['training'],
    requested_local: 999,
  })

  const haGiang = await summary(as.officer08, 'year=2022&province=02&group_by=funding_source')
  t.same(haGiang, [
    {
      funding_source: 'central',
      allocated: 1_000_000_000,
      approved: 400_000_000,
      disbursed: 100_000_000,
      disbursement_rate: 0.1,
    },
    { funding_source: 'local', allocated: 600_000_000, approved: 0, disbursed: 0, disbursement_rate: 0 },
  ])
  t.same(
    await summary(as.ministry, 'year=2022&province=02&group_by=funding_source'),
    haGiang,
    'the ministry too',
  )

  const tuyenQuang = await summary(as.officer08, 'year=2022&province=08')
  t.same(tuyenQuang, [
    {
      province_code: '08',
      allocated: 2_400_000_000,
      approved: 700_000_000,
      disbursed: 400_000_000,
      disbursement_rate: 0.1667,
    },
  ])
  const country = await summary(as.ministry, 'year=2022&group_by=province')
  t.same(
    country.map((r: { province_code: string; allocated: number }) => [r.province_code, r.allocated]),
    [
      ['01', 700_000_000],
      ['08', 2_400_000_000],
    ],
  )
  t.same(await summary(as.officer01, 'year=2022&province=08'), [], 'another province sees nothing of 08')
  t.same(await summary(as.officer01, 'year=2022&province=02'), [], 'nor of what came from Hà Giang')
  t.same(
    (await summary(as.officer01, 'year=2022')).map((r: { province_code: string }) => r.province_code),
    ['01'],
  )
  const byYear = await summary(as.officer08, 'group_by=year')
  t.same(
    byYear.map((r: { year: number; allocated: number }) => [r.year, r.allocated]),
    [
      [2022, 2_400_000_000],
      [2024, 2_000_000_000],
    ],
  )
  const byContent = await summary(as.officer08, 'year=2022&group_by=activity_content&funding_source=local')
  t.same(byContent, [
    { activity_content: null, allocated: 600_000_000, approved: 0, disbursed: 0, disbursement_rate: 0 },
    {
      activity_content: 'training',
      allocated: 800_000_000,
      approved: 300_000_000,
      disbursed: 300_000_000,
      disbursement_rate: 0.375,
    },
  ])
  const csv = await app.inject({
    url: '/v1/budget-allocations/summary?year=2022&province=02&group_by=funding_source',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(
    csv.body,
    '\uFEFFfunding_source,allocated,approved,disbursed,disbursement_rate\r\n' +
      'central,1000000000,400000000,100000000,0.1\r\nlocal,600000000,0,0,0\r\n',
  )
})

t.test('central money is allocated by the ministry; local money by the province', async (t) => {
  const central = { year: 2025, funding_source: 'central', amount: 3_000_000_000 }
  const refused = await allocate(as.officer08, central)
  t.equal(refused.statusCode, 403, 'a province does not allocate central money')
  t.match(refused.json(), { type: /forbidden/, detail: /Bộ/ })
  t.equal((await allocate(as.officer08, { ...central, province_code: '08' })).statusCode, 403)
  const unnamed = await allocate(as.ministry, central)
  t.equal(unnamed.statusCode, 400, 'the ministry names the province')
  t.match(unnamed.json(), { errors: [{ in: 'body', pointer: '/province_code' }] })
  const original = await allocate(as.ministry, {
    ...central,
    province_code: '08',
    decision_number: '9/QĐ-BCT',
    decision_date: '2025-01-20',
  })
  t.equal(original.statusCode, 201, original.body)
  t.match(original.json(), { province_code: '08', funding_source: 'central', type: 'original' })
  const revision = await allocate(as.ministry, {
    ...central,
    province_code: '08',
    amount: 3_500_000_000,
    type: 'revised',
  })
  t.equal(revision.statusCode, 201, 'the ministry revises it')
  t.equal(
    (await allocate(as.officer08, { ...central, amount: 1, type: 'revised' })).statusCode,
    403,
    'the province does not',
  )
  const seen = await app.inject({
    url: `/v1/budget-allocations/${original.json().id}`,
    headers: as.officer08,
  })
  t.equal(seen.statusCode, 200, 'the province reads its central allocation')
  t.equal(
    (await app.inject({ url: `/v1/budget-allocations/${original.json().id}`, headers: as.officer01 }))
      .statusCode,
    404,
  )
  const local = { year: 2025, funding_source: 'local', amount: 900_000_000, province_code: '08' }
  t.equal((await allocate(as.ministry, local)).statusCode, 403, 'the ministry does not allocate local money')
  t.equal((await allocate(as.officer08, local)).statusCode, 201)
  const byYear = await summary(as.officer08, 'year=2025&group_by=funding_source')
  t.same(
    byYear.map((r: { funding_source: string; allocated: number }) => [r.funding_source, r.allocated]),
    [
      ['central', 3_500_000_000],
      ['local', 900_000_000],
    ],
    'the summary reads both',
  )

  // The database refuses too: a direct insert as the service under each caller's settings.
  const insert = (role: 'ministry' | 'province', source: string) =>
    withTenant(database.db, directScope(role, role === 'province' ? '08' : null), (trx) =>
      trx
        .insertInto('budget_allocations')
        .values({
          province_code: '08',
          year: 2019,
          funding_source: source,
          amount: 1,
          type: 'original',
          created_by: 'direct',
        })
        .execute(),
    )
  await t.rejects(insert('province', 'central'), { code: '42501' }, 'no central row under a province')
  await t.rejects(insert('ministry', 'local'), { code: '42501' }, 'no local row under the ministry')
  const total = await app.inject({
    url: '/v1/budget-allocations?year=2019&include_total=true',
    headers: as.ministry,
  })
  t.equal(total.json().total, 0)
})

t.test('central money to a national implementing unit: no province, the ministry’s alone', async (t) => {
  const unit = 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I'
  const body = { year: 2024, funding_source: 'central', amount: 4_000_000_000, recipient_unit: unit }
  const before = await summary(as.ministry, 'group_by=funding_source&year=2024')
  t.equal((await allocate(as.officer08, body)).statusCode, 403, 'a province allocates no central money')
  const both = await allocate(as.ministry, { ...body, province_code: '08', origin_province_code: '02' })
  t.equal(both.statusCode, 400)
  t.match(both.json(), { errors: [{ in: 'body', pointer: '/province_code' }] })
  const local = await allocate(as.ministry, { ...body, funding_source: 'local' })
  t.match(local.json(), { errors: [{ pointer: '/funding_source' }] }, 'a unit receives central money only')

  const created = await allocate(as.ministry, body)
  t.equal(created.statusCode, 201)
  t.match(created.json(), { province_code: null, recipient_unit: unit, is_current: true, type: 'original' })
  const { id } = created.json()
  t.equal((await allocate(as.ministry, body)).statusCode, 409, 'one original per unit, year, source')
  const revised = await allocate(as.ministry, { ...body, type: 'revised', amount: 4_500_000_000 })
  t.equal(revised.statusCode, 201)
  const read = await app.inject({ url: `/v1/budget-allocations/${id}`, headers: as.ministry })
  t.equal(read.json().is_current, false, 'the revision supersedes the original of the same unit')
  // Another unit's original is a key of its own.
  const other = await allocate(as.ministry, { ...body, recipient_unit: `${unit.slice(0, -1)}II` })
  t.equal(other.statusCode, 201)

  for (const headers of [as.officer08, as.officer01]) {
    t.equal((await app.inject({ url: `/v1/budget-allocations/${id}`, headers })).statusCode, 404)
    const list = await app.inject({ url: '/v1/budget-allocations?year=2024&limit=500', headers })
    t.notOk(
      list.json().items.some((a: { province_code: string | null }) => a.province_code === null),
      'a province lists no unit’s allocation',
    )
  }
  const listed = await app.inject({ url: '/v1/budget-allocations?year=2024&limit=500', headers: as.ministry })
  t.equal(listed.json().items.filter((a: { recipient_unit: string | null }) => a.recipient_unit).length, 3)
  // A province's session cannot read them in the database either.
  const seen = await withTenant(database.db, directScope('province', '08'), (trx) =>
    trx.selectFrom('budget_allocations').select('id').where('province_code', 'is', null).execute(),
  )
  t.same(seen, [], 'row-level security hides them from a province')
  t.same(
    await summary(as.ministry, 'group_by=funding_source&year=2024'),
    before,
    'the per-province summary leaves them out',
  )
})
