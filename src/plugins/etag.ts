// ETags on single-resource reads and 304 on a matching If-None-Match. A route opts in with
// `config: { etag: true }`; a route that knows its version sets the ETag itself, otherwise it is
// a hash of the representation.
import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import { entityTags } from '../lib/entity-tags.js'

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
    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.routeOptions.config.etag || reply.statusCode !== 200) return payload
      let etag = reply.getHeader('etag') as string | undefined
      if (!etag && typeof payload === 'string') {
        etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`
        reply.header('etag', etag)
      }
      if (etag && matchesAny(request.headers['if-none-match'], etag)) {
        reply.code(304)
        reply.removeHeader('content-type')
        reply.removeHeader('content-length')
        return ''
      }
      return payload
    })
  },
  { name: 'etag' },
)
