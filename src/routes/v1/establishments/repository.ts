import { sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { versionedRepository } from '../../../db/repository.ts'
import type { EstablishmentsTable } from '../../../db/tables/establishments.table.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import { CNNT_KINDS } from '../../../lib/establishment-kinds.ts'
import type { SortKey } from '../../../lib/pagination.ts'
import { normalizeText } from '../../../lib/text.ts'

/** The columns of the API and of the CSV export (and so of the import template). */
export const COLUMNS = [
  'id',
  'province_code',
  'commune_code',
  'name',
  'kind',
  'tax_code',
  'industry',
  'vsic_code',
  'address',
  'year_founded',
  'employees',
  'main_products',
  'phone',
  'email',
  'priority_areas',
  'priority_products',
  'status',
  'origin_province_code',
  'external_id',
  'version',
  'created_at',
  'updated_at',
] as const satisfies (keyof EstablishmentsTable)[]

export interface EstablishmentFilters {
  province_code?: string | undefined
  commune_code?: string | undefined
  kind?: string | undefined
  cnnt?: boolean | undefined
  industry?: string | undefined
  status?: string | undefined
  priority_area?: string | undefined
  priority_product?: string | undefined
  q?: string | undefined
  has_certified_product?: boolean | undefined
}

const table = versionedRepository('establishments', COLUMNS)
export const { findById, findForUpdate, insert, update, remove } = table

export type EstablishmentRow = RowOf<typeof table.select>

export const SORT: SortKey<EstablishmentRow>[] = [{ column: 'establishments.id', field: 'id', type: 'uuid' }]

export function listQuery(trx: Trx, scope: Scope, f: EstablishmentFilters) {
  let query = table.select(trx, scope)
  if (f.province_code) query = query.where('province_code', '=', f.province_code)
  if (f.commune_code) query = query.where('commune_code', '=', f.commune_code)
  if (f.kind) query = query.where('kind', '=', f.kind)
  if (f.cnnt !== undefined) query = query.where('kind', f.cnnt ? 'in' : 'not in', CNNT_KINDS)
  if (f.industry) query = query.where('industry', '=', f.industry)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.priority_area) query = query.where(sql<boolean>`priority_areas @> array[${f.priority_area}]::text[]`)
  if (f.priority_product)
    query = query.where(sql<boolean>`priority_products @> array[${f.priority_product}]::text[]`)
  if (f.has_certified_product !== undefined) {
    const certified = sql<boolean>`exists (select 1 from product_certificates c
      where c.establishment_id = establishments.id and not c.revoked
        and c.issued_date <= current_date and c.valid_until >= current_date)`
    query = query.where(f.has_certified_product ? certified : sql<boolean>`not ${certified}`)
  }
  if (f.q) {
    // Every word of q occurs in the name (the CSV export walks the id index and filters; the ranked
    // page goes through kc_establishment_search(), which matches the same way with the trigram index).
    query = query.where(sql<boolean>`search_name like all (kc_search_patterns(${normalizeText(f.q)}))`)
  }
  return query
}

/**
 * A name search: one page of the best matches (rank, then id), no cursor. The matches and their
 * rank come from kc_establishment_search() (migration 0032: it can use the trigram index under
 * row-level security); the rows are read here as usual, under the policy and inScope(). The
 * matches are sorted first, behind `offset 0`, so that the join reads establishments down the
 * ranking and stops at the page, instead of reading every match (100,000 for "gom") to sort them.
 */
export function searchQuery(trx: Trx, scope: Scope, f: EstablishmentFilters & { q: string }, limit: number) {
  const match = sql<{
    establishment_id: string
    rank: number
  }>`(select * from kc_establishment_search(${normalizeText(f.q)})
    order by rank desc, establishment_id offset 0)`
  return listQuery(trx, scope, { ...f, q: undefined })
    .innerJoin(match.as('match'), 'match.establishment_id', 'establishments.id')
    .orderBy('match.rank', 'desc')
    .orderBy('match.establishment_id')
    .limit(limit)
}

/** Whether an active establishment other than `except` has this tax code, in any province. */
/**
 * What keeps an establishment from being deleted: its products (with them would go their
 * certificates, the ministry's decisions among them, and none of it audited) and the schemes that
 * name it a beneficiary, as far as the caller sees them.
 */
export async function holdsOn(trx: Trx, id: string) {
  const [products, schemes] = await Promise.all([
    trx
      .selectFrom('establishment_products')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('establishment_id', '=', id)
      .executeTakeFirstOrThrow(),
    trx
      .selectFrom('projects')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(sql<boolean>`${id}::uuid = any(beneficiary_establishment_ids)`)
      .executeTakeFirstOrThrow(),
  ])
  return { products: products.n, schemes: schemes.n }
}

export async function taxCodeTaken(trx: Trx, taxCode: string, except?: string): Promise<boolean> {
  const { rows } = await sql<{ taken: boolean }>`
    select kc_establishment_tax_code_taken(${taxCode}, ${except ?? null}::uuid) as taken`.execute(trx)
  return rows[0]?.taken === true
}

/** Whether `code` is a commune of the province. */
export const isCommuneOf = async (trx: Trx, province: string, code: string) =>
  (await trx
    .selectFrom('communes')
    .select('code')
    .where('code', '=', code)
    .where('province_code', '=', province)
    .executeTakeFirst()) !== undefined

/** Whether an establishment of the province other than `except` has this external id. */
export async function externalIdTaken(trx: Trx, province: string, externalId: string, except?: string) {
  let clash = trx
    .selectFrom('establishments')
    .select('id')
    .where('province_code', '=', province)
    .where('external_id', '=', externalId)
  if (except) clash = clash.where('id', '<>', except)
  return (await clash.executeTakeFirst()) !== undefined
}

/** The commune codes of a province. */
export async function communesOf(trx: Trx, province: string): Promise<Set<string>> {
  const rows = await trx.selectFrom('communes').select('code').where('province_code', '=', province).execute()
  return new Set(rows.map((r) => r.code))
}

/** The former provinces merged into a province. */
export async function originsOf(trx: Trx, province: string): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('former_provinces')
    .select('code')
    .where('successor_code', '=', province)
    .execute()
  return new Set(rows.map((r) => r.code))
}

/** The schemes the caller may read that list the establishment among their beneficiaries, newest first. */
export const schemesSupporting = (trx: Trx, scope: Scope, establishmentId: string) =>
  trx
    .selectFrom('projects')
    .select(['id', 'province_code', 'year', 'title', 'funding_level', 'state', 'activity_contents'])
    .where(inScope(scope, 'projects.province_code'))
    .where(sql<boolean>`beneficiary_establishment_ids @> array[${establishmentId}]::uuid[]`)
    .orderBy('year', 'desc')
    .orderBy('id')
    .limit(1000)
    .execute()
