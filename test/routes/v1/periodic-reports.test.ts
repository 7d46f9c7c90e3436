import t from 'tap'
import { buildTestApp, caller } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()
const thisYear = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear()

const call = caller(app)

const step = (id: string, headers: Record<string, string>, payload: object, etag = '*') =>
  call('POST', `/v1/periodic-reports/${id}/transitions`, { ...headers, 'if-match': etag }, payload)

t.test('reporting periods are data; the ministry sets due dates', async (t) => {
  const list = await call('GET', '/v1/reporting-periods?year=2026&kind=quarterly', as.officer08)
  t.equal(list.statusCode, 200)
  t.same(
    list.json().items.map((p: { code: string }) => p.code),
    ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'],
  )
  t.match(list.json().items[2], {
    code: '2026-Q3',
    kind: 'quarterly',
    starts_on: '2026-07-01',
    ends_on: '2026-09-30',
    due_date: '2026-10-15',
  })
  const kinds = await call('GET', '/v1/reporting-periods?year=2021', as.officer08)
  t.same(
    kinds
      .json()
      .items.map((p: { code: string }) => p.code)
      .filter((c: string) => !/-\d\d$/.test(c)),
    ['2021', '2021-H1', '2021-Q1', '2021-Q2', '2021-H2', '2021-Q3', '2021-Q4'],
  )
  t.equal(kinds.json().items.find((p: { code: string }) => p.code === '2021-09').due_date, '2021-10-05')

  const one = await call('GET', '/v1/reporting-periods/2026-H1', as.officer08)
  t.equal(one.statusCode, 200)
  t.equal(one.headers.etag, '"1"')
  t.match(one.json(), { kind: 'half_year', starts_on: '2026-01-01', ends_on: '2026-06-30' })

  const byProvince = await call(
    'PATCH',
    '/v1/reporting-periods/2026-H1',
    { ...as.officer08, 'if-match': '"1"' },
    {
      due_date: '2026-08-01',
    },
  )
  t.equal(byProvince.statusCode, 403)
  const noMatch = await call('PATCH', '/v1/reporting-periods/2026-H1', as.ministry, {
    due_date: '2026-08-01',
  })
  t.equal(noMatch.statusCode, 428)
  const early = await call(
    'PATCH',
    '/v1/reporting-periods/2026-H1',
    { ...as.ministry, 'if-match': '"1"' },
    {
      due_date: '2026-06-01',
    },
  )
  t.equal(early.statusCode, 400)
  t.match(early.json(), { errors: [{ in: 'body', pointer: '/due_date' }] })
  const set = await call(
    'PATCH',
    '/v1/reporting-periods/2026-H1',
    { ...as.ministry, 'if-match': '"1"' },
    {
      due_date: '2026-08-01',
    },
  )
  t.equal(set.statusCode, 200)
  t.equal(set.json().due_date, '2026-08-01')
  t.equal(set.headers.etag, '"2"')
  const stale = await call(
    'PATCH',
    '/v1/reporting-periods/2026-H1',
    { ...as.ministry, 'if-match': '"1"' },
    {
      due_date: '2026-08-02',
    },
  )
  t.equal(stale.statusCode, 412)
  const events = await call('GET', '/v1/audit-events?entity_type=reporting_period', as.ministry)
  t.equal(events.statusCode, 200)
  t.match(events.json().items[0], {
    entity_id: '2026-H1',
    action: 'update',
    after: { due_date: '2026-08-01' },
  })
  t.equal((await call('GET', '/v1/reporting-periods/2026-13', as.ministry)).statusCode, 400)
  t.equal((await call('GET', '/v1/reporting-periods/2099-Q1', as.ministry)).statusCode, 404)
})

let id = ''

t.test('a province starts a report pre-filled from the data; one per unit and period', async (t) => {
  const activity = await call('POST', '/v1/communication-activities', as.officer08, {
    channel: 'web_portal',
    date: '2025-10-10',
    title: 'Tin bài quý IV',
  })
  t.equal(activity.statusCode, 201)
  const created = await call('POST', '/v1/periodic-reports', as.officer08, {
    period: '2025-Q4',
    results: 'Hoàn thành kế hoạch quý',
  })
  t.equal(created.statusCode, 201, created.body)
  const report = created.json()
  id = report.id
  t.equal(created.headers.location, `/v1/periodic-reports/${id}`)
  t.match(report, {
    province_code: '08',
    origin_province_code: null,
    unit_code: '08',
    period_code: '2025-Q4',
    status: 'draft',
    submission: 0,
    content_hash: null,
    due_date: '2026-01-15',
    results: 'Hoàn thành kế hoạch quý',
    allowed_actions: ['submit'],
  })
  t.equal(report.figures.communication.activities, 1)
  t.same(report.figures, report.live_figures)

  const again = await call('POST', '/v1/periodic-reports', as.officer08, { period: '2025-Q4' })
  t.equal(again.statusCode, 409)
  t.match(again.json(), { existing_id: id })
  t.match(again.json().detail, id)

  const byMinistry = await call('POST', '/v1/periodic-reports', as.ministry, { period: '2025-Q4' })
  t.equal(byMinistry.statusCode, 403)
  const month = await call('POST', '/v1/periodic-reports', as.officer08, { period: '2025-10' })
  t.equal(month.statusCode, 400)
  t.match(month.json(), { errors: [{ pointer: '/period' }] })
  const future = await call('POST', '/v1/periodic-reports', as.officer08, { period: `${thisYear + 1}-Q1` })
  t.equal(future.statusCode, 400)
  const origin = await call('POST', '/v1/periodic-reports', as.officer08, {
    period: '2025-Q4',
    origin_province_code: '02',
  })
  t.equal(origin.statusCode, 400, 'after the merger the province reports itself')
  t.match(origin.json(), { errors: [{ pointer: '/origin_province_code' }] })
})

t.test('before the merger the reporting units are the former provinces', async (t) => {
  const own = await call('POST', '/v1/periodic-reports', as.officer08, { period: '2025-H1' })
  t.equal(own.statusCode, 201)
  t.match(own.json(), { origin_province_code: '08', unit_code: '08' })
  const haGiang = await call('POST', '/v1/periodic-reports', as.officer08, {
    period: '2025-H1',
    origin_province_code: '02',
  })
  t.equal(haGiang.statusCode, 201, 'Hà Giang reports apart, recorded by Tuyên Quang')
  t.match(haGiang.json(), { province_code: '08', origin_province_code: '02', unit_code: '02' })
  const foreign = await call('POST', '/v1/periodic-reports', as.officer08, {
    period: '2025-H1',
    origin_province_code: '01',
  })
  t.equal(foreign.statusCode, 400)
  t.match(foreign.json(), { errors: [{ in: 'body', pointer: '/origin_province_code' }] })
})

t.test('another province sees nothing and changes nothing', async (t) => {
  t.equal((await call('GET', `/v1/periodic-reports/${id}`, as.officer01)).statusCode, 404)
  const patch = await call(
    'PATCH',
    `/v1/periodic-reports/${id}`,
    { ...as.officer01, 'if-match': '*' },
    {
      results: 'x',
    },
  )
  t.equal(patch.statusCode, 404)
  t.equal((await step(id, as.officer01, { action: 'submit' })).statusCode, 404)
  t.equal((await call('GET', `/v1/periodic-reports/${id}/versions`, as.officer01)).statusCode, 404)
  const list = await call('GET', '/v1/periodic-reports', as.officer01)
  t.same(list.json().items, [])
})

t.test('the workflow: write, submit (frozen), return, resubmit (a new version), acknowledge', async (t) => {
  const read = await call('GET', `/v1/periodic-reports/${id}`, as.officer08)
  t.equal(read.statusCode, 200)
  const written = await call(
    'PATCH',
    `/v1/periodic-reports/${id}`,
    { ...as.officer08, 'if-match': read.headers.etag as string },
    {
      difficulties: 'Thiếu cán bộ',
      proposals: 'Tăng kinh phí',
    },
  )
  t.equal(written.statusCode, 200)
  t.match(written.json(), { difficulties: 'Thiếu cán bộ', version: 2 })

  const early = await call('POST', '/v1/periodic-reports', as.officer08, { period: String(thisYear) })
  t.equal(early.statusCode, 201)
  const notEnded = await step(early.json().id, as.officer08, { action: 'submit' })
  t.equal(notEnded.statusCode, 409, 'a period that has not ended cannot be submitted')

  t.equal((await step(id, as.ministry, { action: 'acknowledge' })).statusCode, 409, 'not submitted yet')
  t.equal((await step(id, as.officer08, { action: 'submit' }, '"1"')).statusCode, 412)
  const submitted = await step(id, as.officer08, { action: 'submit' }, '"2"')
  t.equal(submitted.statusCode, 200, submitted.body)
  const s = submitted.json()
  t.match(s, { status: 'submitted', submission: 1, allowed_actions: [] })
  t.match(s.content_hash, /^[0-9a-f]{64}$/)
  t.equal(s.figures.communication.activities, 1)

  // A write after submission: the report stands for what it was submitted with.
  await call('POST', '/v1/communication-activities', as.officer08, {
    channel: 'web_portal',
    date: '2025-11-10',
    title: 'Tin bài sau khi gửi',
  })
  const after = await call('GET', `/v1/periodic-reports/${id}`, as.ministry)
  t.equal(after.json().figures.communication.activities, 1, 'frozen')
  t.equal(after.json().live_figures.communication.activities, 2, 'live')
  t.equal(after.json().content_hash, s.content_hash)
  t.same(after.json().allowed_actions, ['acknowledge', 'return'])

  const locked = await call(
    'PATCH',
    `/v1/periodic-reports/${id}`,
    { ...as.officer08, 'if-match': '*' },
    {
      results: 'đổi',
    },
  )
  t.equal(locked.statusCode, 409)
  t.equal((await step(id, as.officer08, { action: 'acknowledge' })).statusCode, 403)
  const bare = await step(id, as.ministry, { action: 'return' })
  t.equal(bare.statusCode, 400)
  t.match(bare.json(), { errors: [{ in: 'body', pointer: '/comment' }] })
  const returned = await step(id, as.ministry, { action: 'return', comment: 'Bổ sung số liệu' })
  t.equal(returned.statusCode, 200)
  t.match(returned.json(), { status: 'returned', figures: { communication: { activities: 1 } } })
  t.equal((await step(id, as.officer08, { action: 'submit' })).statusCode, 409, 'resubmit, not submit')
  const fixed = await call(
    'PATCH',
    `/v1/periodic-reports/${id}`,
    { ...as.officer08, 'if-match': '*' },
    {
      results: 'Đã bổ sung',
    },
  )
  t.equal(fixed.statusCode, 200)
  t.equal(fixed.json().figures.communication.activities, 2, 'a change of the draft refreshes its figures')
  const resubmitted = await step(id, as.officer08, { action: 'resubmit' })
  t.equal(resubmitted.statusCode, 200)
  t.match(resubmitted.json(), { status: 'submitted', submission: 2 })
  t.not(resubmitted.json().content_hash, s.content_hash)
  const ack = await step(id, as.ministry, { action: 'acknowledge' })
  t.equal(ack.statusCode, 200)
  t.match(ack.json(), { status: 'acknowledged', allowed_actions: [] })
  t.ok(ack.json().acknowledged_at)

  const versions = await call('GET', `/v1/periodic-reports/${id}/versions`, as.officer08)
  t.equal(versions.statusCode, 200)
  const [v1, v2] = versions.json().items
  t.match(v1, { submission: 1, results: 'Hoàn thành kế hoạch quý', content_hash: s.content_hash })
  t.equal(v1.figures.communication.activities, 1)
  t.match(v2, { submission: 2, results: 'Đã bổ sung', content_hash: resubmitted.json().content_hash })
  t.equal(v2.figures.communication.activities, 2)

  const history = await call('GET', `/v1/periodic-reports/${id}/history`, as.ministry)
  t.same(
    history.json().items.map((h: { action: string }) => h.action),
    ['submit', 'return', 'resubmit', 'acknowledge'],
  )
  t.match(history.json().items[1], {
    actor_role: 'ministry',
    comment: 'Bổ sung số liệu',
    to_status: 'returned',
  })
})

t.test('lists: filters, keyset pages, CSV', async (t) => {
  const all = await call('GET', '/v1/periodic-reports?province_code=08&limit=2', as.ministry)
  t.equal(all.statusCode, 200)
  t.equal(all.json().items.length, 2)
  t.ok(all.json().next_cursor)
  t.notOk('figures' in all.json().items[0])
  const next = await call(
    'GET',
    `/v1/periodic-reports?province_code=08&limit=2&cursor=${all.json().next_cursor}`,
    as.ministry,
  )
  t.equal(next.json().items.length, 2)
  const acknowledged = await call('GET', '/v1/periodic-reports?status=acknowledged', as.officer08)
  t.same(
    acknowledged.json().items.map((r: { id: string }) => r.id),
    [id],
  )
  const period = await call('GET', '/v1/periodic-reports?period=2025-H1', as.ministry)
  t.equal(period.json().items.length, 2)
  const csv = await call('GET', '/v1/periodic-reports?period=2025-Q4', { ...as.ministry, accept: 'text/csv' })
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /text\/csv/)
  const lines = csv.body.trim().split('\r\n')
  t.equal(lines.length, 2)
  t.match(lines[0], /id,province_code,origin_province_code,unit_code,period_code,status/)
  t.match(lines[1], id)
})

t.test('two concurrent starts of the same report: one is made, the other named it', async (t) => {
  const [a, b] = await Promise.all([
    call('POST', '/v1/periodic-reports', as.officer01, { period: '2024-Q2' }),
    call('POST', '/v1/periodic-reports', as.officer01, { period: '2024-Q2' }),
  ])
  t.same([a.statusCode, b.statusCode].sort(), [201, 409])
  const [made, refused] = a.statusCode === 201 ? [a, b] : [b, a]
  t.match(refused.json(), { existing_id: made.json().id })
})

t.test('a report read again is never a stale 304: its live figures move without its version', async (t) => {
  const created = await call('POST', '/v1/periodic-reports', as.officer08, { period: '2025-Q1' })
  t.equal(created.statusCode, 201, created.body)
  const url = `/v1/periodic-reports/${created.json().id}`
  const first = await call('GET', url, as.officer08)
  t.equal(first.headers.vary, 'Accept', 'JSON and the spreadsheet share the URL')
  const live = first.json().live_figures
  await call('POST', '/v1/communication-activities', as.officer08, {
    channel: 'web_portal',
    date: '2025-02-10',
    title: 'Tin bài quý I',
  })
  const again = await app.inject({
    url,
    headers: { ...as.officer08, 'if-none-match': String(first.headers.etag) },
  })
  t.equal(again.statusCode, 200, 'the same version, but a new body')
  t.equal(again.headers.etag, first.headers.etag, 'the version still serves If-Match')
  t.notSame(again.json().live_figures, live, 'the live figures moved')
})
