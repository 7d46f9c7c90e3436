// Authentication through HTTP, with real tokens signed by jose: the development HS256 secret, ES256
// and RS256 public keys (PEM, JWK Set file, JWK Set URL), several issuers at once. Every attack is
// tried for real and must end in a 401 problem with WWW-Authenticate, its reason in the log and
// never the token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import {
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWTPayload,
  type KeyObject,
  SignJWT,
} from 'jose'
import t, { type Test } from 'tap'
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

const DEV_ISSUER = 'khuyen-cong-dev'
const AUDIENCE = 'khuyen-cong-api'
const SECRET = new TextEncoder().encode(DEVELOPMENT_JWT_SECRET)
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = () => Math.floor(Date.now() / 1000)

type Key = CryptoKey | KeyObject | Uint8Array
interface SignOptions {
  alg?: string
  key?: Key
  kid?: string
  iss?: string | null
  aud?: string | null
  sub?: string | null
  exp?: number | null
  nbf?: number
}

/** A token with the usual claims; each can be changed or (null) left out. */
async function sign(claims: JWTPayload = {}, opts: SignOptions = {}): Promise<string> {
  const payload: Record<string, unknown> = {
    sub: opts.sub === undefined ? 'user-1' : opts.sub,
    iss: opts.iss === undefined ? DEV_ISSUER : opts.iss,
    aud: opts.aud === undefined ? AUDIENCE : opts.aud,
    iat: now(),
    exp: opts.exp === undefined ? now() + 600 : opts.exp,
    role: 'province',
    province: '08',
    scope: 'read write',
    ...(opts.nbf === undefined ? {} : { nbf: opts.nbf }),
    ...claims,
  }
  for (const [k, v] of Object.entries(payload)) if (v === null) delete payload[k]
  const alg = opts.alg ?? 'HS256'
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg, typ: 'JWT', ...(opts.kid ? { kid: opts.kid } : {}) })
    .sign(opts.key ?? SECRET)
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

let seq = 0
/** GET with a request id of its own, so that the log lines of this one request can be found. */
async function call(app: FastifyInstance, url: string, headers: Record<string, string> = {}, method = 'GET') {
  const id = `auth-${++seq}`
  const res = await app.inject({ method: method as 'GET', url, headers: { ...headers, 'x-request-id': id } })
  return { res, id }
}

function isProblem(t: Test, res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { type: `/problems/${(res.json() as { code: string }).code}`, status: res.statusCode })
}

/** 401, invalid_token, the reason logged under the request id, the token nowhere in the log. */
async function refused(t: Test, ctx: TestApp, token: string, reason: string, url = '/v1/me') {
  const { res, id } = await call(ctx.app, url, bearer(token))
  t.equal(res.statusCode, 401, `${reason}: 401`)
  isProblem(t, res)
  t.equal(res.json().code, 'unauthorized')
  t.match(
    res.headers['www-authenticate'],
    /^Bearer realm="khuyen-cong", error="invalid_token", error_description="[^"\\]+"$/,
  )
  const line = ctx.logs().find((l) => l.reqId === id && l.msg === 'token refused')
  t.match(line, { reason }, `the log says ${reason}`)
  const signature = token.split('.')[2] ?? ''
  t.notOk(ctx.logText().includes(token), 'the token is not logged')
  if (signature.length > 10) t.notOk(ctx.logText().includes(signature), 'nor its signature')
  const payload = token.split('.')[1] ?? ''
  if (payload.length > 10) t.notOk(res.body.includes(payload), 'nor echoed in the response')
  return res
}

// Every top-level await comes before the first subtest: tap ends the file once its subtests are done.
const dir = mkdtempSync(path.join(tmpdir(), 'kc-auth-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const es = await generateKeyPair('ES256', { extractable: true })
const esPem = await exportSPKI(es.publicKey)
const rs = await generateKeyPair('RS256', { extractable: true })
const rsPem = await exportSPKI(rs.publicKey)
const ed = await generateKeyPair('EdDSA', { extractable: true })

const dev = await buildTestApp(t, {}, (app) => {
  app.post('/test/write', { config: { access: 'write' } }, async (request) => ({ sub: request.user.sub }))
  app.get('/test/default', async (request) => ({ sub: request.user.sub }))
  app.get('/test/public-user', { config: { access: 'public' } }, async (request) => ({
    sub: request.user.sub,
  }))
})

t.test('a valid development token passes', async (t) => {
  const { res } = await call(dev.app, '/v1/me', bearer(await sign()))
  t.equal(res.statusCode, 200)
  t.match(res.json(), { sub: 'user-1', role: 'province', province: '08', scopes: ['read', 'write'] })
  const lower = await call(dev.app, '/v1/me', { authorization: `bearer ${await sign()}` })
  t.equal(lower.res.statusCode, 200, 'the scheme is case-insensitive')
  const skew = await sign({}, { exp: now() - 10 })
  t.equal((await call(dev.app, '/v1/me', bearer(skew))).res.statusCode, 200, '30 s of clock tolerance')
})

t.test('a token verified once is taken again only until its exp (with the skew)', async (t) => {
  // Valid for about two more seconds: 28 s past exp, within the 30 s tolerance.
  const token = await sign({ sub: 'cached' }, { exp: now() - 28 })
  for (const time of ['first', 'again']) {
    t.equal((await call(dev.app, '/v1/me', bearer(token))).res.statusCode, 200, `${time}: 200`)
  }
  await new Promise((resolve) => setTimeout(resolve, 3_000))
  await refused(t, dev, token, 'expired')
  // A token that differs by one character of its signature is another token: verified, refused.
  const [head, body, signature = ''] = (await sign({ sub: 'cached-2' })).split('.')
  t.equal((await call(dev.app, '/v1/me', bearer(`${head}.${body}.${signature}`))).res.statusCode, 200)
  const forged = `${head}.${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`
  await refused(t, dev, forged, 'bad_signature')
})

t.test('no token → 401 with a bare challenge', async (t) => {
  const { res, id } = await call(dev.app, '/v1/me')
  t.equal(res.statusCode, 401)
  isProblem(t, res)
  t.equal(res.headers['www-authenticate'], 'Bearer realm="khuyen-cong"')
  t.match(
    dev.logs().find((l) => l.reqId === id && l.msg === 'token refused'),
    { reason: 'missing' },
  )
  const basic = await call(dev.app, '/v1/me', { authorization: 'Basic dXNlcjpwYXNz' })
  t.equal(basic.res.statusCode, 401, 'another scheme is no token')
  t.equal(basic.res.headers['www-authenticate'], 'Bearer realm="khuyen-cong"')
  t.notOk(dev.logText().includes('dXNlcjpwYXNz'))
})

t.test('a route without `access` needs a token (secure by default)', async (t) => {
  t.equal((await call(dev.app, '/test/default')).res.statusCode, 401)
  const ok = await call(dev.app, '/test/default', bearer(await sign({ scope: 'read' })))
  t.same(ok.res.json(), { sub: 'user-1' })
})

t.test('public routes, the documentation and unmatched paths need no token', async (t) => {
  for (const url of [
    '/healthz',
    '/readyz',
    '/metrics',
    '/problems/not_found',
    '/v1/provinces',
    '/v1/provinces/08',
    '/v1/provinces/01/communes?limit=1',
    '/v1/communes?limit=1',
    '/v1/codelists',
    '/v1/codelists/activity_content',
    '/openapi.json',
    '/docs',
    '/docs/',
    '/docs/json',
  ]) {
    const { res } = await call(dev.app, url)
    t.ok(res.statusCode < 400, `${url} → ${res.statusCode}`)
  }
  t.equal((await dev.app.inject({ method: 'HEAD', url: '/v1/provinces' })).statusCode, 200, 'HEAD too')
  // A broken token on a public route is not even looked at.
  t.equal((await call(dev.app, '/v1/provinces', bearer('garbage'))).res.statusCode, 200)
  t.equal((await call(dev.app, '/v1/nothing-here')).res.statusCode, 404)
  t.equal((await call(dev.app, '/v1/me', {}, 'DELETE')).res.statusCode, 405)
})

t.test('request.user on a public route is a loud programming error, not a silent null', async (t) => {
  const { res } = await call(dev.app, '/test/public-user')
  t.equal(res.statusCode, 500)
})

t.test('attacks on the development issuer (HS256)', async (t) => {
  t.test('alg: none', async (t) => {
    const header = b64({ alg: 'none', typ: 'JWT' })
    const payload = b64({
      sub: 'mallory',
      iss: DEV_ISSUER,
      aud: AUDIENCE,
      exp: now() + 600,
      role: 'ministry',
      scope: 'read write',
    })
    await refused(t, dev, `${header}.${payload}.`, 'algorithm_not_allowed')
    // The same with a stray signature, and spelled otherwise.
    await refused(t, dev, `${b64({ alg: 'None' })}.${payload}.c2ln`, 'algorithm_not_allowed')
  })
  t.test('signed with another secret', async (t) => {
    const other = new TextEncoder().encode('another-secret-of-at-least-thirty-two-characters')
    await refused(t, dev, await sign({}, { key: other }), 'bad_signature')
  })
  t.test('signed with an asymmetric key the issuer does not use', async (t) => {
    const { privateKey } = await generateKeyPair('ES256')
    await refused(t, dev, await sign({}, { alg: 'ES256', key: privateKey }), 'algorithm_not_allowed')
  })
  t.test('expired', async (t) => {
    await refused(t, dev, await sign({}, { exp: now() - 120 }), 'expired')
  })
  t.test('not valid yet (nbf in the future)', async (t) => {
    await refused(t, dev, await sign({}, { nbf: now() + 300 }), 'not_yet_valid')
  })
  t.test('issued in the future (iat beyond the clock tolerance)', async (t) => {
    await refused(t, dev, await sign({ iat: now() + 300 }), 'issued_in_future')
    await refused(t, dev, await sign({ iat: now() + 10 * 365 * 86_400 }), 'issued_in_future')
    // Within the tolerance: a clock a little ahead is fine.
    const { res } = await call(dev.app, '/v1/me', bearer(await sign({ iat: now() + 20 })))
    t.equal(res.statusCode, 200)
  })
  t.test('wrong issuer', async (t) => {
    await refused(t, dev, await sign({}, { iss: 'somebody-else' }), 'unknown_issuer')
    await refused(t, dev, await sign({}, { iss: null }), 'unknown_issuer')
  })
  t.test('wrong audience', async (t) => {
    await refused(t, dev, await sign({}, { aud: 'another-api' }), 'wrong_audience')
    await refused(t, dev, await sign({}, { aud: null }), 'missing_claim')
  })
  t.test('no exp, no sub', async (t) => {
    await refused(t, dev, await sign({}, { exp: null }), 'missing_claim')
    await refused(t, dev, await sign({}, { sub: null }), 'missing_claim')
    await refused(t, dev, await sign({ sub: '' }), 'invalid_subject')
  })
  t.test('role province without a province', async (t) => {
    await refused(t, dev, await sign({ province: undefined }), 'missing_province')
  })
  t.test('an unknown province code', async (t) => {
    await refused(t, dev, await sign({ province: '99' }), 'unknown_province')
    await refused(t, dev, await sign({ province: 8 }), 'unknown_province')
  })
  t.test('an unknown role', async (t) => {
    await refused(t, dev, await sign({ role: 'admin' }), 'invalid_role')
    await refused(t, dev, await sign({ role: undefined }), 'invalid_role')
  })
  t.test('a scope that is not a string', async (t) => {
    await refused(t, dev, await sign({ scope: ['read', 'write'] }), 'invalid_scope')
  })
  t.test('a tampered payload (role changed to ministry, signature kept)', async (t) => {
    const [header, payload, signature] = (await sign({ scope: 'read' })).split('.')
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString())
    const forged = b64({ ...claims, role: 'ministry', province: undefined, scope: 'read write' })
    await refused(t, dev, `${header}.${forged}.${signature}`, 'bad_signature')
  })
  t.test('not a JWT', async (t) => {
    await refused(t, dev, 'not-a-jwt', 'malformed')
    await refused(t, dev, 'a.b.c', 'malformed')
    await refused(t, dev, `${b64({ alg: 'HS256' })}.${b64('a string')}.`, 'malformed')
  })
  t.test('a token in the query string only', async (t) => {
    const token = await sign()
    const { res, id } = await call(dev.app, `/v1/me?access_token=${token}`)
    t.equal(res.statusCode, 401)
    isProblem(t, res)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="khuyen-cong"')
    t.match(res.json().detail, /chuỗi truy vấn không được chấp nhận/)
    t.match(
      dev.logs().find((l) => l.reqId === id && l.msg === 'token refused'),
      { reason: 'missing' },
    )
    t.notOk(dev.logText().includes(token), 'the token is not logged')
    t.notOk(res.body.includes(token))
  })
  t.test('an oversized Authorization header is refused unread', async (t) => {
    const valid = await sign()
    await refused(t, dev, `${valid}${'A'.repeat(9000)}`, 'header_too_long')
  })
})

t.test('scopes: read-only tokens cannot write; tokens without read or write cannot read', async (t) => {
  const readOnly = await sign({ scope: 'read' })
  const { res, id } = await call(
    dev.app,
    '/test/write',
    { ...bearer(readOnly), 'content-type': 'application/json' },
    'POST',
  )
  t.equal(res.statusCode, 403)
  isProblem(t, res)
  t.equal(res.json().code, 'forbidden')
  t.equal(
    res.headers['www-authenticate'],
    'Bearer realm="khuyen-cong", error="insufficient_scope", error_description="This route needs the write scope", scope="write"',
  )
  t.match(
    dev.logs().find((l) => l.reqId === id && l.msg === 'request forbidden'),
    { reason: 'insufficient_scope', sub: 'user-1' },
  )

  const writer = await dev.app.inject({
    method: 'POST',
    url: '/test/write',
    headers: bearer(await sign()),
    payload: {},
  })
  t.equal(writer.statusCode, 200)

  const none = await call(dev.app, '/v1/me', bearer(await sign({ scope: undefined })))
  t.equal(none.res.statusCode, 403, 'no scope at all')
  t.match(none.res.headers['www-authenticate'], /error="insufficient_scope".*scope="read"/)
  const other = await call(dev.app, '/v1/me', bearer(await sign({ scope: 'profile email' })))
  t.equal(other.res.statusCode, 403, 'unrelated scopes')
  const writeOnly = await call(dev.app, '/v1/me', bearer(await sign({ scope: 'write' })))
  t.equal(writeOnly.res.statusCode, 200, 'write implies read')
})

t.test('authentication runs before the body is parsed', async (t) => {
  const res = await dev.app.inject({
    method: 'POST',
    url: '/test/write',
    headers: { 'content-type': 'application/json' },
    body: '{"broken": ',
  })
  t.equal(res.statusCode, 401, 'no 400 for a body nobody authenticated')
})

t.test('the contract: bearerAuth on protected operations, none on public ones', async (t) => {
  const doc = (await dev.app.inject('/openapi.json')).json()
  t.match(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
  const me = doc.paths['/v1/me'].get
  t.same(me.security, [{ bearerAuth: [] }])
  t.ok(me.responses['401'] && me.responses['403'])
  t.same(doc.paths['/v1/provinces'].get.security, [])
  t.same(doc.paths['/healthz'].get.security, [])
})

// ---------------------------------------------------------------------------------------------
// Asymmetric keys.

const jwtFrom = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).jwt

t.test('ES256 public key (JWT_PUBLIC_KEY)', async (t) => {
  const pemFile = path.join(dir, 'es.pem')
  writeFileSync(pemFile, esPem)
  const ctx = await buildTestApp(t, { jwt: jwtFrom({ JWT_PUBLIC_KEY: pemFile }) })
  const ok = await call(ctx.app, '/v1/me', bearer(await sign({}, { alg: 'ES256', key: es.privateKey })))
  t.equal(ok.res.statusCode, 200)

  // Key confusion: HS256 with the public key's PEM text as the HMAC secret.
  const confused = await sign(
    { role: 'ministry', province: undefined },
    { key: new TextEncoder().encode(esPem) },
  )
  await refused(t, ctx, confused, 'algorithm_not_allowed')
  // The development secret is not accepted once a key is configured.
  await refused(t, ctx, await sign(), 'algorithm_not_allowed')
  const wrong = await generateKeyPair('ES256')
  await refused(t, ctx, await sign({}, { alg: 'ES256', key: wrong.privateKey }), 'bad_signature')
  await refused(t, ctx, await sign({}, { alg: 'RS256', key: rs.privateKey }), 'algorithm_not_allowed')
})

t.test('RS256 and EdDSA keys in a JWK Set file (JWT_JWKS_FILE)', async (t) => {
  const jwksFile = path.join(dir, 'jwks.json')
  const keys = [
    { ...(await exportJWK(rs.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ed.publicKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
  ]
  writeFileSync(jwksFile, JSON.stringify({ keys }))
  const ctx = await buildTestApp(t, { jwt: jwtFrom({ JWT_JWKS_FILE: jwksFile }) })
  const rsToken = await sign(
    { role: 'ministry', province: undefined },
    { alg: 'RS256', key: rs.privateKey, kid: 'rs-1' },
  )
  t.match((await call(ctx.app, '/v1/me', bearer(rsToken))).res.json(), { role: 'ministry', province: null })
  const edToken = await sign({}, { alg: 'EdDSA', key: ed.privateKey, kid: 'ed-1' })
  t.equal((await call(ctx.app, '/v1/me', bearer(edToken))).res.statusCode, 200)

  await refused(
    t,
    ctx,
    await sign({}, { key: new TextEncoder().encode(rsPem), kid: 'rs-1' }),
    'algorithm_not_allowed',
  )
  const stranger = await generateKeyPair('RS256')
  await refused(
    t,
    ctx,
    await sign({}, { alg: 'RS256', key: stranger.privateKey, kid: 'rs-1' }),
    'bad_signature',
  )
  await refused(
    t,
    ctx,
    await sign({}, { alg: 'RS256', key: stranger.privateKey, kid: 'rs-9' }),
    'unknown_key',
  )
})

t.test('a JWK Set served over HTTP (JWT_JWKS_URL), fetched once and cached', async (t) => {
  let fetches = 0
  const server = createServer((req, res) => {
    fetches++
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end()
      return
    }
    exportJWK(es.publicKey).then((jwk) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'es-1', alg: 'ES256' }] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const { port } = server.address() as AddressInfo
  const ctx = await buildTestApp(t, { jwt: jwtFrom({ JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` }) })
  for (let i = 0; i < 3; i++) {
    const token = await sign({ sub: `user-${i}` }, { alg: 'ES256', key: es.privateKey, kid: 'es-1' })
    t.equal((await call(ctx.app, '/v1/me', bearer(token))).res.statusCode, 200)
  }
  t.equal(fetches, 1, 'the JWK Set is cached')
  await refused(
    t,
    ctx,
    await sign({}, { key: new TextEncoder().encode(esPem), kid: 'es-1' }),
    'algorithm_not_allowed',
  )
  await refused(
    t,
    ctx,
    await sign({}, { alg: 'ES256', key: es.privateKey, kid: 'es-1', exp: now() - 60 }),
    'expired',
  )

  // An issuer whose keys cannot be fetched: our fault, not the caller's → 503.
  const down = await buildTestApp(t, {
    jwt: jwtFrom({ JWT_JWKS_URL: `http://127.0.0.1:${port}/missing.json` }),
  })
  const { res } = await call(
    down.app,
    '/v1/me',
    bearer(await sign({}, { alg: 'ES256', key: es.privateKey, kid: 'es-1' })),
  )
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'service_unavailable')
})

t.test('several issuers at once (JWT_ISSUERS), each with its own key and audience', async (t) => {
  const jwksFile = path.join(dir, 'dvc-jwks.json')
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(rs.publicKey)), kid: 'dvc-1' }] }))
  const issuers = [
    { issuer: 'sso.moit.gov.vn', audience: 'khuyen-cong-api', public_key: esPem },
    { issuer: 'dichvucong.gov.vn', audience: 'kc', jwks_file: jwksFile },
    { issuer: 'partner-hs', secret: 'a-partner-secret-of-at-least-32-chars!' },
  ]
  const ctx = await buildTestApp(t, {
    jwt: jwtFrom({ JWT_SECRET: DEVELOPMENT_JWT_SECRET, JWT_ISSUERS: JSON.stringify(issuers) }),
  })
  const partner = new TextEncoder().encode('a-partner-secret-of-at-least-32-chars!')
  const accepted = [
    await sign({ sub: 'a' }),
    await sign({ sub: 'b' }, { iss: 'sso.moit.gov.vn', alg: 'ES256', key: es.privateKey }),
    await sign(
      { sub: 'c' },
      { iss: 'dichvucong.gov.vn', aud: 'kc', alg: 'RS256', key: rs.privateKey, kid: 'dvc-1' },
    ),
    await sign({ sub: 'd' }, { iss: 'partner-hs', key: partner }),
  ]
  for (const token of accepted) t.equal((await call(ctx.app, '/v1/me', bearer(token))).res.statusCode, 200)

  // A token of one issuer signed with another issuer's key, or meant for another audience.
  await refused(t, ctx, await sign({}, { iss: 'sso.moit.gov.vn', key: SECRET }), 'algorithm_not_allowed')
  await refused(t, ctx, await sign({}, { iss: 'partner-hs' }), 'bad_signature')
  await refused(
    t,
    ctx,
    await sign({}, { iss: 'dichvucong.gov.vn', alg: 'ES256', key: es.privateKey }),
    'unknown_key',
  )
  await refused(
    t,
    ctx,
    await sign({}, { iss: 'dichvucong.gov.vn', alg: 'RS256', key: rs.privateKey, kid: 'dvc-1' }),
    'wrong_audience',
  )
  await refused(
    t,
    ctx,
    await sign({}, { iss: 'sso.moit.gov.vn', key: new TextEncoder().encode(esPem) }),
    'algorithm_not_allowed',
  )
})
