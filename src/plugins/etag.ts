// ETags on single-resource reads and 304 on a matching If-None-Match. A route opts in with
// `config: { etag: true }`; a route that knows its version sets the ETag itself, otherwise it is
// a hash of the representation.
import { createHash } from 'node:crypto'
import type { DoneFuncWithErrOrRes, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { entityTags } from '../lib/entity-tags.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    etag?: boolean
  }
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/ is ignored on both sides. */
export function matchesAny(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  const ours = etag.replace(/^W\//, '')
  return entityTags(header)?.some((t) => t.opaque === ours) ?? false
}

export default fp(
  async (app) => {
    // Only the routes that opt in pay for the hook: it is added to each of them as it is declared.
    function onSend(
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: DoneFuncWithErrOrRes,
    ) {
      if (reply.statusCode !== 200) return done(null, payload)
      let etag = reply.getHeader('etag') as string | undefined
      if (!etag && typeof payload === 'string') {
        etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`
        reply.header('etag', etag)
      }
      if (etag && matchesAny(request.headers['if-none-match'], etag)) {
        reply.code(304)
        reply.removeHeader('content-type')
        reply.removeHeader('content-length')
        return done(null, '')
      }
      done(null, payload)
    }
    // First among the route's own: a GET's HEAD route (which Fastify derives from it) has an onSend
    // of Fastify's that empties the body, and the tag is of the body.
    app.addHook('onRoute', (route) => {
      if (!route.config?.etag) return
      route.onSend = [onSend as onSendHookHandler, ...[route.onSend ?? []].flat()]
    })
  },
  { name: 'etag' },
)
