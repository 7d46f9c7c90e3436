import t from 'tap'
import { buildTestApp, caller } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

const call = caller(app)

/** The ministry sets a period's due date (hand-built dates: past or far ahead). */
const due = async (code: string, day: string) => {
  const res = await call(
    'PATCH',
    `/v1/reporting-periods/${code}`,
    { ...as.ministry, 'if-match': '*' },
    { due_date: day },
  )
  if (res.statusCode !== 200) throw new Error(res.body)
}

/** A province starts and submits its report. */
const report = async (headers: Record<string, string>, body: object, submit = true) => {
  const created = await call('POST', '/v1/periodic-reports', headers, body)
  if (created.statusCode !== 201) throw new Error(created.body)
  if (submit) {
    const sent = await call(
      'POST',
      `/v1/periodic-reports/${created.json().id}/transitions`,
      { ...headers, 'if-match': '*' },
      {
        action: 'submit',
      },
    )
    if (sent.statusCode !== 200) throw new Error(sent.body)
  }
  return created.json().id as string
}

type Row = { unit_code: string; status: string; timeliness: string | null; province_code: string }
const row = (items: Row[], unit: string) => items.find((i) => i.unit_code === unit) as Row

t.before(async () => {
  await due('2025-Q3', '2025-10-15') // past: a submission now is late
  await due('2025-Q4', '2099-01-15') // ahead: a submission now is on time
  await report(as.officer08, { period: '2025-Q3' })
  await report(as.officer01, { period: '2025-Q4' })
  await report(as.officer08, { period: '2025-Q4' }, false)
  await report(as.officer08, { period: '2025-H1', origin_province_code: '02' })
})

t.test('a row per province after the merger, with status and timeliness', async (t) => {
  const q3 = await call('GET', '/v1/reporting-status?period=2025-Q3', as.ministry)
  t.equal(q3.statusCode, 200, q3.body)
  const body = q3.json()
  t.equal(body.items.length, 34)
  t.match(body.period, { code: '2025-Q3', due_date: '2025-10-15' })
  t.match(row(body.items, '08'), { status: 'submitted', timeliness: 'late', due_date: '2025-10-15' })
  t.match(row(body.items, '01'), { status: 'not_started', timeliness: 'overdue', report_id: null })
  t.match(body, { expected: 34, actual: 1, on_time: 0, reporting_rate: 0.0294, on_time_rate: 0 })

  const q4 = (await call('GET', '/v1/reporting-status?period=2025-Q4', as.ministry)).json()
  t.match(row(q4.items, '01'), { status: 'submitted', timeliness: 'on_time' })
  t.match(row(q4.items, '08'), { status: 'draft', timeliness: null }, 'a draft not yet due')
  t.match(row(q4.items, '48'), { status: 'not_started', timeliness: null })
  t.match(q4, { expected: 34, actual: 1, on_time: 1 })
})

t.test('before the merger the units are the 63 former provinces', async (t) => {
  const h1 = (await call('GET', '/v1/reporting-status?period=2025-H1', as.ministry)).json()
  t.equal(h1.items.length, 63)
  t.match(row(h1.items, '02'), { unit_name: 'Hà Giang', province_code: '08', status: 'submitted' })
  t.match(row(h1.items, '08'), { province_code: '08', status: 'not_started', timeliness: 'overdue' })
  const own = (await call('GET', '/v1/reporting-status?period=2025-H1', as.officer08)).json()
  t.same(
    own.items.map((i: Row) => i.unit_code),
    ['02', '08'],
    'a province sees its own units: Hà Giang and Tuyên Quang',
  )
  t.match(own, { expected: 2, actual: 1 })
})

t.test('a province sees its own row; CSV; bad periods', async (t) => {
  const mine = (await call('GET', '/v1/reporting-status?period=2025-Q4', as.officer01)).json()
  t.same(
    mine.items.map((i: Row) => i.unit_code),
    ['01'],
  )
  const csv = await call('GET', '/v1/reporting-status?period=2025-Q3', { ...as.ministry, accept: 'text/csv' })
  t.equal(csv.statusCode, 200)
  const lines = csv.body.trim().split('\r\n')
  t.equal(lines.length, 35)
  t.match(lines[0], 'unit_code,unit_name,province_code,report_id,status,timeliness')
  t.equal((await call('GET', '/v1/reporting-status?period=2025-09', as.ministry)).statusCode, 404)
  t.equal((await call('GET', '/v1/reporting-status?period=2099-Q1', as.ministry)).statusCode, 404)
  t.equal((await call('GET', '/v1/reporting-status?period=Q3', as.ministry)).statusCode, 400)
})

t.test('the year’s rates: in total, per period, per province', async (t) => {
  const res = await call('GET', '/v1/reporting-status/summary?year=2025', as.ministry)
  t.equal(res.statusCode, 200, res.body)
  const s = res.json()
  t.same(
    s.periods.map((p: { period_code: string }) => p.period_code),
    ['2025-Q1', '2025-Q2', '2025-H1', '2025-Q3', '2025-Q4', '2025-H2', '2025'],
  )
  t.match(s, { expected: 63 * 3 + 34 * 4, actual: 3, on_time: 1 })
  t.match(s.periods[2], { period_code: '2025-H1', expected: 63, actual: 1, on_time: 0 })
  const tq = s.provinces.find((p: { province_code: string }) => p.province_code === '08')
  // Tuyên Quang: its two former provinces in Q1, Q2, H1, itself in four later periods.
  t.match(tq, { province_name: 'Tuyên Quang', expected: 2 * 3 + 4, actual: 2, on_time: 0 })
  t.equal(s.provinces.length, 34)
  const own = (await call('GET', '/v1/reporting-status/summary?year=2025', as.officer01)).json()
  t.same(
    own.provinces.map((p: { province_code: string }) => p.province_code),
    ['01'],
  )
  t.match(own, { actual: 1, on_time: 1 })
})

t.test('the scorecard shows whether a province’s figures were reported', async (t) => {
  await due('2025', '2026-01-15')
  await report(as.officer08, { period: '2025' })
  const card = (await call('GET', '/v1/reports/scorecard?year=2025', as.ministry)).json()
  type Card = { province_code: string; annual_report: { status: string; timeliness: string | null } | null }
  const rowOf = (code: string) => (card.items as Card[]).find((r) => r.province_code === code)
  t.match(rowOf('08')?.annual_report, { status: 'submitted', timeliness: 'late' })
  t.match(rowOf('01')?.annual_report, { status: 'not_started', report_id: null, timeliness: 'overdue' })
  const before = (await call('GET', '/v1/reports/scorecard?year=2024', as.ministry)).json()
  t.equal(before.items[0].annual_report, null, 'before the merger the provinces of today did not report')
  const former = (await call('GET', '/v1/reports/scorecard?year=2024&as_of=former', as.ministry)).json()
  t.match(former.items[0].annual_report, { status: 'not_started' }, 'the former provinces did')
  const trend = (
    await call('GET', '/v1/reports/provinces/08/scorecard?from=2024&to=2025', as.officer08)
  ).json()
  t.same(
    trend.items.map((r: Card) => r.annual_report?.status ?? null),
    [null, 'submitted'],
  )
})

t.test('timeliness on the due day itself, in Vietnam', async (t) => {
  const vietnam = (offsetDays: number) =>
    new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10)
  await due('2024-Q3', vietnam(0)) // due today: sent today is on time
  await due('2024-Q4', vietnam(-1)) // due yesterday: sent today is late
  await report(as.officer01, { period: '2024-Q3' })
  await report(as.officer01, { period: '2024-Q4' })
  const q3 = (await call('GET', '/v1/reporting-status?period=2024-Q3', as.officer01)).json()
  t.match(q3.items, [{ unit_code: '01', status: 'submitted', timeliness: 'on_time' }])
  t.match(q3, { expected: 1, actual: 1, on_time: 1, reporting_rate: 1, on_time_rate: 1 })
  const q4 = (await call('GET', '/v1/reporting-status?period=2024-Q4', as.officer01)).json()
  t.match(q4.items, [{ timeliness: 'late' }])
  t.match(q4, { actual: 1, on_time: 0, on_time_rate: 0 })
})
