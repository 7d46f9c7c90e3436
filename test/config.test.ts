import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose'
import t from 'tap'
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config.ts'

t.test('defaults: embedded database, port 3000', async (t) => {
  const config = loadConfig({})
  t.equal(config.databaseUrl, undefined)
  t.equal(config.dataDir, './.data')
  t.equal(config.port, 3000)
  t.equal(config.migrateOnStart, true)
})

t.test('migrations run as MIGRATION_DATABASE_URL, DATABASE_URL by default', async (t) => {
  const service = 'postgres://kc_service@db/kc'
  const owner = 'postgres://kc_owner@db/kc'
  t.equal(loadConfig({ DATABASE_URL: service }).migrationDatabaseUrl, service)
  t.equal(loadConfig({ DATABASE_URL: service, MIGRATION_DATABASE_URL: owner }).migrationDatabaseUrl, owner)
  t.equal(loadConfig({}).migrationDatabaseUrl, undefined)
})

t.test('a bad value names its variable', async (t) => {
  const bad: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ MIGRATION_DATABASE_URL: 'postgres://kc_owner@db/kc' }, 'MIGRATION_DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://u@db/kc', MIGRATION_DATABASE_URL: 'http://x' }, 'MIGRATION_DATABASE_URL'],
    [{ DATABASE_READ_URL: 'postgres://kc_service@replica/kc' }, 'DATABASE_READ_URL'],
    [{ DATABASE_URL: 'postgres://u@db/kc', DATABASE_READ_URL: 'redis://x' }, 'DATABASE_READ_URL'],
    [{ REDIS_URL: 'http://cache' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MIGRATE_ON_START: 'perhaps' }, 'MIGRATE_ON_START'],
    [{ DB_POOL_MAX: '0' }, 'DB_POOL_MAX'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ]
  for (const [env, variable] of bad) {
    try {
      loadConfig(env)
      t.fail(`${variable} accepted`)
    } catch (error) {
      t.match((error as Error).message, new RegExp(`^Invalid environment variable ${variable}: `))
      t.equal((error as ConfigError).variable, variable)
    }
  }
})

t.test('JWT: the development secret by default, refused in production', async (t) => {
  const dev = loadConfig({})
  t.match(dev.jwt.issuers, [
    {
      issuer: 'khuyen-cong-dev',
      audience: 'khuyen-cong-api',
      key: { kind: 'secret', secret: DEVELOPMENT_JWT_SECRET },
    },
  ])
  t.equal(dev.rateLimit.max, 600)
  t.equal(dev.rateLimit.windowMs, 60_000)

  const refuse = (env: Record<string, string>, variable: string, message: RegExp) => {
    try {
      loadConfig(env)
      t.fail(`accepted ${JSON.stringify(env).slice(0, 80)}`)
    } catch (error) {
      t.type(error, ConfigError)
      t.equal((error as ConfigError).variable, variable)
      t.match((error as Error).message, message)
    }
  }
  refuse({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET }, 'JWT_SECRET', /development secret/)
  refuse({ NODE_ENV: 'production' }, 'JWT_SECRET', /production needs a verification key/)
  refuse(
    {
      NODE_ENV: 'production',
      JWT_ISSUERS: JSON.stringify([{ issuer: 'x', secret: DEVELOPMENT_JWT_SECRET }]),
    },
    'JWT_ISSUERS[0].secret',
    /development secret/,
  )
  const own = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: 'a-production-secret-of-more-than-32-characters',
  })
  t.equal(own.jwt.issuers[0]?.key.kind, 'secret', 'a secret of its own is accepted in production')
})

t.test('JWT keys: PEM text or file, JWK Set file, URL, several issuers', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kc-config-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const pem = await exportSPKI(publicKey)
  const pemFile = path.join(dir, 'key.pem')
  writeFileSync(pemFile, pem)

  const fromText = loadConfig({ NODE_ENV: 'production', JWT_PUBLIC_KEY: pem, JWT_ISSUER: 'sso' })
  t.match(fromText.jwt.issuers, [{ issuer: 'sso', key: { kind: 'public_key', pem } }])
  t.equal(fromText.jwt.issuers.length, 1, 'no development secret beside a configured key')
  t.match(loadConfig({ JWT_PUBLIC_KEY: pemFile }).jwt.issuers[0]?.key, { kind: 'public_key', pem })
  const oneLine = pem.trim().replaceAll('\n', '\\n')
  t.match(loadConfig({ JWT_PUBLIC_KEY: oneLine }).jwt.issuers[0]?.key, { kind: 'public_key' }, 'literal \\n')

  const jwksFile = path.join(dir, 'jwks.json')
  writeFileSync(jwksFile, JSON.stringify({ keys: [await exportJWK(publicKey)] }))
  t.match(loadConfig({ JWT_JWKS_FILE: jwksFile }).jwt.issuers[0]?.key, {
    kind: 'jwks_file',
    jwks: { keys: [{ kty: 'EC' }] },
  })
  t.match(loadConfig({ JWT_JWKS_URL: 'https://sso.example.gov.vn/jwks.json' }).jwt.issuers[0]?.key, {
    kind: 'jwks_url',
  })

  const issuersFile = path.join(dir, 'issuers.json')
  writeFileSync(
    issuersFile,
    JSON.stringify([
      { issuer: 'a', public_key: pemFile },
      { issuer: 'b', audience: 'other', jwks_file: jwksFile },
    ]),
  )
  const several = loadConfig({ JWT_ISSUERS: issuersFile, JWT_PUBLIC_KEY: pem })
  t.same(
    several.jwt.issuers.map((i) => [i.issuer, i.audience, i.key.kind]),
    [
      ['khuyen-cong-dev', 'khuyen-cong-api', 'public_key'],
      ['a', 'khuyen-cong-api', 'public_key'],
      ['b', 'other', 'jwks_file'],
    ],
  )

  const privatePem = await exportPKCS8(privateKey)
  const privateJwks = path.join(dir, 'private.json')
  writeFileSync(privateJwks, JSON.stringify({ keys: [await exportJWK(privateKey)] }))
  const octJwks = path.join(dir, 'oct.json')
  writeFileSync(octJwks, JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }))
  const bad: [Record<string, string>, string][] = [
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ JWT_SECRET: DEVELOPMENT_JWT_SECRET, JWT_PUBLIC_KEY: pem }, 'JWT_PUBLIC_KEY'],
    [{ JWT_PUBLIC_KEY: '/no/such/file.pem' }, 'JWT_PUBLIC_KEY'],
    [
      { JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----' },
      'JWT_PUBLIC_KEY',
    ],
    [{ JWT_PUBLIC_KEY: privatePem }, 'JWT_PUBLIC_KEY'],
    [{ JWT_JWKS_FILE: pemFile }, 'JWT_JWKS_FILE'],
    [{ JWT_JWKS_FILE: privateJwks }, 'JWT_JWKS_FILE'],
    [{ JWT_JWKS_FILE: octJwks }, 'JWT_JWKS_FILE'],
    [{ JWT_JWKS_URL: 'http://sso.example.gov.vn/jwks.json' }, 'JWT_JWKS_URL'],
    [{ JWT_JWKS_URL: 'not a url' }, 'JWT_JWKS_URL'],
    [{ JWT_ISSUERS: '[{"issuer": "a"' }, 'JWT_ISSUERS'],
    [{ JWT_ISSUERS: '[]' }, 'JWT_ISSUERS'],
    [{ JWT_ISSUERS: '[{"issuer": "a"}]' }, 'JWT_ISSUERS[0]'],
    [
      { JWT_ISSUERS: JSON.stringify([{ issuer: 'a', secret: 'x'.repeat(40), public_key: pem }]) },
      'JWT_ISSUERS[0]',
    ],
    [{ JWT_ISSUERS: JSON.stringify([{ issuer: 'a', jwks: 'x' }]) }, 'JWT_ISSUERS[0]'],
    [{ JWT_ISSUERS: JSON.stringify([{ secret: 'x'.repeat(40) }]) }, 'JWT_ISSUERS[0].issuer'],
    [{ JWT_ISSUERS: JSON.stringify([{ issuer: 'a', secret: 'short' }]) }, 'JWT_ISSUERS[0].secret'],
    [
      { JWT_ISSUERS: JSON.stringify([{ issuer: 'khuyen-cong-dev', public_key: pem }]), JWT_PUBLIC_KEY: pem },
      'JWT_ISSUERS[0]',
    ],
    [{ RATE_LIMIT_MAX: '-1' }, 'RATE_LIMIT_MAX'],
    [{ RATE_LIMIT_WINDOW: 'a while' }, 'RATE_LIMIT_WINDOW'],
    [{ RATE_LIMIT_WINDOW: '10ms' }, 'RATE_LIMIT_WINDOW'],
    [{ IMPORT_CONCURRENCY: '0' }, 'IMPORT_CONCURRENCY'],
    [{ IMPORT_BODY_IDLE_TIMEOUT: 'soon' }, 'IMPORT_BODY_IDLE_TIMEOUT'],
    [{ IMPORT_BODY_IDLE_TIMEOUT: '10ms' }, 'IMPORT_BODY_IDLE_TIMEOUT'],
    [{ IMPORT_LEASE: '500ms' }, 'IMPORT_LEASE'],
  ]
  for (const [env, variable] of bad) {
    try {
      loadConfig(env)
      t.fail(`${variable} accepted: ${JSON.stringify(env).slice(0, 100)}`)
    } catch (error) {
      t.equal((error as ConfigError).variable, variable, (error as Error).message)
      t.notOk((error as Error).message.includes('MIGHAgEAMBMGByqGSM49'), 'no key material in the message')
    }
  }
  t.same(loadConfig({ RATE_LIMIT_MAX: '0', RATE_LIMIT_WINDOW: '90' }).rateLimit, { max: 0, windowMs: 90_000 })
  t.same(loadConfig({ RATE_LIMIT_WINDOW: '1h' }).rateLimit.windowMs, 3_600_000)
  t.same(loadConfig({}).imports, { concurrency: 2, bodyIdleTimeoutMs: 30_000, leaseMs: 30_000 })
  t.same(
    loadConfig({ IMPORT_CONCURRENCY: '5', IMPORT_BODY_IDLE_TIMEOUT: '500ms', IMPORT_LEASE: '2s' }).imports,
    { concurrency: 5, bodyIdleTimeoutMs: 500, leaseMs: 2_000 },
  )
})
