// The server only listens and shuts down. On SIGTERM/SIGINT it stops accepting connections and
// lets in-flight requests finish for SHUTDOWN_GRACE; then it closes the connections still open
// and ends the database connections they hold, so their transactions roll back, and exits 0.
import { buildApp } from './app.ts'
import { loadConfigOrExit } from './config.ts'
import { flushLog } from './logger.ts'
import { unsupportedNode } from './runtime.ts'

const unsupported = unsupportedNode()
if (unsupported) {
  console.error(unsupported)
  process.exit(1)
}

const config = loadConfigOrExit(1)

/** After the grace, what is left gets this long to unwind before the process gives up on it. */
const UNWIND_MS = 10_000

// Each route's schemas are compiled on its first request: a restart is ready seconds sooner.
const app = await buildApp({ config, compileOnFirstUse: true })
const compiling = performance.now()
await app.ready()
app.log.info({ ms: Math.round(performance.now() - compiling) }, 'routes ready')
// A write past the file-size limit (RLIMIT_FSIZE) is to fail with EFBIG, which an upload answers
// with 503 (src/lib/spool.ts). Node ignores SIGXFSZ, but a preloaded module that catches signals
// and raises them again once its own handlers ran (signal-exit: tap's, some agents') would let it
// kill the server; a listener of our own keeps it a no-op.
process.on('SIGXFSZ', () => {})
let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (closing) return
    closing = true
    app.log.info({ signal, grace_ms: config.shutdownGraceMs }, 'shutting down')
    // The log goes out in blocks (src/logger.ts): these lines are wanted at once.
    flushLog(app.log)
    const grace = setTimeout(() => {
      app.log.warn('shutdown grace over: aborting the requests still running')
      app.server.closeAllConnections()
      app.database.abort()
      app.replica?.abort()
    }, config.shutdownGraceMs)
    const unwind = setTimeout(() => {
      app.log.error('shutdown did not finish; exiting')
      process.exit(1)
    }, config.shutdownGraceMs + UNWIND_MS)
    await app.close()
    clearTimeout(grace)
    clearTimeout(unwind)
    app.log.info('shut down')
    process.exit(0)
  })
}

try {
  const address = await app.listen({ host: config.host, port: config.port })
  app.log.info(
    {
      address,
      docs: `${address}/docs`,
      database: app.database.kind,
      location: app.database.location,
      // Since the process started (module loading included).
      ms: Math.round(performance.now()),
    },
    `listening on ${address}; docs at ${address}/docs; database ${app.database.kind} (${app.database.location})`,
  )
  flushLog(app.log)
} catch (error) {
  app.log.fatal({ err: error }, 'failed to start')
  process.exit(1)
}
