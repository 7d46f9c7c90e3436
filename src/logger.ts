// pino, configured once: redaction paths for credentials and personal data are set here.
import pino from 'pino'
import type { Config } from './config.js'

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
  // Standard output written asynchronously: lines that arrive while a write is under way go out
  // together (one system call, not one a request); pino flushes what is left when the process exits.
  return pino(options, (stream as pino.DestinationStream | undefined) ?? pino.destination({ sync: false }))
}
