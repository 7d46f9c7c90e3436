// The scorecard's raw figures ("facts"): one row per province (or former province) and year,
// computed live from the tables in one query, so a write is in the next report. Each ask is a
// LATERAL subquery over the frame row, reaching its table through the (province, date or year)
// indexes; row-level security applies as everywhere (the caller's transaction, role kc_app).
import { type RawBuilder, sql } from 'kysely'
import { nextVersion } from '../../../db/repository.js'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.js'
import { APPROVED_STATES } from '../../../domain/project-lifecycle.js'
import { activeOn } from '../collaborators/repository.js'

/** `current`: today's 34 provinces (earlier records counted under their successor); `former`: the 63. */
export type AsOf = 'current' | 'former'

/** The raw figures of one province and year; numbers only, except the unit model. */
export interface Facts {
  key: string
  name: string
  year: number
  programme_in_force: number
  norms_issued: number
  documents_issued: number
  schemes_planned: number
  schemes_accepted: number
  schemes_on_time: number
  pilot_schemes: number
  schemes_inspected: number
  approved_central: number
  disbursed_central: number
  approved_local: number
  disbursed_local: number
  approved_total: number
  approved_key_products: number
  typical_products: number
  typical_products_province: number
  typical_products_region: number
  typical_products_national: number
  inspections: number
  open_follow_ups: number
  unit_model: string | null
  staff_headcount: number
  staff_qualified: number
  staff_with_breakdown: number
  communes: number | null
  communes_covered: number | null
  local_allocation: number
  central_allocation: number
  local_allocation_previous: number
  activities: number
  digital_activities: number
  reach: number
}

export interface FactsFilter {
  asOf: AsOf
  from: number
  to: number
  /** Only this province (current or former, as `asOf` says). */
  code?: string | undefined
}

const money = (column: string) => sql`coalesce(sum(${sql.ref(column)}), 0)::float8`

export function factsQuery(trx: Trx, scope: Scope, f: FactsFilter) {
  const former = f.asOf === 'former'
  // A record belongs to a frame row by its current province and, reporting by former province,
  // by where it came from (records without an origin belong to the province of the same code).
  const match = (alias: string): RawBuilder<boolean> =>
    former
      ? sql`${sql.ref(`${alias}.province_code`)} = f.province
          and coalesce(${sql.ref(`${alias}.origin_province_code`)}, ${sql.ref(`${alias}.province_code`)}) = f.key`
      : sql`${sql.ref(`${alias}.province_code`)} = f.province`
  const units = former
    ? sql`select code as key, name, successor_code as province from former_provinces`
    : sql`select code as key, name, code as province from provinces`
  const only = f.code ? sql`and u.key = ${f.code}` : sql``
  const approvedStates = sql.join([...APPROVED_STATES])
  const total = sql.join(
    ['central', 'local', 'counterpart', 'other'].map((s) => sql`coalesce(${sql.ref(`p.approved_${s}`)}, 0)`),
    sql` + `,
  )
  return sql<Facts>`
    with frame as (
      select u.key, u.name, u.province, y.year,
        make_date(y.year, 1, 1) as year_start, make_date(y.year, 12, 31) as year_end
      from (${units}) u
      cross join generate_series(${f.from}::int, ${f.to}::int) as y (year)
      where ${inScope(scope, 'u.province')} ${only}
    )
    select f.key, f.name, f.year, legal.*, plans.*, products.*, oversight.*, organisation.*, staff.*,
      coverage.*, allocations.*, communication.*
    from frame f
    cross join lateral (
      select
        exists (select from programmes g
          where g.level = 'provincial' and ${match('g')} and g.status in ('approved', 'ended')
            and g.start_year <= f.year and g.end_year >= f.year and g.decision_date <= f.year_end
        )::int as programme_in_force,
        exists (select from legal_documents d
          where ${match('d')} and d.subject = 'technical_norms' and d.signed_date <= f.year_end
            and (d.expiry_date is null or d.expiry_date >= f.year_start)
        )::int as norms_issued,
        (select count(*) from legal_documents d
          where ${match('d')} and d.signed_date between f.year_start and f.year_end
        )::int as documents_issued
    ) legal
    cross join lateral (
      select
        count(*)::int as schemes_planned,
        count(*) filter (where p.state in ('accepted', 'settled'))::int as schemes_accepted,
        count(*) filter (where acceptance.day <= coalesce(p.planned_end, f.year_end))::int as schemes_on_time,
        -- A pilot (đề án điểm) links two or more contents and lasts more than a year.
        count(*) filter (where p.kind = 'pilot' and cardinality(p.activity_contents) >= 2
          and p.planned_end > p.planned_start + interval '1 year')::int as pilot_schemes,
        count(*) filter (where p.id in (
          select unnest(i.project_ids) from inspections i
          where i.province_code = f.province and i.inspection_date between f.year_start and f.year_end
        ))::int as schemes_inspected,
        ${money('p.approved_central')} as approved_central,
        ${money('p.disbursed_central')} as disbursed_central,
        ${money('p.approved_local')} as approved_local,
        ${money('p.disbursed_local')} as disbursed_local,
        coalesce(sum(${total}), 0)::float8 as approved_total,
        coalesce(sum(${total}) filter (where exists (select from key_products k
          where k.id = any(p.key_product_ids) and k.valid_from <= f.year_end
            and (k.valid_to is null or k.valid_to >= f.year_start))), 0)::float8 as approved_key_products
      from projects p
      -- The state test inside: a scheme not accepted skips the lookup altogether.
      left join lateral (
        select coalesce(t.decision_date, (t.occurred_at at time zone 'Asia/Ho_Chi_Minh')::date) as day
        from project_transitions t
        where p.state in ('accepted', 'settled') and t.project_id = p.id and t.to_state = 'accepted'
        order by t.seq desc limit 1
      ) acceptance on true
      where ${match('p')} and p.year = f.year and p.state in (${approvedStates})
    ) plans
    cross join lateral (
      select
        count(distinct c.product_id)::int as typical_products,
        count(distinct c.product_id) filter (where c.level = 'province')::int as typical_products_province,
        count(distinct c.product_id) filter (where c.level = 'region')::int as typical_products_region,
        count(distinct c.product_id) filter (where c.level = 'national')::int as typical_products_national
      from product_certificates c
      ${former ? sql`join establishments e on e.id = c.establishment_id and ${match('e')}` : sql``}
      -- valid_until ≥ 1 January ⇔ issued two years before at the earliest: a range on the index.
      where c.province_code = f.province and not c.revoked
        and c.issued_date between make_date(f.year - 2, 1, 1) and f.year_end
        and c.valid_until >= f.year_start
    ) products
    cross join lateral (
      select count(*)::int as inspections, coalesce(sum(i.open_follow_ups), 0)::int as open_follow_ups
      from inspections i
      where ${match('i')} and i.inspection_date between f.year_start and f.year_end
    ) oversight
    cross join lateral (
      select (select u.unit_model from implementing_units u
        where ${match('u')} and u.status = 'active' order by u.created_at, u.id limit 1) as unit_model
    ) organisation
    cross join lateral (
      select
        coalesce(sum((s ->> 'headcount_total')::int), 0)::int as staff_headcount,
        coalesce(sum((s #>> '{by_qualification,postgraduate}')::int + (s #>> '{by_qualification,university}')::int
          + (s #>> '{by_qualification,college}')::int), 0)::int as staff_qualified,
        coalesce(sum((s ->> 'headcount_total')::int) filter (where s ? 'by_qualification'), 0)::int
          as staff_with_breakdown
      from implementing_units u
      cross join jsonb_array_elements(u.staff) s
      where ${match('u')} and (s ->> 'year')::int = f.year
    ) staff
    cross join lateral (
      select
        ${former ? sql`null` : sql`(select count(*) from communes c where c.province_code = f.province)`}::int
          as communes,
        ${
          former
            ? sql`null`
            : sql`(select count(distinct cc.commune_code) from collaborator_communes cc
                join collaborators on collaborators.id = cc.collaborator_id
                where cc.province_code = f.province and ${activeOn(sql`f.year_end`)})`
        }::int as communes_covered
    ) coverage
    cross join lateral (
      select
        coalesce(sum(b.amount) filter (where b.year = f.year and b.funding_source = 'local'), 0)::float8
          as local_allocation,
        coalesce(sum(b.amount) filter (where b.year = f.year and b.funding_source = 'central'), 0)::float8
          as central_allocation,
        coalesce(sum(b.amount) filter (where b.year = f.year - 1 and b.funding_source = 'local'), 0)::float8
          as local_allocation_previous
      from (
        select distinct on (b.origin_province_code, b.year, b.funding_source, b.activity_content)
          b.year, b.funding_source, b.amount
        from budget_allocations b
        where ${match('b')} and b.year between f.year - 1 and f.year
          and b.funding_source in ('local', 'central')
        order by b.origin_province_code, b.year, b.funding_source, b.activity_content, b.seq desc
      ) b
    ) allocations
    cross join lateral (
      select count(*)::int as activities,
        count(*) filter (where a.is_digital)::int as digital_activities,
        coalesce(sum(a.reach), 0)::float8 as reach
      from communication_activities a
      where ${match('a')} and a.date between f.year_start and f.year_end
    ) communication
    order by f.key, f.year`.execute(trx)
}

/** An indicator as the API shows it: thresholds as numbers. */
const INDICATOR_COLUMNS = [
  'code',
  'ask',
  'position',
  'label_vi',
  'label_en',
  'unit',
  'better',
  'definition',
  'version',
  'updated_at',
  sql<number | null>`met::float8`.as('met'),
  sql<number | null>`partly_met::float8`.as('partly_met'),
] as const

const selectIndicators = (trx: Trx) => trx.selectFrom('scorecard_indicators').select(INDICATOR_COLUMNS)

/** Every indicator with its thresholds, in scorecard order. */
export const indicators = (trx: Trx) => selectIndicators(trx).orderBy('position').execute()

export type IndicatorRow = Awaited<ReturnType<typeof indicators>>[number]

/** One indicator; locked when it is about to change. */
export const findIndicator = (trx: Trx, code: string, lock = false) => {
  const query = selectIndicators(trx).where('code', '=', code)
  return (lock ? query.forUpdate() : query).executeTakeFirst()
}

/** Changes an indicator; answers it as it now is. */
export const updateIndicator = (trx: Trx, code: string, changes: Record<string, unknown>) =>
  trx
    .updateTable('scorecard_indicators')
    .set({ ...changes, ...nextVersion })
    .where('code', '=', code)
    .returning(INDICATOR_COLUMNS)
    .executeTakeFirstOrThrow()
