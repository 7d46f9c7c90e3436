// The server only listens and shuts down. On SIGTERM/SIGINT it stops accepting connections,
// lets in-flight requests finish, then closes the database pool (app.close() runs onClose hooks).
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { unsupportedNode } from './runtime.js'

const unsupported = unsupportedNode()
if (unsupported) {
  console.error(unsupported)
  process.exit(1)
}

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

const app = await buildApp({ config })
let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting')
      process.exit(1)
    }, 10_000)
    await app.close()
    clearTimeout(timer)
    process.exit(0)
  })
}

try {
  const address = await app.listen({ host: config.host, port: config.port })
  app.log.info(
    { address, docs: `${address}/docs`, database: app.database.kind, location: app.database.location },
    `listening on ${address}; docs at ${address}/docs; database ${app.database.kind} (${app.database.location})`,
  )
} catch (error) {
  app.log.fatal({ err: error }, 'failed to start')
  process.exit(1)
}
