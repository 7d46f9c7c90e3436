import { sql } from 'kysely'
import t from 'tap'
import { loadConfig } from '../src/config.js'
import { loadDemoData } from '../src/db/demo-data.js'
import { PROJECT_STATES } from '../src/routes/v1/projects/lifecycle.js'
import { buildTestApp, testDatabase } from './helpers/app.js'
import { cast } from './helpers/tokens.js'

t.test('DEMO_DATA defaults: on for the embedded database, off with DATABASE_URL or in tests', async (t) => {
  t.equal(loadConfig({}).demoData, true)
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demoData, false)
  t.equal(loadConfig({ NODE_ENV: 'test' }).demoData, false)
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO_DATA: 'true' }).demoData, true)
  t.throws(() => loadConfig({ DEMO_DATA: 'maybe' }), /DEMO_DATA/)
})

const { app, database } = await buildTestApp(t, { demoData: true })
const as = await cast()

/** What the dataset holds, independent of ids and load times. */
const fingerprint = async (db: typeof database.db) =>
  (
    await sql<{ row: string }>`
      select concat_ws('|', code, title, state, province_code, origin_province_code, requested_central,
        approved_central, disbursed_central, disbursed_local) as row
      from projects order by code`.execute(db)
  ).rows.map((r) => r.row)

t.test('the demo dataset is loaded at start', async (t) => {
  const programmes = await app.inject({ url: '/v1/programmes?level=national', headers: as.officer01 })
  t.same(
    programmes
      .json()
      .items.map((p: { decision_number: string; start_year: number }) => [p.decision_number, p.start_year]),
    [
      ['2646/QĐ-BCT', 2026],
      ['1881/QĐ-TTg', 2021],
    ],
  )
  const plans = await app.inject({ url: '/v1/plans?level=national&include_total=true', headers: as.ministry })
  t.equal(plans.json().total, 6, 'a national plan a year, 2021–2026')
  const provincial = await app.inject({
    url: '/v1/programmes?level=provincial&include_total=true',
    headers: as.ministry,
  })
  t.ok(provincial.json().total >= 5, 'provincial programmes of several provinces')

  const projects = await app.inject({ url: '/v1/projects?limit=500', headers: as.ministry })
  const items = projects.json().items as {
    state: string
    funding_level: string
    id: string
    version: number
  }[]
  t.equal(items.length, 100, 'a hundred schemes')
  t.same([...new Set(items.map((p) => p.state))].sort(), [...PROJECT_STATES].sort(), 'in every state')
  t.same([...new Set(items.map((p) => p.funding_level))].sort(), ['central', 'local'])
  for (const p of items.slice(0, 12)) {
    const history = await app.inject({ url: `/v1/projects/${p.id}/history`, headers: as.ministry })
    const steps = history.json().items as { from_state: string; to_state: string }[]
    t.equal(steps.at(0)?.from_state ?? 'draft', 'draft', 'the history starts from the draft')
    t.equal(steps.at(-1)?.to_state ?? 'draft', p.state, 'and ends in the scheme’s state')
  }

  const summary = await app.inject({
    url: '/v1/budget-allocations/summary?group_by=year',
    headers: as.ministry,
  })
  const years = summary.json().items as { year: number; allocated: number; disbursed: number }[]
  t.same(
    years.map((y) => y.year),
    [2021, 2022, 2023, 2024, 2025, 2026],
  )
  t.ok(years.every((y) => y.allocated > 0))
  t.ok(years.some((y) => y.disbursed > 0))
  const sources = await app.inject({
    url: '/v1/budget-allocations/summary?group_by=funding_source',
    headers: as.ministry,
  })
  t.same(
    sources.json().items.map((r: { funding_source: string }) => r.funding_source),
    ['central', 'counterpart', 'local'],
  )
  const haGiang = await app.inject({
    url: '/v1/budget-allocations/summary?province=02&year=2023',
    headers: as.officer08,
  })
  t.equal(haGiang.json().items.length, 1, 'Hà Giang’s figures before the merger, under Tuyên Quang')
  const mine = await app.inject({ url: '/v1/projects?limit=500', headers: as.officer08 })
  t.equal(mine.json().items.length, 20, 'a province sees its own schemes only')
})

t.test('loaded once, and the same every time', async (t) => {
  const before = await fingerprint(database.db)
  t.equal(await loadDemoData(database.db), 'present', 'a restart does not load it again')
  t.same(await fingerprint(database.db), before)
  const other = await testDatabase(t)
  t.equal(await loadDemoData(other.db), 'loaded')
  const empty = await testDatabase(t, { migrate: false })
  t.equal(await loadDemoData(empty.db), 'unmigrated', 'an unmigrated database is left alone')
  t.same(await fingerprint(other.db), before, 'deterministic')
})
