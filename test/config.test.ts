import t from 'tap'
import { type ConfigError, loadConfig } from '../src/config.js'

t.test('defaults: embedded database, port 3000', async (t) => {
  const config = loadConfig({})
  t.equal(config.databaseUrl, undefined)
  t.equal(config.dataDir, './.data')
  t.equal(config.port, 3000)
  t.equal(config.migrateOnStart, true)
})

t.test('a bad value names its variable', async (t) => {
  const bad: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
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
