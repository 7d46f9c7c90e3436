// A product's representation holds its certificates, so a certificate recorded or revoked is a new
// version of the product too: else a client holding the product's ETag would get 304 and keep
// showing a revoked certificate as valid. Every writer of certificates (the routes, the demo) calls it.
import { sql } from 'kysely'
import type { Trx } from '../db/tenancy.ts'

export const productChanged = (trx: Trx, productId: string) =>
  trx
    .updateTable('establishment_products')
    .set({ version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', productId)
    .execute()
