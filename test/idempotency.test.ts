// Idempotency-Key belongs to a caller — issuer, subject, role and province — through HTTP on a real
// database: the same subject in two provinces, or from two issuers, never replays the other's
// record (issue 12, item 1).
import { SignJWT } from 'jose'
import { sql } from 'kysely'
import t from 'tap'
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config.ts'
import { buildTestApp } from './helpers/app.ts'
import { token } from './helpers/tokens.ts'

const OTHER_ISSUER = 'other-sso'
const OTHER_SECRET = 'another-secret-of-at-least-thirty-two-characters'
const { jwt } = loadConfig({
  NODE_ENV: 'test',
  JWT_SECRET: DEVELOPMENT_JWT_SECRET,
  JWT_ISSUERS: JSON.stringify([{ issuer: OTHER_ISSUER, secret: OTHER_SECRET }]),
})
const { app, database } = await buildTestApp(t, { jwt })

const bearer = (value: string) => ({ authorization: `Bearer ${value}` })
// Two provinces' tokens with the same subject (the token tool's --sub).
const SUB = 'dev-province'
const in08 = bearer(await token({ role: 'province', province: '08', sub: SUB }))
const in01 = bearer(await token({ role: 'province', province: '01', sub: SUB }))
const otherIssuer08 = bearer(
  await new SignJWT({ role: 'province', province: '08', scope: 'read write' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(SUB)
    .setIssuer(OTHER_ISSUER)
    .setAudience('khuyen-cong-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(OTHER_SECRET)),
)

const document = {
  number: '7/QĐ-UBND',
  kind: 'decision',
  issuer: 'Ủy ban nhân dân tỉnh',
  title: 'Phê duyệt kế hoạch khuyến công',
  signed_date: '2025-03-01',
  subject: 'support_levels',
}
const create = (headers: Record<string, string>, payload: object = document) =>
  app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: { ...headers, 'idempotency-key': 'same-key' },
    payload,
  })

t.test('the same subject, key and body in two provinces: each gets its own create', async (t) => {
  const first = await create(in08)
  t.equal(first.statusCode, 201)
  t.equal(first.json().province_code, '08')

  const other = await create(in01)
  t.equal(other.statusCode, 201)
  t.not(other.headers['idempotent-replayed'], 'true', 'not a replay of province 08')
  t.equal(other.json().province_code, '01')
  t.not(other.json().id, first.json().id)
  const read = await app.inject({ url: other.headers.location as string, headers: in01 })
  t.equal(read.statusCode, 200, 'province 01 can read what it created')

  const retry = await create(in08)
  t.equal(retry.headers['idempotent-replayed'], 'true', 'a retry in 08 still replays')
  t.equal(retry.json().id, first.json().id)
  const retry01 = await create(in01)
  t.equal(retry01.headers['idempotent-replayed'], 'true')
  t.equal(retry01.json().id, other.json().id)
})

t.test('the same subject of another issuer has keys of its own', async (t) => {
  // Another number (one province cannot hold the same twice): keyed by subject alone, this was
  // "the key was used with a different request" (422).
  const res = await create(otherIssuer08, { ...document, number: '8/QĐ-UBND' })
  t.equal(res.statusCode, 201)
  t.not(res.headers['idempotent-replayed'], 'true')
  const retry = await create(otherIssuer08, { ...document, number: '8/QĐ-UBND' })
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.equal(retry.json().id, res.json().id)
  const list = await app.inject({ url: '/v1/legal-documents?kind=decision', headers: in08 })
  t.equal(
    list.json().items.filter((d: { number: string }) => d.number.endsWith('/QĐ-UBND')).length,
    2,
    'two creates in 08: one per issuer',
  )
})

t.test('a column added while the service runs (a rolling upgrade) does not break a replay', async (t) => {
  // The replay reads the whole stored key; a statement prepared before the column came would now
  // return another row type, which PostgreSQL refuses to run (0A000).
  t.equal((await create(in08)).headers['idempotent-replayed'], 'true')
  await sql`alter table idempotency_keys add column added_by_next_release text`.execute(database.db)
  const after = await create(in08)
  t.equal(after.statusCode, 201)
  t.equal(after.headers['idempotent-replayed'], 'true')
})

t.test(
  'a retry with the same fields in another order is the same request; another body is not',
  async (t) => {
    const headers = { ...in08, 'idempotency-key': 'key-order' }
    const post = (payload: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/legal-documents',
        headers: { ...headers, 'content-type': 'application/json' },
        payload,
      })
    const first = await post(JSON.stringify({ ...document, number: '208/QĐ-UBND' }))
    t.equal(first.statusCode, 201)
    const reordered = Object.fromEntries(Object.entries({ ...document, number: '208/QĐ-UBND' }).reverse())
    const retry = await post(JSON.stringify(reordered))
    t.equal(retry.statusCode, 201, retry.body.slice(0, 200))
    t.equal(retry.headers['idempotent-replayed'], 'true')
    t.equal(retry.json().id, first.json().id)
    const other = await post(JSON.stringify({ ...document, number: '209/QĐ-UBND' }))
    t.equal(other.statusCode, 422, 'another body under the same key')
  },
)
