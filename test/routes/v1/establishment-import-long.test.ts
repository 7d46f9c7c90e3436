// A long import on either database: liveness keeps answering, readiness says the database is
// busy, and closing the app aborts an import still running (rolled back, marked interrupted).
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildApp } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { buildTestApp } from '../../helpers/app.js'
import { listening } from '../../helpers/http.js'
import { csvOf } from '../../helpers/imports.js'
import { cast } from '../../helpers/tokens.js'

// A 5,000-row import on PGlite takes a minute on a busy machine: more than the runner's default.
t.setTimeout(300_000)
const { app, database } = await buildTestApp(t)
const as = await cast()
const call = await listening(app)
const importCsv = (csv: string) =>
  call('POST', '/v1/establishments/imports', { ...as.officer08, 'content-type': 'text/csv' }, csv)
const total = async () =>
  (await call('GET', '/v1/establishments?include_total=true&limit=1', as.officer08)).json().total as number

t.test('a long import: /healthz keeps answering and /readyz says the database is busy', async (t) => {
  const events: string[] = []
  const running = importCsv(csvOf('LONG', 5000)).then((res) => {
    events.push('import answered')
    return res
  })
  let busy = false
  while (!events.includes('import answered')) {
    const ready = await call('GET', '/readyz')
    if (ready.json().database === 'busy') busy = true
    const live = await call('GET', '/healthz')
    if (busy && !events.includes('import answered')) events.push(`healthz ${live.status}`)
    await sleep(100)
  }
  const res = await running
  t.equal(res.status, 200, res.body)
  t.match(res.json(), { created: 5000 })
  t.ok(busy, '/readyz said busy during the import')
  t.ok(events.indexOf('healthz 200') >= 0, 'a /healthz was answered while the import was running')
  t.ok(events.indexOf('healthz 200') < events.indexOf('import answered'))
  t.same((await call('GET', '/readyz')).json(), { status: 'ok', database: 'ok' })
})

t.test('closing the app aborts a running import: rolled back and marked interrupted', async (t) => {
  const config = { ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent' as const, migrateOnStart: false }
  const other = await buildApp({ config: { ...config, rateLimit: { max: 0, windowMs: 60_000 } }, database })
  await other.ready()
  const before = await total()
  const res = await other.inject({
    method: 'POST',
    url: '/v1/establishments/imports',
    headers: { ...as.officer08, 'content-type': 'text/csv', prefer: 'respond-async' },
    payload: csvOf('CLOSED', 5000),
  })
  t.equal(res.statusCode, 202, res.body)
  await other.close()
  const job = await call('GET', res.headers.location as string, as.officer08)
  t.match(job.json(), { status: 'interrupted', committed: false })
  t.ok(job.json().finished_at)
  t.equal(await total(), before, 'nothing written')
})
