// The record of each import (migration 0041): created before the import starts, renewed by its
// heartbeat while it runs, and closed with its outcome. Every write here is a short transaction of
// its own — never the import's — except the one that marks a written import committed, which
// commits with its rows so that "committed" and the data cannot disagree.
import type { Kysely, Selectable } from 'kysely'
import { sql } from 'kysely'
import { Type } from 'typebox'
import type { Database } from '../../../db/schema.js'
import type { EstablishmentImportsTable, JobStatus } from '../../../db/tables/establishment-imports.table.js'
import { inScope, type Scope, type Trx, withTenant } from '../../../db/tenancy.js'
import { type Problem, problemBody } from '../../../lib/problems.js'
import { ProvinceCode } from '../../../lib/schemas.js'

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
        problem: failure ? sql`${JSON.stringify(problemBody(failure))}::jsonb` : null,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
  return 'trx' in trxOrDb ? write(trxOrDb.trx) : withTenant(trxOrDb.db, trxOrDb.scope, write)
}

// ---------------------------------------------------------------------------------------------
// The representation

export const jobPath = (id: string) => `/v1/establishments/imports/${id}`

/** The columns a job shows but its row errors (up to a thousand), which a list leaves out. */
const SUMMARY_COLUMNS = [
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

/** A job as the list of imports shows it. */
export const summaryView = (row: Pick<JobRow, (typeof SUMMARY_COLUMNS)[number]>) => ({
  id: row.id,
  province_code: row.province_code,
  status: row.status,
  format: row.format,
  dry_run: row.dry_run,
  atomic: row.atomic,
  committed: row.status === 'committed',
  created: row.created,
  updated: row.updated,
  unchanged: row.unchanged,
  failed: row.failed,
  problem: (row.problem ?? null) as never,
  actor_sub: row.actor_sub,
  started_at: row.started_at,
  finished_at: row.finished_at,
})

/** A job as the API shows it, with its row errors. */
export const jobView = (row: JobRow) => ({ ...summaryView(row), errors: row.errors as never[] })

export const JobStatusSchema = Type.Union(
  [
    Type.Literal('running'),
    Type.Literal('committed'),
    Type.Literal('validated'),
    Type.Literal('failed'),
    Type.Literal('interrupted'),
  ],
  {
    description:
      'Trạng thái — `running`; `committed`: ran to its end and its rows were written (with `atomic=false`, ' +
      'the good ones); `validated`: a dry run that found no error — nothing written; `failed`: rows ' +
      'refused in all-or-nothing mode, a dry run that found errors, or the file could not be read ' +
      '(`problem`) — nothing written; `interrupted`: its server stopped before the end (shutdown, crash, ' +
      'lost database) — nothing written.',
    examples: ['committed'],
  },
)

export const jobFields = {
  id: Type.String({ format: 'uuid', description: 'Mã lần nhập — the import’s id.' }),
  province_code: { ...ProvinceCode, description: 'Tỉnh — the province imported into.' },
  status: JobStatusSchema,
  format: Type.Union([Type.Literal('csv'), Type.Literal('json')], {
    description: 'Định dạng — the body’s format.',
  }),
  atomic: Type.Boolean({ description: 'Tất cả hoặc không — whether the import was all-or-nothing.' }),
  problem: Type.Union(
    [
      Type.Object(
        {
          type: Type.String({
            description: 'Loại lỗi — problem type URI.',
            examples: ['/problems/validation_failed'],
          }),
          title: Type.String({ description: 'Tiêu đề — short summary of the problem type.' }),
          status: Type.Integer({ description: 'Mã trạng thái HTTP — the status it was answered with.' }),
          detail: Type.String({ description: 'Chi tiết — what went wrong.' }),
          code: Type.String({ description: 'Mã lỗi — stable machine code.' }),
          errors: Type.Optional(
            Type.Array(Type.Ref('FieldError'), { description: 'Các trường lỗi — failing fields.' }),
          ),
        },
        { description: 'Chi tiết lỗi (RFC 9457) — the problem the import ended with.' },
      ),
      Type.Null(),
    ],
    {
      description:
        'Lỗi — why a `failed` import stopped when not because of its rows (e.g. an unreadable file); else null.',
    },
  ),
  actor_sub: Type.String({ description: 'Người nhập — the subject of the token that started it.' }),
  started_at: Type.String({ format: 'date-time', description: 'Bắt đầu — when it started.' }),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'Kết thúc — when it ended; null while running.',
  }),
}
