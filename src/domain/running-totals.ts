// A scheme's money over time, per funding source: what was disbursed by each day (payments and
// advances less refunds, in date order) never leaves [0, what was approved on that day]. Pure: the
// caller reads the days (disbursements/repository.ts netByDay) and the decisions (moneyDecisions).

/** What a source moved on one day (refunds negative). */
export interface Day {
  date: string
  net: number
}

/** A decision on the money (approve, adjust): the amounts approved from its day. */
export interface Decision {
  decision_date: string
  amounts_after: Partial<Record<string, number | null>> | null
}

/**
 * What was approved from `source` on each day, as the decisions set it: the amount of the last one
 * dated on or before the day. Before the first, and where a decision kept no amounts, `current`.
 */
export function approvedOnDay(decisions: Decision[], source: string, current: number) {
  return (day: string) => {
    let approved = current
    for (const d of decisions) {
      if (d.decision_date > day) break
      approved = d.amounts_after?.[source] ?? approved
    }
    return approved
  }
}

/**
 * The first day, from `date` on, on which the running total leaves its bounds once `delta` moves on
 * `date`: below zero for a refund (dated before the payment it returns), above the day's approved
 * amount for a payment or an advance (dated before the refund that made room for it) and for a new
 * approved amount from `date` (delta 0). A change is refused only for the bound it moves towards:
 * a payment never for a day a refund left below zero before it. Days before `date` do not move.
 */
export function firstBreach(days: Day[], date: string, delta: number, approved: (day: string) => number) {
  const moved = days.some((d) => d.date === date)
    ? days.map((d) => (d.date === date ? { date, net: d.net + delta } : d))
    : [...days, { date, net: delta }].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  let total = 0
  for (const day of moved) {
    total += day.net
    if (day.date < date) continue
    const ceiling = approved(day.date)
    if (delta < 0 ? total < 0 : total > ceiling) return { date: day.date, total, approved: ceiling }
  }
  return null
}
