// An append-only ledger: a revision is a new row, nothing is updated or deleted, and the row in
// force for a key is computed (is_current). So the functions are written out here rather than
// taken from versionedRepository(), whose update would bump the version of an existing row.
import { type Insertable, sql } from 'kysely'
import type { RowOf } from '../../../db/columns.ts'
import { findByIdIn } from '../../../db/compiled.ts'
import type { BudgetAllocationsTable } from '../../../db/tables/budget-allocations.table.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import { APPROVED_STATES } from '../../../domain/project-lifecycle.ts'
import type { SortKey } from '../../../lib/pagination.ts'
import { FUNDING_SOURCES } from '../projects/schemas.ts'

/** Rows of the same key as the outer row, recorded after it: the allocation is superseded when there is one. */
const laterOfSameKey = sql<boolean>`exists (
  select from budget_allocations later
  where later.allocated_to = budget_allocations.allocated_to
    and later.origin_province_code is not distinct from budget_allocations.origin_province_code
    and later.year = budget_allocations.year
    and later.funding_source = budget_allocations.funding_source
    and later.activity_content is not distinct from budget_allocations.activity_content
    and later.seq > budget_allocations.seq)`

export const CSV_COLUMNS = [
  'id',
  'province_code',
  'year',
  'funding_source',
  'activity_content',
  'amount',
  'type',
  'is_current',
  'decision_number',
  'decision_date',
  'decision_issuer',
  'origin_province_code',
  'notes',
  'created_by',
  'version',
  'created_at',
  'updated_at',
  // Added later: at the end, so that a client reading columns by position keeps working.
  'recipient_unit',
] as const

const select = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('budget_allocations')
    .select([
      'budget_allocations.id',
      'budget_allocations.province_code',
      'budget_allocations.recipient_unit',
      'budget_allocations.year',
      'budget_allocations.funding_source',
      'budget_allocations.activity_content',
      'budget_allocations.type',
      'budget_allocations.decision_number',
      'budget_allocations.decision_date',
      'budget_allocations.decision_issuer',
      'budget_allocations.origin_province_code',
      'budget_allocations.notes',
      'budget_allocations.created_by',
      'budget_allocations.version',
      'budget_allocations.created_at',
      'budget_allocations.updated_at',
    ])
    .select([
      sql<number>`budget_allocations.amount::float8`.as('amount'),
      sql<boolean>`not ${laterOfSameKey}`.as('is_current'),
    ])
    .where(inScope(scope, 'budget_allocations.province_code'))

export type BudgetAllocationRow = RowOf<typeof select>

export const SORT: SortKey<BudgetAllocationRow>[] = [
  { column: 'budget_allocations.year', field: 'year', type: 'integer', direction: 'desc' },
  { column: 'budget_allocations.id', field: 'id', type: 'uuid', direction: 'desc' },
]

export interface BudgetAllocationFilters {
  province_code?: string | undefined
  origin_province_code?: string | undefined
  year?: number | undefined
  funding_source?: string | undefined
  activity_content?: string | undefined
  type?: string | undefined
  is_current?: boolean | undefined
}

export function listQuery(trx: Trx, scope: Scope, f: BudgetAllocationFilters) {
  let query = select(trx, scope)
  if (f.province_code) query = query.where('budget_allocations.province_code', '=', f.province_code)
  if (f.origin_province_code)
    query = query.where('budget_allocations.origin_province_code', '=', f.origin_province_code)
  if (f.year) query = query.where('budget_allocations.year', '=', f.year)
  if (f.funding_source) query = query.where('budget_allocations.funding_source', '=', f.funding_source)
  if (f.activity_content) query = query.where('budget_allocations.activity_content', '=', f.activity_content)
  if (f.type) query = query.where('budget_allocations.type', '=', f.type)
  if (f.is_current !== undefined) {
    query = query.where(f.is_current ? sql<boolean>`not ${laterOfSameKey}` : laterOfSameKey)
  }
  return query
}

export const findById = findByIdIn(select, 'budget_allocations.id')

/** Records an allocation or a revision (a new row); its id, to read it back with is_current. */
export async function insert(trx: Trx, values: Insertable<BudgetAllocationsTable>) {
  const { id } = await trx
    .insertInto('budget_allocations')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * Which allocations a province filter of the summary means: a current province its own rows
 * (province_code), a former one the rows that came from it (origin_province_code); undefined
 * when the code is neither.
 */
export async function provinceColumn(trx: Trx, code: string) {
  const current = await trx.selectFrom('provinces').select('code').where('code', '=', code).executeTakeFirst()
  if (current) return 'province_code' as const
  const former = await trx
    .selectFrom('former_provinces')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst()
  return former ? ('origin_province_code' as const) : undefined
}

export interface AllocationKey {
  province_code: string | null
  recipient_unit: string | null
  origin_province_code: string | null
  year: number
  funding_source: string
  activity_content: string | null
}

/** The allocation rows of a key (for: one original per key; a revision needs one). */
export const rowsOfKey = (trx: Trx, k: AllocationKey) =>
  trx
    .selectFrom('budget_allocations')
    .select(['id', 'type'])
    .where('province_code', 'is not distinct from', k.province_code)
    .where('recipient_unit', 'is not distinct from', k.recipient_unit)
    .where(sql<boolean>`origin_province_code is not distinct from ${k.origin_province_code}`)
    .where('year', '=', k.year)
    .where('funding_source', '=', k.funding_source)
    .where(sql<boolean>`activity_content is not distinct from ${k.activity_content}`)
    .execute()

// ---------------------------------------------------------------------------------------------
// The summary: allocations in force, money approved to schemes and disbursed, per group. Both
// sides carry the same dimensions (current province, former province, year, source, content) so
// that one GROUP BY serves every grouping and the former-province filter.

export interface SummaryFilters {
  year?: number | undefined
  funding_source?: string | undefined
  /** A current province: its rows; a former province: the rows that came from it. */
  province?: { column: 'province_code' | 'origin_province_code'; code: string } | undefined
}

const GROUP_COLUMN = {
  province: 'province_code',
  funding_source: 'funding_source',
  activity_content: 'activity_content',
  year: 'year',
} as const

export type SummaryGroup = keyof typeof GROUP_COLUMN

export function summaryQuery(trx: Trx, scope: Scope, group: SummaryGroup, f: SummaryFilters) {
  // Provinces only: an allocation to a national unit (no province) is listed, not summed here.
  const where = (alias: string) => {
    const parts = [
      inScope(scope, `${alias}.province_code`),
      sql<boolean>`${sql.ref(`${alias}.province_code`)} is not null`,
    ]
    if (f.year) parts.push(sql<boolean>`${sql.ref(`${alias}.year`)} = ${f.year}`)
    if (f.province) parts.push(sql<boolean>`${sql.ref(`${alias}.${f.province.column}`)} = ${f.province.code}`)
    return sql.join(parts, sql` and `)
  }
  const sources = sql.join(
    FUNDING_SOURCES.map(
      (s) =>
        sql`(${s}, case when p.state in (${sql.join([...APPROVED_STATES])}) then coalesce(${sql.ref(`p.approved_${s}`)}, 0) else 0 end, ${sql.ref(`p.disbursed_${s}`)})`,
    ),
  )
  const sourceFilter = f.funding_source ? sql`where funding_source = ${f.funding_source}` : sql``
  const column = sql.ref(`facts.${GROUP_COLUMN[group]}`)
  return sql<{
    key: string | number | null
    allocated: number
    approved: number
    disbursed: number
    disbursement_rate: number | null
  }>`
    with facts as (
      select * from (
        select distinct on (b.province_code, b.origin_province_code, b.year, b.funding_source, b.activity_content)
          b.province_code, b.origin_province_code, b.year, b.funding_source, b.activity_content,
          b.amount as allocated, 0::bigint as approved, 0::bigint as disbursed
        from budget_allocations b
        where ${where('b')}
        order by b.province_code, b.origin_province_code, b.year, b.funding_source, b.activity_content, b.seq desc
      ) allocations
      union all
      select p.province_code, p.origin_province_code, p.year, m.funding_source, p.activity_contents[1],
        0::bigint, m.approved, m.disbursed
      from projects p
      cross join lateral (values ${sources}) as m (funding_source, approved, disbursed)
      where ${where('p')}
    )
    select ${column} as key,
      sum(allocated)::float8 as allocated,
      sum(approved)::float8 as approved,
      sum(disbursed)::float8 as disbursed,
      round(sum(disbursed) / nullif(sum(allocated), 0), 4)::float8 as disbursement_rate
    from facts
    ${sourceFilter}
    group by ${column}
    having sum(allocated) > 0 or sum(approved) > 0 or sum(disbursed) > 0
    order by ${column} nulls first`.execute(trx)
}
