// The database half of tenancy, tried without the application's filters: row-level security
// alone must keep provinces apart, and the audit trail must be append-only for the service.
import { sql } from 'kysely'
import t from 'tap'
import { audit, auditBatch, batchEvent, creationInBatch } from '../src/db/audit.ts'
import { compiledPerRole } from '../src/db/compiled.ts'
import { connectDatabase } from '../src/db/connect.ts'
import { inScope, type Scope, type Trx, withTenant } from '../src/db/tenancy.ts'
import { onPostgres, testDatabase } from './helpers/app.ts'
import { resolution } from './helpers/records.ts'

const { db, pool } = await testDatabase(t)

const officer08: Scope = { sub: 'officer-08', role: 'province', province: '08', requestId: 'r1' }
const officer01: Scope = { sub: 'officer-01', role: 'province', province: '01', requestId: 'r2' }
const ministry: Scope = { sub: 'ministry-1', role: 'ministry', province: null, requestId: 'r3' }

// Seeded through the service's own path: each event by an actor of its province.
for (const [scope, id] of [
  [officer08, 'a'],
  [officer08, 'b'],
  [officer01, 'c'],
] as const) {
  await withTenant(db, scope, (trx) =>
    audit(trx, {
      entityType: 'thing',
      entityId: id,
      provinceCode: scope.province,
      action: 'create',
      after: { id },
    }),
  )
}

const ids = (rows: { entity_id: string }[]) => rows.map((r) => r.entity_id).sort()

t.test('a query with no application filter still returns only the caller’s rows', async (t) => {
  const unfiltered = (scope: Scope) =>
    withTenant(db, scope, (trx) => trx.selectFrom('audit_events').select('entity_id').execute())
  t.same(ids(await unfiltered(officer08)), ['a', 'b'])
  t.same(ids(await unfiltered(officer01)), ['c'])
  t.same(ids(await unfiltered(ministry)), ['a', 'b', 'c'])
  const byId = await withTenant(db, officer01, (trx) =>
    trx.selectFrom('audit_events').select('entity_id').where('entity_id', '=', 'a').execute(),
  )
  t.same(byId, [], 'another province’s row is invisible even when asked for by id')
})

/** A read by entity id, compiled once per role (compiledPerRole). */
const byEntity = compiledPerRole((trx, scope: Scope, id: string) =>
  trx
    .selectFrom('audit_events')
    .select('entity_id')
    .where(inScope(scope, 'audit_events.province_code'))
    .where('entity_id', '=', id),
)

t.test('a query compiled once per role binds each caller’s province; a faulty one is refused', async (t) => {
  const read = (scope: Scope, id: string) => withTenant(db, scope, (trx) => byEntity(trx, scope, id))
  t.same(await read(officer08, 'a'), [{ entity_id: 'a' }])
  t.same(await read(officer01, 'c'), [{ entity_id: 'c' }], '01 after 08: its own province, not 08’s')
  t.same(await read(officer01, 'a'), [])
  t.same(await read(ministry, 'a'), [{ entity_id: 'a' }])

  const refused = async (build: Parameters<typeof compiledPerRole<[string], unknown>>[0], message: RegExp) =>
    t.rejects(
      withTenant(db, officer08, (trx) => compiledPerRole(build)(trx, officer08, 'a')),
      message,
    )
  await refused(
    (trx, _scope, id) => trx.selectFrom('audit_events').select('entity_id').where('entity_id', '=', id),
    /does not filter by the caller’s province/,
  )
  await refused(
    (trx, scope) => trx.selectFrom('audit_events').select('entity_id').where(inScope(scope, 'province_code')),
    /does not use argument 0/,
  )
  await refused(
    (trx, scope, id) =>
      trx
        .selectFrom('audit_events')
        .select('entity_id')
        .where(inScope(scope, 'province_code'))
        .where('entity_id', '=', id)
        .where('actor_sub', '=', scope.sub),
    /uses the caller’s sub or request id/,
  )
})

t.test(
  'compiled reads of several tenants at once, more than the pool has connections, see their own',
  async (t) => {
    // A read's compiled statement goes to the pool directly (compiledPerRole): a caller waiting for
    // a connection must get it in its own tenant context, not in that of the read that frees it.
    const read = (scope: Scope, id: string) =>
      withTenant(db, scope, (trx) => byEntity(trx, scope, id), { readOnly: true })
    const asked = [officer08, officer01, ministry].flatMap((scope) =>
      ['a', 'c'].map((id) => [scope, id] as const),
    )
    const seen = await Promise.all([1, 2, 3].flatMap(() => asked.map(([scope, id]) => read(scope, id))))
    const expected = [
      [{ entity_id: 'a' }],
      [],
      [],
      [{ entity_id: 'c' }],
      [{ entity_id: 'a' }],
      [{ entity_id: 'c' }],
    ]
    t.same(seen, [...expected, ...expected, ...expected])
  },
)

t.test('a compiled read that fails says where it was called from', async (t) => {
  const divide = compiledPerRole((trx, _scope: Scope, n: number) =>
    trx.selectNoFrom(sql<number>`1 / ${n}::int`.as('x')),
  )
  const error = await withTenant(db, ministry, (trx) => divide(trx, ministry, 0), { readOnly: true }).catch(
    (e: Error) => e,
  )
  t.match(error, { message: /division by zero/ })
  t.match((error as Error).stack, /test\/tenancy\.test\.ts/, 'the caller is in the stack')
})

t.test('a database handle that served only compiled reads ends its pool when closed', async (t) => {
  // Kysely ends the pool only if it ever used it; these reads go to the pool without it.
  const handle = await testDatabase(t)
  await withTenant(handle.db, officer08, (trx) => byEntity(trx, officer08, 'a'), { readOnly: true })
  t.equal(handle.pool.totalCount, 1)
  await handle.close()
  t.ok(handle.pool.ending, 'the pool is ended')
  t.equal(handle.pool.totalCount, 0, 'its connection is closed')
})

t.test('no tenancy setting → no rows', async (t) => {
  const rows = await db.transaction().execute(async (trx) => {
    await sql`select set_config('role', 'kc_app', true)`.execute(trx)
    return trx.selectFrom('audit_events').select('entity_id').execute()
  })
  t.same(rows, [])
  const forged = await db.transaction().execute(async (trx) => {
    await sql`select set_config('role', 'kc_app', true), set_config('kc.role', 'admin', true)`.execute(trx)
    return trx.selectFrom('audit_events').select('entity_id').execute()
  })
  t.same(forged, [], 'an unknown role sees nothing')
})

t.test(
  'a context that cannot be applied: no statement of the work runs, the connection serves the next caller',
  async (t) => {
    // A NUL cannot be stored in a setting (the token check refuses it before; this is the last line).
    const broken: Scope = { ...officer08, sub: 'officer\u0000-08' }
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(db)).rows[0]?.n
    const before = await count()
    for (const readOnly of [true, false]) {
      let answered = false
      // On one connection where a good caller's context is already prepared, so that the broken
      // one fails in the statement's own round trip, not in the preparing of the context.
      await db.connection().execute(async (conn) => {
        await withTenant(
          conn,
          officer01,
          (trx) => trx.selectFrom('audit_events').select('entity_id').execute(),
          {
            readOnly,
          },
        )
        await t.rejects(
          withTenant(
            conn,
            broken,
            async (trx) => {
              // The context goes with the statement, in one round trip: it fails, and so does this.
              await audit(trx, {
                entityType: 'thing',
                entityId: 'x',
                provinceCode: '08',
                action: 'create',
                after: {},
              })
              answered = true
            },
            { readOnly },
          ),
        )
      })
      t.notOk(answered, 'the work’s statement did not run')
      t.equal(await count(), before, 'nothing was written')
      const next = await withTenant(db, officer01, (trx) =>
        trx.selectFrom('audit_events').select('entity_id').execute(),
      )
      t.same(ids(next), ['c'], 'the next caller gets its own context on a clean connection')
    }
  },
)

t.test(
  'the setting is local to its transaction: nothing leaks to the next use of the connection',
  async (t) => {
    type Seen = { role: string | null; province: string | null; user: string; pid: number }
    const seen = (trx: typeof db) =>
      sql<Seen>`select current_setting('kc.role', true) as role, current_setting('kc.province', true) as province,
        current_user as user, pg_backend_pid() as pid`.execute(trx)
    for (const readOnly of [true, false]) {
      // The same connection inside and after the work (a pool would hand out another).
      await db.connection().execute(async (conn) => {
        const inside = await withTenant(
          conn,
          officer08,
          async (trx) => {
            await trx.selectFrom('audit_events').select('entity_id').execute()
            return (await seen(trx)).rows[0]
          },
          { readOnly },
        )
        t.equal(inside?.province, '08', 'set for every statement of the work')
        t.equal(inside?.user, 'kc_app')
        const after = (await seen(conn)).rows[0]
        t.equal(after?.pid, inside?.pid, 'the same connection')
        t.not(after?.role, 'province')
        t.not(after?.province, '08')
        t.not(after?.user, 'kc_app')
      })
    }
  },
)

t.test('a read cannot write: each of its statements runs read-only, in the caller’s context', async (t) => {
  // A record of the caller's own province: only the read-only transaction stands in the way.
  const write = (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
    trx
      .insertInto('legal_documents')
      .values({ ...resolution, province_code: '08' })
      .execute()
  await t.rejects(withTenant(db, officer08, write, { readOnly: true }), /read-only transaction/)
  // The second statement of a read is read-only too, not only the first.
  await t.rejects(
    withTenant(
      db,
      officer08,
      async (trx) => {
        await trx.selectFrom('audit_events').select('entity_id').execute()
        await write(trx)
      },
      { readOnly: true },
    ),
    /read-only transaction/,
  )
})

t.test('the service role cannot change or delete audit events', async (t) => {
  await t.rejects(
    withTenant(db, ministry, (trx) => trx.updateTable('audit_events').set({ action: 'forged' }).execute()),
    { code: '42501' },
  )
  await t.rejects(
    withTenant(db, ministry, (trx) => trx.deleteFrom('audit_events').execute()),
    { code: '42501' },
  )
  const count = await db
    .selectFrom('audit_events')
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow()
  t.equal(Number(count.n), 3)
})

t.test('a province cannot write an event about another province, nor without an actor', async (t) => {
  await t.rejects(
    withTenant(db, officer08, (trx) =>
      audit(trx, {
        entityType: 'thing',
        entityId: 'x',
        provinceCode: '01',
        action: 'create',
        after: {},
      }),
    ),
    { code: '42501' },
  )
  await t.rejects(
    db.transaction().execute(async (trx) => {
      await sql`select set_config('role', 'kc_app', true)`.execute(trx)
      await audit(trx, { entityType: 'thing', entityId: 'y', provinceCode: null, action: 'create' })
    }),
    { code: '42501' },
    'no tenancy settings, no actor: refused',
  )
})

t.test('a batch of events (an import) obeys the same rules, all or none', async (t) => {
  // Two events in row order: a creation of the first record the statement inserts (here given
  // directly, as the import's insert gives its rows), then an update given whole.
  const batch = async (trx: Trx, province: string | null, ids: [string, string]) => {
    const created = [{ id: ids[0], name: 'Mới', phone: '0912000001', email: null }]
    const update = batchEvent('collaborator', {
      entityId: ids[1],
      // Not 'update': the next test counts those.
      action: 'amend',
      before: { name: 'Cũ', phone: '0912000002' },
      after: { name: 'Mới', phone: '0912000003' },
    })
    const events = [creationInBatch(0), update as string]
    await sql`select ${auditBatch('collaborator', province, events, sql`${JSON.stringify(created)}::jsonb`)}`.execute(
      trx,
    )
  }
  await t.rejects(
    withTenant(db, officer08, (trx) => batch(trx, '01', ['b1', 'b2'])),
    { code: '42501' },
    'a batch about another province is refused',
  )
  await t.rejects(
    db.transaction().execute(async (trx) => {
      await sql`select set_config('role', 'kc_app', true)`.execute(trx)
      await batch(trx, null, ['b3', 'b3'])
    }),
    { code: '42501' },
    'no tenancy settings, no actor: refused',
  )
  await withTenant(db, officer08, (trx) => batch(trx, '08', ['b4', 'b5']))
  const written = await withTenant(db, ministry, (trx) =>
    trx
      .selectFrom('audit_events')
      .select([
        'entity_id',
        'action',
        'before',
        'after',
        'actor_sub',
        'actor_role',
        'actor_province',
        'request_id',
      ])
      .where('entity_id', 'in', ['b1', 'b2', 'b3', 'b4', 'b5'])
      .orderBy('seq')
      .execute(),
  )
  const actor = { actor_sub: 'officer-08', actor_role: 'province', actor_province: '08', request_id: 'r1' }
  const withheld = { changed: true }
  t.same(
    written,
    [
      {
        entity_id: 'b4',
        action: 'create',
        before: null,
        after: { id: 'b4', name: 'Mới', phone: withheld, email: null },
        ...actor,
      },
      {
        entity_id: 'b5',
        action: 'amend',
        before: { name: 'Cũ', phone: withheld },
        after: { name: 'Mới', phone: withheld },
        ...actor,
      },
    ],
    'in order, personal values withheld, the actor from the transaction; nothing of the refused ones',
  )
  // A creation names a record among those given, by a place inside them, and nothing else.
  const created = sql`${JSON.stringify([{ id: 'b6' }, { id: 'b7' }])}::jsonb`
  for (const events of [
    ['{"created":2}'],
    ['{"created":-1}'],
    ['{"created":0,"id":"b7"}'],
    ['{"a":"note"}'],
  ]) {
    await t.rejects(
      withTenant(db, officer08, (trx) =>
        sql`select ${auditBatch('collaborator', '08', events, created)}`.execute(trx),
      ),
      { code: '22023' },
      `refused: ${events[0]}`,
    )
  }
  t.throws(() => auditBatch('collaborator', '08', []), 'a batch without events is a programming error')
})

t.test('the audit writer keeps only what changed, and skips updates that change nothing', async (t) => {
  const written = await withTenant(db, officer08, (trx) =>
    audit(trx, {
      entityType: 'thing',
      entityId: 'a',
      provinceCode: '08',
      action: 'update',
      before: { name: 'Cũ', amount: 100, note: null },
      after: { name: 'Mới', amount: 100, note: null },
    }),
  )
  t.equal(written, true)
  const event = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'update')
    .executeTakeFirstOrThrow()
  t.same(event.before, { name: 'Cũ' })
  t.same(event.after, { name: 'Mới' })
  t.match(event, { actor_sub: 'officer-08', actor_role: 'province', actor_province: '08', request_id: 'r1' })

  const noop = await withTenant(db, officer08, (trx) =>
    audit(trx, {
      entityType: 'thing',
      entityId: 'a',
      provinceCode: '08',
      action: 'update',
      before: { name: 'Mới' },
      after: { name: 'Mới' },
    }),
  )
  t.equal(noop, false)
  const updates = await db.selectFrom('audit_events').select('id').where('action', '=', 'update').execute()
  t.equal(updates.length, 1)
})

t.test('a failed change leaves no audit event behind', async (t) => {
  await t.rejects(
    withTenant(db, officer08, async (trx) => {
      await audit(trx, {
        entityType: 'thing',
        entityId: 'z',
        provinceCode: '08',
        action: 'create',
      })
      throw new Error('the change itself failed')
    }),
  )
  const rows = await db.selectFrom('audit_events').select('id').where('entity_id', '=', 'z').execute()
  t.same(rows, [])
})

t.test(
  'a statement prepared in and out of a tenant context: the connection’s record of it stays true',
  async (t) => {
    // One connection: pg credits every ParseComplete of a pipeline to the query's name, so a context
    // parsed in the statement's pipeline would make it think the statement prepared ("does not
    // exist" later) or not ("already exists").
    await db.connection().execute(async (conn) => {
      const read = (trx: typeof db) =>
        trx.selectFrom('audit_events').select('entity_id').where('entity_id', '=', 'a').execute()
      const first = ids(await withTenant(conn, officer08, read, { readOnly: true }))
      t.ok(first.length > 0, 'the caller’s rows')
      for (const readOnly of [true, false, false]) {
        t.same(ids(await withTenant(conn, officer08, read, { readOnly })), first, `readOnly: ${readOnly}`)
      }
      t.ok(ids(await read(conn)).length >= first.length, 'and outside any context (as the owner)')
      const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_prepared_statements where statement = 'select "entity_id" from "audit_events" where "entity_id" = $1'`.execute(
        conn,
      )
      t.equal(rows[0]?.n, onPostgres ? 1 : 0, 'prepared once on PostgreSQL; PGlite prepares nothing')
    })
  },
)

t.test('a statement read again on its connection is parsed as the first read was', async (t) => {
  // On PostgreSQL a named statement is described once per connection; later reads reuse the
  // columns and parsers of that description (src/db/client.ts). PGlite names no statement.
  let descriptions = 0
  const count = (message: { name: string }) => {
    if (message.name === 'rowDescription') descriptions += 1
  }
  type Watched = {
    connection: { on(e: 'message', f: typeof count): void }
  }
  pool.once('acquire', (client) => (client as unknown as Watched).connection.on('message', count))
  await db.connection().execute(async (conn) => {
    const read = (trx: typeof db) =>
      sql<{ n: number; yes: boolean; day: string; at: string; list: string[]; none: null }>`
        select ${41}::int + 1 as n, ${'x'}::text = 'x' as yes, ${'2026-01-02'}::date as day,
          ${'2026-01-02T03:04:05Z'}::timestamptz as at, array[${'a'}::text, 'b'] as list, null::text as none`
        .execute(trx)
        .then((r) => r.rows)
    const expected = [
      { n: 42, yes: true, day: '2026-01-02', at: '2026-01-02T03:04:05.000Z', list: ['a', 'b'], none: null },
    ]
    for (const readOnly of [true, true, false, true]) {
      t.strictSame(await withTenant(conn, officer08, read, { readOnly }), expected, `readOnly: ${readOnly}`)
    }
  })
  t.equal(descriptions, onPostgres ? 1 : 4, 'described on the first read only, on PostgreSQL')
})

t.test(
  'PostgreSQL keeps the service’s statements prepared per connection, unless told not to',
  { skip: !process.env.DATABASE_URL && 'PostgreSQL only (PGlite has no pool of its own)' },
  async (t) => {
    for (const dbPreparedStatements of [true, false]) {
      const handle = await connectDatabase({
        databaseUrl: process.env.DATABASE_URL,
        dataDir: '',
        dbPoolMax: 1,
        dbPreparedStatements,
      })
      t.teardown(() => handle.close())
      // One connection: the second query runs where the first was prepared.
      await sql`select ${'a'}::text as x`.execute(handle.db)
      await sql`select ${'b'}::text as x`.execute(handle.db)
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_prepared_statements where statement like 'select $1::text%'`.execute(
        handle.db,
      )
      t.equal(rows[0]?.n, dbPreparedStatements ? 1 : 0, `DB_PREPARED_STATEMENTS=${dbPreparedStatements}`)
    }
  },
)
