// How connections end. Timeouts cut clients that are slow to send (REQUEST_TIMEOUT for the whole
// request, IDLE_TIMEOUT for a silent socket, KEEP_ALIVE_TIMEOUT between requests, set on the
// server in app.ts), never an answer being computed or streamed: once the handler runs the socket
// has no idle limit, and Node restores the keep-alive one after the response. While the service
// shuts down, requests that still arrive on open connections get a 503 problem and the connection
// closes.
import fp from 'fastify-plugin'
import { problem } from '../lib/problems.ts'
import { sendProblem } from './errors.ts'

export default fp(
  async (app) => {
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    app.addHook('onRequest', (request, reply, done) => {
      if (!closing) return done()
      reply.header('connection', 'close')
      // Answered here: the request goes no further (done() is not called).
      sendProblem(
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
    app.addHook('preHandler', (request, _reply, done) => {
      request.raw.socket?.setTimeout?.(0)
      done()
    })
  },
  { name: 'connections', dependencies: ['errors'] },
)
