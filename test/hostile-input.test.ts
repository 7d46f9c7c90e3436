// Input no column can hold — NUL characters, years PostgreSQL has not, non-finite numbers, JSON
// nested thousands deep — is a 400 naming the field, never a 500, in the query, the path, the body
// and the token (issue 12, item 2). Through HTTP on a real database.
import t, { type Test } from 'tap'
import { buildTestApp } from './helpers/app.ts'
import { cast, token } from './helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

type Res = Awaited<ReturnType<typeof app.inject>>
function refused(t: Test, res: Res, where: string, pointer: string) {
  t.equal(res.statusCode, 400, `${where} ${pointer}: ${res.body.slice(0, 200)}`)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { code: 'validation_failed', errors: [{ in: where, pointer }] })
}
const get = (url: string, headers: Record<string, string> = as.ministry) => app.inject({ url, headers })
const post = (url: string, payload: unknown, headers: Record<string, string> = as.officer08) =>
  app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })

const scheme = {
  year: 2024,
  title: 'Đề án',
  funding_level: 'local',
  activity_contents: ['training'],
  implementing_unit: 'Trung tâm Khuyến công',
}

t.test('NUL in a query, a filter, a path, a body string or key → 400 naming it', async (t) => {
  refused(t, await get('/v1/communes?q=%00', {}), 'query', '/q')
  refused(t, await get('/v1/communes?q=bat%00trang', {}), 'query', '/q')
  refused(t, await get('/v1/provinces?q=%00'), 'query', '/q')
  refused(t, await get('/v1/projects?q=%00'), 'query', '/q')
  refused(t, await get('/v1/establishments?q=ab%00'), 'query', '/q')
  refused(t, await get('/v1/audit-events?actor=%00'), 'query', '/actor')
  refused(t, await get('/v1/provinces/0%00'), 'params', '/code')
  refused(t, await post('/v1/projects', { ...scheme, title: 'Đề\u0000án' }), 'body', '/title')
  refused(
    t,
    await post('/v1/projects', { ...scheme, activity_contents: ['\u0000'] }),
    'body',
    '/activity_contents/0',
  )
  const key = await post('/v1/projects', { ...scheme, 'ti\u0000tle': 'x' })
  t.equal(key.statusCode, 400)
})

t.test('a token whose sub holds a NUL or a lone surrogate → 401 invalid_token', async (t) => {
  // A lone surrogate would be stored as U+FFFD: 'a\ud800b' and 'a\udfffb' one actor in the audit trail.
  for (const sub of ['officer\u000008', 'a\ud800b', 'a\udfffb']) {
    const signed = await token({ role: 'province', province: '08', sub })
    for (const res of [
      await get('/v1/projects', { authorization: `Bearer ${signed}` }),
      await post('/v1/projects', scheme, { authorization: `Bearer ${signed}` }),
    ]) {
      t.equal(res.statusCode, 401, JSON.stringify(sub))
      t.match(res.headers['www-authenticate'], /error="invalid_token"/)
    }
  }
})

t.test('dates outside 1900–2099, offsets beyond ±15:59 → 400 naming the field', async (t) => {
  refused(t, await post('/v1/projects', { ...scheme, planned_start: '0000-01-01' }), 'body', '/planned_start')
  refused(t, await post('/v1/projects', { ...scheme, planned_end: '9999-12-31' }), 'body', '/planned_end')
  refused(t, await get('/v1/provinces?as_of=0000-01-01', {}), 'query', '/as_of')
  refused(t, await get('/v1/communes?as_of=0001-01-01', {}), 'query', '/as_of')
  refused(t, await get('/v1/audit-events?from=0000-01-01T00:00:00Z'), 'query', '/from')
  // Offsets RFC 3339 allows and PostgreSQL does not (beyond ±15:59): were a 500.
  refused(t, await get('/v1/audit-events?from=2024-01-01T00:00:00-23:00'), 'query', '/from')
  refused(t, await get('/v1/audit-events?to=2024-01-01T00:00:00%2B16:00'), 'query', '/to')
  t.equal((await get('/v1/audit-events?from=2024-01-01T00:00:00%2B14:00')).statusCode, 200)
  t.equal((await get('/v1/audit-events?to=2024-01-01T00:00:00.123456-12:00')).statusCode, 200)
  t.equal((await get('/v1/provinces?as_of=1900-01-01', {})).statusCode, 200)
  t.equal((await get('/v1/provinces?as_of=2099-12-31', {})).statusCode, 200)
})

t.test('Infinity, -Infinity, 1e309 in integer query parameters → 400', async (t) => {
  for (const value of ['Infinity', '-Infinity', '1e309', '-1e309']) {
    refused(t, await get(`/v1/projects?limit=${value}`), 'query', '/limit')
    refused(t, await get(`/v1/projects?year=${value}`), 'query', '/year')
    refused(t, await get(`/v1/communes?limit=${value}`, {}), 'query', '/limit')
    refused(t, await get(`/v1/reports/scorecard?year=${value}`), 'query', '/year')
  }
})

t.test('JSON nested thousands deep → 400, not a stack overflow', async (t) => {
  for (const depth of [65, 5_000, 50_000]) {
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`
    for (const res of [
      await post('/v1/projects', `{"title": ${deep}}`),
      await post('/v1/projects', deep),
      await app.inject({
        method: 'PATCH',
        url: '/v1/projects/00000000-0000-4000-8000-000000000000',
        headers: { ...as.officer08, 'content-type': 'application/json', 'if-match': '"1"' },
        payload: `{"title": ${deep}}`,
      }),
    ]) {
      t.equal(res.statusCode, 400, `depth ${depth}`)
      t.equal(res.json().code, 'bad_request')
    }
  }
  const ok = await post('/v1/projects', { ...scheme, title: 'Sâu vừa' })
  t.equal(ok.statusCode, 201, 'ordinary bodies pass')
})

t.test(
  'a body of thousands of unknown keys → 400 listing the first 100, not an answer 17 times its size',
  async (t) => {
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i.toString(16)}`, 0]))
    const res = await app.inject({
      method: 'POST',
      url: '/v1/communication-activities',
      headers: { ...as.officer08, 'content-type': 'application/json', 'accept-language': 'en' },
      payload: JSON.stringify(body),
    })
    t.equal(res.statusCode, 400)
    const problem = res.json()
    t.equal(problem.errors.length, 100, 'the first 100 failing fields')
    t.match(problem.detail, /; and \d+ more$/, 'the others counted')
    t.ok(res.body.length < 50_000, `${res.body.length} bytes`)
  },
)

t.test('thousands of NULs: the first 100 named, every other one counted', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/communication-activities',
    headers: { ...as.officer08, 'content-type': 'application/json', 'accept-language': 'en' },
    payload: JSON.stringify({ notes: Array.from({ length: 5000 }, () => 'a\u0000b') }),
  })
  t.equal(res.statusCode, 400)
  const problem = res.json()
  t.same(
    problem.errors.map((e: { pointer: string }) => e.pointer),
    Array.from({ length: 100 }, (_, i) => `/notes/${i}`),
    'the first 100, in order',
  )
  t.match(problem.errors[99].detail, /NUL/)
  const more = Number(/; and (\d+) more$/.exec(problem.detail)?.[1])
  t.ok(more >= 4900, `${more} more: the 4,900 other NULs and the schema's own failures`)
})

t.test(
  'a query value whose percent-encoding is not UTF-8 → 400 naming it, not text stored with its %',
  async (t) => {
    refused(t, await get('/v1/establishments?q=%FF'), 'query', '/q')
    refused(t, await get('/v1/establishments?limit=5&q=abc%ED%A0%80def'), 'query', '/q')
    refused(t, await get('/v1/establishments?q=100%'), 'query', '/q')
    const literal = await get('/v1/establishments?q=%25FF')
    t.equal(literal.statusCode, 200, 'an encoded % is a %')
    t.equal((await get('/v1/establishments?q=C%C6%A1+s%E1%BB%9F')).statusCode, 200, 'UTF-8 and + as space')
  },
)

t.test('a body with a __proto__ or constructor.prototype key → 400 naming that property', async (t) => {
  refused(t, await post('/v1/projects', '{"year":2024,"__proto__":{"x":1}}'), 'body', '/__proto__')
  refused(
    t,
    await post('/v1/projects', '{"year":2024,"staff":[{"constructor":{"prototype":{}}}]}'),
    'body',
    '/staff/0/constructor/prototype',
  )
  const broken = await post('/v1/projects', '{"year": ')
  t.equal(broken.statusCode, 400)
  t.match(broken.json(), { code: 'bad_request' }, 'JSON that is not JSON is still said to be so')
})

t.test('a NUL beside other failing fields: one 400 names them all', async (t) => {
  const body = await post('/v1/communication-activities', {
    channel: 'nope',
    date: '2024-05-01',
    title: 'a\u0000b',
    cost: -5,
  })
  t.equal(body.statusCode, 400)
  const inBody = body.json().errors.map((e: { pointer: string }) => e.pointer)
  for (const pointer of ['/title', '/channel', '/cost']) t.ok(inBody.includes(pointer), `body ${pointer}`)
  const query = await get('/v1/projects?year=abc&q=%00&limit=0&x=%FF')
  t.equal(query.statusCode, 400)
  const inQuery = query.json().errors.map((e: { pointer: string }) => e.pointer)
  for (const pointer of ['/q', '/x', '/year', '/limit']) t.ok(inQuery.includes(pointer), `query ${pointer}`)
  // Alone, the guard's findings are refused before the handler, as before.
  refused(t, await get('/v1/projects?q=a%00&year=2024'), 'query', '/q')
})

t.test('a non-finite number beside a schema failure: both named', async (t) => {
  const res = await get('/v1/plans?year=1e309&limit=abc')
  t.equal(res.statusCode, 400)
  const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer)
  t.ok(pointers.includes('/year') && pointers.includes('/limit'), JSON.stringify(pointers))
})
