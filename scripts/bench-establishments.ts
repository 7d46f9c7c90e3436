// Establishments at scale (not a test), on PostgreSQL: import throughput through the API, list
// latency on the first page and after N pages of keyset paging, search latency, the full CSV
// export (time and the server's peak resident memory) and the plans of the hot queries.
//
//   DATABASE_URL=postgres://… npm run bench:establishments -- \
//     [--count 1000000] [--api-rows 100000] [--concurrency 4] [--deep-pages 10000] [--samples 100]
//     [--server-flags=--max-old-space-size=128] [--server dist] [--reuse]
//
// The rows are those of scripts/generate-establishments.ts (same count and seed, same rows). The
// first --api-rows of them go through POST /v1/establishments/imports (one CSV per province,
// --concurrency provinces at a time, each with its officer's token); the others are loaded
// directly with SQL beforehand (a bulk load, not measured as API throughput). Use an empty
// database: the server (a child process on a free loopback port) migrates it at start. --reuse
// measures a database loaded by an earlier run instead (it skips the load; pending migrations
// still run). --server dist runs the compiled build (`npm run build` first), as production does.
//
// --large-import N measures only one province's N-row CSV (1,500,000 rows is the 145 MB file of
// issue 11), imported through the API as a dry run and then for real: rows/s and the server's
// peak resident memory, e.g. under the production heap cap:
//   … --large-import 1500000 --server dist --server-flags=--max-old-space-size=192

import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createReadStream, createWriteStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database } from '../src/db/schema.ts'
import type { Scope } from '../src/db/tenancy.ts'
import { csvLine } from '../src/lib/csv.ts'
import { listQuery, SORT, searchQuery } from '../src/routes/v1/establishments/repository.ts'
import { token } from '../test/helpers/tokens.ts'
import { rssMb, startServer, stopChild } from './bench-support.ts'
import { communesByProvince, establishments, type GeneratedRow, HEADER } from './generate-establishments.ts'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    'api-rows': { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '4' },
    'deep-pages': { type: 'string', default: '10000' },
    samples: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    /** Extra node flags for the server, e.g. --server-flags=--max-old-space-size=128 */
    'server-flags': { type: 'string', default: '' },
    /** src: the TypeScript sources, run by Node as they are; dist: the compiled build (npm run build). */
    server: { type: 'string', default: 'src' },
    reuse: { type: 'boolean', default: false },
    'large-import': { type: 'string', default: '0' },
  },
  strict: true,
})
const COUNT = Number(values.count)
const API_ROWS = Math.min(COUNT, Number(values['api-rows']))
const CONCURRENCY = Number(values.concurrency)
const DEEP_PAGES = Number(values['deep-pages'])
const SAMPLES = Number(values.samples)
const SEED = Number(values.seed)
const PAGE = 50
if (values.server !== 'src' && values.server !== 'dist') throw new Error('--server is src or dist')
const SERVER: 'src' | 'dist' = values.server
const SEARCHES = ['gom', 'bat trang', 'che thai nguyen', 'mây tre', 'nguyen van hung']
/** At most this long per latency case, whatever --samples says. */
const CASE_BUDGET_MS = 15_000

const DATABASE_URL = process.env.DATABASE_URL
if (!DATABASE_URL) throw new Error('DATABASE_URL must name an (empty) PostgreSQL database')

const summary: string[] = []
const say = (line = '') => {
  console.log(line)
  summary.push(line)
}
const seconds = (ms: number) => (ms / 1000).toFixed(1)

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

interface Latency {
  n: number
  p50: number
  p99: number
  max: number
}

/** Sequential timed calls (one at a time: latency, not throughput). */
async function measure(call: () => Promise<void>, samples = SAMPLES): Promise<Latency> {
  await call() // warm-up
  const times: number[] = []
  const deadline = Date.now() + CASE_BUDGET_MS
  while (times.length < samples && (times.length < 5 || Date.now() < deadline)) {
    const start = performance.now()
    await call()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { n: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) ?? 0 }
}

const ms = (x: number) => x.toFixed(1)

// ---------------------------------------------------------------------------------------------
// Loading

/** Rows from --api-rows on, straight into the table (the database owner bypasses RLS). */
async function bulkLoad(pool: pg.Pool): Promise<number> {
  const BATCH = 5000
  const columns = HEADER.filter((h) => h !== 'priority_areas' && h !== 'priority_products')
  let batch: GeneratedRow[] = []
  let loaded = 0
  const flush = async () => {
    if (batch.length === 0) return
    const arrays = [...columns, 'priority_areas', 'priority_products'].map((h) =>
      batch.map((r) => {
        const v = r[h as keyof GeneratedRow]
        return v === '' ? null : String(v)
      }),
    )
    await pool.query(
      `insert into establishments (${columns.join(', ')}, priority_areas, priority_products)
       select ${columns
         .map((c) => (c === 'year_founded' || c === 'employees' ? `${c}::integer` : c))
         .join(', ')},
              case when pa is null then '{}'::text[] else array[pa] end,
              case when pp is null then '{}'::text[] else array[pp] end
       from unnest(${arrays.map((_, i) => `$${i + 1}::text[]`).join(', ')})
         as t(${columns.join(', ')}, pa, pp)`,
      arrays,
    )
    loaded += batch.length
    batch = []
  }
  let i = 0
  for (const row of establishments(COUNT, SEED)) {
    if (i++ < API_ROWS) continue
    batch.push(row)
    if (batch.length === BATCH) await flush()
  }
  await flush()
  return loaded
}

/** The first --api-rows rows as one CSV body per province. */
function apiFiles(): Map<string, string> {
  const lines = new Map<string, string[]>()
  let i = 0
  for (const row of establishments(COUNT, SEED)) {
    if (i++ >= API_ROWS) break
    const province = String(row.province_code)
    let list = lines.get(province)
    if (!list) {
      list = [`\uFEFF${csvLine([...HEADER])}`]
      lines.set(province, list)
    }
    list.push(csvLine(HEADER.map((h) => row[h])))
  }
  return new Map([...lines].map(([p, l]) => [p, l.join('')]))
}

// ---------------------------------------------------------------------------------------------
// One large file (--large-import)

/** N generated rows as one CSV of province 08 (its communes in turn), in a temporary file. */
async function writeLargeFile(rows: number): Promise<string> {
  const communes = communesByProvince().get('08') ?? []
  const path = join(tmpdir(), `kc-large-import-${rows}-${process.pid}.csv`)
  const out = createWriteStream(path)
  out.write(`\uFEFF${csvLine([...HEADER])}`)
  let i = 0
  for (const row of establishments(rows, SEED)) {
    const cells = HEADER.map((h) =>
      h === 'province_code' ? '08' : h === 'commune_code' ? communes[i % communes.length] : row[h],
    )
    i++
    if (!out.write(csvLine(cells))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return path
}

/** POSTs the file (streamed from disk) and samples the server's RSS every 100 ms meanwhile. */
async function importFile(base: string, authorization: string, path: string, query: string, pid?: number) {
  const samples: number[] = []
  const sampler = setInterval(() => {
    const rss = rssMb(pid)
    if (rss !== undefined) samples.push(rss)
  }, 100)
  const start = performance.now()
  try {
    const response = await fetch(`${base}/v1/establishments/imports${query}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'text/csv' },
      body: Readable.toWeb(createReadStream(path)) as ReadableStream,
      duplex: 'half',
    } as RequestInit)
    const text = await response.text()
    return { status: response.status, text, ms: performance.now() - start, peak: Math.max(0, ...samples) }
  } finally {
    clearInterval(sampler)
  }
}

/**
 * PostgreSQL's own COPY of the same file (psql's \\copy) into a scratch table of text columns, no
 * index, no check: the floor an import through the API is quoted beside.
 */
async function copyFloor(pool: pg.Pool, path: string, rows: number) {
  const columns = HEADER.map((h) => `${h} text`).join(', ')
  await pool.query(`drop table if exists kc_copy_floor; create table kc_copy_floor (${columns})`)
  const psql = existsSync('/usr/bin/psql')
    ? '/usr/bin/psql'
    : readdirSync('/usr/lib/postgresql')
        .map((v) => `/usr/lib/postgresql/${v}/bin/psql`)
        .find(existsSync)
  try {
    if (!psql) return say('- **PostgreSQL COPY**: psql not found, not measured')
    const start = performance.now()
    const run = spawnSync(
      psql,
      [
        DATABASE_URL as string,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `\\copy kc_copy_floor from '${path}' with (format csv, header true)`,
      ],
      { encoding: 'utf8' },
    )
    const ms = performance.now() - start
    if (run.status !== 0) return say(`- **PostgreSQL COPY**: failed (${run.stderr.trim()})`)
    say(
      `- **PostgreSQL COPY** of the same file (psql \\copy, text columns, no index): ${seconds(ms)} s = ` +
        `**${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s**`,
    )
  } finally {
    await pool.query('drop table if exists kc_copy_floor')
  }
}

async function largeImport(pool: pg.Pool, base: string, authorization: string, rows: number, pid?: number) {
  const path = await writeLargeFile(rows)
  try {
    const mb = statSync(path).size / 1024 / 1024
    say()
    say(`### One large import: ${rows.toLocaleString('en')} rows of province 08 (${mb.toFixed(0)} MB CSV)`)
    say()
    for (const [label, query] of [
      ['dry run', '?dry_run=true'],
      ['import', ''],
    ] as const) {
      const r = await importFile(base, authorization, path, query, pid)
      const report = r.status < 500 && r.text.startsWith('{') ? JSON.parse(r.text) : {}
      const counts = ['created', 'updated', 'unchanged', 'failed'].map((k) => `${k} ${report[k]}`).join(', ')
      say(
        `- **${label}**: HTTP ${r.status} (${r.status < 300 ? counts : r.text.slice(0, 300)}) in ${seconds(r.ms)} s = ` +
          `**${Math.round(rows / (r.ms / 1000)).toLocaleString('en')} rows/s**; server peak RSS **${r.peak.toFixed(0)} MB** ` +
          `(${r.peak < 300 ? 'under' : 'OVER'} 300 MB)`,
      )
    }
    await copyFloor(pool, path, rows)
  } finally {
    rmSync(path, { force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// EXPLAIN as the service runs its queries: in a transaction, as kc_app, with the caller's scope.

async function explain(
  pool: pg.Pool,
  title: string,
  scope: Scope,
  query: { sql: string; parameters: readonly unknown[] },
) {
  const client = await pool.connect()
  // The plans of the statements run inside functions (kc_establishment_search's own query), which
  // EXPLAIN shows only as a Function Scan: auto_explain sends them as notices (needs a superuser).
  const nested: string[] = []
  const onNotice = (notice: { message?: string }) => {
    if (notice.message?.includes('Query Text:')) nested.push(notice.message)
  }
  client.on('notice', onNotice)
  try {
    await client.query('begin')
    await client
      .query(`load 'auto_explain'; set local auto_explain.log_min_duration = 0;
        set local auto_explain.log_analyze = on; set local auto_explain.log_buffers = on;
        set local auto_explain.log_nested_statements = on; set local auto_explain.log_level = notice`)
      .catch(() => client.query('rollback; begin'))
    await client.query(
      `select set_config('role', 'kc_app', true), set_config('kc.role', $1, true),
              set_config('kc.province', $2, true), set_config('kc.sub', 'x', true)`,
      [scope.role, scope.province ?? ''],
    )
    nested.length = 0
    const { rows } = await client.query(`explain (analyze, buffers) ${query.sql}`, [...query.parameters])
    console.log(
      `\n#### ${title}\n\n\`\`\`sql\n${query.sql}\n\`\`\`\nparameters: ${JSON.stringify(query.parameters)}\n`,
    )
    console.log(`\`\`\`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``)
    for (const plan of nested.filter((n) => n.includes('Scan on establishments') && !n.includes(query.sql)))
      console.log(`\ninside it (auto_explain):\n\`\`\`\n${plan}\n\`\`\``)
  } finally {
    client.off('notice', onNotice)
    await client.query('rollback')
    client.release()
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  const { child: server, base } = await startServer({
    server: SERVER,
    flags: values['server-flags'],
    env: { DB_POOL_MAX: '20' },
  })
  try {
    const provinces = [...communesByProvince().keys()].sort()
    const officers = new Map<string, string>()
    for (const p of provinces)
      officers.set(p, `Bearer ${await token({ role: 'province', province: p, sub: `bench-${p}` })}`)
    const ministry = `Bearer ${await token({ role: 'ministry', sub: 'bench-ministry' })}`
    const officer08 = officers.get('08') as string
    const large = Number(values['large-import'])
    if (large > 0) {
      say(`## Large import — server: ${SERVER}, node flags: ${values['server-flags'] || 'none'}`)
      await largeImport(pool, base, officer08, large, server.pid)
      console.log(`\n---\n\n${summary.join('\n')}`)
      return
    }
    const get = async (path: string, authorization: string) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization } })
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`)
      return (await response.json()) as { items: { id: string }[]; next_cursor: string | null }
    }

    say(
      `## Establishments benchmark — PostgreSQL ${(await pool.query('show server_version')).rows[0].server_version}`,
    )
    say()
    say(
      `${COUNT.toLocaleString('en')} generated establishments (seed ${SEED}) over ${provinces.length} provinces; server: ${SERVER}, node flags: ${values['server-flags'] || 'none'}.`,
    )

    // 1. Load: the SQL part first, so that the API import runs against a table of realistic size.
    if (values.reuse) say('\nThe database of an earlier run, reused: no import measured.')
    else {
      const start = performance.now()
      const bulk = await bulkLoad(pool)
      const bulkMs = performance.now() - start
      const files = apiFiles()
      const queue = [...files.entries()]
      const rssDuringImport: number[] = []
      const sampler = setInterval(() => {
        const rss = rssMb(server.pid)
        if (rss !== undefined) rssDuringImport.push(rss)
      }, 100)
      let created = 0
      const importStart = performance.now()
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const [province, body] = next
            const response = await fetch(`${base}/v1/establishments/imports`, {
              method: 'POST',
              headers: { authorization: officers.get(province) as string, 'content-type': 'text/csv' },
              body,
            })
            const report = (await response.json()) as { created?: number; failed?: number }
            if (!response.ok || report.failed)
              throw new Error(
                `import ${province}: ${response.status} ${JSON.stringify(report).slice(0, 500)}`,
              )
            created += report.created ?? 0
          }
        }),
      )
      const importMs = performance.now() - importStart
      clearInterval(sampler)
      await pool.query('vacuum analyze establishments')
      say()
      say('### Import')
      say()
      say(
        `- **through the API** (POST /v1/establishments/imports, CSV, ${files.size} province files, ` +
          `${CONCURRENCY} at a time): ${API_ROWS.toLocaleString('en')} rows (${created.toLocaleString('en')} created) ` +
          `in ${seconds(importMs)} s = **${Math.round(API_ROWS / (importMs / 1000)).toLocaleString('en')} rows/s**` +
          ` (server peak RSS ${Math.max(...rssDuringImport).toFixed(0)} MB)`,
      )
      if (bulk > 0)
        say(
          `- loaded directly with SQL beforehand (not the API): ${bulk.toLocaleString('en')} rows in ${seconds(bulkMs)} s ` +
            `(${Math.round(bulk / (bulkMs / 1000)).toLocaleString('en')} rows/s)`,
        )
    }
    const { rows: counted } = await pool.query('select count(*)::int as n from establishments')
    say(`- establishments in the table: ${counted[0].n.toLocaleString('en')}`)

    // 2. List: the first page, and the page after DEEP_PAGES pages of keyset paging.
    let start = performance.now()
    let cursor: string | null = null
    let walked = 0
    for (; walked < DEEP_PAGES; walked++) {
      const page: { next_cursor: string | null } = await get(
        `/v1/establishments?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ministry,
      )
      if (!page.next_cursor) break
      cursor = page.next_cursor
    }
    const walkMs = performance.now() - start
    const deep = `/v1/establishments?limit=${PAGE}&cursor=${encodeURIComponent(cursor ?? '')}`
    const lastOfDeep = (await get(deep, ministry)).items.at(-1)?.id
    const cases: [string, string, string][] = [
      ['ministry, first page', `/v1/establishments?limit=${PAGE}`, ministry],
      [`ministry, page ${walked + 1}`, deep, ministry],
      ['province 08, first page', `/v1/establishments?limit=${PAGE}`, officer08],
      [
        'ministry, first page, status=active&kind=sme',
        `/v1/establishments?limit=${PAGE}&status=active&kind=sme`,
        ministry,
      ],
    ]
    say()
    say('### List (limit 50, sequential calls)')
    say()
    say(
      `Walked ${walked.toLocaleString('en')} pages (${(walked * PAGE).toLocaleString('en')} rows) as the ministry in ` +
        `${seconds(walkMs)} s (${ms(walkMs / Math.max(walked, 1))} ms a page on average).`,
    )
    say()
    say('| case | n | p50 ms | p99 ms | max ms |')
    say('| --- | --- | --- | --- | --- |')
    for (const [name, path, authorization] of cases) {
      const l = await measure(async () => void (await get(path, authorization)))
      say(`| ${name} | ${l.n} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} |`)
    }

    // 3. Search: one page of best matches.
    say()
    say('### Search (`q`, limit 50, sequential calls)')
    say()
    say('| q | caller | hits on the page | n | p50 ms | p99 ms | max ms |')
    say('| --- | --- | --- | --- | --- | --- | --- |')
    for (const q of SEARCHES) {
      for (const [caller, authorization] of [
        ['province 08', officer08],
        ['ministry', ministry],
      ] as const) {
        const path = `/v1/establishments?limit=${PAGE}&q=${encodeURIComponent(q)}`
        const hits = (await get(path, authorization)).items.length
        const l = await measure(async () => void (await get(path, authorization)), Math.min(SAMPLES, 50))
        say(`| ${q} | ${caller} | ${hits} | ${l.n} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} |`)
      }
    }

    // 4. Export every row as CSV, sampling the server's resident memory every 100 ms.
    const before = rssMb(server.pid) ?? 0
    const samples: number[] = []
    const rssSampler = setInterval(() => {
      const rss = rssMb(server.pid)
      if (rss !== undefined) samples.push(rss)
    }, 100)
    start = performance.now()
    const response = await fetch(`${base}/v1/establishments`, {
      headers: { authorization: ministry, accept: 'text/csv' },
    })
    if (!response.ok || !response.body) throw new Error(`export: ${response.status}`)
    let bytes = 0
    let newlines = 0
    let firstByteMs = 0
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      if (bytes === 0) firstByteMs = performance.now() - start
      bytes += chunk.length
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++
    }
    const exportMs = performance.now() - start
    clearInterval(rssSampler)
    const peak = Math.max(before, ...samples)
    say()
    say('### CSV export (ministry, `Accept: text/csv`, every row)')
    say()
    say(
      `- ${(newlines - 1).toLocaleString('en')} rows (${(bytes / 1024 / 1024).toFixed(0)} MB) in ${seconds(exportMs)} s ` +
        `= ${Math.round((newlines - 1) / (exportMs / 1000)).toLocaleString('en')} rows/s; first byte after ${ms(firstByteMs)} ms`,
    )
    say(
      `- server RSS: ${before.toFixed(0)} MB before, peak **${peak.toFixed(0)} MB** during ` +
        `(${samples.length} samples every 100 ms; min ${Math.min(...samples).toFixed(0)}, ` +
        `median ${percentile(
          [...samples].sort((a, b) => a - b),
          50,
        ).toFixed(0)} MB) — ` +
        `${peak < 300 ? 'under' : 'OVER'} 300 MB`,
    )
    say(
      `- RSS every second (MB): ${samples
        .filter((_, i) => i % 10 === 0)
        .map((r) => r.toFixed(0))
        .join(' ')}`,
    )

    // 5. The plans of the hot queries, as the service runs them.
    console.log('\n### Query plans (EXPLAIN (ANALYZE, BUFFERS), in a transaction as kc_app)')
    const province: Scope = { sub: 'x', role: 'province', province: '08', requestId: 'x' }
    const national: Scope = { sub: 'x', role: 'ministry', province: null, requestId: 'x' }
    const page = (scope: Scope, after?: string) => {
      let query = listQuery(db, scope, {})
      if (after) query = query.where(sql<boolean>`(${sql.ref('establishments.id')}) > (${after})`)
      for (const key of SORT) query = query.orderBy(sql.ref(key.column), 'asc')
      return query.limit(PAGE + 1).compile()
    }
    const { rows: taxed } = await pool.query(
      `select tax_code from establishments where province_code = '08' and tax_code is not null and status = 'active' limit 1`,
    )
    const { rows: mid08 } = await pool.query(
      `select id from establishments where province_code = '08' order by id offset 10000 limit 1`,
    )
    await explain(pool, 'list, first page (province 08)', province, page(province))
    await explain(pool, 'list, first page (ministry)', national, page(national))
    await explain(
      pool,
      `list, deep page (ministry, after page ${walked + 1})`,
      national,
      page(national, lastOfDeep),
    )
    await explain(
      pool,
      'list, deep page (province 08, after its 10,000th row)',
      province,
      page(province, mid08[0]?.id),
    )
    for (const q of ['gom', 'che thai nguyen', 'nguyen van hung']) {
      await explain(
        pool,
        `search q=${q} (province 08)`,
        province,
        searchQuery(db, province, { q }, PAGE).compile(),
      )
      await explain(
        pool,
        `search q=${q} (ministry)`,
        national,
        searchQuery(db, national, { q }, PAGE).compile(),
      )
    }
    await explain(
      pool,
      'tax-code lookup (kc_establishment_tax_code_taken, as the writes call it)',
      province,
      {
        sql: 'select kc_establishment_tax_code_taken($1, $2::uuid) as taken',
        parameters: [taxed[0]?.tax_code, null],
      },
    )
    await explain(pool, 'tax-code lookup (the query inside the function)', province, {
      sql: `select 1 from establishments where tax_code = $1 and status = 'active' and ($2::uuid is null or id <> $2::uuid)`,
      parameters: [taxed[0]?.tax_code, null],
    })
    console.log(`\n---\n\n${summary.join('\n')}`)
  } finally {
    await stopChild(server)
    await db.destroy()
  }
}

await main()
