// Database faults on a PostgreSQL cluster of this file's own (npm run test:faults, apart from
// npm test): every backend of the service terminated, the server stopped and started, a restart
// under load. The service must never crash nor answer 500; while the database is down it answers
// 503 with Retry-After; it recovers by itself; no write it acknowledged is lost.
import t, { type Test } from 'tap'
import { startCluster } from '../helpers/cluster.ts'
import { eventually, serviceDatabase, sleep, startService } from '../helpers/service.ts'
import { token } from '../helpers/tokens.ts'

t.setTimeout(900_000)

const cluster = await startCluster(t)
const env = await serviceDatabase(t, cluster.url)
const service = await startService(t, { ...env, DB_POOL_MAX: '4' })
const headers = {
  authorization: `Bearer ${await token({ role: 'province', province: '08', sub: 'officer-08' })}`,
  'content-type': 'application/json',
}

let serial = 0
const document = () => ({
  number: `${++serial}/2024/QĐ-UBND`,
  kind: 'decision',
  issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
  title: `Quyết định phê duyệt đề án khuyến công số ${serial}`,
  signed_date: '2024-03-01',
  subject: 'local_programme_approval',
})

const list = () => fetch(`${service.base}/v1/legal-documents?limit=5`, { headers })
const create = () =>
  fetch(`${service.base}/v1/legal-documents`, { method: 'POST', headers, body: JSON.stringify(document()) })

/** Every answer is a success or a 503 problem with Retry-After; never a 500, never a reset. */
async function expectUpOr503(t: Test, res: Response, ok: number) {
  if (res.status === ok) return true
  t.equal(res.status, 503, 'down: 503, not 500')
  t.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  t.ok(Number(res.headers.get('retry-after')) > 0, 'with Retry-After')
  t.match(await res.json(), { status: 503, code: 'service_unavailable' })
  return false
}

const recovers = () => eventually(async () => (await list()).status === 200, 150, 200)

t.test('every backend of the service terminated', async (t) => {
  t.equal((await Promise.all([list(), list(), list(), list()])).filter((r) => r.ok).length, 4)
  const killed = await cluster.query<{ pg_terminate_backend: boolean }>(
    `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'khuyen-cong-api'`,
  )
  t.ok(killed.length > 0, `terminated ${killed.length} connections`)
  await sleep(200)
  for (let i = 0; i < 5; i++) await expectUpOr503(t, await list(), 200)
  t.ok(await recovers(), 'answers again')
  t.ok(service.alive(), 'the process is still running')
})

t.test('the database stopped, then started again', async (t) => {
  await cluster.stop()
  const down = [await list(), await create(), await list()]
  for (const res of down) t.notOk(await expectUpOr503(t, res, 200), `${res.url} while down`)
  const ready = await fetch(`${service.base}/readyz`)
  t.equal(ready.status, 503, '/readyz says not ready')
  t.equal((await fetch(`${service.base}/healthz`)).status, 200, '/healthz: the process lives')
  await cluster.start()
  t.ok(await recovers(), 'recovers without a restart of the service')
  t.equal((await fetch(`${service.base}/readyz`)).status, 200)
  t.equal((await create()).status, 201, 'writes work again')
  t.ok(service.alive())
})

t.test('a restart under load loses no acknowledged write', async (t) => {
  const acknowledged: string[] = []
  const statuses = new Map<number, number>()
  let restart: Promise<void> | undefined
  const worker = async () => {
    for (let i = 0; i < 40; i++) {
      const res = await create().catch((error) => void t.comment(String(error.cause ?? error)))
      t.ok(res, 'an answer, not a reset')
      if (!res) continue
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id)
      else await expectUpOr503(t, res, 201)
      restart ??= acknowledged.length >= 20 ? cluster.restart() : undefined
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  t.ok(restart, 'the database was restarted during the load')
  await restart
  t.comment(`answers: ${JSON.stringify(Object.fromEntries(statuses))}`)
  t.same(
    [...statuses.keys()].filter((s) => s !== 201 && s !== 503),
    [],
    'only 201 and 503',
  )
  t.ok(await recovers())
  const ids = acknowledged.map((id) => `'${id}'`).join(',')
  const rows = await cluster.query<{ n: string }>(
    `select count(*) as n from legal_documents where id in (${ids})`,
    new URL(env.DATABASE_URL as string).pathname.slice(1),
  )
  t.equal(
    Number(rows[0]?.n),
    acknowledged.length,
    `all ${acknowledged.length} acknowledged writes are stored`,
  )
  t.ok(service.alive())
})
