import t from 'tap'
import { buildTestApp, caller } from '../../helpers/app.ts'
import { createNationalScheme, createScheme } from '../../helpers/records.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()

const call = caller(app)
const report = (id: string, headers: Record<string, string>, payload: object) =>
  call('POST', `/v1/projects/${id}/progress-reports`, headers, payload)

// Under way March–October 2025.
const scheme = await createNationalScheme(app, as)

t.test('the province reports a national scheme’s month; one per month', async (t) => {
  const res = await report(scheme, as.officer08, {
    month: '2025-03',
    percent_done: 10,
    used_central: 20_000_000,
    issues: 'Chậm bàn giao thiết bị',
  })
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json(), {
    project_id: scheme,
    province_code: '08',
    month: '2025-03',
    reported_by: 'province',
    percent_done: 10,
    used_central: 20_000_000,
    used_local: 0,
    version: 1,
  })
  const id = res.json().id
  t.equal(res.headers.location, `/v1/progress-reports/${id}`)
  const read = await call('GET', `/v1/progress-reports/${id}`, as.ministry)
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  const again = await report(scheme, as.officer08, { month: '2025-03', percent_done: 11 })
  t.equal(again.statusCode, 409)
  t.match(again.json(), { existing_id: id })
  const list = await call('GET', `/v1/projects/${scheme}/progress-reports`, as.officer08)
  t.same(
    list.json().items.map((r: { month: string }) => r.month),
    ['2025-03'],
  )
})

t.test('refusals name what is wrong', async (t) => {
  const outside = await report(scheme, as.officer08, { month: '2025-12', percent_done: 100 })
  t.equal(outside.statusCode, 400, 'the scheme was not under way in December')
  t.match(outside.json(), { errors: [{ in: 'body', pointer: '/month' }] })
  const bad = await report(scheme, as.officer08, { month: '2025-Q3', percent_done: 10 })
  t.equal(bad.statusCode, 400)
  const over = await report(scheme, as.officer08, { month: '2025-04', percent_done: 101 })
  t.equal(over.statusCode, 400)
  t.match(over.json(), { errors: [{ pointer: '/percent_done' }] })
  t.equal((await report(scheme, as.ministry, { month: '2025-04', percent_done: 20 })).statusCode, 403)
  t.equal((await report(scheme, as.officer01, { month: '2025-04', percent_done: 20 })).statusCode, 404)
  t.equal((await call('GET', `/v1/projects/${scheme}/progress-reports`, as.officer01)).statusCode, 404)
  const local = await createScheme(app, as.officer08)
  const notNational = await report(local, as.officer08, { month: '2024-05', percent_done: 20 })
  t.equal(notNational.statusCode, 409)
})

t.test('the ministry lists the missing and the late', async (t) => {
  // April's due date is past: reported now, it is late; May is missing and overdue.
  t.equal((await report(scheme, as.officer08, { month: '2025-04', percent_done: 20 })).statusCode, 201)
  const april = await call('GET', '/v1/progress-reports?month=2025-04', as.ministry)
  t.equal(april.statusCode, 200)
  t.match(april.json().items, [
    { project_id: scheme, month: '2025-04', due_date: '2025-05-05', timeliness: 'late' },
  ])
  const may = await call('GET', '/v1/progress-reports?month=2025-05&late=true', as.ministry)
  t.match(may.json().items, [{ project_id: scheme, report_id: null, timeliness: 'overdue' }])
  // A due date moved ahead: March's report (made now) is on time and not in the late list.
  await call(
    'PATCH',
    '/v1/reporting-periods/2025-03',
    { ...as.ministry, 'if-match': '*' },
    { due_date: '2099-01-05' },
  )
  const march = await call('GET', '/v1/progress-reports?month=2025-03', as.ministry)
  t.match(march.json().items, [{ timeliness: 'on_time', percent_done: 10 }])
  t.same((await call('GET', '/v1/progress-reports?month=2025-03&late=true', as.ministry)).json().items, [])
  t.same((await call('GET', '/v1/progress-reports?month=2025-11', as.ministry)).json().items, [], 'ended')
  t.same((await call('GET', '/v1/progress-reports?month=2025-05', as.officer01)).json().items, [])
  t.equal((await call('GET', '/v1/progress-reports?month=2099-01', as.ministry)).statusCode, 404)
})

t.test('a scheme the ministry’s own units run: the ministry reports its progress', async (t) => {
  const run = await createNationalScheme(app, as, '2025-03-01', '2025-10-31', 'ministry')
  const refused = await report(run, as.officer08, { month: '2025-04', percent_done: 20 })
  t.equal(refused.statusCode, 403, 'not the province of its site')
  const res = await report(run, as.ministry, { month: '2025-04', percent_done: 20 })
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json(), { province_code: '08', reported_by: 'ministry', percent_done: 20 })
  const read = await call('GET', `/v1/progress-reports/${res.json().id}`, as.officer08)
  t.equal(read.statusCode, 200, 'the province of the site reads it')
  const may = await call('GET', '/v1/progress-reports?month=2025-05&late=true', as.officer08)
  const owed = may.json().items.find((r: { project_id: string }) => r.project_id === run)
  t.match(
    owed,
    { reported_by: 'ministry', timeliness: 'overdue' },
    'the province sees whose report is missing',
  )
  // The database refuses too: a row that says the province reported it, under the province.
  const { withTenant } = await import('../../../src/db/tenancy.ts')
  const { directScope } = await import('../../helpers/scopes.ts')
  await t.rejects(
    withTenant(database.db, directScope('province', '08'), (trx) =>
      trx
        .insertInto('progress_reports')
        .values({
          project_id: run,
          province_code: '08',
          month: '2025-05',
          reported_by: 'province',
          percent_done: 30,
          actor_sub: 'direct',
        })
        .execute(),
    ),
    { code: '42501' },
    'no progress of the ministry’s scheme under the province',
  )
})
