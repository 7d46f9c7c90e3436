import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import t from 'tap'
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.ts'
import { migrateToLatest, migrateToZero, migrator } from '../src/db/migrate.ts'
import { onPostgres, testDatabase } from './helpers/app.ts'
import { eventually } from './helpers/service.ts'

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

t.test(
  'the owner the README asks for migrates; without BYPASSRLS it is refused before anything runs',
  { skip: !onPostgres && 'PGlite has one user, a superuser' },
  async (t) => {
    // Created as the README says (a superuser runs it once); a login of our own, not a superuser.
    const name = `kc_test_owner_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    t.teardown(async () => {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.query(`drop role if exists ${name}`)
      await admin.end()
    })
    await admin.query(`create role ${name} login createrole password '${name}'`)
    await admin.query(`create database ${name} owner ${name}`)
    const url = new URL(process.env.DATABASE_URL as string)
    Object.assign(url, { username: name, password: name, pathname: `/${name}` })
    const owner = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', dbPoolMax: 1 })
    t.teardown(() => owner.close())
    await t.rejects(migrateToLatest(owner.db), /may not migrate: .*BYPASSRLS/)
    const table = async () =>
      (await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(owner.db))
        .rows[0]?.t
    t.equal(await table(), null, 'nothing ran')
    await admin.query(`alter role ${name} bypassrls`)
    const up = await migrateToLatest(owner.db)
    t.ok(
      up.results?.length && up.results.every((r) => r.status === 'Success'),
      'every migration, as a non-superuser',
    )
    t.equal(await table(), 'kysely_migration')
  },
)

t.test(
  '0056 gives a database migrated before it the corrected labels and the validity periods',
  async (t) => {
    const { db } = await testDatabase(t, { migrate: false })
    const to = await migrator(db).migrateTo('0054_key_products')
    t.notOk(to.error)
    const label = async () =>
      (
        await sql<{ label_vi: string }>`
        select label_vi from codelist_entries where list = 'selection_method' and code = 'selection'`.execute(
          db,
        )
      ).rows[0]?.label_vi
    // What a database migrated before the correction holds (0001 now loads the corrected file).
    await sql`update codelist_entries set label_vi = 'Tuyển chọn' where list = 'selection_method' and code = 'selection'`.execute(
      db,
    )
    await sql`update codelists set description = 'Decree 45/2012/NĐ-CP Art. 4 (amended by Decree 235/2025/NĐ-CP)'
    where name = 'activity_content'`.execute(db)
    await migrateToLatest(db)
    t.equal(await label(), 'Xét chọn')
    const list = await sql<{ description: string }>`
    select description from codelists where name = 'activity_content'`.execute(db)
    t.notMatch(list.rows[0]?.description, /235\/2025/)
    const district = await sql<{ valid_from: string | null; valid_to: string }>`
    select valid_from, valid_to::text from codelist_entries where list = 'certificate_level' and code = 'district'`.execute(
      db,
    )
    t.same(district.rows[0], { valid_from: null, valid_to: '2025-06-30' })
  },
)

t.test('0101 folds with unaccent: other accented letters too, stored columns computed again', async (t) => {
  const { db } = await testDatabase(t, { migrate: false })
  await migrator(db).migrateTo('0100_audit_many')
  await sql`update communes set name = 'François Đông' where code = '00004'`.execute(db)
  const folded = async (code: string) =>
    (await sql<{ f: string }>`select search_name as f from communes where code = ${code}`.execute(db)).rows[0]
      ?.f
  t.equal(await folded('00004'), 'françois dong', 'before: only the Vietnamese letters folded')
  const vietnamese = await folded('00691')
  await migrateToLatest(db)
  t.equal(await folded('00004'), 'francois dong')
  t.equal(await folded('00691'), vietnamese, 'Vietnamese names fold as before')
  const { rows } = await sql<{ f: string }>`select kc_fold('Ấp Đức Hòa ỨNG Hưng Yên') as f`.execute(db)
  t.equal(rows[0]?.f, 'ap duc hoa ung hung yen')
})

/** A legal document of province 08 (or `province`), written as the owner (migration tests). */
const documentIn = async (db: DatabaseHandle['db'], number: string, province = '08') =>
  (
    await sql<{ id: string }>`
      insert into legal_documents (province_code, number, kind, issuer, title, signed_date, subject)
      values (${province}, ${number}, 'decision', 'UBND tỉnh', 'Quyết định', '2025-01-02', 'other') returning id`.execute(
      db,
    )
  ).rows[0]?.id as string

/** An (empty) attachment of a record of province 08. */
const attachIn = async (db: DatabaseHandle['db'], parent: string, type = 'legal_document') =>
  (
    await sql<{ id: string }>`
      insert into attachments (province_code, parent_type, parent_id, role, filename, media_type, size, sha256,
        chunk_size, uploaded_by)
      values ('08', ${type}, ${parent}, 'decision', 'qd.pdf', 'application/pdf', 0, ${'0'.repeat(64)},
        1024, 'tester') returning id`.execute(db)
  ).rows[0]?.id as string

t.test(
  '0108 keeps each record’s attachment count: counted for a database migrated before it, then moved by each upload and delete',
  async (t) => {
    const { db } = await testDatabase(t, { migrate: false })
    await migrator(db).migrateTo('0107_import_statistics_skip_locked')
    const document = (number: string) => documentIn(db, number)
    const attach = (parent: string, type = 'legal_document') => attachIn(db, parent, type)
    const two = await document('1/QĐ-UBND')
    const none = await document('2/QĐ-UBND')
    // The ministry's inspection: its update trigger lets only some columns move (migration 0064).
    const inspection = (
      await sql<{ id: string }>`
      insert into inspections (province_code, kind, inspection_date, inspecting_body, inspected_by, follow_ups)
      values ('08', 'inspection', '2025-03-04', 'Bộ Công Thương', 'ministry', '[]') returning id`.execute(db)
    ).rows[0]?.id as string
    await attach(inspection, 'inspection')
    await attach(two)
    const second = await attach(two)
    const version = async (id: string) =>
      (await sql<{ version: number }>`select version from legal_documents where id = ${id}`.execute(db))
        .rows[0]?.version
    const state = async (id: string) =>
      (
        await sql<{ attachment_count: number; version: number }>`
        select attachment_count, version from legal_documents where id = ${id}`.execute(db)
      ).rows[0]
    const moved = (await version(two)) as number

    await migrateToLatest(db)
    t.same(await state(two), { attachment_count: 2, version: moved }, 'counted, the version left as it was')
    t.same(await state(none), { attachment_count: 0, version: 1 })
    const { rows } = await sql`select attachment_count from inspections where id = ${inspection}`.execute(db)
    t.same(rows, [{ attachment_count: 1 }], 'the ministry’s inspection too')
    await attach(none)
    await sql`delete from attachments where id = ${second}`.execute(db)
    t.same(
      await state(none),
      { attachment_count: 1, version: 2 },
      'an upload moves the count with the version',
    )
    t.same(await state(two), { attachment_count: 1, version: moved + 1 }, 'so does a delete')
  },
)

t.test(
  '0108 beside a release still serving: a delete of an attachment while it runs waits, and the count agrees',
  { skip: !onPostgres && 'PGlite serves one connection at a time' },
  async (t) => {
    const { db } = await testDatabase(t, { migrate: false })
    await migrator(db).migrateTo('0107_import_statistics_skip_locked')
    const document = await documentIn(db, '1/QĐ-UBND')
    const attachment = await attachIn(db, document)
    /** Until `n` sessions of this database wait for a lock. */
    const waiting = (n: number) =>
      eventually(
        async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::integer as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(db)
          return (rows[0]?.n ?? 0) >= n
        },
        500,
        20,
      )
    // Another transaction reads the last table the migration locks: the migration stops there.
    let release = () => {}
    const reading = db.connection().execute(async (c) => {
      await sql`begin`.execute(c)
      await sql`lock table periodic_reports in access share mode`.execute(c)
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      const migrating = migrateToLatest(db).then(
        () => 'migrated',
        (error: Error) => error,
      )
      await waiting(1)
      // A writer that deletes the attachment before it touches the record (as SQL may).
      const deleting = db
        .connection()
        .execute(async (d) => {
          await sql`begin`.execute(d)
          await sql`delete from attachments where id = ${attachment}`.execute(d)
          await sql`commit`.execute(d)
          return 'deleted'
        })
        .catch((error: Error) => error)
      await waiting(2)
      release()
      await released
      await sql`commit`.execute(c)
      return Promise.all([migrating, deleting])
    })
    const [migrated, deleted] = await reading
    // One of the two may be ended by PostgreSQL as a deadlock; the other then goes through.
    t.ok(migrated === 'migrated' || deleted === 'deleted', 'one of them went through')
    if (migrated !== 'migrated') await migrateToLatest(db)
    const { rows } = await sql<{ kept: number; attachments: number }>`
      select attachment_count as kept,
        (select count(*)::integer from attachments where parent_id = ${document}) as attachments
      from legal_documents where id = ${document}`.execute(db)
    t.equal(rows[0]?.kept, rows[0]?.attachments, 'the count kept is the attachments there are')
  },
)

t.test(
  '0110: no policy calls kc_in_scope() any more, and each caller sees the rows it showed them',
  async (t) => {
    const { db } = await testDatabase(t, { migrate: false })
    await migrator(db).migrateTo('0109_time_ordered_ids')
    // Records of two provinces, and national ones beside provincial ones (programmes).
    await documentIn(db, '1/QĐ-UBND')
    await documentIn(db, '2/QĐ-UBND', '01')
    await sql`
      insert into programmes (level, province_code, title, start_year, end_year)
      values ('national', null, 'Chương trình quốc gia', 2021, 2025),
             ('provincial', '08', 'Chương trình của tỉnh', 2021, 2025)`.execute(db)
    const policed = async () =>
      (
        await sql<{ table: string }>`select distinct tablename as table from pg_policies
          where schemaname = 'public' and (qual ~ 'kc_in_scope|kc_sees_all' or with_check ~ 'kc_in_scope|kc_sees_all')
          order by 1`.execute(db)
      ).rows.map((r) => r.table)
    const tables = await policed()
    t.ok(tables.includes('legal_documents') && tables.includes('programmes'))
    /** What each caller sees of each of those tables, as kc_app under its settings. */
    const seen = async () => {
      const callers = [
        ['province', '08'],
        ['province', '01'],
        ['ministry', ''],
        ['', ''],
      ] as const
      const counts: Record<string, number[]> = {}
      for (const table of tables) {
        counts[table] = []
        for (const [role, province] of callers) {
          const n = await db.connection().execute(async (c) => {
            await sql`begin`.execute(c)
            await sql`select set_config('role', 'kc_app', true), set_config('kc.role', ${role}, true),
              set_config('kc.province', ${province}, true)`.execute(c)
            const { rows } = await sql<{
              n: number
            }>`select count(*)::integer as n from ${sql.table(table)}`.execute(c)
            await sql`rollback`.execute(c)
            return rows[0]?.n
          })
          counts[table]?.push(n as number)
        }
      }
      return counts
    }
    const before = await seen()
    t.same(before.legal_documents, [1, 1, 2, 0], 'the province its own, the ministry both, no caller none')
    t.same(before.programmes, [2, 1, 2, 1], 'national ones to every caller')
    await migrateToLatest(db)
    const { rows } = await sql<{ n: number }>`select count(*)::integer as n from pg_policies
      where qual like '%kc_in_scope(%' or with_check like '%kc_in_scope(%'`.execute(db)
    t.equal(rows[0]?.n, 0, 'no policy calls the function')
    t.same(await policed(), tables, 'every table keeps its policies')
    t.same(await seen(), before, 'each caller sees what it saw')
    // And writes only what it may: its own province's record, not another's (the policy's check).
    const write = (province: string) =>
      db.connection().execute(async (c) => {
        await sql`begin`.execute(c)
        try {
          await sql`select set_config('role', 'kc_app', true), set_config('kc.role', 'province', true),
            set_config('kc.province', '08', true)`.execute(c)
          await documentIn(c, '3/QĐ-UBND', province)
        } finally {
          await sql`rollback`.execute(c)
        }
      })
    await t.resolves(write('08'), 'a province writes its own record')
    await t.rejects(write('01'), /row-level security/, 'and not another province’s')
  },
)

t.test('0114 holds an establishment’s commune to its province, in the database itself', async (t) => {
  const { db } = await testDatabase(t, { migrate: false })
  await migrateToLatest(db)
  // 00004 is a commune of province 01 (Hà Nội).
  const insert = (province: string, commune: string) =>
    sql`insert into establishments (province_code, commune_code, name, kind)
      values (${province}, ${commune}, 'Cơ sở', 'household')`.execute(db)
  await t.resolves(insert('01', '00004'), 'a commune of its own province')
  await t.rejects(insert('79', '00004'), { code: '23503' }, 'a commune of another province')
  await t.rejects(insert('99', '00004'), { code: '23503' }, 'a province that does not exist')
  await migrator(db).migrateTo('0113_transition_recast')
  await t.resolves(insert('79', '00004'), 'before 0114: only the API kept it out')
})
