// A read replica (DATABASE_READ_URL) on a real streaming standby of a primary of this file's own:
// GET reads run on the replica, writes on the primary; a client that echoes X-Read-After sees its
// own write even while the replica lags; row-level security holds on the replica as on the
// primary; /readyz reports both, and a replica that goes away sends reads to the primary.
import pg from 'pg'
import t from 'tap'
import { startCluster, startReplica } from '../helpers/cluster.ts'
import { eventually, serviceDatabase, startService } from '../helpers/service.ts'
import { cast } from '../helpers/tokens.ts'

t.setTimeout(300_000)

const primary = await startCluster(t)
const replica = await startReplica(t, primary)
const { DATABASE_URL: url = '' } = await serviceDatabase(t, primary.url)
const readUrl = Object.assign(new URL(url), { port: String(replica.port) }).toString()
const service = await startService(t, { DATABASE_URL: url, DATABASE_READ_URL: readUrl })
const { officer08, officer01 } = await cast()
const json = { 'content-type': 'application/json' }

let serial = 0
async function create() {
  const number = `${++serial}/2024/QĐ-UBND`
  const res = await fetch(`${service.base}/v1/legal-documents`, {
    method: 'POST',
    headers: { ...officer08, ...json },
    body: JSON.stringify({
      number,
      kind: 'decision',
      issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
      title: `Quyết định số ${serial}`,
      signed_date: '2024-03-01',
      subject: 'local_programme_approval',
    }),
  })
  return { res, number, readAfter: res.headers.get('x-read-after') }
}

async function numbers(headers: Record<string, string>) {
  const res = await fetch(`${service.base}/v1/legal-documents?limit=100`, { headers })
  t.equal(res.status, 200)
  return ((await res.json()) as { items: { number: string }[] }).items.map((d) => d.number)
}

t.test('/readyz reports the primary and the replica', async (t) => {
  t.same(await (await fetch(`${service.base}/readyz`)).json(), {
    status: 'ok',
    database: 'ok',
    replica: 'ok',
  })
})

t.test('a write answers with its WAL position; the caller who echoes it sees the write', async (t) => {
  const first = await create()
  t.equal(first.res.status, 201)
  t.match(first.readAfter, /^[0-9A-F]+\/[0-9A-F]+$/, `X-Read-After: ${first.readAfter}`)
  // Caught up: a plain read on the replica sees it too, sooner or later.
  t.ok(await eventually(async () => (await numbers(officer08)).includes(first.number)), 'replicated')

  // The replica stops replaying: reads on it stay where they are.
  await replica.query('select pg_wal_replay_pause()')
  t.teardown(() => replica.query('select pg_wal_replay_resume()').catch(() => {}))
  const second = await create()
  t.equal(second.res.status, 201)
  t.notOk((await numbers(officer08)).includes(second.number), 'a plain GET reads the (lagging) replica')
  const own = await numbers({ ...officer08, 'x-read-after': second.readAfter ?? '' })
  t.ok(own.includes(second.number), 'with X-Read-After the read goes to the primary and sees the write')
  const malformed = await numbers({ ...officer08, 'x-read-after': 'yesterday' })
  t.ok(malformed.includes(second.number), 'a position it cannot read: the primary, to be safe')

  const paused = Date.now()
  await replica.query('select pg_wal_replay_resume()')
  t.ok(await eventually(async () => (await numbers(officer08)).includes(second.number), 200, 25))
  t.comment(`replica caught up ${Date.now() - paused} ms after replay resumed`)
})

t.test('row-level security and the tenant settings apply on the replica', async (t) => {
  t.ok(await eventually(async () => (await numbers(officer08)).length === 2))
  t.same(await numbers(officer01), [], "province 01 reads none of province 08's documents")
  // Below the application's own filter: the policies themselves, on the standby.
  const asProvince = async (province: string) => {
    const client = new pg.Client({ connectionString: readUrl })
    await client.connect()
    try {
      await client.query(`begin read only; set local role kc_app;
        select set_config('kc.role', 'province', true), set_config('kc.province', $$${province}$$, true)`)
      return Number((await client.query('select count(*) as n from legal_documents')).rows[0].n)
    } finally {
      await client.end()
    }
  }
  t.equal(await asProvince('08'), 2)
  t.equal(await asProvince('01'), 0)
})

t.test('the replica gone: /readyz still ready, reads on the primary; back again', async (t) => {
  await replica.stop()
  const ready = await fetch(`${service.base}/readyz`)
  t.equal(ready.status, 200)
  t.same(await ready.json(), { status: 'ok', database: 'ok', replica: 'unavailable' })
  for (let i = 0; i < 3; i++) t.equal((await numbers(officer08)).length, 2, 'read on the primary')
  const third = await create()
  t.equal(third.res.status, 201, 'writes are unaffected')
  await replica.start()
  t.ok(
    await eventually(
      async () =>
        ((await (await fetch(`${service.base}/readyz`)).json()) as { replica?: string }).replica === 'ok',
    ),
    'the replica is back in /readyz',
  )
  t.ok(await eventually(async () => (await numbers(officer08)).length === 3))
  t.ok(service.alive())
})
