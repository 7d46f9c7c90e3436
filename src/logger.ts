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

export function createLogger(config: Pick<Config, 'logLevel'>, stream?: NodeJS.WritableStream) {
  const options = { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } }
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
