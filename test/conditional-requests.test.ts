// If-Match (RFC 9110 §13.1.1, RFC 6585) through HTTP on a real database: a well-formed tag that is
// not the current version → 412, weak tags never match, `*` matches any current version, a list
// matches when one of its tags does, none → 428 — on PATCH, DELETE and scheme transitions alike —
// and the contract says so (issue 12, item 6).
import t from 'tap'
import { buildTestApp } from './helpers/app.ts'
import { createScheme, resolution } from './helpers/records.ts'
import { cast } from './helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

const created = await app.inject({
  method: 'POST',
  url: '/v1/legal-documents',
  headers: as.officer08,
  payload: {
    number: '1/QĐ-UBND',
    kind: 'decision',
    issuer: 'UBND tỉnh',
    title: 'Quyết định',
    signed_date: '2024-01-02',
    subject: 'support_levels',
  },
})
const url = created.headers.location as string
const patch = (ifMatch: string | undefined, notes: string) =>
  app.inject({
    method: 'PATCH',
    url,
    headers: { ...as.officer08, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
    payload: { notes },
  })

t.test('PATCH: stale, weak, lists, *, missing, malformed', async (t) => {
  t.equal(created.headers.etag, '"1"')
  for (const tag of ['"stale"', '"2"', 'W/"1"', '"01"', '""']) {
    const res = await patch(tag, 'x')
    t.equal(res.statusCode, 412, `If-Match: ${tag} → 412`)
    t.equal(res.json().code, 'precondition_failed')
    t.equal(res.headers.etag, '"1"', 'the 412 carries the current ETag')
  }
  const list = await patch('"7", W/"1", "1"', 'a')
  t.equal(list.statusCode, 200, 'a list matches when one strong tag does')
  t.equal(list.headers.etag, '"2"')
  const weakOnly = await patch('W/"2", "stale"', 'b')
  t.equal(weakOnly.statusCode, 412, 'the weak tag of the current version does not match')
  const any = await patch('*', 'c')
  t.equal(any.statusCode, 200, '* matches the existing record')
  t.equal(any.headers.etag, '"3"')

  const missing = await patch(undefined, 'd')
  t.equal(missing.statusCode, 428, 'no If-Match → 428, not the validator’s 400')
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(missing.json().code, 'precondition_required')
  t.equal((await patch('', 'd')).statusCode, 428)
  for (const bad of ['3', 'stale', '"3', '"a"b"', 'W/3', '"1 "', '"1";"2"']) {
    const res = await patch(bad, 'e')
    t.equal(res.statusCode, 400, `If-Match: ${bad} is not an entity tag → 400`)
    t.match(res.json(), { errors: [{ in: 'headers', pointer: '/if-match' }] })
  }
})

t.test('DELETE: * on a record that does not exist is 404; stale 412; * deletes', async (t) => {
  const del = (target: string, ifMatch?: string) =>
    app.inject({
      method: 'DELETE',
      url: target,
      headers: { ...as.officer08, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    })
  t.equal((await del('/v1/legal-documents/00000000-0000-4000-8000-000000000000', '*')).statusCode, 404)
  t.equal((await del(url)).statusCode, 428)
  t.equal((await del(url, '"stale"')).statusCode, 412)
  t.equal((await del(url, '*')).statusCode, 204)
})

t.test('scheme transitions need If-Match like every change', async (t) => {
  const id = await createScheme(app, as.officer08)
  const step = (ifMatch: string | undefined) =>
    app.inject({
      method: 'POST',
      url: `/v1/projects/${id}/transitions`,
      headers: { ...as.officer08, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
      payload: { action: 'submit' },
    })
  const missing = await step(undefined)
  t.equal(missing.statusCode, 428)
  t.equal(missing.json().code, 'precondition_required')
  t.equal((await step('"stale"')).statusCode, 412)
  t.equal((await step('W/"1"')).statusCode, 412)
  const ok = await step('"1"')
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().state, 'submitted')
})

t.test('the contract: If-Match required, 412 and 428 declared on every conditional change', async (t) => {
  const spec = app.swagger() as unknown as {
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string
          parameters?: { in: string; name: string; required?: boolean }[]
          responses: Record<string, unknown>
        }
      >
    >
  }
  let seen = 0
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const conditional = method === 'patch' || method === 'delete' || path.endsWith('/transitions')
      if (!conditional) continue
      seen++
      const header = op.parameters?.find((p) => p.in === 'header' && p.name === 'if-match')
      t.equal(header?.required, true, `${op.operationId}: If-Match required`)
      t.ok(op.responses['412'], `${op.operationId}: 412 declared`)
      t.ok(op.responses['428'], `${op.operationId}: 428 declared`)
    }
  }
  t.ok(seen > 20, `${seen} conditional operations checked`)
})

t.test('HEAD carries the ETag of its GET and answers 304 to a matching If-None-Match', async (t) => {
  const document = await app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: as.officer08,
    payload: resolution,
  })
  // A tag computed from the representation (a province) and one that is the record's version.
  for (const [path, headers] of [
    ['/v1/provinces/01', {}],
    [document.headers.location as string, as.officer08],
  ] as const) {
    const get = await app.inject({ url: path, headers })
    t.equal(get.statusCode, 200)
    t.ok(get.headers.etag, `${path}: GET has an ETag`)
    const head = await app.inject({ method: 'HEAD', url: path, headers })
    t.equal(head.statusCode, 200)
    t.equal(head.headers.etag, get.headers.etag, `${path}: HEAD has the same ETag`)
    const again = await app.inject({
      method: 'HEAD',
      url: path,
      headers: { ...headers, 'if-none-match': String(get.headers.etag) },
    })
    t.equal(again.statusCode, 304, `${path}: HEAD with a matching If-None-Match is 304`)
  }
})
