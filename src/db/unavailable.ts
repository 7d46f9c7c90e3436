// Which errors mean "the database cannot be reached right now" rather than "this request is
// wrong" or "our bug": they become 503 with Retry-After, and the pool replaces the connection.

/** SQLSTATE classes and codes of a lost or refused connection (PostgreSQL Appendix A). */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-4]|53300|53400)/

/** Socket errors on the way to PostgreSQL. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

/**
 * node-postgres and pg-pool signal these with a message only; Kysely too, for a query asked of it
 * once the database is closed (the last step of a shutdown whose grace ran out).
 */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|driver has already been destroyed)/

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false
  const { code } = error as { code?: unknown }
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code)))
    return true
  if (UNAVAILABLE_MESSAGE.test(error.message)) return true
  // Connecting to a name with several addresses fails with one error per address.
  if (error instanceof AggregateError) return error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))
  return isDatabaseUnavailable(error.cause, depth + 1)
}
