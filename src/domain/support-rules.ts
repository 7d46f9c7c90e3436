// Support levels as dated rules (TT 28/2018/TT-BTC; a province's own rules): a scheme's public
// support — central + local money — against the caps of the rules in force on the decision date.
// Pure: the caller reads the rules (routes/v1/support-rules/repository.ts inForce) and the scheme.
import { type Localized, problem } from '../lib/problems.ts'
import { capitalize } from '../lib/text.ts'

/** What a check needs of a rule. */
export interface Rule {
  id: string
  level: string
  province_code: string | null
  legal_basis: string
  title: string
  activity_content: string | null
  project_type: string | null
  max_share_percent: number | null
  max_amount: number | null
  amount_basis: string | null
  priority_uplift: number
  counterpart_required: boolean
  advance_max_percent: number | null
}

/** What a check needs of a scheme. */
export interface Scheme {
  province_code: string
  funding_level: string
  activity_contents: string[]
  project_type: string | null
  priority_areas: string[]
  beneficiary_establishment_ids: string[]
  beneficiary_count: number | null
}

export type Money = {
  central: number
  local: number
  counterpart: number
  other: number
}

/**
 * Does the rule govern the scheme? A national rule governs every scheme; a province's rule its
 * local schemes. A rule without content governs every content; one with a project type only it.
 */
export const governs = (rule: Rule, scheme: Scheme) =>
  (rule.province_code === null ||
    (rule.province_code === scheme.province_code && scheme.funding_level === 'local')) &&
  (rule.activity_content === null || scheme.activity_contents.includes(rule.activity_content)) &&
  (rule.project_type === null || rule.project_type === scheme.project_type)

/**
 * The establishments a per-establishment cap is divided by: the declared number of beneficiaries
 * or the listed beneficiary establishments, whichever is larger (a group scheme lists its
 * establishments after approval), and at least one (the whole support to one establishment).
 */
export const establishments = (scheme: Scheme) =>
  Math.max(scheme.beneficiary_establishment_ids.length, scheme.beneficiary_count ?? 0, 1)

const vnd = (n: number) => `${Math.round(n).toLocaleString('en-US')} VND`
const dong = (n: number) => `${Math.round(n).toLocaleString('vi-VN')} đồng`

const refuse = (rule: Rule, detail: Localized, at: string | string[], cap: number | null, amount: number) =>
  problem(
    'unprocessable',
    {
      vi: `${capitalize(detail.vi)} — định mức “${rule.title}” (${rule.legal_basis}).`,
      en: `${detail.en} — rule “${rule.title}” (${rule.legal_basis}).`,
    },
    {
      rule: { id: rule.id, title: rule.title, legal_basis: rule.legal_basis },
      cap,
      amount,
      errors: [at].flat().map((pointer) => ({ in: 'body' as const, pointer, detail })),
    },
  )

/** One cap of a rule, weighed: amount ÷ cap, whether the money breaks it, and what a refusal says. */
interface Weight {
  by: number
  broken: boolean
  at: keyof Money
  cap: number | null
  amount: number
  detail: Localized
}

const ratio = (amount: number, cap: number) => (cap > 0 ? amount / cap : amount > 0 ? Infinity : 0)

/**
 * The money against each cap of a rule, in the order a refusal names them: the counterpart it
 * requires, the share of the cost, the amount (per establishment if so). A priority area (Decree 45
 * Art. 6) multiplies share and amount caps by the rule's uplift.
 */
function weigh(rule: Rule, scheme: Scheme, money: Money): Weight[] {
  const support = money.central + money.local
  const cost = support + money.counterpart + money.other
  const uplift = scheme.priority_areas.length > 0 ? rule.priority_uplift : 1
  const publicSource = money.central > 0 ? 'central' : 'local'
  const weights: Weight[] = []
  if (rule.counterpart_required && support > 0 && money.counterpart <= 0) {
    weights.push({
      by: Infinity,
      broken: true,
      at: 'counterpart',
      cap: null,
      amount: 0,
      detail: {
        vi: 'vốn đối ứng của đối tượng thụ hưởng là bắt buộc nhưng đang bằng 0',
        en: 'the beneficiary’s counterpart funds are required and are zero',
      },
    })
  }
  if (rule.max_share_percent !== null && support > 0) {
    const percent = Math.min(100, rule.max_share_percent * uplift)
    const cap = Math.floor((percent * cost) / 100)
    weights.push({
      by: ratio(support * 100, percent * cost),
      broken: support * 100 > percent * cost,
      at: publicSource,
      cap,
      amount: support,
      detail: {
        vi: `mức hỗ trợ (trung ương + địa phương) ${dong(support)} vượt quá ${percent} % tổng kinh phí ${dong(cost)} (${dong(cap)})`,
        en: `the support (central + local) ${vnd(support)} is above ${percent} % of the cost ${vnd(cost)} (${vnd(cap)})`,
      },
    })
  }
  if (rule.max_amount !== null) {
    const cap = Math.floor(rule.max_amount * uplift)
    const perEstablishment = rule.amount_basis === 'per_establishment'
    const count = perEstablishment ? establishments(scheme) : 1
    const amount = support / count
    const what = perEstablishment
      ? {
          vi: `mức hỗ trợ cho mỗi cơ sở ${dong(amount)} (${dong(support)} cho ${count} cơ sở)`,
          en: `the support per establishment ${vnd(amount)} (${vnd(support)} for ${count})`,
        }
      : { vi: `mức hỗ trợ ${dong(support)}`, en: `the support ${vnd(support)}` }
    weights.push({
      by: ratio(amount, cap),
      broken: amount > cap,
      at: publicSource,
      cap,
      amount,
      detail: {
        vi: `${what.vi} vượt quá mức tối đa ${dong(cap)}`,
        en: `${what.en} is above the cap of ${vnd(cap)}`,
      },
    })
  }
  return weights
}

/**
 * Checks the money (requested on submit, approved on approve and adjust) against each rule that
 * governs the scheme; throws 422 naming the first rule broken, its legal basis, the cap and the
 * amount, at the fields `pointer` names.
 */
export function checkSupport(
  rules: Rule[],
  scheme: Scheme,
  money: Money,
  pointer: (source: keyof Money) => string | string[],
) {
  for (const rule of rules) {
    const broken = weigh(rule, scheme, money).find((w) => w.broken)
    if (broken) throw refuse(rule, broken.detail, pointer(broken.at), broken.cap, broken.amount)
  }
}

/**
 * How heavily the money weighs on a rule: the largest amount ÷ cap over its caps (Infinity for a
 * required counterpart that is missing). Two states of a scheme compare by it, cap by cap alike.
 */
export const load = (rule: Rule, scheme: Scheme, money: Money) =>
  Math.max(0, ...weigh(rule, scheme, money).map((w) => w.by))

/** The lowest advance cap (percent of the approved money) among the rules, or none. */
export function advanceCap(rules: Rule[]) {
  const capped = rules.filter((r) => r.advance_max_percent !== null)
  return capped.sort((a, b) => (a.advance_max_percent ?? 0) - (b.advance_max_percent ?? 0))[0]
}

/** Refuses an advance that brings the advances of a source above the cap of the approved amount. */
export function checkAdvance(rules: Rule[], approved: number, advanced: number, amount: number) {
  const rule = advanceCap(rules)
  if (!rule || rule.advance_max_percent === null) return
  const cap = Math.floor((rule.advance_max_percent * approved) / 100)
  if (advanced + amount > cap) {
    throw refuse(
      rule,
      {
        vi: `tổng số tạm ứng sẽ lên tới ${dong(advanced + amount)}, vượt quá ${rule.advance_max_percent} % kinh phí được duyệt ${dong(approved)} (${dong(cap)})`,
        en: `advances would reach ${vnd(advanced + amount)}, above ${rule.advance_max_percent} % of the approved ${vnd(approved)} (${vnd(cap)})`,
      },
      '/amount',
      cap,
      advanced + amount,
    )
  }
}
