// Who decides a provincial record (issue #15): most are the province's own, but some are decisions
// the ministry takes about a province. Each rule here has its twin in the policies (migrations 0062,
// 0063: kc_certificate_decider, kc_money_decider); tenancy.deciderForWrite() applies it.
import type { Decider } from '../db/tenancy.js'

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
 * Monthly progress of a national scheme (TT 36/2013 Art. 23) is reported by whoever carries it out:
 * the province for the schemes it implements. (Schemes run by the ministry's own units are to
 * return 'ministry' here; the policy, kc_may_decide(reported_by, …), already allows it.)
 */
export const progressReporter = (_project: { province_code: string }): Decider => 'province'
