// The seven-ask scorecard at scale (issue 7; not a test), on PostgreSQL: latency of the reports
// over repeated sequential calls at two data sizes, how soon a write shows in the scorecard, the
// server's resident memory, and the plan of the scorecard query.
//
//   DATABASE_URL=postgres://… npm run bench:scorecard -- \
//     [--sizes 100000:10000,1000000:100000] [--samples 100] [--seed 1] [--server-flags=…] [--server dist]
//     [--reuse]
//
// Each size is establishments:schemes. The data is that of scripts/generate-scorecard-data.ts,
// loaded directly with SQL (a bulk load, not measured): the base tables once, then the rows of
// each size on top of the previous one, then VACUUM ANALYZE. Use an empty database and connect
// as a superuser: the server (a child process on a free loopback port) migrates it at start.
// --reuse measures a database a run of the same single size has loaded (no load: minutes saved
// when comparing builds); each run's freshness writes stay in it, a few rows.
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database } from '../src/db/schema.ts'
import type { Scope } from '../src/db/tenancy.ts'
import { factsQuery } from '../src/routes/v1/reports/repository.ts'
import { token } from '../test/helpers/tokens.ts'
import { rssMb, sleep, startServer, stopChild } from './bench-support.ts'
import { counts, grow, loadBase, type Size, TABLES, type Timed } from './generate-scorecard-data.ts'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000:10000,1000000:100000' },
    samples: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    /** Extra node flags for the server, e.g. --server-flags=--max-old-space-size=256 */
    'server-flags': { type: 'string', default: '' },
    /** src: the TypeScript sources, run by Node as they are; dist: the compiled build (npm run build first). */
    server: { type: 'string', default: 'src' },
    /** The database holds the data of the (single) size already: measure without loading. */
    reuse: { type: 'boolean', default: false },
  },
  strict: true,
})
const SIZES: Size[] = (values.sizes ?? '').split(',').map((s) => {
  const [establishments, schemes] = s.split(':').map(Number)
  if (!establishments || !schemes) throw new Error(`--sizes: ${s} is not establishments:schemes`)
  return { establishments, schemes }
})
if (values.server !== 'src' && values.server !== 'dist') throw new Error('--server is src or dist')
if (values.reuse && SIZES.length !== 1) throw new Error('--reuse measures one size: the one loaded')
const SAMPLES = Number(values.samples)
const SEED = Number(values.seed)
/** At most this long per latency case (at least MIN_SAMPLES calls), whatever --samples says. */
const CASE_BUDGET_MS = 60_000
const MIN_SAMPLES = 20
const TARGET_P95_MS = 500
const YEAR = 2025
/** The province of the province-officer cases and of the writes. */
const PROVINCE = '08'

const DATABASE_URL = process.env.DATABASE_URL
if (!DATABASE_URL) throw new Error('DATABASE_URL must name an (empty) PostgreSQL database')

const summary: string[] = []
const say = (line = '') => {
  console.log(line)
  summary.push(line)
}
const ms = (x: number) => x.toFixed(1)
const seconds = (x: number) => (x / 1000).toFixed(1)
const n = (x: number) => x.toLocaleString('en')
const sizeName = (s: Size) => `${n(s.establishments)} establishments / ${n(s.schemes)} schemes`

// ---------------------------------------------------------------------------------------------
// Timing

interface Latency {
  first: number
  n: number
  p50: number
  p95: number
  p99: number
  max: number
}

const rank = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

/** The first call, then sequential calls (one at a time: latency, not throughput). */
async function latency(call: () => Promise<void>): Promise<Latency> {
  let start = performance.now()
  await call()
  const first = performance.now() - start
  const times: number[] = []
  const deadline = Date.now() + CASE_BUDGET_MS
  while (times.length < SAMPLES && (times.length < MIN_SAMPLES || Date.now() < deadline)) {
    start = performance.now()
    await call()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return {
    first,
    n: times.length,
    p50: rank(times, 50),
    p95: rank(times, 95),
    p99: rank(times, 99),
    max: times.at(-1) ?? 0,
  }
}

// ---------------------------------------------------------------------------------------------
// The reports, as the contract describes them

interface IndicatorValue {
  code: string
  value: number | string | boolean | null
  status?: string | null
}
interface ScorecardRow {
  province_code: string
  year: number
  indicators: IndicatorValue[]
}
interface Scorecard {
  items: ScorecardRow[]
}
interface National {
  provinces: number
  indicators: IndicatorValue[]
}

class Client {
  readonly base: string
  constructor(base: string) {
    this.base = base
  }

  async get(path: string, authorization: string, accept = 'application/json'): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, { headers: { authorization, accept } })
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`)
    return response
  }

  async json<T>(path: string, authorization: string): Promise<T> {
    return (await (await this.get(path, authorization)).json()) as T
  }

  async post(path: string, authorization: string, body: unknown): Promise<{ id: string }> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as { id: string }
  }
}

interface Case {
  name: string
  caller: string
  path: string
  authorization: string
  csv?: boolean
  /** What one answer holds, checked on the first call: a row count or a line count. */
  check: (body: string) => string
}

const rows = (expected: number) => (body: string) => {
  const items = (JSON.parse(body) as Scorecard).items
  if (items.length !== expected) throw new Error(`expected ${expected} rows, got ${items.length}`)
  return `${items.length} rows × ${items[0]?.indicators.length ?? 0} indicators`
}

function cases(ministry: string, officer: string): Case[] {
  const scorecard = `/v1/reports/scorecard?year=${YEAR}`
  return [
    { name: 'scorecard', caller: 'ministry', path: scorecard, authorization: ministry, check: rows(34) },
    {
      name: 'scorecard',
      caller: `province ${PROVINCE}`,
      path: scorecard,
      authorization: officer,
      check: rows(1),
    },
    {
      name: 'scorecard as_of=former',
      caller: 'ministry',
      path: `${scorecard}&as_of=former`,
      authorization: ministry,
      check: rows(63),
    },
    {
      name: 'national',
      caller: 'ministry',
      path: `/v1/reports/national?year=${YEAR}`,
      authorization: ministry,
      check: (body) => {
        const national = JSON.parse(body) as National
        return `${national.provinces} provinces × ${national.indicators.length} indicators`
      },
    },
    {
      name: `provinces/${PROVINCE}/scorecard 2021–2026`,
      caller: 'ministry',
      path: `/v1/reports/provinces/${PROVINCE}/scorecard?from=2021&to=2026`,
      authorization: ministry,
      check: rows(6),
    },
    {
      name: 'scorecard, Accept: text/csv',
      caller: 'ministry',
      path: scorecard,
      authorization: ministry,
      csv: true,
      check: (body) => `${n(body.split('\n').filter(Boolean).length - 1)} CSV lines`,
    },
  ]
}

interface Measured {
  size: Size
  item: Case
  shape: string
  latency: Latency
}

async function measureCase(client: Client, item: Case, size: Size): Promise<Measured> {
  const accept = item.csv ? 'text/csv' : 'application/json'
  const response = await client.get(item.path, item.authorization, accept)
  const type = response.headers.get('content-type') ?? ''
  if (!type.startsWith(accept)) throw new Error(`${item.path}: content-type ${type}, wanted ${accept}`)
  const shape = item.check(await response.text())
  const result = await latency(
    async () => void (await (await client.get(item.path, item.authorization, accept)).text()),
  )
  return { size, item, shape, latency: result }
}

// ---------------------------------------------------------------------------------------------
// Freshness: a write through the API, then the scorecard until it shows it

interface Fresh {
  size: Size
  write: string
  indicator: string
  before: IndicatorValue['value']
  after: IndicatorValue['value']
  writeMs: number
  reads: number
  visibleMs: number
}

async function freshness(client: Client, size: Size, ministry: string, officer: string, pool: pg.Pool) {
  const read = async () => {
    const card = await client.json<Scorecard>(`/v1/reports/scorecard?year=${YEAR}`, ministry)
    const row = card.items.find((r) => r.province_code === PROVINCE)
    if (!row) throw new Error(`no row for province ${PROVINCE}`)
    return new Map(row.indicators.map((i) => [i.code, i.value]))
  }
  // A scheme of the province's plan for the year that no inspection of the year covers yet.
  const { rows: uninspected } = await pool.query<{ id: string }>(
    `select p.id from projects p
     where p.province_code = $1 and p.year = $2 and p.state in ('in_progress', 'completed', 'accepted')
       and not exists (select from inspections i where i.province_code = p.province_code
                         and p.id = any (i.project_ids) and extract(year from i.inspection_date) = $2)
     order by p.id limit 1`,
    [PROVINCE, YEAR],
  )
  const writes: [string, string[], () => Promise<{ id: string }>][] = [
    [
      'POST /v1/communication-activities',
      ['communication_activities', 'communication_digital_share', 'communication_reach_visits'],
      () =>
        client.post('/v1/communication-activities', officer, {
          channel: 'social_media',
          is_digital: true,
          date: `${YEAR}-11-20`,
          title: 'Bài đăng kiểm tra độ tươi của bảng chỉ số',
          reach: 1234,
          reach_unit: 'visits',
        }),
    ],
    [
      'POST /v1/inspections',
      ['inspections', 'open_follow_ups', 'schemes_inspected_share'],
      () =>
        client.post('/v1/inspections', officer, {
          kind: 'inspection',
          inspection_date: `${YEAR}-11-21`,
          inspecting_body: 'Sở Công Thương tỉnh Tuyên Quang',
          project_ids: uninspected.map((r) => r.id),
          rating: 'good',
          follow_ups: [{ action: 'Bổ sung hồ sơ nghiệm thu', due_date: `${YEAR}-12-21`, status: 'open' }],
        }),
    ],
  ]
  const results: Fresh[] = []
  for (const [write, codes, post] of writes) {
    const before = await read()
    let start = performance.now()
    await post()
    const writeMs = performance.now() - start
    start = performance.now()
    let after = await read()
    let reads = 1
    while (codes.every((c) => after.get(c) === before.get(c)) && performance.now() - start < 30_000) {
      await sleep(50)
      after = await read()
      reads++
    }
    const visibleMs = performance.now() - start
    for (const code of codes)
      results.push({
        size,
        write,
        indicator: code,
        before: before.get(code) ?? null,
        after: after.get(code) ?? null,
        writeMs,
        reads,
        visibleMs,
      })
  }
  return results
}

// ---------------------------------------------------------------------------------------------
// The plan of the scorecard query, as the service runs it: in a transaction as kc_app, with the
// caller's scope; the SQL is captured from factsQuery() itself.

async function explain(pool: pg.Pool, title: string, scope: Scope, asOf: 'current' | 'former', jit = true) {
  const captured: CompiledQuery[] = []
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query)
    },
  })
  let plan: string[] = []
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`select set_config('role', 'kc_app', true), set_config('kc.role', ${scope.role}, true),
        set_config('kc.province', ${scope.province ?? ''}, true), set_config('kc.sub', 'bench', true),
        set_config('jit', ${jit ? 'on' : 'off'}, true)`.execute(trx)
      await factsQuery(trx, scope, { asOf, from: YEAR, to: YEAR, presence: true })
      const query = captured.at(-1)
      if (!query) throw new Error('factsQuery ran no query')
      const { rows: lines } = await trx.executeQuery<{ 'QUERY PLAN': string }>({
        ...query,
        sql: `explain (analyze, buffers) ${query.sql}`,
      })
      plan = lines.map((r) => r['QUERY PLAN'])
      throw new Rollback()
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error
    })
  console.log(`\n#### ${title}\n\n\`\`\`\n${plan.join('\n')}\n\`\`\``)
  return plan
    .filter((l) => /^(Planning|Execution) Time|^ *Timing:/.test(l))
    .map((l) => l.trim().replace(/^Timing:/, 'JIT:'))
    .join(', ')
}

class Rollback extends Error {}

// ---------------------------------------------------------------------------------------------

async function main() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
  const { child: server, base } = await startServer({
    server: values.server as 'src' | 'dist',
    flags: values['server-flags'],
  })
  const client = new Client(base)
  try {
    const ministry = `Bearer ${await token({ role: 'ministry', sub: 'bench-ministry' })}`
    const officer = `Bearer ${await token({ role: 'province', province: PROVINCE, sub: `bench-${PROVINCE}` })}`
    const { rows: version } = await pool.query('show server_version')
    say(`## Scorecard benchmark — PostgreSQL ${version[0].server_version}`)
    say()
    say(
      `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB; ` +
        `Node ${process.version}; server: ${values.server}, node flags: ${values['server-flags'] || 'none'}; seed ${SEED}; ` +
        `sequential calls, up to ${SAMPLES} a case (at least ${MIN_SAMPLES}, else ${CASE_BUDGET_MS / 1000} s) ` +
        'after one first call.',
    )

    const loads = new Map<string, Timed[]>()
    const tables = new Map<string, Map<string, number>>()
    const measured: Measured[] = []
    const fresh: Fresh[] = []
    const memory: { size: Size; before: number; peak: number; after: number }[] = []
    const plans: string[] = []

    let start = performance.now()
    if (!values.reuse) {
      loads.set('base', await loadBase(pool, SEED))
      console.log(`base tables loaded in ${seconds(performance.now() - start)} s`)
    }
    let loaded: Size = { establishments: 0, schemes: 0 }
    for (const size of SIZES) {
      if (!values.reuse) {
        start = performance.now()
        const steps = await grow(pool, loaded, size, SEED)
        const analyzeStart = performance.now()
        await pool.query('vacuum analyze')
        steps.push({ table: 'vacuum analyze', ms: performance.now() - analyzeStart })
        loads.set(sizeName(size), steps)
        loaded = size
        console.log(`${sizeName(size)}: loaded in ${seconds(performance.now() - start)} s`)
      }
      tables.set(sizeName(size), await counts(pool))

      const before = rssMb(server.pid) ?? Number.NaN
      const samples: number[] = []
      const sampler = setInterval(() => {
        const rss = rssMb(server.pid)
        if (rss !== undefined) samples.push(rss)
      }, 100)
      for (const item of cases(ministry, officer)) {
        const result = await measureCase(client, item, size)
        measured.push(result)
        const l = result.latency
        console.log(
          `${item.name} (${item.caller}): p50 ${ms(l.p50)} p95 ${ms(l.p95)} ms, n ${l.n}; ${result.shape}`,
        )
      }
      fresh.push(...(await freshness(client, size, ministry, officer, pool)))
      clearInterval(sampler)
      memory.push({
        size,
        before,
        peak: Math.max(before, ...samples),
        after: rssMb(server.pid) ?? Number.NaN,
      })
      // The ministry's scorecard also without JIT: its estimated cost can pass jit_above_cost.
      const ministryScope: Scope = { sub: 'bench', role: 'ministry', province: null, requestId: 'bench' }
      const officerScope: Scope = { sub: 'bench', role: 'province', province: PROVINCE, requestId: 'bench' }
      for (const [caller, scope, asOf, jit] of [
        ['ministry', ministryScope, 'current', true],
        ['ministry, jit off', ministryScope, 'current', false],
        ['ministry, as_of=former', ministryScope, 'former', true],
        ['ministry, as_of=former, jit off', ministryScope, 'former', false],
        [`province ${PROVINCE}`, officerScope, 'current', true],
      ] as [string, Scope, 'current' | 'former', boolean][]) {
        const times = await explain(pool, `scorecard ${YEAR}, ${caller}, ${sizeName(size)}`, scope, asOf, jit)
        plans.push(`| ${sizeName(size)} | ${caller} | ${times} |`)
      }
    }

    // The figures, together at the end.
    say()
    say('### Data (rows per table after each size; load seconds, not measured as API work)')
    say()
    const names = [...tables.keys()]
    say(`| table | ${names.map((s) => `rows at ${s}`).join(' | ')} |`)
    say(`| --- | ${names.map(() => '---:').join(' | ')} |`)
    for (const t of TABLES) say(`| ${t} | ${names.map((s) => n(tables.get(s)?.get(t) ?? 0)).join(' | ')} |`)
    say()
    for (const [what, steps] of loads) {
      const total = steps.reduce((sum, s) => sum + s.ms, 0)
      say(
        `- load ${what}: ${seconds(total)} s (${steps
          .filter((s) => s.ms >= 50)
          .map((s) => `${s.table} ${seconds(s.ms)}`)
          .join(', ')})`,
      )
    }
    say()
    say(`### Latency (ms, year ${YEAR}; target p95 < ${TARGET_P95_MS} ms)`)
    say()
    say('| size | report | caller | answer | first | n | p50 | p95 | p99 | max | p95 target |')
    say('| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
    for (const { size, item, shape, latency: l } of measured)
      say(
        `| ${sizeName(size)} | ${item.name} | ${item.caller} | ${shape} | ${ms(l.first)} | ${l.n} | ${ms(l.p50)} | ` +
          `${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)} | ${l.p95 < TARGET_P95_MS ? 'met' : '**not met**'} |`,
      )
    say()
    say(`### Freshness (a write as province ${PROVINCE}, then the ministry's scorecard ${YEAR})`)
    say()
    say(
      '| size | write | indicator (row 08) | before | after | write ms | reads until visible | ms until visible |',
    )
    say('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |')
    for (const f of fresh)
      say(
        `| ${sizeName(f.size)} | ${f.write} | ${f.indicator} | ${f.before} | ${f.after} | ${ms(f.writeMs)} | ` +
          `${f.reads} | ${ms(f.visibleMs)} |`,
      )
    say()
    say(
      '"reads until visible" 1 = the very next GET after the write response already showed it; the time is that GET.',
    )
    say()
    say('### Server memory (RSS, MB)')
    say()
    say('| size | before the calls | peak during | after |')
    say('| --- | ---: | ---: | ---: |')
    for (const m of memory)
      say(`| ${sizeName(m.size)} | ${m.before.toFixed(0)} | ${m.peak.toFixed(0)} | ${m.after.toFixed(0)} |`)
    say()
    say('### The scorecard query (EXPLAIN ANALYZE as kc_app; the plans are printed above)')
    say()
    say('| size | caller | times |')
    say('| --- | --- | --- |')
    for (const line of plans) say(line)
    console.log(`\n---\n\n${summary.join('\n')}`)
  } finally {
    await stopChild(server)
    await pool.end()
  }
}

await main()
