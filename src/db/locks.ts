// A lock on a name for the rest of the transaction, for "one per …" rules that no row can be
// locked for yet (the row does not exist): a second writer of the same name waits for the first
// to commit and then sees its row, so it can be told which record was first.
import { sql } from 'kysely'
import type { Trx } from './tenancy.ts'

/** Takes the transaction-scoped advisory lock of `parts` (joined), waiting for its holder. */
export async function lockName(trx: Trx, ...parts: string[]): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${parts.join('\u001f')}, 0))`.execute(trx)
}
