import { sql } from 'kysely'
import t from 'tap'
import { migrateToLatest, migrateToZero, migrator } from '../src/db/migrate.js'
import { testDatabase } from './helpers/app.js'

t.test('every migration goes up, all the way down, and up again', async (t) => {
  const { db } = await testDatabase(t, { migrate: false })
  const up = await migrateToLatest(db)
  const names = up.results?.map((r) => r.migrationName) ?? []
  t.ok(names.length > 0)
  t.ok(up.results?.every((r) => r.status === 'Success'))

  const count = async (table: string) =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n)
  t.equal(await count('provinces'), 34)
  t.equal(await count('former_provinces'), 63)
  t.equal(await count('communes'), 3321)

  const down = await migrateToZero(db)
  t.same(
    down.results?.map((r) => r.migrationName),
    [...names].reverse(),
  )
  const left = await sql<{ n: string }>`
    select count(*) as n from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(
    db,
  )
  t.equal(Number(left.rows[0]?.n), 0, 'nothing left behind')

  await migrateToLatest(db)
  t.equal(await count('communes'), 3321)
  const status = await migrator(db).getMigrations()
  t.ok(status.every((m) => m.executedAt instanceof Date))
})
