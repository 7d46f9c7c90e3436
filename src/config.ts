// Configuration comes from the environment only, validated once at start. A bad value stops the
// process with a message naming the variable, never a late surprise at the first request.
import { existsSync, readFileSync } from 'node:fs'
import { type JwtIssuer, type JwtKeySource, publicKeyOf } from './lib/jwt.ts'

/**
 * The HS256 secret of development and tests: public (it is in this file), so tokens signed with it
 * prove nothing. With NODE_ENV=production the service refuses to start when it is configured.
 */
export const DEVELOPMENT_JWT_SECRET = 'khuyen-cong-development-secret-do-not-use-in-production'

export interface Config {
  env: 'development' | 'production' | 'test'
  host: string
  port: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** PostgreSQL connection string; absent means the embedded PGlite database. */
  databaseUrl: string | undefined
  /**
   * The owner's connection, which runs migrations and loads demo data (MIGRATION_DATABASE_URL;
   * DATABASE_URL by default, for development). The service itself runs as DATABASE_URL, a login
   * role that owns nothing (README, Running on PostgreSQL).
   */
  migrationDatabaseUrl: string | undefined
  /**
   * A streaming replica of DATABASE_URL (DATABASE_READ_URL), for the reads of GET requests; see
   * plugins/tenancy.ts for which reads stay on the primary.
   */
  databaseReadUrl?: string | undefined
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir: string
  dbPoolMax: number
  /** PostgreSQL: keep the service's statements prepared per connection (off behind an old PgBouncer). */
  dbPreparedStatements: boolean
  migrateOnStart: boolean
  /** Load the demo dataset once (src/demo/); default: on the embedded database only. */
  demoData: boolean
  bodyLimit: number
  trustProxy: boolean
  publicUrl: string | undefined
  /** The token issuers accepted, picked by a token's `iss` (see plugins/auth.ts). */
  jwt: { issuers: JwtIssuer[] }
  /**
   * Requests per subject (per IP when anonymous) per window; max 0 turns the limit off. With
   * `redisUrl` (REDIS_URL) the counters are shared by every instance; without, each keeps its own.
   */
  rateLimit: { max: number; windowMs: number; redisUrl?: string | undefined }
  /** How long a shutdown lets in-flight requests finish before it aborts them. */
  shutdownGraceMs: number
  /** Connection timeouts (see README, Operations): they cut slow clients, not streaming answers. */
  http: { requestTimeoutMs: number; idleTimeoutMs: number; keepAliveTimeoutMs: number }
  /** Bulk imports (routes/v1/establishments/imports/, plugins/imports.ts). */
  imports: {
    /** Imports this instance runs at once, uploads included; more get 429. */
    concurrency: number
    /** An upload that sends no byte for this long is cut with 408. */
    bodyIdleTimeoutMs: number
    /** How long a running import's record stays `running` without a heartbeat. */
    leaseMs: number
  }
  /** Signed documents kept with their records (routes/v1/attachments/). */
  attachments: {
    /** Largest file, in bytes; larger → 413 before the rest is read. */
    maxBytes: number
    /** Most attachments one record keeps; more → 409. */
    maxPerRecord: number
  }
}

export class ConfigError extends Error {
  readonly variable: string
  constructor(variable: string, reason: string) {
    super(`Invalid environment variable ${variable}: ${reason}`)
    this.variable = variable
  }
}

type Env = Record<string, string | undefined>

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected an integer, got "${raw}"`)
  const value = Number(raw)
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`)
  return value
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`)
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`)
  }
  return raw as T
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new ConfigError(name, 'is not a valid URL')
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`)
  }
  return raw
}

/** `90`, `90s`, `500ms`, `5m`, `1h` → milliseconds; a bare number is seconds. */
function duration(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const match = /^(\d+)\s*(ms|s|m|h)?$/.exec(raw.trim())
  if (!match) throw new ConfigError(name, `expected a duration such as 60s, 1m or 1h, got "${raw}"`)
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h']
  const value = Number(match[1]) * unit
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min / 1000} s and ${max / 1000} s`)
  return value
}

// ---------------------------------------------------------------------------------------------
// Token verification keys. Files are read and keys checked here, so that a bad key stops the start;
// turning them into verifiers is plugins/auth.ts's work (src/lib/jwt.ts).

const MIN_SECRET_LENGTH = 32
const ASYMMETRIC_KTY = ['EC', 'RSA', 'OKP']
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']

/** A value that is either the text itself or a path to a file holding it. */
function textOrFile(name: string, raw: string, isText: (value: string) => boolean): string {
  if (isText(raw)) return raw
  if (!existsSync(raw))
    throw new ConfigError(name, `is neither the expected text nor a path to a readable file`)
  try {
    return readFileSync(raw, 'utf8')
  } catch {
    throw new ConfigError(name, `cannot read the file ${raw}`)
  }
}

function pemKey(name: string, raw: string): JwtKeySource {
  // Environment files often carry a PEM on one line with literal \n.
  const text = textOrFile(name, raw.replaceAll('\\n', '\n'), (v) => v.includes('-----BEGIN'))
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new ConfigError(name, 'holds a private key; configure the public key only')
  }
  try {
    publicKeyOf(text)
  } catch (error) {
    throw new ConfigError(name, `is not a usable PEM public key (${(error as Error).message})`)
  }
  return { kind: 'public_key', pem: text }
}

function jwksUrl(name: string, raw: string): JwtKeySource {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new ConfigError(name, 'is not a valid URL')
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new ConfigError(name, 'must be an https:// URL (http:// only on the loopback address)')
  }
  return { kind: 'jwks_url', url: raw }
}

function jwksFile(name: string, path: string): JwtKeySource {
  let jwks: unknown
  try {
    jwks = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ? 'cannot be read' : 'is not JSON'
    throw new ConfigError(name, `the file ${path} ${reason}`)
  }
  const keys = (jwks as { keys?: unknown }).keys
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new ConfigError(name, 'the file is not a JWK Set: it needs a non-empty "keys" array')
  }
  for (const [i, key] of keys.entries()) {
    const k = key as Record<string, unknown>
    if (typeof k !== 'object' || k === null || !ASYMMETRIC_KTY.includes(k.kty as string)) {
      throw new ConfigError(name, `keys[${i}] must be an EC, RSA or OKP public key`)
    }
    if (PRIVATE_JWK_MEMBERS.some((m) => m in k)) {
      throw new ConfigError(name, `keys[${i}] holds private key material; publish the public keys only`)
    }
  }
  return { kind: 'jwks_file', jwks: { keys: keys as Record<string, unknown>[] } }
}

function secretKey(name: string, secret: string): JwtKeySource {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(name, `an HS256 secret needs at least ${MIN_SECRET_LENGTH} characters`)
  }
  return { kind: 'secret', secret }
}

const ISSUER_FIELDS = ['issuer', 'audience', 'secret', 'public_key', 'jwks_url', 'jwks_file']
const KEY_FIELDS = ['secret', 'public_key', 'jwks_url', 'jwks_file'] as const

function issuersFromJson(raw: string, defaultAudience: string): JwtIssuer[] {
  const name = 'JWT_ISSUERS'
  const text = textOrFile(name, raw, (v) => v.trimStart().startsWith('['))
  let list: unknown
  try {
    list = JSON.parse(text)
  } catch {
    throw new ConfigError(name, 'is not valid JSON')
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError(name, 'must be a non-empty JSON array of { issuer, audience, and one key }')
  }
  return list.map((entry, i) => {
    const at = `${name}[${i}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigError(at, 'must be an object')
    }
    const e = entry as Record<string, unknown>
    for (const field of Object.keys(e)) {
      if (!ISSUER_FIELDS.includes(field)) throw new ConfigError(at, `has an unknown field "${field}"`)
    }
    for (const field of ['issuer', 'audience', ...KEY_FIELDS]) {
      if (field in e && (typeof e[field] !== 'string' || e[field] === '')) {
        throw new ConfigError(`${at}.${field}`, 'must be a non-empty string')
      }
    }
    if (typeof e.issuer !== 'string') throw new ConfigError(`${at}.issuer`, 'is required')
    const given = KEY_FIELDS.filter((field) => field in e)
    if (given.length !== 1) {
      throw new ConfigError(at, `needs exactly one of ${KEY_FIELDS.join(', ')}`)
    }
    const field = given[0] as (typeof KEY_FIELDS)[number]
    const value = e[field] as string
    const where = `${at}.${field}`
    const key =
      field === 'secret'
        ? secretKey(where, value)
        : field === 'public_key'
          ? pemKey(where, value)
          : field === 'jwks_url'
            ? jwksUrl(where, value)
            : jwksFile(where, value)
    return {
      issuer: e.issuer,
      audience: (e.audience as string | undefined) ?? defaultAudience,
      key,
      source: at,
    }
  })
}

function jwtConfig(env: Env, production: boolean): Config['jwt'] {
  const issuer = env.JWT_ISSUER || 'khuyen-cong-dev'
  const audience = env.JWT_AUDIENCE || 'khuyen-cong-api'
  const given = (['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL', 'JWT_JWKS_FILE'] as const).filter(
    (name) => env[name],
  )
  if (given.length > 1) {
    throw new ConfigError(given[1] as string, `set only one of ${given.join(', ')} (one key for JWT_ISSUER)`)
  }
  const issuers: JwtIssuer[] = []
  const variable = given[0]
  const raw = variable ? (env[variable] as string) : undefined
  if (variable && raw) {
    const key =
      variable === 'JWT_SECRET'
        ? secretKey(variable, raw)
        : variable === 'JWT_PUBLIC_KEY'
          ? pemKey(variable, raw)
          : variable === 'JWT_JWKS_URL'
            ? jwksUrl(variable, raw)
            : jwksFile(variable, raw)
    issuers.push({ issuer, audience, key, source: variable })
  }
  if (env.JWT_ISSUERS) issuers.push(...issuersFromJson(env.JWT_ISSUERS, audience))
  if (issuers.length === 0) {
    if (production) {
      throw new ConfigError(
        'JWT_SECRET',
        'production needs a verification key: set JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_JWKS_FILE, JWT_ISSUERS or JWT_SECRET',
      )
    }
    issuers.push({
      issuer,
      audience,
      key: { kind: 'secret', secret: DEVELOPMENT_JWT_SECRET },
      source: 'JWT_SECRET',
    })
  }
  const seen = new Set<string>()
  for (const i of issuers) {
    if (seen.has(i.issuer)) throw new ConfigError(i.source, `the issuer "${i.issuer}" is configured twice`)
    seen.add(i.issuer)
    if (production && i.key.kind === 'secret' && i.key.secret === DEVELOPMENT_JWT_SECRET) {
      throw new ConfigError(
        i.source === 'JWT_SECRET' ? 'JWT_SECRET' : `${i.source}.secret`,
        'is the public development secret; production needs a secret of its own or a public key',
      )
    }
  }
  return { issuers }
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'])
  const migrationDatabaseUrl = url(env, 'MIGRATION_DATABASE_URL', ['postgres:', 'postgresql:'])
  if (migrationDatabaseUrl && !databaseUrl) {
    throw new ConfigError('MIGRATION_DATABASE_URL', 'needs DATABASE_URL (the embedded database has one user)')
  }
  const databaseReadUrl = url(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:'])
  if (databaseReadUrl && !databaseUrl) {
    throw new ConfigError('DATABASE_READ_URL', 'needs DATABASE_URL (the embedded database has no replica)')
  }
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development')
  return {
    env: nodeEnv,
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    databaseUrl,
    migrationDatabaseUrl: migrationDatabaseUrl ?? databaseUrl,
    databaseReadUrl,
    dataDir: env.DATA_DIR || './.data',
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
    dbPreparedStatements: bool(env, 'DB_PREPARED_STATEMENTS', true),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    // Tests build their own data: the default is off under NODE_ENV=test.
    demoData: bool(env, 'DEMO_DATA', !databaseUrl && nodeEnv !== 'test'),
    bodyLimit: int(env, 'BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:']),
    jwt: jwtConfig(env, nodeEnv === 'production'),
    rateLimit: {
      max: int(env, 'RATE_LIMIT_MAX', 600, 0, 1_000_000),
      windowMs: duration(env, 'RATE_LIMIT_WINDOW', 60_000, 1_000, 86_400_000),
      redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    },
    shutdownGraceMs: duration(env, 'SHUTDOWN_GRACE', 30_000, 0, 3_600_000),
    http: {
      requestTimeoutMs: duration(env, 'REQUEST_TIMEOUT', 300_000, 1_000, 86_400_000),
      idleTimeoutMs: duration(env, 'IDLE_TIMEOUT', 60_000, 1_000, 86_400_000),
      keepAliveTimeoutMs: duration(env, 'KEEP_ALIVE_TIMEOUT', 72_000, 1_000, 3_600_000),
    },
    imports: {
      concurrency: int(env, 'IMPORT_CONCURRENCY', 2, 1, 100),
      bodyIdleTimeoutMs: duration(env, 'IMPORT_BODY_IDLE_TIMEOUT', 30_000, 100, 3_600_000),
      leaseMs: duration(env, 'IMPORT_LEASE', 30_000, 1_000, 3_600_000),
    },
    attachments: {
      maxBytes: int(env, 'ATTACHMENT_MAX_BYTES', 25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxPerRecord: int(env, 'ATTACHMENT_MAX_PER_RECORD', 50, 1, 10_000),
    },
  }
}

/** The configuration, or the process ends with what is wrong in it (the server, scripts). */
export function loadConfigOrExit(exitCode: number): Config {
  try {
    return loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    process.exit(exitCode)
  }
}
