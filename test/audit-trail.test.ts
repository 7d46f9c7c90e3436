// The audit trail does not trust the application: the attacks a compromised service could try,
// performed with the service's own connection. Written events carry the actor of the request.
import { sql } from 'kysely'
import t from 'tap'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { withTenant } from '../src/db/tenancy.ts'
import { buildTestApp, onPostgres, SERVICE_ROLE } from './helpers/app.ts'
import { cast } from './helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()

const created = await app.inject({
  method: 'POST',
  url: '/v1/collaborators',
  headers: { ...as.officer08, 'x-request-id': 'audit-trail-test-1' },
  payload: { full_name: 'Lê Văn Tâm', start_date: '2024-01-01' },
})
const collaboratorId = created.json().id as string
const count = async () =>
  Number((await sql<{ n: string }>`select count(*) as n from audit_events`.execute(database.db)).rows[0]?.n)
const events = await count()

t.test('an event written through the API carries the actor of the token and the request', async (t) => {
  t.equal(created.statusCode, 201)
  const res = await app.inject({
    url: `/v1/audit-events?entity_type=collaborator&entity_id=${collaboratorId}`,
    headers: as.ministry,
  })
  t.match(res.json().items, [
    {
      action: 'create',
      actor: { sub: 'officer-08', role: 'province', province: '08' },
      request_id: 'audit-trail-test-1',
    },
  ])
})

// A raw statement on the service's own connection, in a transaction rolled back afterwards.
const asService = (statement: string) =>
  app.db.transaction().execute(async (trx) => {
    await sql.raw(statement).execute(trx)
  })

const FORGED = `insert into audit_events (actor_sub, actor_role, actor_province, province_code, entity_type,
  entity_id, action) values ('someone-else', 'ministry', null, '08', 'collaborator', '${collaboratorId}', 'delete')`

t.test(
  'the service’s login role cannot delete, change or forge events, nor become the owner',
  { skip: onPostgres ? false : 'PGlite has one user, a superuser: the login separation is PostgreSQL’s' },
  async (t) => {
    const { rows } = await sql<{ user: string; owns: string }>`
      select current_user as "user", (select count(*) from pg_class where relowner = (
        select oid from pg_roles where rolname = current_user)) as owns`.execute(app.db)
    t.same(rows[0], { user: SERVICE_ROLE, owns: '0' }, 'the service connects as a role that owns nothing')
    const refused = { code: '42501' }
    await t.rejects(asService('reset role; delete from audit_events'), refused, 'RESET ROLE; DELETE')
    await t.rejects(asService(`reset role; update audit_events set actor_sub = 'x'`), refused, 'UPDATE')
    await t.rejects(asService(`reset role; ${FORGED}`), refused, 'INSERT naming another actor')
    await t.rejects(asService('truncate audit_events'), refused, 'TRUNCATE')
    const owner = (await sql<{ owner: string }>`select current_user as owner`.execute(database.db)).rows[0]
    await t.rejects(asService(`set role ${owner?.owner}`), refused, 'SET ROLE to the owner')
    await t.rejects(migrateToLatest(app.db), /may not migrate: the schema belongs to/, 'nor migrate')
    t.equal(await count(), events, 'every event is still there')
  },
)

t.test('as kc_app in a request’s transaction: no update, no delete, no forged insert', async (t) => {
  const scope = { sub: 'ministry-1', role: 'ministry' as const, province: null, requestId: 'r' }
  const refused = { code: '42501' }
  const tenant = (statement: string) => withTenant(app.db, scope, (trx) => sql.raw(statement).execute(trx))
  await t.rejects(tenant('delete from audit_events'), refused, 'DELETE')
  await t.rejects(tenant(`update audit_events set actor_sub = 'x'`), refused, 'UPDATE')
  await t.rejects(tenant(FORGED), refused, 'INSERT naming another actor')
  // The one way in takes its actor from the transaction, whatever the arguments say.
  await withTenant(app.db, scope, (trx) =>
    sql`select kc_audit('08', 'collaborator', ${collaboratorId}, 'note', null, null)`.execute(trx),
  )
  const { rows } = await sql<{ actor_sub: string; actor_role: string; request_id: string }>`
    select actor_sub, actor_role, request_id from audit_events where action = 'note'`.execute(database.db)
  t.same(rows, [{ actor_sub: 'ministry-1', actor_role: 'ministry', request_id: 'r' }])
})

t.test('even the owner cannot delete, change or truncate events', async (t) => {
  const refused = { code: '42501' }
  await t.rejects(sql`delete from audit_events`.execute(database.db), refused, 'DELETE')
  await t.rejects(sql`update audit_events set actor_sub = 'x'`.execute(database.db), refused, 'UPDATE')
  await t.rejects(sql`truncate audit_events`.execute(database.db), refused, 'TRUNCATE')
  t.equal(await count(), events + 1)
})

t.test(
  'a service that can act as the owner is warned of, and refused in production',
  { skip: onPostgres ? false : 'PGlite has one user, a superuser: the login separation is PostgreSQL’s' },
  async (t) => {
    const config = { ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent' as const, migrateOnStart: false }
    await t.rejects(
      buildApp({ config: { ...config, env: 'production' }, database }),
      /the audit trail is not protected/,
    )
  },
)
