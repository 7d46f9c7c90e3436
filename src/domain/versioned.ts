// The write conventions, implemented once: Idempotency-Key on creates, If-Match on updates,
// deletes and state changes. Handlers call createOnce() and precondition(); nothing else reads
// those headers.
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { audit } from '../db/audit.ts'
import type { Scope, Trx } from '../db/tenancy.ts'
import { entityTags } from '../lib/entity-tags.ts'
import { invalidField, type Localized, problem } from '../lib/problems.ts'
import { type Noun, notFound } from './nouns.ts'

/** Resources carry an integer version; their ETag is that version, quoted. */
export const versionTag = (version: number) => `"${version}"`

export const idempotencyHeader = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Khóa chống trùng — a client-chosen unique key (e.g. a UUID). A retry with the same key and body ' +
        'returns the first response (with `Idempotent-Replayed: true`) instead of creating a duplicate; the ' +
        'same key with another body is refused with 422. Keys are kept 24 hours per caller.',
      examples: ['6f1c2e9a-6a4e-4d47-9d0f-1a8d3c2b7e10'],
    }),
  ),
})

// Required by the contract; a request without it gets 428 (RFC 6585), not the validator's 400
// (plugins/preconditions.ts answers before validation).
export const ifMatchHeader = Type.Object({
  'if-match': Type.String({
    minLength: 1,
    maxLength: 100,
    description:
      'Phiên bản đang sửa — the `ETag` of the version being changed (RFC 9110 §13.1.1, strong comparison: ' +
      'a weak `W/"3"` never matches), a list of them, or `*` (any current version). None → 428; one that is ' +
      'not the current version → 412 with the current `ETag`.',
    examples: ['"3"'],
  }),
})

/**
 * Whose an Idempotency-Key is: the issuer, subject, role and province of the token. A subject is
 * unique per issuer only, and the same subject may act for two provinces (or as ministry and
 * province): each such caller has keys of its own, so none replays another's record. Import
 * jobs scope theirs by the same four, kept as the job's own actor columns.
 */
export const keyScope = (user: { issuer: string; sub: string; role: string; province: string | null }) =>
  JSON.stringify([user.issuer, user.sub, user.role, user.province ?? ''])

/** JSON with every object's keys in order: the same request whatever order a client wrote them in. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )

/**
 * Runs `work` (which creates a record) at most once per caller (keyScope()) and key: a retry
 * replays the stored response. The key is claimed in the same transaction as the record, so a
 * failed create leaves the key free and a concurrent retry waits for the first to finish.
 * A request whose body is not JSON (a file) names what identifies it as `fingerprint`.
 */
export function createOnce<T extends object>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: (trx: Trx, scope: Scope) => Promise<{ body: T; location: string }>,
  fingerprint: unknown = request.body,
): Promise<T> {
  const key = request.headers['idempotency-key'] as string | undefined
  const caller = keyScope(request.user)
  return request.tenant(async (trx, scope) => {
    if (key) {
      const hashOf = (body: string) =>
        createHash('sha256')
          .update(`${request.method} ${request.url.split('?')[0]}\n${body}`)
          .digest('base64url')
      const hash = hashOf(canonicalJson(fingerprint))
      const claimed = await trx
        .insertInto('idempotency_keys')
        .values({ caller, actor_sub: scope.sub, key, request_hash: hash })
        .onConflict((oc) =>
          oc
            .columns(['caller', 'key'])
            .doUpdateSet({
              request_hash: hash,
              status_code: null,
              response: null,
              location: null,
              created_at: sql`now()`,
            })
            .where('idempotency_keys.created_at', '<', sql<string>`now() - interval '24 hours'`),
        )
        .returning('key')
        .executeTakeFirst()
      if (!claimed) {
        const prior = await trx
          .selectFrom('idempotency_keys')
          .selectAll()
          .where('caller', '=', caller)
          .where('key', '=', key)
          .executeTakeFirstOrThrow()
        // A key claimed before the hash was canonical (within its 24 hours) matches as it was made.
        if (prior.request_hash !== hash && prior.request_hash !== hashOf(JSON.stringify(fingerprint))) {
          throw problem(
            'unprocessable',
            {
              vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác.',
              en: 'This Idempotency-Key was already used with a different request.',
            },
            {
              errors: [
                {
                  in: 'headers',
                  pointer: '/idempotency-key',
                  detail: {
                    vi: 'đã được dùng cho một yêu cầu khác',
                    en: 'was used with a different request',
                  },
                },
              ],
            },
          )
        }
        reply.code(prior.status_code ?? 201).header('idempotent-replayed', 'true')
        if (prior.location) reply.header('location', prior.location)
        return prior.response as T
      }
    }
    const { body, location } = await work(trx, scope)
    if (key) {
      await trx
        .updateTable('idempotency_keys')
        .set({ status_code: 201, response: sql`${JSON.stringify(body)}::jsonb`, location })
        .where('caller', '=', caller)
        .where('key', '=', key)
        .execute()
    }
    reply.code(201).header('location', location)
    return body
  })
}

/**
 * POST, once for every versioned resource: Idempotency-Key, the resource's own insert, the audit
 * event, and the answer's Location and ETag.
 */
export function createVersioned<R extends Versioned>(
  request: FastifyRequest,
  reply: FastifyReply,
  o: { entity: string; path: string; create: (trx: Trx, scope: Scope) => Promise<R> },
): Promise<R> {
  return createOnce(request, reply, async (trx, scope) => {
    const row = await o.create(trx, scope)
    await audit(trx, {
      entityType: o.entity,
      entityId: row.id,
      provinceCode: row.province_code,
      action: 'create',
      after: row,
    })
    return { body: row, location: `${o.path}/${row.id}` }
  }).then((row) => {
    reply.header('etag', versionTag(row.version))
    return row
  })
}

/** The 428 of a change sent without If-Match. */
export const preconditionRequired = () =>
  problem('precondition_required', {
    vi: 'Hãy gửi If-Match kèm ETag của phiên bản bạn đang sửa.',
    en: 'Send If-Match with the ETag of the version you are changing.',
  })

/**
 * If-Match (RFC 9110 §13.1.1) of an update, delete or state change, read before any work: missing
 * → 428, not a list of entity tags → 400. Returns the check to run on the locked record's version:
 * `*` matches any current version, otherwise one tag of the list must match it by strong
 * comparison (a weak tag never does) — else 412 with the current ETag.
 */
export function precondition(request: FastifyRequest): (version: number) => void {
  const matches = ifMatch(request)
  return (version) =>
    matches(versionTag(version), {
      vi: `phiên bản hiện tại là ${version}`,
      en: `its version is now ${version}`,
    })
}

/**
 * The same for a record whose ETag is not a version (an attachment's is its hash): the check
 * takes the current ETag, and what the 412 says of it.
 */
export function ifMatch(request: FastifyRequest): (etag: string, now: Localized) => void {
  const header = request.headers['if-match']?.trim()
  if (!header) throw preconditionRequired()
  if (header === '*') return () => {}
  // Strong comparison: a weak tag never matches.
  const tags = entityTags(header)?.flatMap((t) => (t.weak ? [] : [t.opaque]))
  if (!tags) {
    throw invalidField('headers', 'if-match', {
      vi: 'phải là một ETag do API này trả về (ví dụ "3"), một danh sách ETag hoặc *',
      en: 'must be an ETag returned by this API (e.g. "3"), a list of them or *',
    })
  }
  return (etag, now) => {
    if (!tags.includes(etag)) throw stale(etag, now)
  }
}

/** The 412 of a stale If-Match, carrying the current ETag so the client can re-read. */
const stale = (etag: string, now: Localized) =>
  problem(
    'precondition_failed',
    {
      vi: `Bản ghi đã thay đổi kể từ khi bạn đọc: ${now.vi}.`,
      en: `The record changed since you read it: ${now.en}.`,
    },
    {},
    { etag },
  )

/** What every versioned tenant record has. */
export interface Versioned {
  id: string
  province_code: string | null
  version: number
  updated_at: string
}

interface VersionedWrite<R extends Versioned> {
  /** Audit entity type (`legal_document`), which also names it in messages (domain/nouns.ts). */
  entity: Noun
  id: string
  /** The current row, visible to the caller and locked (`for update`), or undefined. */
  find: (trx: Trx, scope: Scope, id: string) => Promise<R | undefined>
  /** Who may change it; by default its province's officers (see provinceForWrite). */
  authorize: (scope: Scope, current: R) => void
}

/** Carries a no-op patch's unchanged row out of its (rolled back) transaction. */
class Unchanged<R> extends Error {
  readonly row: R
  constructor(row: R) {
    super('unchanged')
    this.row = row
  }
}

/** A record without what changes on every write, as audit events compare it. */
export const withoutMeta = ({ version: _v, updated_at: _u, ...rest }: Versioned) => rest

/**
 * Every change of one record, guarded by If-Match (read before any work): in one transaction the
 * locked row (404 when not visible), who may change it, its version, then `work`.
 */
function guarded<R extends Versioned, T>(
  request: FastifyRequest,
  o: VersionedWrite<R>,
  work: (trx: Trx, scope: Scope, current: R) => Promise<T>,
): Promise<T> {
  const matches = precondition(request)
  return request.tenant(async (trx, scope) => {
    const current = await o.find(trx, scope, o.id)
    if (!current) throw notFound(o.entity, o.id)
    o.authorize(scope, current)
    matches(current.version)
    return work(trx, scope, current)
  })
}

/**
 * A change that is not a merge patch (a lifecycle step): `change` writes, audits and returns the
 * record as it now is; the answer carries its new ETag.
 */
export async function changeVersioned<R extends Versioned>(
  request: FastifyRequest,
  reply: FastifyReply,
  o: VersionedWrite<R> & { change: (trx: Trx, scope: Scope, current: R) => Promise<R> },
): Promise<R> {
  const changed = await guarded(request, o, o.change)
  reply.header('etag', versionTag(changed.version))
  return changed
}

/**
 * PATCH, once for every resource: If-Match against the locked row, the resource's own write,
 * the audit event. A patch that changes nothing keeps the version (same ETag, no event).
 */
export async function updateVersioned<R extends Versioned>(
  request: FastifyRequest,
  reply: FastifyReply,
  o: VersionedWrite<R> & { write: (trx: Trx, scope: Scope, current: R) => Promise<R> },
): Promise<R> {
  const updated = await guarded(request, o, async (trx, scope, current) => {
    const next = await o.write(trx, scope, current)
    const changed = await audit(trx, {
      entityType: o.entity,
      entityId: current.id,
      provinceCode: current.province_code,
      action: 'update',
      before: withoutMeta(current),
      after: withoutMeta(next),
    })
    if (!changed) throw new Unchanged(current)
    return next
  }).catch((error) => {
    if (error instanceof Unchanged) return error.row as R
    throw error
  })
  reply.header('etag', versionTag(updated.version))
  return updated
}

/** DELETE, once for every resource: If-Match against the locked row, the delete, the audit event. */
export async function deleteVersioned<R extends Versioned>(
  request: FastifyRequest,
  reply: FastifyReply,
  o: VersionedWrite<R> & { remove: (trx: Trx, scope: Scope, current: R) => Promise<void> },
) {
  await guarded(request, o, async (trx, scope, current) => {
    await o.remove(trx, scope, current)
    await audit(trx, {
      entityType: o.entity,
      entityId: current.id,
      provinceCode: current.province_code,
      action: 'delete',
      before: current,
    })
  })
  return reply.code(204).send(null)
}

/** GET of one record, once for every versioned resource: 404 when not visible, else its ETag. */
export async function readVersioned<R extends Versioned>(
  request: FastifyRequest,
  reply: FastifyReply,
  o: Pick<VersionedWrite<R>, 'entity' | 'id' | 'find'>,
): Promise<R> {
  const row = await request.tenant((trx, scope) => o.find(trx, scope, o.id))
  if (!row) throw notFound(o.entity, o.id)
  reply.header('etag', versionTag(row.version))
  return row
}
