// What tenancy and each layer of a request cost (not a test), served side by side by one server
// process, with N documents in every province —
//   bare:   an empty route of a Fastify with nothing registered (a second instance in the process);
//   public: an empty route of the app: request id, guards, the log line, metrics — no token;
//   token:  the same with a province officer's token (verified once, then taken from the cache);
//   select 1 as tenant: the same running `select 1` through request.tenant() (the caller's
//        settings in the same round trip, as every read's statements);
//   off:    GET /bench/legal-documents?limit=50, the list's query, filter and serialiser, run
//           directly on the pool with neither authentication nor row-level security;
//   on:     GET /v1/legal-documents?limit=50, a province officer's token: the real route;
//   by id:  GET /v1/legal-documents/:id, the real route.
// Each row also gives the server process's CPU time per request (Linux /proc): the difference
// between two rows is what a layer costs the service. On PostgreSQL the database's own CPU is not
// in it; on PGlite, which runs in the server's process, it is.
//
//   npm run bench:tenancy -- [--duration 10] [--connections 50] [--per-province 600]
//
// DATABASE_URL set: that PostgreSQL (the documents are added to it); unset: PGlite in a
// temporary directory. The server runs as a child process (`--serve`) on a free loopback port.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { PageParams } from '../src/lib/pagination.ts'
import {
  autocannon,
  cpuMs,
  describeDatabase,
  freePort,
  HOST,
  type Row,
  rssMb,
  seedLegalDocuments,
  stopChild,
  table,
  waitReady,
} from './bench-support.ts'

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    bare: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'per-province': { type: 'string', default: '600' },
  },
  strict: true,
})

async function serve(port: number, barePort: number, perProvince: number) {
  const { default: Fastify } = await import('fastify')
  const { sql } = await import('kysely')
  const { Type } = await import('typebox')
  const { buildApp } = await import('../src/app.ts')
  const { loadConfig } = await import('../src/config.ts')
  const { listQuery, SORT } = await import('../src/routes/v1/legal-documents/repository.ts')
  const { LegalDocument } = await import('../src/routes/v1/legal-documents/schemas.ts')
  const { Page, paginate, pageQuery } = await import('../src/lib/pagination.ts')
  // A line logged per request, as in production (the parent drops the server's standard output).
  const config = loadConfig({ ...process.env, RATE_LIMIT_MAX: '0', DEMO_DATA: 'false', LOG_LEVEL: 'info' })
  const app = await buildApp({ config })
  await seedLegalDocuments(app.db, perProvince)
  const scope = { sub: 'bench', role: 'province' as const, province: '08', requestId: 'bench' }
  app.get(
    '/bench/legal-documents',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: Type.Object(pageQuery),
        response: { 200: Page({ ...LegalDocument, $id: undefined }, 'bench') },
      },
    },
    // No transaction, no kc_app, no RLS (the pool's user owns the tables): only the app filter.
    async (request, reply) =>
      paginate(request, reply, listQuery(app.db, scope, {}), SORT, request.query as PageParams),
  )
  const empty = { hide: true, response: { 200: Type.Object({ ok: Type.Integer() }) } }
  app.get('/bench/public', { config: { access: 'public' }, schema: empty }, async () => ({ ok: 1 }))
  app.get('/bench/token', { config: { access: 'read' }, schema: empty }, async () => ({ ok: 1 }))
  app.get('/bench/statement', { config: { access: 'read' }, schema: empty }, async (request) =>
    request.tenant(async (trx) => {
      await sql`select 1`.execute(trx)
      return { ok: 1 }
    }),
  )
  await app.listen({ host: HOST, port })
  const bare = Fastify()
  bare.get('/bench/bare', { schema: { response: { 200: empty.response[200] } } }, async () => ({ ok: 1 }))
  await bare.listen({ host: HOST, port: barePort })
}

async function main() {
  const duration = Number(values.duration)
  const connections = Number(values.connections)
  const perProvince = Number(values['per-province'])
  const port = await freePort()
  const barePort = await freePort()
  const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'kc-bench-'))
  const server: ChildProcess = spawn(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      '--serve',
      String(port),
      '--bare',
      String(barePort),
      '--per-province',
      String(perProvince),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...(dataDir ? { DATA_DIR: dataDir } : {}) },
    },
  )
  const base = `http://${HOST}:${port}`
  try {
    await waitReady(base, server)
    const { token } = await import('../test/helpers/tokens.ts')
    const authorization = `Bearer ${await token({ role: 'province', province: '08', sub: 'bench-08' })}`
    const page = await fetch(`${base}/v1/legal-documents?limit=1`, { headers: { authorization } })
    const id = ((await page.json()) as { items: { id: string }[] }).items[0]?.id
    if (!id) throw new Error('province 08 has no legal document to read by id')
    const bare = `http://${HOST}:${barePort}`
    const run = (url: string, path: string, headers: Record<string, string>, seconds: number) =>
      autocannon({ url, connections, duration: seconds, headers, requests: [{ method: 'GET', path }] })
    const rows: Row[] = []
    const cpu: (number | undefined)[] = []
    const routes: [string, string, string, Record<string, string>][] = [
      ['bare: empty route, Fastify alone', bare, '/bench/bare', {}],
      ['public: empty route of the app', base, '/bench/public', {}],
      ['token: empty route, a token', base, '/bench/token', { authorization }],
      ['select 1 as tenant', base, '/bench/statement', { authorization }],
      ['off: no auth, no RLS', base, '/bench/legal-documents?limit=50', {}],
      ['on: JWT + settings + RLS', base, '/v1/legal-documents?limit=50', { authorization }],
      ['by id: one document', base, `/v1/legal-documents/${id}`, { authorization }],
    ]
    for (const [route, url, path, headers] of routes) {
      await run(url, path, headers, 2) // warm-up
      const before = cpuMs(server.pid)
      const result = await run(url, path, headers, duration)
      const after = cpuMs(server.pid)
      rows.push({ route, database: describeDatabase(), result, rss: rssMb(server.pid) })
      cpu.push(
        before === undefined || after === undefined
          ? undefined
          : ((after - before) * 1000) / result.requests.total,
      )
    }
    console.log(
      `\n${perProvince} documents per province, ${34 * perProvince} in all; ${connections} connections, ${duration} s\n`,
    )
    console.log(table(rows))
    console.log(
      '\nThe server process’s CPU time per request (all its threads, not PostgreSQL’s; the difference of two rows is a layer):',
    )
    for (const [i, { route }] of rows.entries())
      console.log(`  ${route.padEnd(36)} ${cpu[i]?.toFixed(0) ?? 'n/a'} µs`)
    const off = rows.find((row) => row.route.startsWith('off:'))
    const on = rows.find((row) => row.route.startsWith('on:'))
    if (off && on) {
      const cost = 1 - on.result.requests.mean / off.result.requests.mean
      console.log(`\ntenancy costs ${(cost * 100).toFixed(1)}% of throughput`)
    }
  } finally {
    await stopChild(server)
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

if (values.serve) await serve(Number(values.serve), Number(values.bare), Number(values['per-province']))
else await main()
