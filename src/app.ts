// The application is a Fastify plugin. buildApp() creates the instance with the options a plugin
// cannot set (logger, request ids, validation) and registers it; the server and every test call
// it, so nothing differs between them but when the route schemas are compiled (compileOnFirstUse).
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from './config.ts'
import type { DatabaseHandle } from './db/connect.ts'
import { withNullableTypeLists } from './lib/serializer.ts'
import { createLogger, RequestLogger } from './logger.ts'
import auth from './plugins/auth.ts'
import connections from './plugins/connections.ts'
import database from './plugins/database.ts'
import errors, { clientError, frameworkError } from './plugins/errors.ts'
import etag from './plugins/etag.ts'
import imports from './plugins/imports.ts'
import inputGuard from './plugins/input-guard.ts'
import mediaTypes from './plugins/media-types.ts'
import metrics from './plugins/metrics.ts'
import normalizeText from './plugins/normalize-text.ts'
import openapi from './plugins/openapi.ts'
import preconditions from './plugins/preconditions.ts'
import rateLimit from './plugins/rate-limit.ts'
import requestContext, { requestId } from './plugins/request-context.ts'
import tenancy from './plugins/tenancy.ts'
import routes from './routes/index.ts'
import { computeFigures } from './routes/v1/periodic-reports/figures.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

// Query strings, path parameters and headers arrive as text: they are coerced to the schema's
// types. JSON bodies are not: coercion would quietly turn a null into "" or 0 (TypeBox unions are
// anyOf, and Ajv coerces inside the first branch), so a body must be exactly what it says.
const ajvPool = AjvCompiler()
const AJV = { allErrors: true, removeAdditional: false } as const
function buildValidator(externalSchemas: unknown, options: unknown) {
  const base = (options ?? {}) as { customOptions?: object }
  const build = (coerceTypes: 'array' | false) =>
    ajvPool(
      externalSchemas as never,
      { ...base, customOptions: { ...base.customOptions, ...AJV, coerceTypes } } as never,
    )
  const coercing = build('array')
  const exact = build(false)
  return (route: { httpPart?: string }) => (route.httpPart === 'body' ? exact : coercing)(route as never)
}

type Compiled = ((...args: unknown[]) => unknown) & Record<string, unknown>

/**
 * A compiled function made on its first call, with `properties` read through to it. Fastify
 * compiles a validator and a serializer for every schema of every route when the app starts,
 * over two seconds of this API's start-up; a test app answers a handful of routes, and a server's
 * first request to a route pays a few milliseconds instead, so both build theirs with
 * `compileOnFirstUse` (the functions are the very same, only made later; the tests call every
 * operation, so a schema that does not compile cannot reach a release).
 */
function onFirstUse(compile: () => Compiled, properties: readonly string[] = []): Compiled {
  let compiled: Compiled | undefined
  const get = () => {
    compiled ??= compile()
    return compiled
  }
  const call = ((...args: unknown[]) => get()(...args)) as Compiled
  for (const name of properties) Object.defineProperty(call, name, { get: () => get()[name] })
  return call
}

/**
 * A compilers factory whose compilers defer each compilation to the function's first call, and
 * the compiler itself (for Ajv, two instances loaded with the shared schemas) to the first of them.
 */
function deferred<F extends (...args: never[]) => (route: never) => unknown>(
  factory: F,
  properties?: string[],
) {
  return ((...args: Parameters<F>) => {
    let compile: ReturnType<F> | undefined
    return (route: never) =>
      onFirstUse(() => {
        compile ??= factory(...args) as ReturnType<F>
        return (compile as ReturnType<F>)(route) as Compiled
      }, properties)
  }) as unknown as F
}

// Fastify reads a validator's `errors` after a failed call, and its `schemaEnv` before (Ajv's
// validators take the parent object then, to coerce a root value).
const VALIDATOR_PROPERTIES = ['errors', 'schemaEnv']

export interface BuildOptions {
  config: Config
  /** A database the caller opened and will close (tests share one per file). */
  database?: DatabaseHandle
  /** A pino destination for the logs (tests capture them). */
  logStream?: NodeJS.WritableStream
  /** Compile each route's validators and serializers on first use instead of at start. */
  compileOnFirstUse?: boolean
}

export async function buildApp({
  config,
  database: db,
  logStream,
  compileOnFirstUse = false,
}: BuildOptions): Promise<FastifyInstance> {
  const buildSerializer = withNullableTypeLists(SerializerSelector())
  const compilersFactory = compileOnFirstUse
    ? {
        buildValidator: deferred(buildValidator, VALIDATOR_PROPERTIES),
        buildSerializer: deferred(buildSerializer),
      }
    : { buildValidator, buildSerializer }
  const app = Fastify({
    loggerInstance: createLogger(config, logStream) as FastifyBaseLogger,
    childLoggerFactory: (logger, bindings, options) =>
      new RequestLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger,
    // One log line per request, written by plugins/request-context.ts.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // plugins/connections.ts answers requests that arrive while closing with a problem.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // The database plugin migrates and, on a first start, loads the demo data: on a slow or busy
    // machine that takes longer than Fastify's default 10 s.
    pluginTimeout: 120_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    schemaController: { compilersFactory },
    // The router's own refusals (a path segment over 200 characters, a malformed percent-encoding)
    // are problems like every other.
    frameworkErrors: frameworkError,
    // So are the HTTP parser's (a malformed header, headers too large).
    clientErrorHandler: clientError,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  await app.register(errors)
  // Request ids first: the 503 of a shutdown carries one too.
  await app.register(requestContext)
  await app.register(connections)
  // The demo's periodic reports freeze their figures with the API's own function (it sits above the demo).
  await app.register(database, { database: db, demo: { figuresOf: computeFigures } })
  // Authentication before the rate limit, which keys on the verified subject; both before any route.
  await app.register(auth)
  await app.register(rateLimit)
  await app.register(tenancy)
  await app.register(mediaTypes)
  // Refuses what no column can hold before the text of a body is normalised.
  await app.register(inputGuard)
  await app.register(normalizeText)
  await app.register(preconditions)
  // Before any route, so that every route (metrics too) is in the contract.
  await app.register(openapi)
  await app.register(metrics)
  await app.register(etag)
  await app.register(imports)
  await app.register(routes)
  return app
}
