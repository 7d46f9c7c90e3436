// Request ids and the one log line per request. The id comes from X-Request-Id when it is sane
// (so a call can be traced across systems), else a new UUID, and is echoed on every response.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
import { requestLineWriter } from '../logger.ts'
import { callerOf } from './auth.ts'

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/

export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID()
}

export default fp(
  async (app) => {
    // Hooks that do not wait take Fastify's callback form: no promise and no microtask per request.
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id)
      done()
    })
    // The request line holds only the fields below, none of them a secret or personal data: it is
    // written without pino's walk over a line's fields (see requestLineWriter).
    const line = requestLineWriter(app.log)
    app.addHook('onResponse', (request, reply, done) => {
      const { url } = request
      const query = url.indexOf('?')
      line({
        reqId: request.id,
        sub: callerOf(request)?.sub,
        method: request.method,
        // The path only: a query string may carry personal data or a misplaced token.
        path: query === -1 ? url : url.slice(0, query),
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      })
      done()
    })
  },
  { name: 'request-context' },
)
