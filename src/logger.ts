// pino, configured once: redaction paths for credentials and personal data are set here.
import pino from 'pino'
import type { Config } from './config.ts'

export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'phone',
  '*.phone',
  'email',
  '*.email',
]

/** What a driver's error says of where it failed (pg's DatabaseError): names, never values or SQL. */
const WHERE_FIELDS = ['code', 'constraint', 'table', 'column', 'routine'] as const

/**
 * An error as logged: its class, message (bounded) and, for a database error, the SQLSTATE and the
 * names of what failed. Not pino's default, which logs the stack and every property — a pg error's
 * `detail` holds the row's values, its `internalQuery` and `where` SQL — and neither goes to a log.
 * The request id ties the line to the request; the message and the names find the cause.
 */
export function errorFields(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error
  const fields: Record<string, unknown> = {
    type: error.constructor.name,
    message: error.message.slice(0, 500),
  }
  for (const key of WHERE_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[key]
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value
  }
  if (error.cause !== undefined && depth < 3) fields.cause = errorFields(error.cause, depth + 1)
  return fields
}

export function createLogger(config: Pick<Config, 'logLevel'>, stream?: NodeJS.WritableStream) {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: errorFields },
  }
  // Standard output written asynchronously and in blocks: lines are held until 4 KiB of them (or a
  // second) has gathered, then go out in one system call — one a request, each handed to a thread of
  // the pool and back, was a tenth of a small read's time. pino flushes what is left when the
  // process exits.
  return pino(
    options,
    (stream as pino.DestinationStream | undefined) ??
      pino.destination({ sync: false, minLength: 4096, periodicFlush: 1000 }),
  )
}

/**
 * A request's logger (Fastify's childLoggerFactory) that becomes pino's child on its first line.
 * Most requests write no line but their request line, which goes apart (requestLineWriter); a pino
 * child made for each of them, its bindings run through the redaction every line pays for, was a
 * noticeable part of a read by id. Bindings set before then are the child's bindings.
 */
export class RequestLogger {
  readonly #parent: pino.Logger
  readonly #bindings: pino.Bindings
  readonly #options: pino.ChildLoggerOptions
  #child: pino.Logger | undefined

  constructor(parent: pino.Logger, bindings: pino.Bindings, options: pino.ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  #logger(): pino.Logger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options)
    return this.#child
  }

  get level(): pino.LevelWithSilentOrString {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level
  }
  set level(level: pino.LevelWithSilentOrString) {
    this.#logger().level = level
  }
  setBindings(bindings: pino.Bindings) {
    if (this.#child) this.#child.setBindings(bindings)
    else Object.assign(this.#bindings, bindings)
  }
  bindings(): pino.Bindings {
    return this.#child?.bindings() ?? { ...this.#parent.bindings(), ...this.#bindings }
  }
  isLevelEnabled(level: pino.LevelWithSilentOrString): boolean {
    return this.#child || this.#options.level !== undefined
      ? this.#logger().isLevelEnabled(level)
      : this.#parent.isLevelEnabled(level)
  }
  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
    return this.#logger().child(bindings, options)
  }
  declare fatal: (...args: unknown[]) => void
  declare error: (...args: unknown[]) => void
  declare warn: (...args: unknown[]) => void
  declare info: (...args: unknown[]) => void
  declare debug: (...args: unknown[]) => void
  declare trace: (...args: unknown[]) => void
  // One method a level, on the prototype: a request's logger is one small object, no closures.
  static {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
      Object.defineProperty(RequestLogger.prototype, level, {
        value(this: RequestLogger, ...args: unknown[]) {
          this.#write(level, args)
        },
      })
    }
  }
  silent() {}
  #write(level: pino.Level, args: unknown[]) {
    // A line its level drops makes no child.
    if (!this.isLevelEnabled(level)) return
    ;(this.#logger()[level] as (...args: unknown[]) => void)(...args)
  }
}

export interface RequestLine {
  reqId: string
  sub: string | undefined
  method: string
  path: string
  route: string | undefined
  status: number
  ms: number
}

/**
 * A writer of the request line: the JSON `log.info(line, 'request')` writes (fields left out when
 * undefined), put together here and handed to the log's destination. pino walks any object it is
 * given (serializers, redaction, formatters); this line has fixed fields, none of them a secret or
 * personal data, and its walk cost a read by id more than the rest of its logging.
 */
export function requestLineWriter(log: object): (line: RequestLine) => void {
  const logger = log as pino.Logger
  const stream = (logger as unknown as Record<symbol, { write(text: string): void }>)[pino.symbols.streamSym]
  // The logger's own bindings, as pino writes them: `,"pid":…,"hostname":"…"`.
  const bindings = (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym]
  const level = logger.levels.values.info
  const text = JSON.stringify
  return (line) => {
    if (!stream || !logger.isLevelEnabled('info')) return
    stream.write(
      `{"level":${level},"time":${Date.now()}${bindings},"reqId":${text(line.reqId)}` +
        `${line.sub === undefined ? '' : `,"sub":${text(line.sub)}`},"method":${text(line.method)},` +
        `"path":${text(line.path)}${line.route === undefined ? '' : `,"route":${text(line.route)}`},` +
        `"status":${line.status},"ms":${line.ms},"msg":"request"}\n`,
    )
  }
}

/** Sends the lines held in the block (see createLogger) now: for the lines of a start or a shutdown. */
export const flushLog = (log: object) => (log as pino.Logger).flush()
