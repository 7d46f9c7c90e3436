// The shared conventions, tried through HTTP: problem details for every error class, request
// ids, the one log line per request with no secrets, health, readiness and metrics.
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import { createLogger, requestLineWriter } from '../src/logger.ts'
import { buildTestApp } from './helpers/app.ts'
import { cast, token } from './helpers/tokens.ts'

const SECRET = 'password=hunter2 select * from secrets'

// The test routes are public: these conventions hold before and apart from authentication.
const { app, database, logText, logs } = await buildTestApp(t, { bodyLimit: 1024 }, (app) => {
  app.post('/test/echo', { config: { access: 'public' } }, async (request) => ({ received: request.body }))
  app.get('/test/boom', { config: { access: 'public' } }, async () => {
    throw new Error(SECRET)
  })
})

const isProblem = (
  t: Test,
  res: { headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) => {
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), {
    type: `/problems/${code}`,
    status,
    code,
    title: String,
    detail: String,
    request_id: String,
  })
}

t.test('unknown route → 404 problem', async (t) => {
  const res = await app.inject('/v1/nothing-here')
  t.equal(res.statusCode, 404)
  isProblem(t, res, 404, 'not_found')
})

t.test('known path, wrong method → 405 with Allow', async (t) => {
  const res = await app.inject({ method: 'DELETE', url: '/v1/provinces/01' })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD')
  isProblem(t, res, 405, 'method_not_allowed')
})

t.test('unsupported media type → 415', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/test/echo',
    headers: { 'content-type': 'text/xml' },
    body: '<a/>',
  })
  t.equal(res.statusCode, 415)
  isProblem(t, res, 415, 'unsupported_media_type')
})

t.test('body over the limit → 413', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { text: 'x'.repeat(2048) } })
  t.equal(res.statusCode, 413)
  isProblem(t, res, 413, 'payload_too_large')
})

t.test('malformed JSON → 400', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/test/echo',
    headers: { 'content-type': 'application/json' },
    body: '{"a": ',
  })
  t.equal(res.statusCode, 400)
  isProblem(t, res, 400, 'bad_request')
  const ok = await app.inject({ method: 'POST', url: '/test/echo', payload: { a: 1 } })
  t.same(ok.json(), { received: { a: 1 } })
})

t.test('unexpected error → generic 500; the details only in the log', async (t) => {
  const res = await app.inject({ url: '/test/boom', headers: { 'x-request-id': 'trace-500' } })
  t.equal(res.statusCode, 500)
  isProblem(t, res, 500, 'internal_error')
  t.notMatch(res.body, /hunter2|select|Error:|at /, 'no message, SQL or stack in the response')
  t.equal(res.json().request_id, 'trace-500')
  const logged = logs().find((l) => l.reqId === 'trace-500' && l.level === 50)
  t.ok(logged, 'the error is logged under the request id')
  t.match(logged?.err, { type: 'Error', message: SECRET }, 'its class and message')
  t.notMatch(JSON.stringify(logged), /"stack"|\bat \S+ \(/, 'never its stack')
})

t.test(
  'a database error is logged by SQLSTATE and names: not its SQL, its values or its stack',
  async (t) => {
    const error = await database.db
      .executeQuery(sql`select 1 / ${'0'}::int as boom`.compile(database.db))
      .catch((e: unknown) => e)
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    createLogger({ logLevel: 'info' }, sink).error({ err: error }, 'request failed')
    const logged = JSON.parse(lines[0] ?? '{}')
    t.match(logged.err, { type: String, message: /division by zero/, code: '22012' })
    t.notMatch(lines[0], /"stack"|select|\bat \S+ \(/, 'no stack, no SQL')
  },
)

t.test('request ids: accepted when sane, generated otherwise, always echoed', async (t) => {
  const given = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
  t.equal(given.headers['x-request-id'], 'abc-123')
  const insane = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'a b\u0000<script>' } })
  t.match(insane.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const none = await app.inject('/healthz')
  t.match(none.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('one log line per request, with no credentials or query string', async (t) => {
  const before = logs().length
  await app.inject({
    url: '/v1/provinces?q=secret-query-value',
    headers: { authorization: 'Bearer super-secret-token', 'x-request-id': 'one-line' },
  })
  const lines = logs()
    .slice(before)
    .filter((l) => l.reqId === 'one-line')
  t.equal(lines.length, 1)
  t.match(lines[0], {
    msg: 'request',
    method: 'GET',
    path: '/v1/provinces',
    route: '/v1/provinces',
    status: 200,
  })
  t.notMatch(logText(), /super-secret-token|secret-query-value/)
})

t.test('the request line is JSON whatever its strings hold', async (t) => {
  // A subject is the issuer's to choose: quotes, a backslash, a line separator, a control character.
  const sub = 'officer "08" \\ \u2028 \u0007 é'
  const before = logs().length
  await app.inject({
    url: '/v1/legal-documents',
    headers: {
      authorization: `Bearer ${await token({ role: 'province', province: '08', sub })}`,
      'x-request-id': 'odd-sub',
    },
  })
  const lines = logs()
    .slice(before)
    .filter((l) => l.reqId === 'odd-sub')
  t.equal(lines.length, 1)
  t.match(lines[0], { msg: 'request', sub, status: 200 })
})

// The line is put together by hand (requestLineWriter): it must stay the line pino writes.
t.test('the request line is, byte for byte, the line pino writes for its fields', async (t) => {
  const lines = [
    {
      reqId: 'r1',
      sub: 'officer "08" \\ \u2028 \u0007 é',
      method: 'GET',
      path: '/v1/x/1',
      route: '/v1/x/:id',
      status: 200,
      ms: 1.5,
    },
    { reqId: 'r2', sub: undefined, method: 'POST', path: '/nowhere', route: undefined, status: 404, ms: 0 },
  ]
  for (const logLevel of ['info', 'warn'] as const) {
    const written: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        written.push(String(chunk).replace(/"time":\d+/, '"time":0'))
        done()
      },
    })
    const log = createLogger({ logLevel }, stream)
    const write = requestLineWriter(log)
    const byPino = log.child({}, { redact: [] })
    for (const line of lines) {
      write(line)
      byPino.info(line, 'request')
    }
    if (logLevel === 'warn') t.same(written, [], 'nothing below the level')
    else t.same(written, [written[1], written[1], written[3], written[3]], 'the same text')
  }
})

t.test('the lines of an authenticated request carry its subject, once', async (t) => {
  const { reader08 } = await cast()
  const before = logs().length
  await app.inject({ url: '/v1/legal-documents', headers: { ...reader08, 'x-request-id': 'with-sub' } })
  const refused = await app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: { ...reader08, 'x-request-id': 'with-sub-refused' },
    payload: {},
  })
  t.equal(refused.statusCode, 403)
  const of = (id: string) =>
    logs()
      .slice(before)
      .filter((l) => l.reqId === id)
  t.match(of('with-sub'), [{ msg: 'request', sub: 'reader-08', route: '/v1/legal-documents', status: 200 }])
  // A line written inside the request (the refusal), and the request line after it.
  t.match(of('with-sub-refused'), [
    { msg: 'request forbidden', sub: 'reader-08' },
    { msg: 'request', sub: 'reader-08', status: 403 },
  ])
  t.equal(of('with-sub-refused').length, 2)
  // The request line skips redaction: it holds these fields and no others.
  t.same(Object.keys(of('with-sub')[0] ?? {}).sort(), [
    'hostname',
    'level',
    'method',
    'ms',
    'msg',
    'path',
    'pid',
    'reqId',
    'route',
    'status',
    'sub',
    'time',
  ])
  // Bound once: the serialised line names the subject a single time.
  t.equal(
    logText()
      .split('\n')
      .filter((l) => l.includes('"with-sub"'))
      .at(0)
      ?.match(/"sub"/g)?.length,
    1,
  )
})

t.test('health, readiness and metrics', async (t) => {
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  t.same((await app.inject('/readyz')).json(), { status: 'ok', database: 'ok' })
  await app.inject('/v1/provinces/01')
  const metrics = await app.inject('/metrics')
  t.equal(metrics.statusCode, 200)
  t.match(metrics.headers['content-type'], /^text\/plain/)
  t.match(
    metrics.body,
    /http_requests_total\{method="GET",route="\/v1\/provinces\/:code",status_code="200"\} \d+/,
  )
  t.match(
    metrics.body,
    /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/provinces\/:code"/,
  )
  t.match(metrics.body, /db_pool_connections\{state="total"\} \d+/)
  t.match(metrics.body, /process_resident_memory_bytes/)
})

t.test('the contract and the docs are served', async (t) => {
  const doc = await app.inject('/openapi.json')
  t.equal(doc.statusCode, 200)
  t.equal(doc.json().openapi, '3.1.0')
  t.ok(doc.json().paths['/v1/provinces/{code}/communes'])
  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-type'], /text\/html/)
  // The service's page, not Swagger UI's: its title, and the contract integrators fetch.
  t.match(docs.body, /<title>Khuyến công API — tài liệu<\/title>/)
  const initializer = await app.inject('/docs/static/swagger-initializer.js')
  t.match(initializer.body, /"urls":\[\{"url":"\/openapi.json"/)
  t.match(doc.json().info.description, /### Getting a token/)
})

t.test(
  'timestamps leave as RFC 3339 in UTC with milliseconds, whatever the session’s time zone',
  async (t) => {
    const { cast } = await import('./helpers/tokens.ts')
    const { sql } = await import('kysely')
    const as = await cast()
    const created = await app.inject({
      method: 'POST',
      url: '/v1/legal-documents',
      headers: as.officer08,
      payload: {
        number: '77/QĐ-UBND',
        kind: 'decision',
        issuer: 'UBND tỉnh Tuyên Quang',
        title: 'Quyết định thời điểm',
        signed_date: '2024-03-01',
        subject: 'other',
      },
    })
    const { id } = created.json()
    await sql`update legal_documents set created_at = '2024-03-01 10:00:00.123456+00' where id = ${id}`.execute(
      database.db,
    )
    const read = async () =>
      (await app.inject({ url: `/v1/legal-documents/${id}`, headers: as.officer08 })).json()
    t.equal((await read()).created_at, '2024-03-01T10:00:00.123Z', 'microseconds cut to milliseconds')
    // The parser's other path: a server in another time zone sends an offset.
    const { timestamptz } = await import('../src/db/connect.ts')
    t.equal(timestamptz('2024-03-01 17:00:00.5+07'), '2024-03-01T10:00:00.500Z')
    t.equal(timestamptz('2024-03-01 10:00:00+00'), '2024-03-01T10:00:00.000Z')
  },
)

// Last: it closes the database under the running app.
t.test('readiness fails with a 503 problem when the database is gone', async (t) => {
  await database.close()
  const res = await app.inject('/readyz')
  t.equal(res.statusCode, 503)
  isProblem(t, res, 503, 'service_unavailable')
  t.notMatch(res.body, /ECONN|pool|pglite/i)
  t.same((await app.inject('/healthz')).json(), { status: 'ok' }, 'liveness does not depend on the database')
})
