// Timeliness of a report against its due date, and the rates a ministry reads first (as DHIS2
// reports them for its data sets): expected, actual and on-time reports, reporting rate and
// on-time rate. Days are days in Vietnam (UTC+7).

export const TIMELINESS = ['on_time', 'late', 'overdue'] as const
export type Timeliness = (typeof TIMELINESS)[number]

/** The day in Vietnam of an instant. */
export const dayInVietnam = (instant: string) =>
  new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10)

/**
 * `on_time`: submitted by the due date; `late`: submitted after it; `overdue`: not submitted and
 * past due; null: not submitted and not yet due.
 */
export function timeliness(due: string, submittedAt: string | null, today: string): Timeliness | null {
  if (submittedAt) return dayInVietnam(submittedAt) <= due ? 'on_time' : 'late'
  return today > due ? 'overdue' : null
}

export interface Rates {
  expected: number
  actual: number
  on_time: number
  /** actual ÷ expected; null when nothing is expected. */
  reporting_rate: number | null
  /** on time ÷ expected; null when nothing is expected. */
  on_time_rate: number | null
}

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000)

/** The rates of a set of expected reports, each with its timeliness. */
export function rates(reports: { timeliness: Timeliness | null }[]): Rates {
  const expected = reports.length
  const actual = reports.filter((r) => r.timeliness === 'on_time' || r.timeliness === 'late').length
  const on_time = reports.filter((r) => r.timeliness === 'on_time').length
  return {
    expected,
    actual,
    on_time,
    reporting_rate: ratio(actual, expected),
    on_time_rate: ratio(on_time, expected),
  }
}
