// How connections end. Timeouts cut clients that are slow to send (REQUEST_TIMEOUT for the whole
// request, IDLE_TIMEOUT for a silent socket, KEEP_ALIVE_TIMEOUT between requests, set on the
// server in app.ts), never an answer being computed or streamed: once the handler runs the socket
// has no idle limit, and Node restores the keep-alive one after the response. While the service
// shuts down, requests that still arrive on open connections get a 503 problem and the connection
// closes.
import fp from 'fastify-plugin'
import { problem } from '../lib/problems.js'
import { sendProblem } from './errors.js'

export default fp(
  async (app) => {
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    app.addHook('onRequest', async (request, reply) => {
      if (!closing) return
      reply.header('connection', 'close')
      return sendProblem(
        request,
        reply,
        problem(
          'service_unavailable',
          {
            vi: 'Máy chủ này đang tắt để khởi động lại; hãy thử lại trên một máy chủ khác.',
            en: 'The service is shutting down; retry on another instance.',
          },
          {},
          {
            'retry-after': '1',
          },
        ),
      )
    })
    app.addHook('preHandler', async (request) => {
      request.raw.socket?.setTimeout?.(0)
    })
  },
  { name: 'connections', dependencies: ['errors'] },
)
