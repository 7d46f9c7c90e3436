// From raw figures to indicators: each indicator's value as a function of the facts, its status
// against the thresholds in scorecard_indicators, and the national roll-up (facts summed over the
// provinces, then the same functions — so a national share is total ÷ total, not a mean of shares).
import type { Facts, IndicatorRow } from './repository.ts'

export type Value = number | boolean | string | null
export type Status = 'met' | 'partly_met' | 'not_met' | 'no_data'
const STATUSES: Status[] = ['met', 'partly_met', 'not_met', 'no_data']

type Numbers = Omit<Facts, 'key' | 'name' | 'year' | 'unit_model'>

const ratio = (numerator: number, denominator: number | null) =>
  denominator ? Math.round((numerator / denominator) * 10_000) / 10_000 : null

/** A figure only where the province holds records of the kind it reads: none is "no data", not 0. */
const given = (recorded: number | null, value: number | null) => (recorded ? value : null)

/** Each indicator's value from the facts of one province (or the sum over provinces). */
const VALUES: Record<string, (f: Numbers) => number | null> = {
  local_programme_in_force: (f) => given(f.programmes_recorded, f.programme_in_force),
  technical_norms_issued: (f) => given(f.documents_recorded, f.norms_issued),
  normative_documents_issued: (f) => given(f.documents_recorded, f.normative_issued),
  schemes_planned: (f) => given(f.schemes_recorded, f.schemes_planned),
  schemes_accepted: (f) => given(f.schemes_recorded, f.schemes_accepted),
  schemes_completed_on_time: (f) => given(f.schemes_recorded, f.schemes_completed_on_time),
  completed_on_time_share: (f) => ratio(f.schemes_completed_on_time, f.schemes_due),
  accepted_within_period_share: (f) => ratio(f.schemes_accepted_in_period, f.acceptances_due),
  disbursed_to_approved_central: (f) => ratio(f.paid_central, f.approved_central),
  disbursed_to_approved_local: (f) => ratio(f.paid_local, f.approved_local),
  disbursed_to_allocated_central: (f) => ratio(f.paid_central, f.central_allocation),
  disbursed_to_allocated_local: (f) => ratio(f.paid_local, f.local_allocation),
  typical_products: (f) => given(f.certificates_recorded, f.typical_products),
  typical_products_per_100_communes: (f) =>
    given(f.certificates_recorded, ratio(f.typical_products * 100, f.communes)),
  typical_products_province: (f) => given(f.certificates_recorded, f.typical_products_province),
  typical_products_region: (f) => given(f.certificates_recorded, f.typical_products_region),
  typical_products_national: (f) => given(f.certificates_recorded, f.typical_products_national),
  pilot_schemes: (f) => given(f.schemes_recorded, f.pilot_schemes),
  key_product_money_share: (f) => ratio(f.approved_key_products, f.approved_total),
  inspections: (f) => given(f.inspections, f.inspections),
  schemes_inspected_share: (f) => ratio(f.schemes_inspected, f.schemes_planned),
  open_follow_ups: (f) => given(f.inspections, f.open_follow_ups),
  staff_headcount: (f) => given(f.staff_entries, f.staff_headcount),
  staff_trained_share: (f) => ratio(f.staff_qualified, f.staff_with_breakdown),
  collaborator_coverage: (f) => given(f.collaborators_recorded, ratio(f.communes_covered ?? 0, f.communes)),
  local_allocation: (f) => given(f.allocations_recorded, f.local_allocation),
  central_allocation: (f) => given(f.allocations_recorded, f.central_allocation),
  local_share_of_total: (f) => ratio(f.local_allocation, f.local_allocation + f.central_allocation),
  local_allocation_change: (f) =>
    ratio(f.local_allocation - f.local_allocation_previous, f.local_allocation_previous),
  local_support_rules_in_force: (f) => given(f.local_rules_recorded, f.local_rules_in_force),
  local_support_levels_raised: (f) => given(f.local_rules_recorded, f.local_levels_raised),
  communication_activities: (f) => given(f.activities, f.activities),
  communication_digital_share: (f) => ratio(f.digital_activities, f.activities),
  communication_reach_viewers: (f) => f.reach_viewers,
  communication_reach_listeners: (f) => f.reach_listeners,
  communication_reach_copies: (f) => f.reach_copies,
  communication_reach_visits: (f) => f.reach_visits,
  communication_reach_participants: (f) => f.reach_participants,
}

/** Every indicator: those computed from the facts, and the one that is a code. */
export const INDICATOR_CODES = [...Object.keys(VALUES), 'implementing_unit_model']

/** Whether the indicator grades at all: thresholds, or for a code the codes that meet it. */
const graded = (indicator: IndicatorRow) => indicator.met !== null || indicator.met_codes !== null

/** No value is "no data"; a code meets when it is one of `met_codes`; a number by the thresholds. */
export function status(indicator: IndicatorRow, value: Value): Status | null {
  if (value === null) return 'no_data'
  if (!graded(indicator)) return null
  if (typeof value === 'string') return indicator.met_codes?.includes(value) ? 'met' : 'not_met'
  if (indicator.met === null) return null
  const v = Number(value)
  const meets = (threshold: number) => (indicator.better === 'lower' ? v <= threshold : v >= threshold)
  if (meets(indicator.met)) return 'met'
  if (indicator.partly_met !== null && meets(indicator.partly_met)) return 'partly_met'
  return 'not_met'
}

/** How many of `statuses` are each status. */
const byStatus = (statuses: (Status | null | undefined)[]) =>
  Object.fromEntries(STATUSES.map((s) => [s, statuses.filter((x) => x === s).length])) as Record<
    Status,
    number
  >

const describe = (i: IndicatorRow) => ({
  code: i.code,
  ask: i.ask,
  label_vi: i.label_vi,
  label_en: i.label_en,
  unit: i.unit,
})

/** One province's (or former province's) scorecard for one year. */
export function scorecardRow(facts: Facts, indicators: IndicatorRow[]) {
  const list = indicators.map((i) => {
    const raw = i.unit === 'code' ? facts.unit_model : (VALUES[i.code]?.(facts) ?? null)
    const value = i.unit === 'boolean' && raw !== null ? raw === 1 : raw
    return { ...describe(i), value, status: status(i, value) }
  })
  return {
    province_code: facts.key,
    province_name: facts.name,
    year: facts.year,
    summary: byStatus(list.map((i) => i.status)),
    indicators: list,
  }
}

export type ScorecardRow = ReturnType<typeof scorecardRow>

/**
 * `sort`: `province_code` (default), `met` (indicators met), or an indicator's code; `-` first
 * for descending. Missing values go last either way; ties by province code.
 */
export function sortRows(rows: ScorecardRow[], sort: string): ScorecardRow[] {
  const descending = sort.startsWith('-')
  const key = descending ? sort.slice(1) : sort
  const pick = (row: ScorecardRow): Value =>
    key === 'province_code'
      ? row.province_code
      : key === 'met'
        ? row.summary.met
        : (row.indicators.find((i) => i.code === key)?.value ?? null)
  const compare = (a: Value, b: Value) => {
    if (a === b) return 0
    if (a === null) return 1
    if (b === null) return -1
    const order =
      typeof a === 'string' || typeof b === 'string'
        ? String(a).localeCompare(String(b))
        : Number(a) - Number(b)
    return descending ? -order : order
  }
  return [...rows].sort((x, y) => compare(pick(x), pick(y)) || x.province_code.localeCompare(y.province_code))
}

/** The national roll-up of one year's rows: totals, provinces by status, best and worst. */
export function nationalRollup(facts: Facts[], indicators: IndicatorRow[]) {
  const totals: Record<string, number | null> = {}
  for (const f of facts) {
    for (const [k, v] of Object.entries(f)) {
      if (k === 'key' || k === 'name' || k === 'year' || k === 'unit_model') continue
      totals[k] = v === null ? (totals[k] ?? null) : (totals[k] ?? 0) + (v as number)
    }
  }
  const sum = totals as unknown as Numbers
  const rows = facts.map((f) => scorecardRow(f, indicators))
  return indicators.map((i, n) => {
    const values = rows.map((r) => ({ code: r.province_code, value: r.indicators[n]?.value ?? null }))
    const provinces_by_status = graded(i) ? byStatus(rows.map((r) => r.indicators[n]?.status)) : null
    const base = { ...describe(i), better: i.better }
    if (i.unit === 'code') {
      const breakdown: Record<string, number> = {}
      for (const { value } of values)
        if (typeof value === 'string') breakdown[value] = (breakdown[value] ?? 0) + 1
      return { ...base, value: null, breakdown, best: null, worst: null, provinces_by_status }
    }
    const numeric = values
      .filter((v) => v.value !== null)
      .map((v) => ({ code: v.code, value: Number(v.value) }))
    const max = Math.max(...numeric.map((v) => v.value))
    const min = Math.min(...numeric.map((v) => v.value))
    // When every province has the same value (or none has one) no province is best or worst.
    const extreme = (highest: boolean) => {
      if (numeric.length === 0 || max === min) return null
      const target = highest ? max : min
      return { value: target, province_codes: numeric.filter((v) => v.value === target).map((v) => v.code) }
    }
    const higher = i.better === 'higher'
    return {
      ...base,
      // A yes/no indicator rolls up to the number of provinces where it holds.
      value: facts.length === 0 ? null : (VALUES[i.code]?.(sum) ?? null),
      breakdown: null,
      best: extreme(higher),
      worst: extreme(!higher),
      provinces_by_status,
    }
  })
}
