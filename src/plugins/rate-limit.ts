// Rate limiting (@fastify/rate-limit): RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW for each
// authenticated subject (its verified `sub`, per issuer), for each IP address when anonymous (public
// routes). Its hook is a route-level onRequest hook, which Fastify runs after the application-level
// one of plugins/auth.ts, so the subject is known when the key is computed. Over the limit: a 429
// problem with Retry-After. The counters live in this process, or in Redis with REDIS_URL, where
// every instance counts against the same budget (README, Authentication).
import { createRequire } from 'node:module'
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import { problem } from '../lib/problems.ts'
import { callerOf } from './auth.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Requests let through unlimited because the shared store did not answer (plugins/metrics.ts). */
    rateLimitStoreErrors: { count: number }
  }
}

const CONNECT_TIMEOUT_MS = 1_000

/**
 * A Redis connection that fails fast: a command while Redis is down fails at once (no offline
 * queue, no retries) instead of holding the request, and one that gets no answer within half a
 * second fails too. ioredis keeps reconnecting in the background. `failed` counts a request served
 * unlimited; the log says when Redis goes and when it comes back, not at every request or attempt.
 * ioredis is loaded only then: a tenth of a second of every start without Redis.
 */
async function sharedStore(url: string, log: FastifyBaseLogger, errors: { count: number }) {
  const { Redis } = await import('ioredis')
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: 500,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  })
  const where = new URL(url).host
  let down = false
  const unreachable = (error: Error) => {
    if (down) return
    down = true
    log.warn(
      { redis: where, reason: error.message },
      'rate limit store unreachable: requests pass unlimited until it is back',
    )
  }
  redis.on('error', unreachable)
  redis.on('ready', () => {
    if (down) log.info({ redis: where }, 'rate limit store reachable again')
    down = false
  })
  const failed = (error: Error) => {
    errors.count++
    unreachable(error)
  }
  // The first requests count against the shared budget too: a command sent while the connection
  // is still being made fails at once (no offline queue), and its request would pass unlimited. So
  // the start waits until Redis is ready — or has failed once, or the connect timeout has passed:
  // a store that is not there does not stop the service.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CONNECT_TIMEOUT_MS)
    const settle = () => {
      clearTimeout(timer)
      redis.off('ready', settle)
      redis.off('error', settle)
      resolve()
    }
    redis.once('ready', settle)
    redis.once('error', settle)
  })
  return { redis, failed }
}

// The plugin's own Redis store (its Lua script counts and expires in one step); not exported by name.
const RedisStore = createRequire(import.meta.url)('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  nameSpace: string,
) => FastifyRateLimitStore

/** A store that counts each count it could not make (the plugin then skips the limit). */
class CountingStore implements FastifyRateLimitStore {
  readonly store: FastifyRateLimitStore
  readonly onError: (error: Error) => void
  constructor(store: FastifyRateLimitStore, onError: (error: Error) => void) {
    this.store = store
    this.onError = onError
  }
  incr(...[key, callback, timeWindow, max]: Parameters<FastifyRateLimitStore['incr']>) {
    const counted: typeof callback = (error, result) => {
      if (error) this.onError(error)
      callback(error, result)
    }
    this.store.incr(key, counted, timeWindow, max)
  }
  child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]) {
    return new CountingStore(this.store.child(routeOptions), this.onError)
  }
}

/** The store class the plugin takes (it makes its store with `new`): Redis's, counting its failures. */
function storeIn({ redis, failed }: Awaited<ReturnType<typeof sharedStore>>) {
  const store = new RedisStore(false, false, redis, 'kc-rate-limit:')
  return class extends CountingStore {
    constructor() {
      super(store, failed)
    }
  }
}

export default fp(
  async (app) => {
    const errors = { count: 0 }
    app.decorate('rateLimitStoreErrors', errors)
    const { max, windowMs, redisUrl } = app.config.rateLimit
    if (max === 0) return
    const shared = redisUrl ? await sharedStore(redisUrl, app.log, errors) : undefined
    if (shared) app.addHook('onClose', () => shared.redis.quit().catch(() => shared.redis.disconnect()))
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: windowMs,
      hook: 'onRequest',
      ...(shared ? { store: storeIn(shared) } : {}),
      // The limit protects the service; an unreachable store must not stop it: the request is
      // served unlimited, counted in rate_limit_store_errors_total.
      skipOnError: true,
      keyGenerator: (request) => {
        const caller = callerOf(request)
        return caller ? `sub ${caller.issuer} ${caller.sub}` : `ip ${request.ip}`
      },
      onExceeded: (request, key) =>
        request.log.warn({ limit: max, window_ms: windowMs, by: key.split(' ')[0] }, 'rate limit exceeded'),
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000))
        return problem(
          'too_many_requests',
          {
            vi: `Quá ${context.max} yêu cầu trong ${windowMs / 1000} giây; hãy thử lại sau ${seconds} giây.`,
            en: `More than ${context.max} requests in ${windowMs / 1000} s; retry in ${seconds} s.`,
          },
          {},
          { 'retry-after': String(seconds) },
        )
      },
    })
  },
  { name: 'rate-limit', dependencies: ['auth'] },
)
