// The service against the yardstick (not a test; issue #18): ../shared/bench/bare.mjs — Fastify and
// pg alone, serving the same SQL — and the compiled service, side by side on one PostgreSQL with
// 600 legal documents per province, in alternating rounds (a warm-up of each first), for a province's page
// of documents and for one document by id. Prints every round and the ratios of the means
// (service ÷ yardstick) for throughput and p99, with each process's memory.
//
//   DATABASE_URL=postgres://… npm run bench:compare [-- --rounds 3 --duration 10 --warmup 10 --connections 50
//     --routes list,one --processes 1]
//
// Two processes of the same build, loaded at once, differ by 5–20 % in CPU a request from one
// round to the next (each settles its JIT its own way), so one pair's ratio carries that much of
// its own: --processes N repeats the whole measurement with N fresh pairs and pools their rounds.
//
// The yardstick is not part of the project: without ../shared/bench/bare.mjs the script says so
// and stops. Run `npm run build` first (the service runs from dist/, as in production).
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import { sql } from 'kysely'
import {
  type AutocannonResult,
  autocannon,
  freePort,
  HOST,
  rssMb,
  seedLegalDocuments,
  startServer,
  stopChild,
  waitReady,
} from './bench-support.ts'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    /** Which routes to measure, comma-separated: list, one. */
    routes: { type: 'string', default: 'list,one' },
    /** How many fresh pairs of processes to measure in turn, each with its warm-up and rounds. */
    processes: { type: 'string', default: '1' },
  },
  strict: true,
})

const BARE = fileURLToPath(new URL('../../shared/bench/bare.mjs', import.meta.url))
const PER_PROVINCE = 600
const SECRET = randomBytes(32).toString('base64url')

/** 600 documents per province (20,400 in all), as scripts/bench-tenancy.ts inserts them. */
async function seed(databaseUrl: string) {
  const { connectDatabase } = await import('../src/db/connect.ts')
  const { migrateToLatest } = await import('../src/db/migrate.ts')
  const handle = await connectDatabase({ databaseUrl, dataDir: '', dbPoolMax: 1 })
  try {
    await migrateToLatest(handle.db)
    await seedLegalDocuments(handle.db, PER_PROVINCE)
    // The service runs as production does: a login role granted kc_app only (README, Running on
    // PostgreSQL); the yardstick keeps the URL's owner.
    await sql`
      do $$ begin
        if not exists (select from pg_roles where rolname = 'kc_bench_service') then
          create role kc_bench_service login;
        end if;
      end $$`.execute(handle.db)
    await sql`alter role kc_bench_service password ${sql.lit(SECRET)}`.execute(handle.db)
    await sql`grant kc_app to kc_bench_service`.execute(handle.db)
    const one = await sql<{ id: string }>`
      select id from legal_documents where province_code = '08' and number like 'BENCH-%' limit 1`.execute(
      handle.db,
    )
    return one.rows[0]?.id as string
  } finally {
    await handle.close()
  }
}

async function startBare(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, [BARE], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
  })
  const base = `http://${HOST}:${port}`
  await waitReady(base, child, '/bare/legal-documents?province=08&limit=1')
  return { child, base }
}

/** The fields each side answers for one record: the two do the same work only if they agree. */
async function sameWork(bare: string, service: string, id: string, authorization: string) {
  const fields = async (url: string, headers: Record<string, string> = {}) =>
    Object.keys((await (await fetch(url, { headers })).json()) as object).sort()
  const [b, s] = await Promise.all([
    fields(`${bare}/bare/legal-documents/${id}`),
    fields(`${service}/v1/legal-documents/${id}`, { authorization }),
  ])
  const extra = s.filter((f) => !b.includes(f))
  const missing = b.filter((f) => !s.includes(f))
  if (extra.length || missing.length) {
    console.log(
      `NOTE: the two no longer do the same work — the service answers ${extra.length ? `also ${extra.join(', ')}` : ''}` +
        `${missing.length ? ` without ${missing.join(', ')}` : ''}; compare the ratios with that in mind.`,
    )
  } else console.log(`Same work: both answer the same ${b.length} fields of the same row.`)
}

/** The same database as the service's login role. */
function serviceUrl(databaseUrl: string) {
  const url = new URL(databaseUrl)
  url.username = 'kc_bench_service'
  url.password = SECRET
  return url.toString()
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('Set DATABASE_URL: the comparison runs on PostgreSQL.')
  if (!existsSync(BARE)) {
    console.log(
      `The yardstick ${BARE} is absent: it is not part of the project, so there is nothing to compare with.`,
    )
    return
  }
  if (!existsSync(new URL('../dist/src/server.js', import.meta.url))) {
    throw new Error('Run `npm run build` first: the service is measured as it runs in production.')
  }
  const { routes, ...numbers } = values
  for (const [name, value] of Object.entries(numbers)) {
    if (!(Number(value) >= 0)) throw new Error(`--${name} must be a number of at least 0, not ${value}`)
  }
  const rounds = Number(values.rounds)
  const duration = Number(values.duration)
  const connections = Number(values.connections)
  const id = await seed(databaseUrl)
  const token = await new SignJWT({ role: 'province', province: '08', scope: 'read write' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-08')
    .setIssuer('khuyen-cong-dev')
    .setAudience('khuyen-cong-api')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET))
  const authorization = `Bearer ${token}`
  const results: Record<string, Record<'bare' | 'service', AutocannonResult[]>> = {}
  let memory = ''
  for (let pair = 1; pair <= Number(values.processes); pair++) {
    let bare: { child: ChildProcess; base: string } | undefined
    let service: { child: ChildProcess; base: string } | undefined
    try {
      bare = await startBare(databaseUrl)
      // As in production: a line logged per request, and a secret of its own (HS256).
      service = await startServer({
        server: 'dist',
        quiet: true,
        flags: '--max-old-space-size=192', // as npm run start:prod
        env: {
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          MIGRATE_ON_START: 'false',
          DATABASE_URL: serviceUrl(databaseUrl),
          JWT_SECRET: SECRET,
        },
      })
      if (pair === 1) await sameWork(bare.base, service.base, id, authorization)
      await measure(bare.base, service.base, pair)
      memory = `yardstick ${rssMb(bare.child.pid)?.toFixed(0)} MB, service ${rssMb(service.child.pid)?.toFixed(0)} MB RSS`
    } finally {
      await stopChild(service?.child)
      await stopChild(bare?.child)
    }
  }
  console.log(
    `\n${values.processes} pair(s) of processes × ${rounds} rounds of ${duration} s, ${connections} connections; ` +
      `memory after the last: ${memory}\n`,
  )
  console.log(
    '| route | yardstick req/s | service req/s | ratio | rounds\u2019 ratios | yardstick p99 | service p99 | p99 ratio |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const [route, { bare: b, service: s }] of Object.entries(results)) {
    const rps = [mean(b.map((r) => r.requests.mean)), mean(s.map((r) => r.requests.mean))] as const
    const p99 = [mean(b.map((r) => r.latency.p99)), mean(s.map((r) => r.latency.p99))] as const
    const each = s.map((r, i) => r.requests.mean / (b[i] as AutocannonResult).requests.mean)
    console.log(
      `| ${route} | ${rps[0].toFixed(0)} | ${rps[1].toFixed(0)} | ${(rps[1] / rps[0]).toFixed(2)} | ` +
        `${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)} | ` +
        `${p99[0].toFixed(0)} | ${p99[1].toFixed(0)} | ${(p99[1] / p99[0]).toFixed(2)} |`,
    )
  }

  /** One pair's warm-up and alternating rounds of each chosen route, added to the results. */
  async function measure(bareBase: string, serviceBase: string, pair: number) {
    const targets = {
      list: {
        bare: [bareBase, '/bare/legal-documents?province=08&limit=50', {}],
        service: [serviceBase, '/v1/legal-documents?limit=50', { authorization }],
      },
      one: {
        bare: [bareBase, `/bare/legal-documents/${id}`, {}],
        service: [serviceBase, `/v1/legal-documents/${id}`, { authorization }],
      },
    } as const
    const run = ([url, path, headers]: readonly [string, string, Record<string, string>], seconds: number) =>
      autocannon({ url, connections, duration: seconds, headers, requests: [{ method: 'GET', path }] })
    for (const [route, sides] of Object.entries(targets)) {
      if (!routes.split(',').includes(route)) continue
      results[route] ??= { bare: [], service: [] }
      // A warm-up of each side first: the service has more code for V8 to optimise, and its first
      // seconds under load (two seconds of warm-up, as before) fell 10-30 % below its later rounds.
      for (const side of ['bare', 'service'] as const) await run(sides[side], Number(values.warmup))
      for (let round = 1; round <= rounds; round++) {
        for (const side of ['bare', 'service'] as const) {
          const result = await run(sides[side], duration)
          results[route]?.[side].push(result)
          const bad = result.non2xx + result.errors + result.timeouts
          console.log(
            `${route} pair ${pair} round ${round} ${side.padEnd(7)} ${result.requests.mean.toFixed(0).padStart(6)} req/s  ` +
              `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms${bad ? `  ${bad} failed` : ''}`,
          )
        }
      }
    }
  }
}

await main()
