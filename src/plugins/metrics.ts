// Prometheus metrics: request count and latency per route, database pool use, process health.
// One registry per app instance, so several apps in one process (tests) never collide.
import fp from 'fastify-plugin'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export default fp(
  async (app) => {
    const registry = new Registry()
    collectDefaultMetrics({ register: registry })
    const labelNames = ['method', 'route', 'status_code'] as const
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests',
      labelNames,
      registers: [registry],
    })
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    })
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const { pool } = app.database
        this.set({ state: 'total' }, pool.totalCount)
        this.set({ state: 'idle' }, pool.idleCount)
        this.set({ state: 'waiting' }, pool.waitingCount)
      },
    })

    new Counter({
      name: 'rate_limit_store_errors_total',
      help: 'Requests served without a rate limit because the shared store (Redis) did not answer',
      registers: [registry],
      collect() {
        this.reset()
        this.inc(app.rateLimitStoreErrors.count)
      },
    })

    // The series of each method, route and status, found once: prom-client hashes a label set on
    // every call otherwise.
    const series = new Map<
      string,
      {
        count: Counter.Internal
        time: Histogram.Internal<(typeof labelNames)[number]>
      }
    >()
    app.addHook('onResponse', (request, reply, done) => {
      // Unmatched paths share one label so that scanners cannot blow up the series count.
      const route = request.routeOptions.url ?? 'unmatched'
      const key = `${request.method} ${route} ${reply.statusCode}`
      let one = series.get(key)
      if (!one) {
        const labels = { method: request.method, route, status_code: reply.statusCode }
        one = { count: requests.labels(labels), time: duration.labels(labels) }
        series.set(key, one)
      }
      one.count.inc()
      one.time.observe(reply.elapsedTime / 1000)
      done()
    })

    app.get(
      '/metrics',
      {
        config: { access: 'public' },
        schema: {
          operationId: 'getMetrics',
          tags: ['operations'],
          summary: 'Prometheus metrics',
          description:
            'Chỉ số vận hành — request counts and latency per route, database pool use, process metrics.',
          security: [],
          response: {
            200: {
              description: 'Prometheus text exposition format 0.0.4',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    )
  },
  { name: 'metrics', dependencies: ['database', 'rate-limit'] },
)
