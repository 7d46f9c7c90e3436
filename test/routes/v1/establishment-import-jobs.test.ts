// Import jobs through real HTTP: the record of every import, Prefer: respond-async, Idempotency-Key,
// the per-instance bound, and spooled, timed uploads.
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { listening } from '../../helpers/http.ts'
import { csvOf, HEADER, line } from '../../helpers/imports.ts'
import { cast } from '../../helpers/tokens.ts'

const imports = { concurrency: 3, bodyIdleTimeoutMs: 1_000, leaseMs: 2_000 }
const { app } = await buildTestApp(t, { imports })
const as = await cast()
const call = await listening(app)

const csvHeaders = (auth: Record<string, string>, extra: Record<string, string> = {}) => ({
  ...auth,
  'content-type': 'text/csv',
  ...extra,
})
const importCsv = (
  auth: Record<string, string>,
  csv: string,
  extra: Record<string, string> = {},
  query = '',
) => call('POST', `/v1/establishments/imports${query}`, csvHeaders(auth, extra), csv)
const total = async (auth = as.officer08) =>
  (await call('GET', '/v1/establishments?include_total=true&limit=1', auth)).json().total as number

/** Polls an import until it has ended (bounded). */
async function ended(location: string, auth = as.officer08) {
  for (let i = 0; i < 600; i++) {
    const res = await call('GET', location, auth)
    if (res.json().status !== 'running') return res
    await sleep(50)
  }
  throw new Error(`${location} still running`)
}

t.test('a synchronous import answers with its record, which GET finds committed', async (t) => {
  const res = await importCsv(as.officer08, csvOf('SYNC', 3))
  t.equal(res.status, 200, res.body)
  const body = res.json()
  t.match(body, { status: 'committed', committed: true, created: 3, failed: 0, province_code: '08' })
  t.equal(res.headers.location, `/v1/establishments/imports/${body.id}`)
  const read = await call('GET', res.headers.location as string, as.officer08)
  t.equal(read.status, 200)
  t.match(read.json(), {
    id: body.id,
    status: 'committed',
    format: 'csv',
    created: 3,
    updated: 0,
    unchanged: 0,
    failed: 0,
    errors: [],
    problem: null,
    actor_sub: 'officer-08',
  })
  t.ok(read.json().finished_at, 'finished')
  // A job may hold a problem in the caller's language: caches are told the answer varies with it.
  t.equal(read.headers['content-language'], 'vi')
  t.match(read.headers.vary, /Accept-Language/)
  const other = await call('GET', res.headers.location as string, as.officer01)
  t.equal(other.status, 404, 'another province does not see it')
  t.equal((await call('GET', res.headers.location as string, as.ministry)).status, 200, 'the ministry does')

  const failing = await importCsv(as.officer08, `${HEADER}X-1,00004,Hà Nội,sme\n`)
  t.equal(failing.status, 422)
  const failed = (await call('GET', failing.headers.location as string, as.officer08)).json()
  t.match(failed, { status: 'failed', committed: false, failed: 1 })
  t.same(failed.errors, [{ row: 1, column: 'commune_code', message: 'must be a commune of province 08' }])

  const unreadable = await importCsv(as.officer08, 'name,colour\nA,red\n')
  t.equal(unreadable.status, 400)
  t.ok(unreadable.headers.location, 'a refused file still names its record')
  t.match((await call('GET', unreadable.headers.location as string, as.officer08)).json(), {
    status: 'failed',
    problem: { code: 'validation_failed', status: 400 },
  })
})

t.test('the list: the caller’s province, newest first, keyset-paged', async (t) => {
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    ids.push((await importCsv(as.officer08, csvOf(`LIST${i}`, 1), {}, '?dry_run=true')).json().id as string)
  }
  const first = await call('GET', '/v1/establishments/imports?limit=2', as.officer08)
  t.equal(first.status, 200)
  const page1 = first.json()
  t.same(
    page1.items?.map((j) => j.id),
    [ids[2], ids[1]],
  )
  t.notOk('errors' in (page1.items?.[0] ?? {}), 'the list leaves the row errors to GET /{id}')
  const second = await call(
    'GET',
    `/v1/establishments/imports?limit=2&cursor=${page1.next_cursor}`,
    as.officer08,
  )
  t.equal(second.json().items?.[0]?.id, ids[0])
  const theirs = (await call('GET', '/v1/establishments/imports', as.officer01)).json().items ?? []
  t.notOk(
    theirs.some((j) => ids.includes(j.id as string)),
    'another province’s list does not hold them',
  )
  const national = (await call('GET', '/v1/establishments/imports?province_code=08', as.ministry)).json()
  t.equal(national.items?.[0]?.id, ids[2])
  t.match(national.items?.[0], { status: 'validated', dry_run: true, committed: false, created: 1 })
})

t.test('Prefer: respond-async answers 202 and the import runs on', async (t) => {
  const before = await total()
  const res = await importCsv(as.officer08, csvOf('ASYNC', 600), { prefer: 'respond-async, wait=5' })
  t.equal(res.status, 202, res.body)
  t.equal(res.headers['preference-applied'], 'respond-async')
  t.match(res.json(), { status: 'running', created: 0 })
  const done = await ended(res.headers.location as string)
  t.match(done.json(), { status: 'committed', committed: true, created: 600, failed: 0 })
  t.equal(await total(), before + 600)
})

t.test('the same Idempotency-Key finds the same import, and imports nothing again', async (t) => {
  const before = await total()
  const key = { 'idempotency-key': 'import-key-1' }
  const first = await importCsv(as.officer08, csvOf('IDEM', 2), key)
  t.equal(first.status, 200, first.body)
  const again = await importCsv(as.officer08, csvOf('IDEM-OTHER', 5), key)
  t.equal(again.status, 200)
  t.equal(again.json().id, first.json().id)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.headers.location, first.headers.location)
  t.equal(await total(), before + 2, 'the retry wrote nothing')
  const newToken = await importCsv((await cast()).officer08, csvOf('IDEM', 2), key, '?dry_run=true')
  t.equal(newToken.json().id, first.json().id, 'another token of the same subject is the same caller')
  const elsewhere = await importCsv(as.officer01, `${HEADER}H-1,00004,Hà Nội,sme\n`, key)
  t.equal(elsewhere.status, 200)
  t.not(elsewhere.json().id, first.json().id, 'another caller’s key is another import')

  const failing = { 'idempotency-key': 'import-key-2' }
  const bad = await importCsv(as.officer08, `${HEADER}X-1,00004,Hà Nội,sme\n`, failing)
  t.equal(bad.status, 422)
  const badAgain = await importCsv(as.officer08, csvOf('FIXED', 1), failing)
  t.equal(badAgain.status, 422, 'the outcome is replayed')
  t.equal(badAgain.json().id, bad.json().id)

  const async = { 'idempotency-key': 'import-key-3', prefer: 'respond-async' }
  const started = await importCsv(as.officer08, csvOf('IDEM-ASYNC', 50), async)
  t.equal(started.status, 202)
  await ended(started.headers.location as string)
  const replay = await importCsv(as.officer08, csvOf('IDEM-ASYNC', 50), async)
  t.equal(replay.status, 200, 'once ended, the retry gets the report')
  t.equal(replay.json().id, started.json().id)
})

t.test(
  'slow uploads hold no connection: other provinces are served meanwhile; the bound gives 429',
  async (t) => {
    const before = await total()
    const events: string[] = []
    // As many slow uploads as the instance allows, each sending a row every 200 ms.
    const uploads = Array.from({ length: imports.concurrency }, (_, u) =>
      call('POST', '/v1/establishments/imports', csvHeaders(as.officer08), (req) => {
        req.write(HEADER)
        let i = 0
        const timer = setInterval(() => {
          i += 1
          req.write(line(`SLOW${u}`, i))
          if (i === 12) {
            clearInterval(timer)
            req.end()
          }
        }, 200)
      }).then((res) => {
        events.push('upload answered')
        return res
      }),
    )
    await sleep(300) // the uploads have started
    for (let i = 0; i < 5; i++) {
      const read = await call('GET', '/v1/establishments?limit=5', as.officer01)
      t.equal(read.status, 200)
      events.push('read answered')
    }
    const ministry = await call('GET', '/v1/establishments?limit=5', as.ministry)
    events.push(`ministry ${ministry.status}`)
    const refused = await importCsv(as.officer01, `${HEADER}H-2,00004,Hà Nội,sme\n`)
    events.push('refused')
    t.equal(refused.status, 429)
    t.equal(refused.json().code, 'too_many_requests')
    t.equal(refused.headers['retry-after'], '10')
    const answers = await Promise.all(uploads)
    for (const res of answers) t.match(res.json(), { status: 'committed', created: 12 })
    t.same(
      events.slice(0, 7),
      [
        'read answered',
        'read answered',
        'read answered',
        'read answered',
        'read answered',
        'ministry 200',
        'refused',
      ],
      'answered while every upload was still in progress',
    )
    t.equal(await total(), before + 12 * imports.concurrency)
    t.equal((await importCsv(as.officer01, `${HEADER}H-3,00004,Hà Nội,sme\n`)).status, 200, 'slots come back')
  },
)

t.test(
  'a stalled upload is cut with 408 and writes nothing; an announced oversize body gets 413',
  async (t) => {
    const before = await total()
    const jobs = (await call('GET', '/v1/establishments/imports?include_total=true', as.officer08)).json()
      .total
    const res = await call('POST', '/v1/establishments/imports', csvHeaders(as.officer08), (req) => {
      req.write(HEADER + line('STALL', 1)) // and then nothing
    })
    t.equal(res.status, 408)
    t.equal(res.json().code, 'request_timeout')
    t.equal(res.headers.connection, 'close')
    t.equal(await total(), before)
    const after = (await call('GET', '/v1/establishments/imports?include_total=true', as.officer08)).json()
      .total
    t.equal(after, jobs, 'no import was recorded')

    const big = await call(
      'POST',
      '/v1/establishments/imports',
      csvHeaders(as.officer08, { 'content-length': String(300 * 1024 * 1024) }),
      (req) => req.write(HEADER),
    )
    t.equal(big.status, 413)
    t.equal(big.json().code, 'payload_too_large')
  },
)
