// From raw figures to indicators: each indicator's value as a function of the facts, its status
// against the thresholds in scorecard_indicators, and the national roll-up (facts summed over the
// provinces, then the same functions — so a national share is total ÷ total, not a mean of shares).
import type { Facts, IndicatorRow } from './repository.js'

export type Value = number | boolean | string | null
export type Status = 'met' | 'partly_met' | 'not_met'

type Numbers = Omit<Facts, 'key' | 'name' | 'year' | 'unit_model'>

const ratio = (numerator: number, denominator: number | null) =>
  denominator ? Math.round((numerator / denominator) * 10_000) / 10_000 : null

/** Each indicator's value from the facts of one province (or the sum over provinces). */
const VALUES: Record<string, (f: Numbers) => number | null> = {
  local_programme_in_force: (f) => f.programme_in_force,
  technical_norms_issued: (f) => f.norms_issued,
  legal_documents_issued: (f) => f.documents_issued,
  schemes_planned: (f) => f.schemes_planned,
  schemes_accepted: (f) => f.schemes_accepted,
  schemes_accepted_on_time: (f) => f.schemes_on_time,
  accepted_on_time_share: (f) => ratio(f.schemes_on_time, f.schemes_planned),
  disbursement_rate_central: (f) => ratio(f.disbursed_central, f.approved_central),
  disbursement_rate_local: (f) => ratio(f.disbursed_local, f.approved_local),
  typical_products: (f) => f.typical_products,
  typical_products_province: (f) => f.typical_products_province,
  typical_products_region: (f) => f.typical_products_region,
  typical_products_national: (f) => f.typical_products_national,
  pilot_schemes: (f) => f.pilot_schemes,
  key_product_money_share: (f) => ratio(f.approved_key_products, f.approved_total),
  inspections: (f) => f.inspections,
  schemes_inspected_share: (f) => ratio(f.schemes_inspected, f.schemes_planned),
  open_follow_ups: (f) => f.open_follow_ups,
  staff_headcount: (f) => f.staff_headcount,
  staff_trained_share: (f) => ratio(f.staff_qualified, f.staff_with_breakdown),
  collaborator_coverage: (f) => (f.communes_covered === null ? null : ratio(f.communes_covered, f.communes)),
  local_allocation: (f) => f.local_allocation,
  central_allocation: (f) => f.central_allocation,
  local_to_central_ratio: (f) => ratio(f.local_allocation, f.central_allocation),
  local_allocation_change: (f) =>
    ratio(f.local_allocation - f.local_allocation_previous, f.local_allocation_previous),
  communication_activities: (f) => f.activities,
  communication_digital_share: (f) => ratio(f.digital_activities, f.activities),
  communication_reach: (f) => f.reach,
}

/** Every indicator: those computed from the facts, and the one that is a code. */
export const INDICATOR_CODES = [...Object.keys(VALUES), 'implementing_unit_model']

export function status(indicator: IndicatorRow, value: Value): Status | null {
  if (indicator.met === null || value === null || typeof value === 'string') return null
  const v = Number(value)
  const meets = (threshold: number) => (indicator.better === 'lower' ? v <= threshold : v >= threshold)
  if (meets(indicator.met)) return 'met'
  if (indicator.partly_met !== null && meets(indicator.partly_met)) return 'partly_met'
  return 'not_met'
}

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
  const count = (s: Status) => list.filter((i) => i.status === s).length
  return {
    province_code: facts.key,
    province_name: facts.name,
    year: facts.year,
    summary: { met: count('met'), partly_met: count('partly_met'), not_met: count('not_met') },
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
    const provinces = (s: Status) => rows.filter((r) => r.indicators[n]?.status === s).length
    const base = { ...describe(i), better: i.better }
    if (i.unit === 'code') {
      const breakdown: Record<string, number> = {}
      for (const { value } of values)
        if (typeof value === 'string') breakdown[value] = (breakdown[value] ?? 0) + 1
      return { ...base, value: null, breakdown, best: null, worst: null, provinces_by_status: null }
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
      provinces_by_status:
        i.met === null
          ? null
          : { met: provinces('met'), partly_met: provinces('partly_met'), not_met: provinces('not_met') },
    }
  })
}
