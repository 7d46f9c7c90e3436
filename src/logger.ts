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
  return stream ? pino(options, stream as pino.DestinationStream) : pino(options)
}
