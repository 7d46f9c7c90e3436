// Every read and write of the import: the record of each import (establishment_imports, migration
// 0041) and the rows it writes. A job is created before the import starts, renewed by its heartbeat
// while it runs, and closed with its outcome. Every write to the record is a short transaction of
// its own — never the import's — except the one that marks a written import committed, which
// commits with its rows so that "committed" and the data cannot disagree.
import type { Kysely, RawBuilder, Selectable } from 'kysely'
import { sql } from 'kysely'
import { auditBatch } from '../../../../db/audit.ts'
import type { Database } from '../../../../db/schema.ts'
import type {
  EstablishmentImportsTable,
  JobStatus,
} from '../../../../db/tables/establishment-imports.table.ts'
import { inScope, type Scope, type Trx, withTenant } from '../../../../db/tenancy.ts'
import type { Noun } from '../../../../domain/nouns.ts'
import { type Problem, storedProblem } from '../../../../lib/problems.ts'
import { COLUMNS, type EstablishmentRow } from '../repository.ts'

/** What an import writes: its audit events' entity type. */
export const ENTITY: Noun = 'establishment'

export type { JobStatus }

export type JobRow = Selectable<EstablishmentImportsTable>

/** Who started an import: subjects are unique per issuer only. */
export interface Actor {
  issuer: string
  sub: string
  role: 'ministry' | 'province'
}

/** The counts and row errors of an import, as far as it got. */
export interface Progress {
  created: number
  updated: number
  unchanged: number
  failed: number
  errors: unknown[]
}

const counts = (p: Progress) => ({
  created: p.created,
  updated: p.updated,
  unchanged: p.unchanged,
  failed: p.failed,
})

const lease = (ms: number) => sql<string>`clock_timestamp() + make_interval(secs => ${ms / 1000})`

export interface NewJob {
  actor: Actor
  province: string
  key: string | undefined
  format: 'csv' | 'json'
  dryRun: boolean
  atomic: boolean
  instanceId: string
  leaseMs: number
}

/**
 * Records a running import. With an Idempotency-Key already used by the same caller in the same
 * province, records nothing and returns that import instead (`existing`).
 */
export function createJob(
  db: Kysely<Database>,
  scope: Scope,
  job: NewJob,
): Promise<{ row: JobRow; existing: boolean }> {
  return withTenant(db, scope, async (trx) => {
    const row = await trx
      .insertInto('establishment_imports')
      .values({
        province_code: job.province,
        actor_issuer: job.actor.issuer,
        actor_sub: job.actor.sub,
        actor_role: job.actor.role,
        idempotency_key: job.key ?? null,
        request_id: scope.requestId,
        format: job.format,
        dry_run: job.dryRun,
        atomic: job.atomic,
        lease_until: lease(job.leaseMs),
        instance_id: job.instanceId,
      })
      .onConflict((oc) =>
        oc
          .columns(['actor_issuer', 'actor_sub', 'actor_role', 'province_code', 'idempotency_key'])
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst()
    if (row) return { row, existing: false }
    const prior = await findByKey(trx, job.actor, job.province, job.key as string)
    return { row: prior as JobRow, existing: true }
  })
}

/**
 * A running job whose lease has passed was cut off with its instance: it is marked interrupted
 * (it wrote nothing: its transaction died with it). Readers call this before reading, so that a
 * job never reads `running` after its lease, whichever instance asks.
 */
function settleExpired(trx: Trx) {
  return trx
    .updateTable('establishment_imports')
    .set({ status: 'interrupted', finished_at: sql<string>`lease_until` })
    .where('status', '=', 'running')
    .where('lease_until', '<', sql<string>`clock_timestamp()`)
}

/** The import an Idempotency-Key names: scoped by issuer, subject, role and province. */
export async function findByKey(trx: Trx, actor: Actor, province: string, key: string) {
  const byKey = {
    actor_issuer: actor.issuer,
    actor_sub: actor.sub,
    actor_role: actor.role,
    province_code: province,
    idempotency_key: key,
  }
  await settleExpired(trx)
    .where((eb) => eb.and(byKey))
    .execute()
  return trx
    .selectFrom('establishment_imports')
    .selectAll()
    .where((eb) => eb.and(byKey))
    .executeTakeFirst()
}

export async function findJob(trx: Trx, scope: Scope, id: string) {
  await settleExpired(trx).where('id', '=', id).execute()
  return trx
    .selectFrom('establishment_imports')
    .selectAll()
    .where('id', '=', id)
    .where(inScope(scope, 'establishment_imports.province_code'))
    .executeTakeFirst()
}

/** The caller's visible imports, newest first, after settling the expired ones among them. */
export async function jobsQuery(trx: Trx, scope: Scope, province: string | undefined) {
  let settle = settleExpired(trx).where(inScope(scope, 'province_code'))
  if (province) settle = settle.where('province_code', '=', province)
  await settle.execute()
  // Every column but the row errors (up to a thousand per import), which a list does not show.
  let query = trx
    .selectFrom('establishment_imports')
    .select(['seq', ...SUMMARY_COLUMNS])
    .where(inScope(scope, 'establishment_imports.province_code'))
  if (province) query = query.where('province_code', '=', province)
  return query
}

/** Renews a running job's lease and records how far it got; false once it is no longer running. */
export function heartbeat(
  db: Kysely<Database>,
  scope: Scope,
  id: string,
  instanceId: string,
  leaseMs: number,
  progress: Progress,
): Promise<boolean> {
  return withTenant(db, scope, async (trx) => {
    const done = await trx
      .updateTable('establishment_imports')
      .set({ ...counts(progress), heartbeat_at: sql<string>`clock_timestamp()`, lease_until: lease(leaseMs) })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('instance_id', '=', instanceId)
      .executeTakeFirst()
    return done.numUpdatedRows > 0n
  })
}

/**
 * Closes a job with its outcome. Inside the import's transaction (`trx`) for a committed import;
 * otherwise in a transaction of its own. The outcome is the truth whatever the record said before
 * (a lease that passed while the import was in fact still alive is corrected).
 */
export async function finishJob(
  trxOrDb: { trx: Trx } | { db: Kysely<Database>; scope: Scope },
  id: string,
  status: Exclude<JobStatus, 'running'>,
  progress: Progress | undefined,
  failure?: Problem,
): Promise<JobRow> {
  const write = (trx: Trx) =>
    trx
      .updateTable('establishment_imports')
      .set({
        status,
        finished_at: sql<string>`clock_timestamp()`,
        ...(progress ? { ...counts(progress), errors: sql`${JSON.stringify(progress.errors)}::jsonb` } : {}),
        problem: failure ? sql`${JSON.stringify(storedProblem(failure))}::jsonb` : null,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
  return 'trx' in trxOrDb ? write(trxOrDb.trx) : withTenant(trxOrDb.db, trxOrDb.scope, write)
}

/** The columns a job shows but its row errors (up to a thousand), which a list leaves out. */
export const SUMMARY_COLUMNS = [
  'id',
  'province_code',
  'status',
  'format',
  'dry_run',
  'atomic',
  'created',
  'updated',
  'unchanged',
  'failed',
  'problem',
  'actor_sub',
  'started_at',
  'finished_at',
] as const satisfies readonly (keyof JobRow)[]

// ---------------------------------------------------------------------------------------------
// The rows

/**
 * The first row of each key of this import — `i:` an establishment a row targets, `e:` an
 * external id, `t:` an active tax code — in a temporary table of the import's transaction (gone
 * at its end), not in the heap: a file of millions of rows keeps memory flat. One query looks up a
 * batch's keys, one stores the batch's new ones.
 */
export class FirstRows {
  private created = false

  private readonly trx: Trx
  constructor(trx: Trx) {
    this.trx = trx
  }

  async of(keys: string[]): Promise<Map<string, number>> {
    if (!this.created) {
      // Keys compared byte by byte: their order means nothing, and the database's collation cost
      // a tenth of the table's time.
      await sql`create temporary table kc_import_keys (key text collate "C" primary key,
        first_row integer not null) on commit drop`.execute(this.trx)
      this.created = true
    }
    if (keys.length === 0) return new Map()
    const { rows } = await sql<{ key: string; first_row: number }>`
      select key, first_row from pg_temp.kc_import_keys where key = any(${keys}::text[])`.execute(this.trx)
    return new Map(rows.map((r) => [r.key, r.first_row]))
  }

  async add(firsts: Map<string, number>) {
    if (firsts.size === 0) return
    await sql`insert into pg_temp.kc_import_keys (key, first_row)
      select * from unnest(${[...firsts.keys()]}::text[], ${[...firsts.values()]}::integer[])`.execute(
      this.trx,
    )
  }
}

/**
 * Brings the planner's statistics of establishments up to date, the rows this transaction wrote
 * counted (migrations 0106, 0107): the import's statements are otherwise planned for the table as
 * it was (a million rows without the refresh: 93 µs of the database's time a row, against 82). Does
 * nothing when another transaction holds the table's statistics lock; once taken, the lock is held
 * until this transaction ends.
 */
export async function refreshStatistics(trx: Trx): Promise<void> {
  await sql`select kc_establishments_analyze()`.execute(trx)
}

/**
 * The stored establishments of the province that a batch's ids, active tax codes or external ids
 * name: each key looked up on its own unique index. The planner expects every key to find a row (it
 * cannot know that a new file's keys find none), so a query of a few thousand keys combined was
 * planned at times as a read of the whole province, made again for every batch, or in parallel —
 * 23–31 % of the import's time in the database at 2,000 rows a batch, against 5 %. A lateral lookup
 * limited to one row is planned as an index probe per key whatever the statistics say.
 */
export async function matching(
  trx: Trx,
  province: string,
  ids: string[],
  taxCodes: string[],
  externals: string[],
): Promise<EstablishmentRow[]> {
  const lookups: RawBuilder<unknown>[] = []
  if (ids.length) lookups.push(lookup(province, ids, 'uuid', sql`e.id = k.key`))
  if (taxCodes.length)
    lookups.push(lookup(province, taxCodes, 'text', sql`e.tax_code = k.key and e.status = 'active'`))
  if (externals.length) lookups.push(lookup(province, externals, 'text', sql`e.external_id = k.key`))
  if (lookups.length === 0) return []
  const { rows } = await sql<EstablishmentRow>`${sql.join(lookups, sql` union `)}`.execute(trx)
  return rows
}

const lookup = (province: string, keys: string[], type: 'uuid' | 'text', match: RawBuilder<unknown>) =>
  // Each key once: a key two rows name would bring its establishment twice.
  sql`select ${sql.join(COLUMNS.map((c) => sql.ref(`e.${c}`)))} from unnest(${[...new Set(keys)]}::${sql.raw(type)}[]) k(key),
    lateral (select * from establishments e where ${match} and e.province_code = ${province} limit 1) e`

/** Of these tax codes, those of an active establishment anywhere (another province's, without revealing it). */
export async function takenTaxCodes(trx: Trx, taxCodes: string[]): Promise<Set<string>> {
  if (taxCodes.length === 0) return new Set()
  const { rows } = await sql<{ taken: string[] }>`
    select kc_establishment_tax_codes_taken(${taxCodes}::text[]) as taken`.execute(trx)
  return new Set(rows[0]?.taken)
}

/** The transaction's time, as the API writes a timestamp: the created_at of the rows it inserts. */
export async function transactionTime(trx: Trx): Promise<string> {
  const { rows } = await sql<{ now: string }>`select now() as now`.execute(trx)
  return (rows[0] as { now: string }).now
}

/**
 * The writes of a batch after its updates, in one statement: the insert of its new establishments,
 * whole (the import builds each row), and the batch's audit events in row order (auditBatch()), whose
 * creations the database takes from the same rows. The rows go as one parameter, a JSON array
 * (`rows`, each row's JSON) — a statement of one value per cell cost Node more to build and send than
 * the database to run — read once for both. Null when the batch writes nothing. Built now, run later.
 */
export function writeBatch(province: string, rows: string[], events: string[]): RawBuilder<unknown> | null {
  if (rows.length === 0) return events.length ? sql`select ${auditBatch(ENTITY, province, events)}` : null
  const columns = sql.join(COLUMNS.map((c) => sql.ref(c)))
  // The rows carry the transaction's time to the millisecond, as the API shows it; stored in full.
  const values = sql.join(
    COLUMNS.map((c) => (c === 'created_at' || c === 'updated_at' ? sql`now()` : sql.ref(c))),
  )
  const sent = sql`(select records from batch)`
  return sql`with batch as materialized (select ${`[${rows.join(',')}]`}::jsonb as records),
    created as (insert into establishments (${columns}) select ${values}
      from jsonb_populate_recordset(null::establishments, ${sent}))
    select ${auditBatch(ENTITY, province, events, sent)}`
}
