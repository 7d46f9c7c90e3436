// The scorecard's money paid by the year's end follows every disbursement, whatever its date and
// kind. The report reads it as the scheme's running total less what is dated after 31 December,
// and looks for the latter only when the day of the scheme's latest disbursement (kept by the
// disbursements' trigger, migration 0104) is after it: each write below moves that day, or must
// not move it back, and the year's figure is checked after each.
import t, { type Test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()
type Headers = Record<string, string>

async function post(url: string, payload: object, headers: Headers) {
  const res = await app.inject({ method: 'POST', url, headers, payload })
  if (res.statusCode >= 300) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** A local scheme of province 01 for 2024, approved and under way. */
async function scheme(requested_local: number) {
  const { id } = await post(
    '/v1/projects',
    {
      year: 2024,
      title: 'Đề án',
      funding_level: 'local',
      activity_contents: ['training'],
      implementing_unit: 'Trung tâm Khuyến công',
      requested_local,
    },
    as.officer01,
  )
  for (const action of ['submit', 'approve', 'start'])
    await post(
      `/v1/projects/${id}/transitions`,
      { action, decision: '1/QĐ', decision_date: '2024-01-15' },
      { ...as.officer01, 'if-match': '*' },
    )
  return id as string
}

const move = (id: string, kind: 'advance' | 'payment' | 'refund', amount: number, date: string) =>
  post(`/v1/projects/${id}/disbursements`, { date, funding_source: 'local', kind, amount }, as.officer01)

/** Local money paid by 31 December 2024 ÷ approved, as the scorecard of 2024 shows it (current and former). */
async function share(t: Test) {
  const values = await Promise.all(
    ['current', 'former'].map(async (asOf) => {
      const res = await app.inject({
        url: `/v1/reports/scorecard?year=2024&as_of=${asOf}`,
        headers: as.officer01,
      })
      const row = res.json().items.find((r: { province_code: string }) => r.province_code === '01')
      return row.indicators.find((i: { code: string }) => i.code === 'disbursed_to_approved_local').value
    }),
  )
  t.equal(values[0], values[1], 'province 01 is its own former province: the same figure')
  return values[0]
}

// 100M + 100M approved.
const a = await scheme(100_000_000)
const b = await scheme(100_000_000)

t.test('a payment in the year counts', async (t) => {
  await move(a, 'payment', 40_000_000, '2024-03-01')
  t.equal(await share(t), 0.2, '40M ÷ 200M')
})

t.test('a payment after the year does not count', async (t) => {
  await move(a, 'payment', 30_000_000, '2025-02-01')
  t.equal(await share(t), 0.2, 'still 40M: the 30M is of 2025')
})

t.test('a refund after the year does not count either', async (t) => {
  await move(a, 'refund', 20_000_000, '2025-03-01')
  t.equal(await share(t), 0.2, 'still 40M, though the scheme holds 50M today')
})

t.test('money dated before the latest disbursement counts in its year', async (t) => {
  await move(a, 'advance', 10_000_000, '2024-06-01')
  t.equal(await share(t), 0.25, '50M: entered after the 2025 rows, dated in 2024')
})

t.test('the year ends on 31 December, which is in it', async (t) => {
  await move(a, 'refund', 10_000_000, '2024-12-31')
  t.equal(await share(t), 0.2, '40M again')
})

t.test('money wholly refunded after the year still counts in it', async (t) => {
  await move(b, 'advance', 20_000_000, '2024-05-01')
  t.equal(await share(t), 0.3, '40M + 20M')
  await move(b, 'refund', 20_000_000, '2025-01-15')
  t.equal(await share(t), 0.3, 'scheme b holds nothing today, but had 20M by the end of 2024')
})
