// What tenancy costs (not a test): the same list of legal documents served twice by the same
// server, with N documents in every province —
//   on:  GET /v1/legal-documents?limit=50, a province officer's token: JWT verification, a
//        transaction as kc_app with the caller's scope set, row-level security, the app filter;
//   off: GET /bench/legal-documents?limit=50, the same query, filter and serialiser, run
//        directly on the pool with neither authentication nor row-level security.
//
//   npx tsx scripts/bench-tenancy.ts [--duration 10] [--connections 50] [--per-province 600]
//
// DATABASE_URL set: that PostgreSQL (the documents are added to it); unset: PGlite in a
// temporary directory. The server runs as a child process (`--serve`) on a free loopback port.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { PageParams } from '../src/lib/pagination.js'
import {
  autocannon,
  describeDatabase,
  freePort,
  HOST,
  type Row,
  rssMb,
  seedLegalDocuments,
  stopChild,
  table,
  waitReady,
} from './bench-support.js'

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'per-province': { type: 'string', default: '600' },
  },
  strict: true,
})

async function serve(port: number, perProvince: number) {
  const { Type } = await import('typebox')
  const { buildApp } = await import('../src/app.js')
  const { loadConfig } = await import('../src/config.js')
  const { listQuery, SORT } = await import('../src/routes/v1/legal-documents/repository.js')
  const { LegalDocument } = await import('../src/routes/v1/legal-documents/schemas.js')
  const { Page, paginate, pageQuery } = await import('../src/lib/pagination.js')
  const config = {
    ...loadConfig({ ...process.env, RATE_LIMIT_MAX: '0', DEMO_DATA: 'false' }),
    logLevel: 'warn' as const,
  }
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
  await app.listen({ host: HOST, port })
}

async function main() {
  const duration = Number(values.duration)
  const connections = Number(values.connections)
  const perProvince = Number(values['per-province'])
  const port = await freePort()
  const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'kc-bench-'))
  const server: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--serve',
      String(port),
      '--per-province',
      String(perProvince),
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...(dataDir ? { DATA_DIR: dataDir } : {}) },
    },
  )
  const base = `http://${HOST}:${port}`
  try {
    await waitReady(base, server)
    const { token } = await import('../test/helpers/tokens.js')
    const authorization = `Bearer ${await token({ role: 'province', province: '08', sub: 'bench-08' })}`
    const run = (path: string, headers: Record<string, string>, seconds: number) =>
      autocannon({ url: base, connections, duration: seconds, headers, requests: [{ method: 'GET', path }] })
    const rows: Row[] = []
    for (const [route, path, headers] of [
      ['off: no auth, no RLS', '/bench/legal-documents?limit=50', {}],
      ['on: JWT + transaction + RLS', '/v1/legal-documents?limit=50', { authorization }],
    ] as const) {
      await run(path, headers, 2) // warm-up
      const result = await run(path, headers, duration)
      rows.push({ route, database: describeDatabase(), result, rss: rssMb(server.pid) })
    }
    console.log(
      `\n${perProvince} documents per province, ${34 * perProvince} in all; ${connections} connections, ${duration} s\n`,
    )
    console.log(table(rows))
    const [off, on] = rows
    if (off && on) {
      const cost = 1 - on.result.requests.mean / off.result.requests.mean
      console.log(`\ntenancy costs ${(cost * 100).toFixed(1)}% of throughput`)
    }
  } finally {
    await stopChild(server)
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

if (values.serve) await serve(Number(values.serve), Number(values['per-province']))
else await main()
