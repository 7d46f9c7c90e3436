// Who decides a provincial record (issue #15): most are the province's own, but some are decisions
// the ministry takes about a province. Each rule here has its twin in the policies (migrations 0062,
// 0063, 0065: kc_certificate_decider, kc_money_decider, kc_scheme_decider); tenancy.deciderForWrite() applies it.
import type { Decider } from '../db/tenancy.ts'
import type { Localized } from '../lib/problems.ts'

/**
 * Typical-product certificates (TT 26/2014/TT-BCT): regional ones are decisions of the ministry's
 * department, national ones of the Minister; provincial (and district) ones of the province.
 */
export const certificateDecider = (level: string): Decider =>
  level === 'region' || level === 'national' ? 'ministry' : 'province'

/**
 * Money by source: the ministry allocates and pays out central (KCQG) funds (TTLT 26/2014 Art. 8.1.a);
 * local, counterpart and other money is the province's.
 */
export const moneyDecider = (fundingSource: string): Decider =>
  fundingSource === 'central' ? 'ministry' : 'province'

/**
 * A scheme is proposed and carried out by whoever runs it: its province, or — for a national scheme
 * run by one of the ministry's own units — the ministry (migration 0065, kc_scheme_decider).
 */
export const schemeDecider = (runBy: string): Decider => (runBy === 'ministry' ? 'ministry' : 'province')

/**
 * Money paid to or refunded by a scheme: central money by the ministry, and every source of a scheme
 * the ministry's own units run; the rest by the province (kc_disbursement_decider).
 */
export const disbursementDecider = (fundingSource: string, runBy: string): Decider =>
  schemeDecider(runBy) === 'ministry' ? 'ministry' : moneyDecider(fundingSource)

/**
 * Monthly progress of a national scheme (TT 36/2013 Art. 23) is reported by whoever carries it out:
 * the province for the schemes it implements, the ministry for those its own units run (the policy,
 * kc_may_decide(reported_by, …), allows both).
 */
export const progressReporter = (project: { run_by: string }): Decider => schemeDecider(project.run_by)

/** How refusals name the records the ministry decides (see tenancy.deciderForWrite). */
export const MINISTRY_RECORDS = {
  inspections: { vi: 'Các cuộc kiểm tra của Bộ', en: 'The ministry’s inspections' },
  certificates: {
    vi: 'Giấy chứng nhận cấp khu vực và cấp quốc gia',
    en: 'Regional and national certificates',
  },
  schemePapers: {
    vi: 'Hồ sơ của đề án do đơn vị trực thuộc Bộ thực hiện',
    en: 'Papers of a scheme run by the ministry’s own units',
  },
} as const satisfies Record<string, Localized>
