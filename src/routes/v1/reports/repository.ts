// The scorecard's raw figures ("facts"): one row per province (or former province) and year,
// computed live from the tables in one query, so a write is in the next report. Each ask is a
// LATERAL subquery over the frame row, reaching its table through the (province, date or year)
// indexes; row-level security applies as everywhere (the caller's transaction, role kc_app).
import { type RawBuilder, sql } from 'kysely'
import { effective } from '../../../db/administrative-changes.ts'
import { nextVersion } from '../../../db/repository.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import { APPROVED_STATES } from '../../../domain/project-lifecycle.ts'
import { activeOn } from '../collaborators/repository.ts'

/** `current`: today's 34 provinces (earlier records counted under their successor); `former`: the 63. */
export type AsOf = 'current' | 'former'

/**
 * The raw figures of one province and year; numbers only, except the unit model. A `*_recorded`
 * figure counts the records of a kind the province holds: none means "no data", not zero.
 */
export interface Facts {
  key: string
  name: string
  year: number
  programmes_recorded: number
  programme_in_force: number
  documents_recorded: number
  norms_issued: number
  normative_issued: number
  schemes_recorded: number
  schemes_planned: number
  schemes_accepted: number
  schemes_due: number
  schemes_completed_on_time: number
  acceptances_due: number
  schemes_accepted_in_period: number
  pilot_schemes: number
  schemes_inspected: number
  approved_central: number
  paid_central: number
  approved_local: number
  paid_local: number
  approved_total: number
  approved_key_products: number
  certificates_recorded: number
  typical_products: number
  typical_products_province: number
  typical_products_region: number
  typical_products_national: number
  inspections: number
  open_follow_ups: number
  unit_model: string | null
  staff_entries: number
  staff_headcount: number
  staff_qualified: number
  staff_with_breakdown: number
  communes: number | null
  collaborators_recorded: number | null
  communes_covered: number | null
  allocations_recorded: number
  local_allocation: number
  central_allocation: number
  local_allocation_previous: number
  local_rules_recorded: number | null
  local_rules_in_force: number | null
  local_levels_raised: number | null
  activities: number
  digital_activities: number
  reach_viewers: number | null
  reach_listeners: number | null
  reach_copies: number | null
  reach_visits: number | null
  reach_participants: number | null
}

export interface FactsFilter {
  asOf: AsOf
  from: number
  to: number
  /** Only this province (current or former, as `asOf` says). */
  code?: string | undefined
  /** The figures of the year up to this day (a periodic report's period end), not the whole year. */
  until?: string | undefined
  /**
   * The day the figures are taken on (what is due by then): today by default; the demo's reports
   * give the day each was submitted, as the API froze them that day.
   */
  today?: string | undefined
  /**
   * A `*_recorded` figure as 1 or 0 (whether there are any), not how many: the scorecard reads
   * no more of it, and the first record answers (at a million establishments, some 27,000
   * certificates fewer for the ministry's scorecard, each checked by row-level security).
   */
  presence?: boolean | undefined
}

/** The day of a scheme's latest step into `state`: its decision date, else the day it was taken. */
const stepDay = (state: string) => sql`(
  select coalesce(t.decision_date, (t.occurred_at at time zone 'Asia/Ho_Chi_Minh')::date)
  from project_transitions t where t.project_id = p.id and t.to_state = ${state}
  order by t.seq desc limit 1)`

/** The states of a planned scheme, as an SQL list. */
const approvedStates = sql.join([...APPROVED_STATES])

/**
 * Money paid by the year's end only: a past year does not move when later money is paid. That is
 * the scheme's running total (disbursed_*) less what is dated after the year's end, looked for only
 * for a planned scheme (one of approvedStates) whose latest disbursement is
 * (disbursed_until, migration 0104): the sums read it only for those. As bigint (it is the
 * difference of two running totals within [0, approved]): sum() over bigint accumulates in a
 * 128-bit integer rather than in numeric, a few ms of the ministry's scorecard.
 */
const later = (source: string) => sql`
  case when p.state in (${approvedStates}) and p.disbursed_until > f.year_end then (
    select sum(case when d.kind = 'refund' then -d.amount else d.amount end)::bigint from disbursements d
    where d.project_id = p.id and d.date > f.year_end and d.funding_source = ${source}) end`

/**
 * Ask 6's support levels: the province's own rules (support_rules, level provincial), whether one is
 * in force at the end of the year, and whether one that took effect in the year set a higher cap —
 * a larger share of the cost, or a larger amount on the same basis — than the rule it follows for
 * the same content and type: the province's own earlier rule, or else the national one. Rules
 * belong to current provinces, so reporting by former province has none (no data).
 */
const localSupport = sql`
  select count(*) filter (where r.valid_from <= f.year_end)::int as local_rules_recorded,
    (count(*) filter (where r.valid_from <= f.year_end and coalesce(r.valid_to, f.year_end) >= f.year_end) > 0)::int
      as local_rules_in_force,
    (count(*) filter (where r.valid_from between f.year_start and f.year_end and exists (
      select from (
        select before.max_share_percent, before.max_amount, before.amount_basis
        from support_rules before
        where before.id <> r.id
          and before.activity_content is not distinct from r.activity_content
          and before.project_type is not distinct from r.project_type
          and before.valid_from < r.valid_from and coalesce(before.valid_to, r.valid_from) >= r.valid_from - 1
          and (before.level = 'national' or before.province_code = r.province_code)
        order by before.level = 'provincial' desc, before.valid_from desc
        limit 1
      ) before
      where r.max_share_percent > before.max_share_percent
        or (r.amount_basis = before.amount_basis and r.max_amount > before.max_amount)
    )) > 0)::int as local_levels_raised
  from support_rules r
  where r.level = 'provincial' and r.province_code = f.province`

const noLocalSupport = sql`
  select null::int as local_rules_recorded, null::int as local_rules_in_force, null::int as local_levels_raised`

export function factsQuery(trx: Trx, scope: Scope, f: FactsFilter) {
  const former = f.asOf === 'former'
  // A record belongs to a frame row by its current province and, reporting by former province,
  // by where it came from (records without an origin belong to the province of the same code). A
  // certificate holds its establishment's origin (migration 0102): no establishment is read. The
  // origin test is coalesce(origin, province) = key written out, so that an (origin_province_code,
  // …) index finds a former province's records instead of reading all of its successor's.
  const match = (alias: string): RawBuilder<boolean> => {
    const province = sql.ref(`${alias}.province_code`)
    const origin = sql.ref(`${alias}.origin_province_code`)
    return former
      ? sql`${province} = f.province and (${origin} = f.key or (${origin} is null and ${province} = f.key))`
      : sql`${province} = f.province`
  }
  const units = former
    ? sql`select code, code as key, name, successor_code as province from former_provinces`
    : sql`select code, code as key, name, code as province from provinces`
  const only = f.code ? sql`and u.key = ${f.code}` : sql``
  /** How many of `rows` (a FROM … WHERE …) there are, or with `presence` whether there are any. */
  const recorded = (rows: RawBuilder<unknown>) =>
    f.presence ? sql`exists (select from ${rows})::int` : sql`(select count(*) from ${rows})::int`
  const total = sql.join(
    ['central', 'local', 'counterpart', 'other'].map((s) => sql`coalesce(${sql.ref(`p.approved_${s}`)}, 0)`),
    sql` + `,
  )
  /** A scheme of the plan (approved or later): computed once per scheme, in `s`. */
  const planned = sql`s.planned`
  const reach = (unit: string) =>
    sql`sum(a.reach) filter (where a.reach_unit = ${unit})::float8 as ${sql.id(`reach_${unit}`)}`
  return sql<Facts>`
    with frame as (
      -- The name of the year (Thừa Thiên Huế until 2024, Huế from 2025).
      select u.key, ${effective(former ? 'former_province' : 'province', 'name', sql`make_date(y.year, 12, 31)`, 'u')}
          as name, u.province, y.year,
        make_date(y.year, 1, 1) as year_start,
        ${f.until ? sql`least(make_date(y.year, 12, 31), ${f.until}::date)` : sql`make_date(y.year, 12, 31)`}
          as year_end
      from (${units}) u
      cross join generate_series(${f.from}::int, ${f.to}::int) as y (year)
      where ${inScope(scope, 'u.province')} ${only}
    ), today as (
      select ${f.today ? sql`${f.today}::date` : sql`(now() at time zone 'Asia/Ho_Chi_Minh')::date`} as day,
        -- The acceptance period is the indicator's parameter: data the ministry changes.
        (select i.parameter::int from scorecard_indicators i where i.code = 'accepted_within_period_share')
          as acceptance_days
    )
    select f.key, f.name, f.year, legal.*, plans.*, products.*, oversight.*, organisation.*, staff.*,
      coverage.*, allocations.*, support.*, communication.*
    from frame f
    cross join today
    cross join lateral (
      select
        ${recorded(sql`programmes g
          where g.level = 'provincial' and ${match('g')} and g.decision_date <= f.year_end`)} as programmes_recorded,
        exists (select from programmes g
          where g.level = 'provincial' and ${match('g')} and g.status in ('approved', 'ended')
            and g.start_year <= f.year and g.end_year >= f.year and g.decision_date <= f.year_end
        )::int as programme_in_force,
        ${recorded(sql`legal_documents d where ${match('d')} and d.signed_date <= f.year_end`)}
          as documents_recorded,
        exists (select from legal_documents d
          where ${match('d')} and d.subject = 'technical_norms' and d.signed_date <= f.year_end
            and (d.expiry_date is null or d.expiry_date >= f.year_start)
        )::int as norms_issued,
        (select count(*) from legal_documents d
          where ${match('d')} and d.is_normative and d.signed_date between f.year_start and f.year_end
        )::int as normative_issued
    ) legal
    cross join lateral (
      select
        count(*)::int as schemes_recorded,
        count(*) filter (where ${planned})::int as schemes_planned,
        count(*) filter (where ${planned} and p.state in ('accepted', 'settled'))::int as schemes_accepted,
        -- Due: completed, or past its deadline today; on time: completed by the deadline.
        count(*) filter (where ${planned} and (s.completed is not null or s.deadline < today.day))::int
          as schemes_due,
        count(*) filter (where ${planned} and s.completed <= s.deadline)::int as schemes_completed_on_time,
        count(*) filter (where ${planned} and s.completed is not null
          and (s.accepted is not null or s.completed + today.acceptance_days < today.day))::int
          as acceptances_due,
        count(*) filter (where ${planned} and s.accepted <= s.completed + today.acceptance_days)::int
          as schemes_accepted_in_period,
        -- A pilot (đề án điểm) links two or more contents and lasts more than a year.
        count(*) filter (where ${planned} and p.kind = 'pilot' and cardinality(p.activity_contents) >= 2
          and p.planned_end > p.planned_start + interval '1 year')::int as pilot_schemes,
        count(*) filter (where ${planned} and p.id in (
          select unnest(i.project_ids) from inspections i
          where i.province_code = f.province and i.inspection_date between f.year_start and f.year_end
        ))::int as schemes_inspected,
        coalesce(sum(p.approved_central) filter (where ${planned}), 0)::float8 as approved_central,
        coalesce(sum(p.disbursed_central - coalesce(s.later_central, 0)) filter (where ${planned}), 0)::float8
          as paid_central,
        coalesce(sum(p.approved_local) filter (where ${planned}), 0)::float8 as approved_local,
        coalesce(sum(p.disbursed_local - coalesce(s.later_local, 0)) filter (where ${planned}), 0)::float8
          as paid_local,
        coalesce(sum(${total}) filter (where ${planned}), 0)::float8 as approved_total,
        -- The key products' lookup only for a scheme that names any.
        coalesce(sum(${total}) filter (where ${planned} and cardinality(p.key_product_ids) > 0
          and exists (select from key_products k
          where k.id = any(p.key_product_ids) and k.valid_from <= f.year_end
            and (k.valid_to is null or k.valid_to >= f.year_start))), 0)::float8 as approved_key_products
      from projects p
      -- The step lookups only for schemes that took the step (the state says so), the later money
      -- only for schemes that have any. Once per scheme: without "offset 0" PostgreSQL would copy
      -- each expression into every aggregate that reads it, a lookup or a state test per reference.
      cross join lateral (
        select p.state in (${approvedStates}) as planned, coalesce(p.planned_end, f.year_end) as deadline,
          coalesce(p.actual_end,
            case when p.state in ('completed', 'accepted', 'settled') then ${stepDay('completed')} end)
            as completed,
          case when p.state in ('accepted', 'settled') then ${stepDay('accepted')} end as accepted,
          ${later('central')} as later_central,
          ${later('local')} as later_local
        offset 0
      ) s
      where ${match('p')} and p.year = f.year
    ) plans
    cross join lateral (
      select
        ${recorded(sql`product_certificates c where ${match('c')} and c.issued_date <= f.year_end`)}
          as certificates_recorded,
        count(distinct c.product_id)::int as typical_products,
        count(distinct c.product_id) filter (where c.level = 'province')::int as typical_products_province,
        count(distinct c.product_id) filter (where c.level = 'region')::int as typical_products_region,
        count(distinct c.product_id) filter (where c.level = 'national')::int as typical_products_national
      from product_certificates c
      -- valid_until ≥ 1 January ⇔ issued two years before at the earliest: a range on the index.
      where ${match('c')} and not c.revoked
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
        count(*)::int as staff_entries,
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
            : recorded(sql`collaborators
                where collaborators.province_code = f.province and collaborators.start_date <= f.year_end`)
        }::int as collaborators_recorded,
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
        count(*) filter (where b.year = f.year)::int as allocations_recorded,
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
    cross join lateral (${former ? noLocalSupport : localSupport}) support
    cross join lateral (
      select count(*)::int as activities,
        count(*) filter (where a.is_digital)::int as digital_activities,
        ${sql.join(['viewers', 'listeners', 'copies', 'visits', 'participants'].map(reach))}
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
  sql<number | null>`parameter::float8`.as('parameter'),
  'met_codes',
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

/** Whether the database holds the demo dataset (src/demo): its figures are illustrative. */
export const demoLoaded = async (trx: Trx) =>
  (await trx.selectFrom('demo_data_loads').select('name').limit(1).executeTakeFirst()) !== undefined
