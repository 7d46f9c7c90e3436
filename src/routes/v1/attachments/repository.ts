import { type Insertable, type SelectQueryBuilder, sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { findByIdIn } from '../../../db/compiled.ts'
import type { Database } from '../../../db/schema.ts'
import type { AttachmentsTable } from '../../../db/tables/attachments.table.ts'
import { inScopeOrNational, type Scope, type Trx } from '../../../db/tenancy.ts'

export const COLUMNS = [
  'id',
  'province_code',
  'parent_type',
  'parent_id',
  'role',
  'filename',
  'media_type',
  'size',
  'sha256',
  'description',
  'uploaded_by',
  'created_at',
] as const

/** The attachments the caller may see: their province's and the national records'. */
const select = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('attachments')
    .select([...COLUMNS, 'chunk_size'])
    .where(inScopeOrNational(scope, 'attachments.province_code'))

export type AttachmentRow = RowOf<typeof select>

export const findById = findByIdIn(select, 'attachments.id')

/** A record's attachments, oldest first. */
export const listOf = (trx: Trx, scope: Scope, parentType: string, parentId: string) =>
  select(trx, scope)
    .where('parent_type', '=', parentType)
    .where('parent_id', '=', parentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()

/**
 * Until the transaction ends, no other upload to the record counts its attachments: two uploads at
 * once cannot both take the last place.
 */
export async function lockRecord(trx: Trx, parentId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${parentId}::text, 17))`.execute(trx)
}

/** How many attachments a record has. */
export async function countOf(trx: Trx, parentType: string, parentId: string): Promise<number> {
  const { n } = await trx
    .selectFrom('attachments')
    .select(sql<number>`count(*)::integer`.as('n'))
    .where('parent_type', '=', parentType)
    .where('parent_id', '=', parentId)
    .executeTakeFirstOrThrow()
  return n
}

/** The tables of records that keep attachments, each with its `attachment_count` (migration 0108). */
type ParentTable = {
  [T in keyof Database]: Database[T] extends { attachment_count: unknown } ? T : never
}[keyof Database]

/**
 * A record's `find` for its single representation (readVersioned), with how many attachments it has:
 * `find: withAttachmentCount('legal_documents', select)`. The count is kept on the record by the
 * trigger that moves its version on every upload and delete (migration 0108).
 */
export const withAttachmentCount = <TB extends ParentTable, O>(
  table: TB,
  select: (trx: Trx, scope: Scope) => SelectQueryBuilder<Database, TB, O>,
) =>
  findByIdIn(
    (trx: Trx, scope: Scope) =>
      select(trx, scope).select(sql<number>`${sql.ref(`${table}.attachment_count`)}`.as('attachment_count')),
    `${table}.id`,
  )

export const insert = (trx: Trx, values: Insertable<AttachmentsTable>) =>
  trx
    .insertInto('attachments')
    .values(values)
    .returning([...COLUMNS, 'chunk_size'])
    .executeTakeFirstOrThrow()

export async function insertChunk(
  trx: Trx,
  attachment: { id: string; province_code: string | null },
  n: number,
  data: Uint8Array,
) {
  await trx
    .insertInto('attachment_chunks')
    .values({ attachment_id: attachment.id, province_code: attachment.province_code, n, data })
    .execute()
}

/** Chunk n of an attachment, if the caller may see it. */
export const chunk = (trx: Trx, scope: Scope, id: string, n: number) =>
  trx
    .selectFrom('attachment_chunks')
    .select('data')
    .where('attachment_id', '=', id)
    .where('n', '=', n)
    .where(inScopeOrNational(scope, 'attachment_chunks.province_code'))
    .executeTakeFirst()

/** Deletes it; false when it was gone already (a concurrent delete). Attachments never change, so none is locked. */
export async function remove(trx: Trx, id: string): Promise<boolean> {
  const { numDeletedRows } = await trx
    .deleteFrom('attachments')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return numDeletedRows > 0n
}
