// Request ids and the one log line per request. The id comes from X-Request-Id when it is sane
// (so a call can be traced across systems), else a new UUID, and is echoed on every response.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
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
    // The request line holds only the fields below, none of them a secret or personal data, so it
    // skips the redaction that every other line pays for (two thirds of the line's cost). Its own
    // bindings are the request's: the id and, once authenticated, the subject.
    const lines = app.log.child({}, { redact: [] })
    app.addHook('onResponse', (request, reply, done) => {
      // The path only: a query string may carry personal data or a misplaced token.
      lines.info(
        {
          reqId: request.id,
          sub: callerOf(request)?.sub,
          method: request.method,
          path: request.url.split('?')[0],
          route: request.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      )
      done()
    })
  },
  { name: 'request-context' },
)
