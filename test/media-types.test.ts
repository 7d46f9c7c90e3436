// Media types both ways, the router's own refusals and the contract that declares them, through
// HTTP on a real database (issue 12, items 7 and 8): merge-patch PATCH, 415 naming the accepted
// types, 406 for an Accept nothing satisfies, 414 and 400 from the router as problems, UTF-8 only.
import { type AddressInfo, connect } from 'node:net'
import t, { type Test } from 'tap'
import { buildTestApp } from './helpers/app.ts'
import { cast } from './helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

type Res = Awaited<ReturnType<typeof app.inject>>
function isProblem(t: Test, res: Res, status: number, code: string) {
  t.equal(res.statusCode, status, res.body.slice(0, 200))
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { type: `/problems/${code}`, status, code, request_id: String })
}

const document = {
  number: '3/QĐ-UBND',
  kind: 'decision',
  issuer: 'UBND tỉnh',
  title: 'Quyết định',
  signed_date: '2024-01-02',
  subject: 'support_levels',
}
const send = (
  method: 'POST' | 'PATCH',
  url: string,
  contentType: string,
  body: string | Buffer,
  extra = {},
) =>
  app.inject({
    method,
    url,
    headers: { ...as.officer08, 'content-type': contentType, ...extra },
    payload: body,
  })
const created = await send('POST', '/v1/legal-documents', 'application/json', JSON.stringify(document))
const url = created.headers.location as string

t.test('PATCH takes application/merge-patch+json (RFC 7396)', async (t) => {
  const res = await send('PATCH', url, 'application/merge-patch+json', JSON.stringify({ notes: 'Gộp' }), {
    'if-match': '"1"',
  })
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().notes, 'Gộp')
  const charset = await send('PATCH', url, 'application/merge-patch+json; charset=utf-8', '{"notes":null}', {
    'if-match': '"2"',
  })
  t.equal(charset.statusCode, 200)
})

t.test('another media type → 415 naming the accepted ones', async (t) => {
  // text/plain too: Fastify's own parser for it handed the route a string (a 400 "must be an object").
  for (const type of ['text/xml', 'text/plain', 'text/plain; charset=utf-8']) {
    const res = await send('POST', '/v1/legal-documents', type, JSON.stringify(document))
    isProblem(t, res, 415, 'unsupported_media_type')
    t.match(res.json().detail, /application\/json/)
    t.match(res.json().detail, /application\/merge-patch\+json/)
  }
})

t.test('an empty body labelled text/plain (a browser’s empty POST) is no body, not a 415', async (t) => {
  const empty = await app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: { ...as.officer08, 'content-type': 'text/plain;charset=UTF-8', 'content-length': '0' },
  })
  t.equal(empty.statusCode, 400, 'the route is reached: its body is missing')
  t.match(empty.json(), { code: 'validation_failed' })
  const json = await send('POST', '/v1/legal-documents', 'application/json', '')
  t.equal(json.statusCode, 400, 'an empty JSON body keeps its 400')
})

t.test('JSON is UTF-8: another charset → 415, bytes that are not UTF-8 → 400 naming the field', async (t) => {
  const latin1 = await send(
    'POST',
    '/v1/legal-documents',
    'application/json; charset=latin1',
    JSON.stringify(document),
  )
  isProblem(t, latin1, 415, 'unsupported_media_type')
  t.match(latin1.json().detail, /utf-8/i)
  const utf8 = await send(
    'POST',
    '/v1/legal-documents',
    'application/json; charset="UTF-8"',
    JSON.stringify({ ...document, number: '4/QĐ-UBND' }),
  )
  t.equal(utf8.statusCode, 201, 'charset=utf-8 is fine')

  const text = JSON.stringify({ ...document, number: '5/QĐ-UBND', title: 'TITLE' })
  const [before, after] = text.split('TITLE') as [string, string]
  for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
    const body = Buffer.concat([
      Buffer.from(before),
      Buffer.from('Quy'),
      Buffer.from(bad),
      Buffer.from(after),
    ])
    const res = await send('POST', '/v1/legal-documents', 'application/json', body)
    isProblem(t, res, 400, 'validation_failed')
    t.match(res.json().errors, [{ in: 'body', pointer: '/title', detail: 'không phải văn bản UTF-8 hợp lệ' }])
  }
  const surrogate = await send(
    'POST',
    '/v1/legal-documents',
    'application/json',
    text.replace('TITLE', 'a\\ud800b'),
  )
  isProblem(t, surrogate, 400, 'validation_failed')
  t.match(surrogate.json().errors, [{ in: 'body', pointer: '/title' }])
  const list = await app.inject({ url: '/v1/legal-documents', headers: as.officer08 })
  t.notOk(list.body.includes('\uFFFD'), 'nothing was stored as U+FFFD')
})

t.test('Accept: 406 when nothing satisfies it; the usual ranges still work', async (t) => {
  const get = (path: string, accept: string) => app.inject({ url: path, headers: { ...as.ministry, accept } })
  for (const accept of ['text/html', 'application/xml', 'image/png, text/plain', 'application/json;q=0']) {
    isProblem(t, await get('/v1/legal-documents', accept), 406, 'not_acceptable')
  }
  isProblem(t, await get(url, 'text/csv'), 406, 'not_acceptable')
  for (const accept of [
    '*/*',
    'application/*',
    'application/json',
    'application/problem+json',
    'text/html, */*;q=0.1',
  ]) {
    const res = await get('/v1/legal-documents', accept)
    t.equal(res.statusCode, 200, `Accept: ${accept}`)
    t.match(res.headers['content-type'], /^application\/json/)
  }
  const csv = await get('/v1/legal-documents', 'text/csv')
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv/)
  t.equal((await get('/v1/provinces/08', 'application/json')).statusCode, 200)
  // CSV is chosen by weight, as the 406 check reads Accept: a refused or lighter CSV gets JSON.
  for (const [accept, type] of [
    ['text/csv;q=0, application/json', /^application\/json/],
    ['application/json, text/csv;q=0.5', /^application\/json/],
    ['application/json;q=0.5, text/csv', /^text\/csv/],
    ['text/csv, application/json', /^text\/csv/],
    // A range of CSV's kind asks for it (JSON would not satisfy it), unless JSON weighs as much.
    ['text/*', /^text\/csv/],
    ['text/*, application/json;q=0.5', /^text\/csv/],
    ['text/*, application/json', /^application\/json/],
  ] as const) {
    const res = await get('/v1/legal-documents', accept)
    t.equal(res.statusCode, 200, `Accept: ${accept}`)
    t.match(res.headers['content-type'], type, `Accept: ${accept}`)
    // The answer depends on Accept: caches are told so.
    t.match(res.headers.vary, /\bAccept\b/, `Vary with Accept: ${accept}`)
  }
  isProblem(t, await get(url, 'text/*'), 406, 'not_acceptable')
  t.notMatch(
    String((await get(url, '*/*')).headers.vary ?? ''),
    /\bAccept\b(?!-)/,
    'a JSON-only answer does not vary by Accept',
  )
})

t.test('the router’s own refusals are problems', async (t) => {
  isProblem(t, await app.inject(`/v1/provinces/${'1'.repeat(201)}`), 414, 'uri_too_long')
  isProblem(t, await app.inject('/v1/provinces/%E0%A4%A'), 400, 'bad_request')
  isProblem(t, await app.inject('/v1/provinces/%zz'), 400, 'bad_request')
})

t.test('scorecard trend: the default first year stays within 2000–2100', async (t) => {
  const res = await app.inject({
    url: '/v1/reports/provinces/04/scorecard?to=2001&as_of=former',
    headers: as.ministry,
  })
  t.equal(res.statusCode, 200, res.body.slice(0, 200))
  t.equal(res.json().from, 2000)
  t.ok(res.json().items.every((i: { year: number }) => i.year >= 2000 && i.year <= 2001))
})

t.test('a scheme cannot end before its year begins', async (t) => {
  const scheme = {
    year: 2024,
    title: 'Đề án',
    funding_level: 'local',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công',
  }
  const post = (extra: object) =>
    send('POST', '/v1/projects', 'application/json', JSON.stringify({ ...scheme, ...extra }))
  const early = await post({ planned_end: '1990-01-01' })
  isProblem(t, early, 400, 'validation_failed')
  t.match(early.json().errors, [{ in: 'body', pointer: '/planned_end' }])
  const reversed = await post({ planned_start: '2024-03-01', planned_end: '1995-01-01' })
  t.match(reversed.json().errors, [{ in: 'body', pointer: '/planned_end' }])
  t.equal((await post({ planned_start: '2024-03-01', planned_end: '2024-11-30' })).statusCode, 201)
})

t.test('the contract declares what every operation can answer', async (t) => {
  const spec = app.swagger() as unknown as {
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string
          parameters?: { in: string }[]
          requestBody?: unknown
          responses: Record<string, unknown>
        }
      >
    >
  }
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item)) {
      const has = (status: number) => t.ok(op.responses[status], `${op.operationId}: ${status}`)
      has(400)
      has(406)
      if (op.operationId.startsWith('update')) {
        const body = op.requestBody as { content: object }
        t.ok('application/merge-patch+json' in body.content, `${op.operationId}: merge patch`)
      }
      if (op.parameters?.some((p) => p.in === 'path')) has(414)
      if (op.requestBody) {
        has(413)
        has(415)
      }
    }
  }
})

t.test('the HTTP parser’s refusals are problems too', async (t) => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  /** The raw answer to raw bytes: Node's parser refuses them before any request exists. */
  const raw = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(bytes))
      let answer = ''
      socket.on('data', (chunk) => {
        answer += chunk.toString('utf8')
      })
      socket.on('close', () => resolve(answer))
      socket.on('error', reject)
    })
  for (const [what, bytes, status, code] of [
    [
      'a control character in a header',
      'GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Foo: a\x01b\r\n\r\n',
      400,
      'bad_request',
    ],
    ['an unknown method', 'FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'bad_request'],
    [
      'headers over the limit',
      `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'request_header_fields_too_large',
    ],
  ] as const) {
    const answer = await raw(bytes)
    const [head = '', body = ''] = answer.split('\r\n\r\n')
    t.match(head, new RegExp(`^HTTP/1.1 ${status} `), what)
    t.match(head, /content-type: application\/problem\+json; charset=utf-8/i, what)
    const problem = JSON.parse(body)
    t.match(
      problem,
      { type: `/problems/${code}`, status, code, title: String, detail: String, request_id: String },
      what,
    )
    t.equal(head.match(/x-request-id: (\S+)/i)?.[1], problem.request_id, 'the id is in the header too')
  }
})
