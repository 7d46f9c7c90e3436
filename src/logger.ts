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

/** Sends the lines held in the block (see createLogger) now: for the lines of a start or a shutdown. */
export const flushLog = (log: object) => (log as pino.Logger).flush()
