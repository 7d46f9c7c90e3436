// Rate limiting (@fastify/rate-limit): RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW for each
// authenticated subject (its verified `sub`, per issuer), for each IP address when anonymous (public
// routes). Its hook is a route-level onRequest hook, which Fastify runs after the application-level
// one of plugins/auth.ts, so the subject is known when the key is computed. Over the limit: a 429
// problem with Retry-After. The counters live in this process; README says how to share them.
import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import { problem } from '../lib/problems.js'
import { callerOf } from './auth.js'

export default fp(
  async (app) => {
    const { max, windowMs } = app.config.rateLimit
    if (max === 0) return
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: windowMs,
      hook: 'onRequest',
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
