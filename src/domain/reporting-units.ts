// Who reports for a period (issue #16). Since the administrative reform of 1 July 2025 the 34
// provinces report; for periods that ended before it, the 63 former provinces did — a report
// for such a period belongs to a former province, recorded by the current province that
// succeeded it.
import { checkOrigin, type Trx } from '../db/tenancy.ts'
import { FieldErrors, invalidField } from '../lib/problems.ts'
import { todayInVietnam } from '../lib/schemas.ts'

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
      throw invalidField('body', 'origin_province_code', {
        vi: `phải để trống: kỳ ${period.code} kết thúc sau ngày ${MERGER_DAY}, khi tỉnh/thành phố ${province} tự báo cáo`,
        en: `must be empty: period ${period.code} ends after ${MERGER_DAY}, when province ${province} reports itself`,
      })
    }
    return { province, origin: null }
  }
  const fails = new FieldErrors()
  await checkOrigin(trx, fails, province, origin ?? province)
  if (fails.any && origin == null) {
    throw invalidField('body', 'origin_province_code', {
      vi: `là bắt buộc: kỳ ${period.code} kết thúc trước ngày ${MERGER_DAY} và không có tỉnh cũ nào mang mã ${province}`,
      en: `is required: period ${period.code} ended before ${MERGER_DAY} and no former province has code ${province}`,
    })
  }
  fails.throwIfAny()
  return { province, origin: origin ?? province }
}

/** The period a report is for: one that exists and has started (`field` names it in the 400). */
export function startedPeriod<P extends { starts_on: string }>(
  field: string,
  period: P | undefined,
  code: string,
): P {
  if (!period) {
    throw invalidField('body', field, {
      vi: `không phải là kỳ báo cáo (${code})`,
      en: `is not a reporting period (${code})`,
    })
  }
  if (period.starts_on > todayInVietnam()) {
    throw invalidField('body', field, {
      vi: `chưa bắt đầu (kỳ bắt đầu từ ngày ${period.starts_on})`,
      en: `has not started yet (it starts on ${period.starts_on})`,
    })
  }
  return period
}
