// Rate limiting: per verified subject, per IP address when anonymous; 429 problem with Retry-After.
import { SignJWT } from 'jose'
import t from 'tap'
import { DEVELOPMENT_JWT_SECRET } from '../src/config.ts'
import { buildTestApp } from './helpers/app.ts'
import { startRedis } from './helpers/redis.ts'

const MAX = 3

const token = (sub: string) =>
  new SignJWT({ role: 'province', province: '08', scope: 'read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer('khuyen-cong-dev')
    .setAudience('khuyen-cong-api')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET))

t.test('N requests per window per subject, then 429 with Retry-After', async (t) => {
  const { app, logs } = await buildTestApp(t, { rateLimit: { max: MAX, windowMs: 60_000 } })
  const alice = { authorization: `Bearer ${await token('alice')}` }
  const bob = { authorization: `Bearer ${await token('bob')}` }
  // Alice from changing addresses: one subject, one budget.
  for (let i = 0; i < MAX; i++) {
    const res = await app.inject({ url: '/v1/me', headers: alice, remoteAddress: `10.0.0.${i + 1}` })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['x-ratelimit-remaining'], String(MAX - i - 1))
  }
  const over = await app.inject({ url: '/v1/me', headers: { ...alice, 'x-request-id': 'over' } })
  t.equal(over.statusCode, 429)
  t.equal(over.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(over.json(), { type: '/problems/too_many_requests', code: 'too_many_requests', status: 429 })
  const retryAfter = Number(over.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`)
  t.match(
    logs().find((l) => l.reqId === 'over' && l.msg === 'rate limit exceeded'),
    { sub: 'alice', by: 'sub' },
  )

  // Bob, from the same address as Alice's first requests, is still served.
  const other = await app.inject({ url: '/v1/me', headers: bob, remoteAddress: '10.0.0.1' })
  t.equal(other.statusCode, 200)
  t.equal(other.json().sub, 'bob')
})

t.test('anonymous requests are limited per IP address', async (t) => {
  const { app } = await buildTestApp(t, { rateLimit: { max: MAX, windowMs: 60_000 } })
  for (let i = 0; i < MAX; i++) {
    t.equal((await app.inject({ url: '/v1/provinces/08', remoteAddress: '192.0.2.1' })).statusCode, 200)
  }
  const over = await app.inject({ url: '/v1/provinces/08', remoteAddress: '192.0.2.1' })
  t.equal(over.statusCode, 429)
  t.ok(Number(over.headers['retry-after']) >= 1)
  t.equal((await app.inject({ url: '/v1/provinces/08', remoteAddress: '192.0.2.2' })).statusCode, 200)
  // An authenticated caller on that same address has a budget of its own.
  const headers = { authorization: `Bearer ${await token('carol')}` }
  t.equal((await app.inject({ url: '/v1/me', headers, remoteAddress: '192.0.2.1' })).statusCode, 200)
})

t.test('RATE_LIMIT_MAX=0 turns the limit off', async (t) => {
  const { app } = await buildTestApp(t, { rateLimit: { max: 0, windowMs: 60_000 } })
  for (let i = 0; i < 20; i++) {
    const res = await app.inject('/healthz')
    t.equal(res.statusCode, 200)
    t.equal(res.headers['x-ratelimit-limit'], undefined)
  }
  const doc = (await app.inject('/openapi.json')).json()
  t.notOk(doc.paths['/v1/me'].get.responses['429'], 'and the contract says no 429')
})

t.test(
  'with REDIS_URL, instances share one budget; Redis hung or gone, requests pass and are counted',
  async (t) => {
    const redis = await startRedis(t)
    const limit = { rateLimit: { max: MAX, windowMs: 60_000, redisUrl: redis.url } }
    const one = await buildTestApp(t, limit)
    const two = await buildTestApp(t, limit)
    const dave = { authorization: `Bearer ${await token('dave')}` }
    // 2 × MAX requests spread over two instances: MAX accepted, as if there were one.
    const statuses: number[] = []
    for (let i = 0; i < 2 * MAX; i++) {
      const app = (i % 2 ? two : one).app
      statuses.push((await app.inject({ url: '/v1/me', headers: dave })).statusCode)
    }
    t.same(statuses, [200, 200, 200, 429, 429, 429])

    // Hung (connections open, no answer): each request waits at most the command timeout.
    redis.pause()
    const frank = { authorization: `Bearer ${await token('frank')}` }
    const hungSince = performance.now()
    for (let i = 0; i < 2 * MAX; i++) {
      t.equal((await one.app.inject({ url: '/v1/me', headers: frank })).statusCode, 200, 'Redis hung: served')
    }
    const perRequest = (performance.now() - hungSince) / (2 * MAX)
    t.ok(perRequest < 1_000, `each request waited ${Math.round(perRequest)} ms, not for ever`)
    redis.resume()

    await redis.kill()
    const erin = { authorization: `Bearer ${await token('erin')}` }
    for (let i = 0; i < 2 * MAX; i++) {
      const res = await one.app.inject({ url: '/v1/me', headers: erin })
      t.equal(res.statusCode, 200, 'Redis down: served, not refused')
    }
    t.match(
      one.logs().find((l) => l.level === 40 && /rate limit store unreachable/.test(String(l.msg))),
      { redis: new URL(redis.url).host },
      'a warning names the store (once)',
    )
    const metrics = (await one.app.inject('/metrics')).body
    const skipped = Number(/^rate_limit_store_errors_total (\d+)$/m.exec(metrics)?.[1])
    t.equal(skipped, 4 * MAX + 1, 'each unlimited request counted in the metric (hung, down, /metrics too)')

    // Back: counting again, from a fresh store.
    await redis.start()
    const back = async () => (await one.app.inject({ url: '/v1/me', headers: erin })).headers
    let headers = await back()
    for (let i = 0; i < 50 && headers['x-ratelimit-remaining'] !== String(MAX - 1); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      headers = await back()
    }
    t.equal(headers['x-ratelimit-remaining'], String(MAX - 1), 'counted again once Redis is back')
  },
)

t.test('with REDIS_URL, the first requests after a start count against the shared budget', async (t) => {
  const redis = await startRedis(t)
  // Redis slow to answer while the instance starts: its connection is not ready when the app is
  // built unless the start waits for it.
  redis.pause()
  const resume = setTimeout(() => redis.resume(), 300)
  t.teardown(() => clearTimeout(resume))
  const { app } = await buildTestApp(t, { rateLimit: { max: MAX, windowMs: 60_000, redisUrl: redis.url } })
  const grace = { authorization: `Bearer ${await token('grace')}` }
  const statuses: number[] = []
  for (let i = 0; i < MAX + 1; i++)
    statuses.push((await app.inject({ url: '/v1/me', headers: grace })).statusCode)
  t.same(statuses, [200, 200, 200, 429])
  const metrics = (await app.inject('/metrics')).body
  t.equal(
    Number(/^rate_limit_store_errors_total (\d+)$/m.exec(metrics)?.[1]),
    0,
    'no request passed unlimited',
  )
})
