// Who reports for a period (issue #16). Since the administrative reform of 1 July 2025 the 34
// provinces report; for periods that ended before it, the 63 former provinces did — a report
// for such a period belongs to a former province, recorded by the current province that
// succeeded it.
import { checkOrigin, type Trx } from '../db/tenancy.js'
import { invalidField, Problem } from '../lib/problems.js'

/** The day the 34 provinces replaced the 63. */
export const MERGER_DAY = '2025-07-01'

/** Whether a period's reporting units are the former provinces. */
export const beforeMerger = (period: { ends_on: string }) => period.ends_on < MERGER_DAY

/** The reporting unit: its current province and, before the merger, the former province. */
export interface Unit {
  province: string
  origin: string | null
}

/**
 * The unit a province reports as for a period: after the merger itself (naming a former province
 * is refused); before it a former province it succeeded — by default the one with its own code.
 */
export async function reportingUnit(
  trx: Trx,
  province: string,
  period: { code: string; ends_on: string },
  origin: string | null | undefined,
): Promise<Unit> {
  if (!beforeMerger(period)) {
    if (origin != null) {
      throw invalidField(
        'body',
        'origin_province_code',
        `must be empty: period ${period.code} ends after ${MERGER_DAY}, when province ${province} reports itself`,
      )
    }
    return { province, origin: null }
  }
  await checkOrigin(trx, province, origin ?? province).catch((error) => {
    if (!(error instanceof Problem)) throw error
    throw invalidField(
      'body',
      'origin_province_code',
      origin == null
        ? `is required: period ${period.code} ended before ${MERGER_DAY} and no former province has code ${province}`
        : `must be a former province merged into province ${province}`,
    )
  })
  return { province, origin: origin ?? province }
}
