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
  action: string
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
      const amount = d.amounts_after?.[source]
      if (typeof amount === 'number' && Number.isFinite(amount)) approved = amount
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
 * `checkpoints` are days on which the ceiling changes (the decisions): a total carried into a lower
 * ceiling breaks it there, though no money moved that day.
 */
export function firstBreach(
  days: Day[],
  date: string,
  delta: number,
  approved: (day: string) => number,
  checkpoints: string[] = [],
) {
  const net = new Map(days.map((d) => [d.date, d.net]))
  net.set(date, (net.get(date) ?? 0) + delta)
  for (const day of checkpoints) if (!net.has(day)) net.set(day, 0)
  let total = 0
  for (const day of [...net.keys()].sort()) {
    total += net.get(day) ?? 0
    if (day < date) continue
    const ceiling = approved(day)
    if (delta < 0 ? total < 0 : total > ceiling) return { date: day, total, approved: ceiling }
  }
  return null
}
