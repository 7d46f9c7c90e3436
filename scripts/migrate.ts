// npm run migrate -- latest|down|status   (as the schema's owner: MIGRATION_DATABASE_URL, else
// DATABASE_URL, else the embedded database in DATA_DIR)
import { loadConfig } from '../src/config.ts'
import { connectDatabase } from '../src/db/connect.ts'
import { migrateDown, migrateToLatest, migrator } from '../src/db/migrate.ts'

const command = process.argv[2] ?? 'status'
if (!['latest', 'down', 'status'].includes(command)) {
  console.error('usage: npm run migrate -- latest|down|status')
  process.exit(2)
}

const config = loadConfig()
const database = await connectDatabase({ ...config, databaseUrl: config.migrationDatabaseUrl })
try {
  if (command === 'latest' || command === 'down') {
    const { results } = await (command === 'latest' ? migrateToLatest(database.db) : migrateDown(database.db))
    if (!results?.length) console.log('nothing to do')
    for (const r of results ?? [])
      console.log(`${r.direction.toLowerCase().padEnd(4)} ${r.migrationName}: ${r.status}`)
  }
  const migrations = await migrator(database.db).getMigrations()
  console.log(`\n${database.kind} (${database.location})`)
  for (const m of migrations) {
    console.log(`${m.executedAt ? `applied ${m.executedAt.toISOString()}` : 'pending'.padEnd(32)}  ${m.name}`)
  }
} catch (error) {
  console.error((error as Error).message, (error as Error).cause ?? '')
  process.exitCode = 1
} finally {
  await database.close()
}
