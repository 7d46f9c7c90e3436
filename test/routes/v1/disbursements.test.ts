import { sql } from 'kysely'
import t from 'tap'
import { withTenant } from '../../../src/db/tenancy.ts'
import { buildTestApp, onPostgres } from '../../helpers/app.ts'
import { directScope } from '../../helpers/scopes.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t, { rateLimit: { max: 0, windowMs: 60_000 } })
const as = await cast()
type Headers = Record<string, string>

const post = (url: string, headers: Headers, payload: object) =>
  app.inject({ method: 'POST', url, headers, payload })
const kcqg = await post('/v1/programmes', as.ministry, {
  level: 'national',
  title: 'KCQG',
  start_year: 2021,
  end_year: 2025,
})
const plan = (
  await post('/v1/plans', as.ministry, { programme_id: kcqg.json().id, year: 2024, title: 'KH' })
).json().id

async function approvedScheme(extra: object = {}): Promise<string> {
  const res = await post('/v1/projects', as.officer08, {
    year: 2024,
    plan_id: plan,
    title: 'Đề án giải ngân',
    funding_level: 'central',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
    requested_central: 1_000_000,
    requested_counterpart: 500_000,
    ...extra,
  })
  const id = res.json().id
  await post(`/v1/projects/${id}/transitions`, { ...as.officer08, 'if-match': '*' }, { action: 'submit' })
  const approve = await post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    {
      action: 'approve',
      decision: '1/QĐ',
      decision_date: '2024-02-01',
    },
  )
  if (approve.statusCode !== 200) throw new Error(approve.body)
  return id
}

/** A disbursement, central unless said otherwise, by its payer: the ministry for central money, else 08. */
const pay = (id: string, payload: { funding_source?: string; [field: string]: unknown }, headers?: Headers) =>
  post(
    `/v1/projects/${id}/disbursements`,
    headers ?? ((payload.funding_source ?? 'central') === 'central' ? as.ministry : as.officer08),
    { date: '2024-05-20', funding_source: 'central', kind: 'payment', ...payload },
  )
/** The ministry's adjustment of the central money, dated `decision_date` (else today). */
const adjust = (id: string, central: number, decision_date?: string) =>
  post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    { action: 'adjust', decision: '2/QĐ', decision_date, approved: { central } },
  )
/** A payment inserted straight into the table under a caller's tenant settings: the policies alone decide. */
const directPayment = (id: string, role: 'ministry' | 'province', source: string) =>
  withTenant(database.db, directScope(role, role === 'province' ? '08' : null), (trx) =>
    trx
      .insertInto('disbursements')
      .values({
        project_id: id,
        province_code: '08',
        date: '2024-06-01',
        funding_source: source,
        amount: 1,
        kind: 'payment',
        created_by: 'direct',
      })
      .execute(),
  )
const scheme = async (id: string) =>
  (await app.inject({ url: `/v1/projects/${id}`, headers: as.officer08 })).json()

t.test('concurrent disbursements never overshoot the approved amount', async (t) => {
  const id = await approvedScheme()
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => pay(id, { amount: 300_000, document: `UNC ${i}` })),
  )
  const codes = results.map((r) => r.statusCode).sort()
  t.same(codes, [201, 201, 201, 422, 422, 422, 422, 422, 422, 422], 'only the three that fit succeed')
  for (const refused of results.filter((r) => r.statusCode === 422)) {
    t.match(refused.json(), { errors: [{ in: 'body', pointer: '/amount' }] })
  }
  const after = await scheme(id)
  t.equal(after.disbursed_central, 900_000, 'the total is exact')
  t.equal(after.approved_central, 1_000_000)
  const list = await app.inject({ url: `/v1/projects/${id}/disbursements`, headers: as.officer08 })
  t.equal(list.json().items.length, 3)
  t.equal(
    list.json().items.reduce((sum: number, d: { amount: number }) => sum + d.amount, 0),
    900_000,
  )
  t.comment(onPostgres ? 'on PostgreSQL, with a pool of 5 connections' : 'on PGlite (one connection)')
})

t.test('the running total holds on every day, in date order', async (t) => {
  const id = await approvedScheme()
  t.equal((await pay(id, { amount: 600_000, date: '2024-06-01' })).statusCode, 201)
  const early = await pay(id, { amount: 100_000, kind: 'refund', date: '2024-05-31' })
  t.equal(early.statusCode, 422, 'a refund dated before the payment it returns')
  t.match(early.json(), {
    detail: /by 2024-05-31 below zero \(-100000\)|tính đến ngày 2024-05-31 xuống dưới 0 \(-100000\)/,
    errors: [{ in: 'body', pointer: '/amount' }],
  })
  t.equal(
    (await pay(id, { amount: 100_000, kind: 'refund', date: '2024-06-01' })).statusCode,
    201,
    'same day',
  )
  t.equal((await pay(id, { amount: 500_000, date: '2024-09-01' })).statusCode, 201, '1,000,000 by September')
  t.equal((await pay(id, { amount: 300_000, kind: 'refund', date: '2024-10-01' })).statusCode, 201)
  const room = await pay(id, { amount: 200_000, date: '2024-08-01' })
  t.equal(room.statusCode, 422, 'the refund of October made room after it, not in August')
  t.match(room.json().detail, /tính đến ngày 2024-09-01 lên 1200000, vượt số được duyệt ngày đó \(1000000\)/)
  t.equal(
    (await pay(id, { amount: 200_000, date: '2024-10-01' })).statusCode,
    201,
    'after the refund it fits',
  )
  const list = await app.inject({ url: `/v1/projects/${id}/disbursements`, headers: as.officer08 })
  t.equal(list.json().items.length, 5, 'nothing of the refusals recorded')
  t.equal((await scheme(id)).disbursed_central, 900_000)
})

t.test('each day against what was approved that day: adjustments up and down', async (t) => {
  const down = await approvedScheme()
  t.equal((await pay(down, { amount: 1_000_000, date: '2024-05-20' })).statusCode, 201)
  t.equal((await pay(down, { amount: 400_000, kind: 'refund', date: '2024-09-01' })).statusCode, 201)
  const early = await adjust(down, 700_000, '2024-06-01')
  t.equal(early.statusCode, 422, 'an adjustment below what was paid by its own day')
  t.match(early.json(), {
    detail: /tính đến ngày 2024-06-01 \(1000000\)/,
    errors: [{ pointer: '/approved/central' }],
  })
  t.equal((await adjust(down, 700_000, '2024-10-01')).statusCode, 200, 'after the refund, 600,000 fits')
  const back = await pay(down, { amount: 50_000, kind: 'refund', date: '2024-06-15' })
  t.equal(back.statusCode, 201, 'a refund dated before the adjustment is measured against 1,000,000 then')
  const before = await adjust(down, 800_000, '2024-09-30')
  t.equal(before.statusCode, 400, 'an adjustment dated before the previous decision')
  t.match(before.json(), { errors: [{ pointer: '/decision_date', detail: /2024-10-01/ }] })

  const up = await approvedScheme()
  t.equal((await pay(up, { amount: 1_000_000, date: '2024-05-20' })).statusCode, 201)
  t.equal((await adjust(up, 1_500_000, '2024-10-01')).statusCode, 200)
  const beyond = await app.inject({
    method: 'POST',
    url: `/v1/projects/${up}/disbursements`,
    headers: { ...as.ministry, 'accept-language': 'en' },
    payload: { date: '2024-06-01', funding_source: 'central', kind: 'payment', amount: 500_000 },
  })
  t.equal(beyond.statusCode, 422, 'in June only 1,000,000 was approved')
  t.match(beyond.json().detail, /by 2024-06-01 to 1500000, above the amount approved on that day \(1000000\)/)
  t.equal((await pay(up, { amount: 500_000, date: '2024-10-01' })).statusCode, 201, 'from the adjustment on')
})

t.test('a total carried into a lower ceiling breaks it on the adjustment’s day', async (t) => {
  const id = await approvedScheme()
  t.equal((await pay(id, { amount: 500_000, date: '2024-02-05' })).statusCode, 201)
  const adjusted = await adjust(id, 500_000, '2024-03-01')
  t.equal(adjusted.statusCode, 200)
  t.equal((await pay(id, { amount: 400_000, kind: 'refund', date: '2024-03-15' })).statusCode, 201)
  const backdated = await pay(id, { amount: 300_000, date: '2024-02-10' })
  t.equal(backdated.statusCode, 422, '800,000 from 1 to 14 March, against 500,000 approved then')
  t.match(
    backdated.json().detail,
    /tính đến ngày 2024-03-01 lên 800000, vượt số được duyệt ngày đó \(500000\)/,
  )
  t.equal(
    (await pay(id, { amount: 300_000, date: '2024-03-15' })).statusCode,
    201,
    'after the refund it fits',
  )
})

t.test('a payment is not refused for a refund recorded before the rule', async (t) => {
  const id = await approvedScheme()
  const recorded = (date: string, kind: string) =>
    sql`insert into disbursements (project_id, province_code, date, funding_source, amount, kind, created_by)
        values (${id}, '08', ${date}, 'central', 100000, ${kind}, 'legacy')`.execute(database.db)
  await recorded('2024-06-01', 'payment')
  await recorded('2024-05-01', 'refund')
  t.equal((await pay(id, { amount: 10_000, date: '2024-05-15' })).statusCode, 201, 'a payment only adds')
  const refund = await pay(id, { amount: 1, kind: 'refund', date: '2024-05-20' })
  t.equal(refund.statusCode, 422, 'a refund on a day already below zero makes it worse')
})

t.test('money moves between the scheme’s approval and today', async (t) => {
  const id = await approvedScheme()
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
  const tomorrow = new Date(Date.now() + 31 * 3600_000).toISOString().slice(0, 10)
  for (const date of ['1990-01-01', '2024-01-31', tomorrow, '2099-12-31']) {
    const res = await pay(id, { amount: 1, date })
    t.equal(res.statusCode, 400, date)
    t.match(res.json(), {
      code: 'validation_failed',
      errors: [{ in: 'body', pointer: '/date', detail: /2024-02-01/ }],
    })
  }
  t.equal((await pay(id, { amount: 1, date: '2024-02-01' })).statusCode, 201, 'the day of the approval')
  const counterpart = await pay(id, { amount: 1, date: '2024-01-31', funding_source: 'counterpart' })
  t.match(counterpart.json(), { errors: [{ detail: /2024-02-01/ }] }, 'the province reads the approval too')
  t.equal((await pay(id, { amount: 1, date: today })).statusCode, 201, 'today, in Vietnam')
  const adjusted = await adjust(id, 900_000, '2024-06-01')
  t.equal(adjusted.statusCode, 200)
  t.equal(
    (await pay(id, { amount: 1, date: '2024-03-01' })).statusCode,
    201,
    'an adjustment keeps the first approval',
  )
})

t.test('the running total: payments + advances − refunds, to the đồng', async (t) => {
  const id = await approvedScheme()
  t.equal((await pay(id, { amount: 400_000, kind: 'advance' })).statusCode, 201)
  t.equal((await pay(id, { amount: 599_999 })).statusCode, 201)
  t.equal((await pay(id, { amount: 1 })).statusCode, 201, 'exactly the approved amount is fine')
  const over = await pay(id, { amount: 1 })
  t.equal(over.statusCode, 422, 'one đồng more is not')
  t.match(over.json().detail, /lên 1000001, vượt số được duyệt ngày đó \(1000000\)/)
  t.equal((await pay(id, { amount: 200_000, kind: 'refund' })).statusCode, 201)
  t.equal((await scheme(id)).disbursed_central, 800_000)
  const tooMuchBack = await pay(id, { amount: 800_001, kind: 'refund' })
  t.equal(tooMuchBack.statusCode, 422)
  t.match(tooMuchBack.json(), { errors: [{ pointer: '/amount' }] })
  const counterpart = await pay(id, { amount: 500_000, funding_source: 'counterpart' })
  t.equal(counterpart.statusCode, 201, 'each source has its own ceiling')
  t.equal((await pay(id, { amount: 1, funding_source: 'other' })).statusCode, 422, 'nothing approved')
  const s = await scheme(id)
  t.match(s, {
    disbursed_central: 800_000,
    disbursed_counterpart: 500_000,
    disbursed_local: 0,
    disbursed_other: 0,
  })

  const lower = await adjust(id, 799_999)
  t.equal(lower.statusCode, 422, 'approved money cannot drop below what was paid')
  t.match(lower.json(), { errors: [{ pointer: '/approved/central' }] })
  const fits = await adjust(id, 800_000)
  t.equal(fits.statusCode, 200)
  t.equal((await pay(id, { amount: 1 })).statusCode, 422, 'the adjusted amount is the new ceiling')
})

t.test('the database refuses an overshoot even without the application', async (t) => {
  const id = await approvedScheme()
  const insert = (amount: number) =>
    sql`insert into disbursements (project_id, province_code, date, funding_source, amount, kind, created_by)
        values (${id}, '08', '2024-06-01', 'central', ${amount}, 'payment', 'direct')`.execute(database.db)
  await insert(1_000_000)
  await t.rejects(insert(1), { code: '23514' }, 'the CHECK on the scheme refuses it')
  const row = await sql<{
    disbursed_central: string
  }>`select disbursed_central from projects where id = ${id}`.execute(database.db)
  t.equal(row.rows[0]?.disbursed_central, '1000000')

  // Concurrent direct inserts (no application lock): the trigger's UPDATE queues on the row lock and
  // the CHECK sees each committed total.
  const other = await approvedScheme()
  const direct = await Promise.allSettled(
    Array.from({ length: 10 }, () =>
      sql`insert into disbursements (project_id, province_code, date, funding_source, amount, kind, created_by)
          values (${other}, '08', '2024-06-01', 'central', 300000, 'payment', 'direct')`.execute(database.db),
    ),
  )
  t.equal(direct.filter((r) => r.status === 'fulfilled').length, 3, 'three fit, directly too')
  t.equal((await scheme(other)).disbursed_central, 900_000)
})

t.test('only while the scheme may spend; bad input names the field', async (t) => {
  const draft = await post('/v1/projects', as.officer08, {
    year: 2024,
    title: 'Nháp',
    funding_level: 'local',
    activity_contents: ['training'],
    implementing_unit: 'x',
  })
  const early = await pay(draft.json().id, { amount: 1, funding_source: 'local' })
  t.equal(early.statusCode, 409)
  t.match(early.json(), { state: 'draft' })
  const id = await approvedScheme()
  const cases: [Record<string, unknown>, string][] = [
    [{ amount: 0 }, '/amount'],
    [{ amount: -5 }, '/amount'],
    [{ amount: 1.5 }, '/amount'],
    [{ amount: 1, funding_source: 'lottery' }, '/funding_source'],
    [{ amount: 1, kind: 'gift' }, '/kind'],
    [{ amount: 1, date: '2024-02-30' }, '/date'],
    [{ amount: 1, colour: 'red' }, '/colour'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await pay(id, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { errors: [{ in: 'body', pointer }] }, pointer)
  }
  const missing = await post(`/v1/projects/${id}/disbursements`, as.ministry, { amount: 1 })
  t.equal(missing.statusCode, 400)
})

t.test('Idempotency-Key: a retried payment is paid once', async (t) => {
  const id = await approvedScheme()
  const key = { ...as.ministry, 'idempotency-key': 'pay-1' }
  const first = await pay(id, { amount: 100_000 }, key)
  const again = await pay(id, { amount: 100_000 }, key)
  t.equal(first.statusCode, 201)
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json(), first.json())
  t.equal((await scheme(id)).disbursed_central, 100_000)
  t.equal((await pay(id, { amount: 5 }, key)).statusCode, 422)
})

t.test('a disbursement is read at the Location of its 201, by whom may see it', async (t) => {
  const id = await approvedScheme()
  const created = await pay(id, { amount: 7_000, document: 'UNC-7' })
  t.equal(created.statusCode, 201)
  const url = created.headers.location as string
  t.equal(url, `/v1/projects/${id}/disbursements/${created.json().id}`)
  for (const headers of [as.officer08, as.ministry]) {
    const read = await app.inject({ url, headers })
    t.equal(read.statusCode, 200)
    t.same(read.json(), created.json(), 'as it was recorded')
  }
  t.equal((await app.inject({ url, headers: as.officer01 })).statusCode, 404, 'not another province')
  const other = await approvedScheme()
  const astray = `/v1/projects/${other}/disbursements/${created.json().id}`
  t.equal(
    (await app.inject({ url: astray, headers: as.officer08 })).statusCode,
    404,
    'not under another scheme',
  )
})

t.test('tenancy and the ministry', async (t) => {
  const id = await approvedScheme()
  await pay(id, { amount: 10_000, document: 'UNC-TQ' })
  t.equal((await pay(id, { amount: 1 }, as.officer01)).statusCode, 404)
  t.equal(
    (await app.inject({ url: `/v1/projects/${id}/disbursements`, headers: as.officer01 })).statusCode,
    404,
  )
  t.equal((await pay(id, { amount: 1 }, as.reader08)).statusCode, 403)
  const read = await app.inject({ url: `/v1/projects/${id}/disbursements`, headers: as.ministry })
  t.equal(read.statusCode, 200)
  t.equal(read.json().items[0].document, 'UNC-TQ')
  t.equal((await scheme(id)).disbursed_central, 10_000)
  const csv = await app.inject({
    url: `/v1/projects/${id}/disbursements`,
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.ok(csv.body.startsWith('\uFEFFid,project_id,province_code,date,funding_source,amount,'))
  t.match(csv.body, /,central,10000,payment,UNC-TQ,/)
  const trail = await app.inject({ url: '/v1/audit-events?entity_type=disbursement', headers: as.officer08 })
  t.ok(trail.json().items.length >= 1)
})

t.test('central money is paid out by the ministry, other sources by the province', async (t) => {
  const id = await approvedScheme()
  const central = await pay(id, { amount: 1 }, as.officer08)
  t.equal(central.statusCode, 403, 'a province does not record central disbursements')
  t.match(central.json().detail, /Chỉ Bộ mới ghi nhận/)
  t.equal(
    (await pay(id, { amount: 1, funding_source: 'counterpart' }, as.ministry)).statusCode,
    403,
    'nor the ministry counterpart ones',
  )
  t.equal((await pay(id, { amount: 2 })).statusCode, 201, 'the ministry pays central money')
  t.equal(
    (await pay(id, { amount: 3, funding_source: 'counterpart' })).statusCode,
    201,
    'the province its counterpart',
  )
  t.match(await scheme(id), { disbursed_central: 2, disbursed_counterpart: 3 })
  // The database refuses too: direct inserts as the service under each caller's settings.
  await t.rejects(
    directPayment(id, 'province', 'central'),
    { code: '42501' },
    'no central payment under a province',
  )
  await t.rejects(
    directPayment(id, 'ministry', 'counterpart'),
    { code: '42501' },
    'no counterpart payment under the ministry',
  )
  t.match(await scheme(id), { disbursed_central: 2, disbursed_counterpart: 3 }, 'nothing moved')
})

t.test('every movement of money on a scheme the ministry’s own units run is the ministry’s', async (t) => {
  const created = await post('/v1/projects', as.ministry, {
    year: 2024,
    plan_id: plan,
    title: 'Đề án do Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I thực hiện',
    funding_level: 'central',
    run_by: 'ministry',
    province_code: '08',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I',
    requested_central: 1_000_000,
    requested_counterpart: 500_000,
  })
  t.equal(created.statusCode, 201)
  const { id } = created.json()
  for (const action of ['submit', 'approve']) {
    const res = await post(
      `/v1/projects/${id}/transitions`,
      { ...as.ministry, 'if-match': '*' },
      { action, decision: '2/QĐ-BCT', decision_date: '2024-02-01' },
    )
    t.equal(res.statusCode, 200, action)
  }
  const counterpart = { amount: 7, funding_source: 'counterpart' }
  const byProvince = await pay(id, counterpart, as.officer08)
  t.equal(byProvince.statusCode, 403, 'the province records none of it')
  t.match(byProvince.json().detail, /Chỉ Bộ mới ghi nhận/)
  t.equal((await pay(id, counterpart, as.ministry)).statusCode, 201, 'the ministry records the counterpart')
  t.equal((await pay(id, { amount: 5 })).statusCode, 201, 'and the central money')
  t.match(await scheme(id), { disbursed_central: 5, disbursed_counterpart: 7 })
  await t.rejects(
    directPayment(id, 'province', 'counterpart'),
    { code: '42501' },
    'the database refuses it under the province too',
  )
  t.match(await scheme(id), { disbursed_counterpart: 7 }, 'nothing moved')
})
