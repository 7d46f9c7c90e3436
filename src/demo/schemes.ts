// Ask 2 of the letter (the year's plans carried out): twenty schemes a province, spread over the
// years, each in the state its year gives it — old years closed, recent ones under way — with the
// history of how it got there, each step taken by whoever may take it.
import type { Trx } from '../db/tenancy.ts'
import {
  APPROVED_STATES,
  DISBURSING_STATES,
  type FundingLevel,
  type ProjectAction,
  type ProjectState,
  partiesOf,
  type RunBy,
  stepOf,
} from '../domain/project-lifecycle.ts'
import { disbursements, localScale } from './budgets.ts'
import { actingIn, type FormerProvince, json, lower, PROVINCES, type Province, YEARS } from './common.ts'
import type { Generator } from './generator.ts'

/** How a scheme reaches each state from draft. */
export const PATHS: Record<ProjectState, ProjectAction[]> = {
  draft: [],
  submitted: ['submit'],
  appraised: ['submit', 'appraise'],
  approved: ['submit', 'appraise', 'approve'],
  in_progress: ['submit', 'appraise', 'approve', 'start'],
  completed: ['submit', 'appraise', 'approve', 'start', 'complete'],
  accepted: ['submit', 'appraise', 'approve', 'start', 'complete', 'accept'],
  settled: ['submit', 'appraise', 'approve', 'start', 'complete', 'accept', 'settle'],
  returned: ['submit', 'return'],
  rejected: ['submit', 'appraise', 'reject'],
  suspended: ['submit', 'approve', 'start', 'suspend'],
  cancelled: ['submit', 'approve', 'cancel'],
}

/** The states of the schemes of each year, in turn: old years are closed, recent ones under way. */
const STATES_BY_YEAR: Record<number, ProjectState[]> = {
  2021: ['settled', 'settled', 'settled', 'rejected', 'settled', 'cancelled'],
  2022: ['settled', 'settled', 'accepted', 'settled', 'rejected', 'settled'],
  2023: ['settled', 'accepted', 'settled', 'cancelled', 'settled', 'accepted'],
  2024: ['accepted', 'settled', 'completed', 'suspended', 'accepted', 'settled'],
  2025: ['in_progress', 'completed', 'approved', 'accepted', 'suspended', 'cancelled', 'in_progress'],
  2026: ['draft', 'submitted', 'appraised', 'returned', 'approved', 'rejected', 'in_progress', 'submitted'],
}

/** The date of each step of a scheme of plan year `y`. */
export const STEP_DATE: Record<ProjectAction, (y: number) => string> = {
  submit: (y) => `${y - 1}-10-15`,
  appraise: (y) => `${y - 1}-11-20`,
  approve: (y) => `${y - 1}-12-28`,
  return: (y) => `${y - 1}-12-05`,
  reject: (y) => `${y - 1}-12-20`,
  start: (y) => `${y}-03-15`,
  complete: (y) => `${y}-11-20`,
  accept: (y) => `${y}-12-10`,
  settle: (y) => `${y + 1}-02-25`,
  suspend: (y) => `${y}-07-01`,
  resume: (y) => `${y}-08-01`,
  cancel: (y) => `${y}-05-10`,
  adjust: (y) => `${y}-06-15`,
}

/**
 * A pilot scheme (đề án điểm) lasts more than a year: it ends, and is accepted and settled, a year
 * later than a scheme of its plan year.
 */
const LATE_STEPS: readonly ProjectAction[] = ['complete', 'accept', 'settle']
/**
 * A scheme finished late completes after its planned end (30 November), and is accepted in the
 * new year: completion on time is then neither always nor never.
 */
const OVERDUE: Partial<Record<ProjectAction, (y: number) => string>> = {
  complete: (y) => `${y}-12-18`,
  accept: (y) => `${y + 1}-01-15`,
}
/** The date of a step of a scheme of plan year `year`: a pilot's end a year on, a late one's after plan. */
const stepDate = (action: ProjectAction, year: number, pilot: boolean, late = false) => {
  const y = pilot && LATE_STEPS.includes(action) ? year + 1 : year
  return (late && OVERDUE[action]?.(y)) || STEP_DATE[action](y)
}

/**
 * The seeded national support rules (migration 0059) for the types they govern: the largest
 * share of the cost and the largest support — machinery ≤ 300 m VND per establishment for the
 * fewest beneficiaries a demo scheme has (5), a demonstration model ≤ 1,000 m VND. No uplift taken.
 */
const RULES: Record<string, { share: number; max: number }> = {
  machinery_line: { share: 50, max: 5 * 300_000_000 },
  demonstration_model: { share: 30, max: 1_000_000_000 },
}

/** Brings the requested money within the rules: the local support capped, counterpart funds raised. */
function lawful(type: string, money: { central: number; local: number; counterpart: number }) {
  const rule = RULES[type]
  if (!rule) return
  money.local = Math.min(money.local, rule.max - money.central)
  const support = money.central + money.local
  const least = Math.ceil((support * (100 - rule.share)) / rule.share / 1_000_000) * 1_000_000
  money.counterpart = Math.max(money.counterpart, least)
}

const SCHEMES: { type: string; content: string; title: (product: string, place: string) => string }[] = [
  {
    type: 'machinery_line',
    content: 'demonstration_technology',
    title: (p, c) => `Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong sản xuất ${p} tại ${c}`,
  },
  {
    type: 'demonstration_model',
    content: 'demonstration_technology',
    title: (p, c) => `Xây dựng mô hình trình diễn kỹ thuật sản xuất ${p} tại ${c}`,
  },
  {
    type: 'training_course',
    content: 'training',
    title: (p, c) => `Đào tạo nghề, truyền nghề sản xuất ${p} cho lao động nông thôn ${c}`,
  },
  {
    type: 'fair_participation',
    content: 'product_development',
    title: (p) => `Hỗ trợ cơ sở công nghiệp nông thôn sản xuất ${p} tham gia hội chợ triển lãm`,
  },
  {
    type: 'typical_product_selection',
    content: 'product_development',
    title: () => 'Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh',
  },
  {
    type: 'workshop',
    content: 'management_capacity',
    title: (p) => `Hội thảo nâng cao năng lực quản lý cho cơ sở sản xuất ${p}`,
  },
  {
    type: 'media_programme',
    content: 'information',
    title: () => 'Xây dựng chương trình truyền hình, chuyên mục về khuyến công',
  },
  {
    type: 'consultancy',
    content: 'advisory',
    title: (p) => `Tư vấn xây dựng thương hiệu, đăng ký nhãn hiệu cho sản phẩm ${p}`,
  },
  {
    type: 'ccn_infrastructure',
    content: 'linkage_clusters',
    title: (_p, c) => `Hỗ trợ đầu tư hạ tầng kỹ thuật cụm công nghiệp ${c}`,
  },
  {
    type: 'capacity_building',
    content: 'programme_capacity',
    title: () => 'Tập huấn nâng cao năng lực cho cán bộ làm công tác khuyến công và cộng tác viên',
  },
]

const PRODUCTS = [
  'chè',
  'mây tre đan',
  'gốm',
  'đồ gỗ mỹ nghệ',
  'miến dong',
  'mật ong',
  'thổ cẩm',
  'nước mắm',
  'cơ khí nông nghiệp',
  'bánh kẹo',
]
const INDUSTRY: Record<string, string> = {
  chè: 'agro_food_processing',
  'mây tre đan': 'handicrafts',
  gốm: 'handicrafts',
  'đồ gỗ mỹ nghệ': 'handicrafts',
  'miến dong': 'agro_food_processing',
  'mật ong': 'agro_food_processing',
  'thổ cẩm': 'handicrafts',
  'nước mắm': 'agro_food_processing',
  'cơ khí nông nghiệp': 'mechanical_electrical_supporting',
  'bánh kẹo': 'agro_food_processing',
}

/** Where a province's schemes are carried out and which plans they belong to. */
export interface SchemeSite {
  province: Province
  olds: FormerProvince[]
  /** The communes a scheme may take place in. */
  places: { code: string; full_name: string }[]
  /** The national plan of each year. */
  nationalPlan: Record<number, string>
  /** The province's plans, as provincialProgrammes() returns them. */
  localPlan: Record<string, string>
}

/** A province's twenty schemes (as the province), numbered on from `last`; returns the last number. */
export async function schemes(trx: Trx, rnd: Generator, site: SchemeSite, last: number): Promise<number> {
  let n = last
  for (let i = 0; i < 20; i++) {
    n++
    await scheme(trx, rnd, site, i, n)
  }
  return n
}

/** The i-th scheme of the province, the n-th of the dataset: the scheme, its history and its disbursements. */
async function scheme(trx: Trx, rnd: Generator, site: SchemeSite, i: number, n: number) {
  const { province, olds, places, nationalPlan, localPlan } = site
  const code = province.code
  const year = YEARS[i % YEARS.length] as number
  const states = STATES_BY_YEAR[year] as ProjectState[]
  const state = states[
    (Math.floor(i / YEARS.length) + PROVINCES.indexOf(code)) % states.length
  ] as ProjectState
  const origin = year <= 2025 && olds.length ? (olds[i % olds.length]?.code ?? null) : null
  const template = SCHEMES[n % SCHEMES.length] as (typeof SCHEMES)[number]
  // A province's typical-product round is paid from its own budget (TT 26/2014 Art. 19).
  const level: FundingLevel =
    n % 3 === 0 || template.type === 'typical_product_selection' ? 'local' : 'central'
  const product = rnd.pick(PRODUCTS)
  const place = rnd.pick(places)
  const done = ['completed', 'accepted', 'settled'].includes(state)
  // Never a pilot whose later acceptance or settlement would lie after today.
  const pilot = n % 11 === 0 && !(year >= 2025 && (state === 'accepted' || state === 'settled'))
  // About a quarter of the finished schemes end late, in every year and most provinces; none whose
  // late end would lie after today.
  const late = done && (i + PROVINCES.indexOf(code)) % 4 === 1 && !(pilot && year >= 2025)
  // A pilot scheme has two or more different contents (the write rules; uniqueItems).
  const second =
    template.content === 'product_development' ? 'demonstration_technology' : 'product_development'
  const contents = pilot ? [template.content, second] : [template.content]
  const requested =
    level === 'central'
      ? { central: rnd.millions(200, 1000), local: 0, counterpart: rnd.millions(200, 1500), other: 0 }
      : {
          central: 0,
          local: rnd.millions(50, 400) * localScale(code),
          counterpart: rnd.millions(50, 600),
          other: 0,
        }
  lawful(template.type, requested)
  const approvedNow = APPROVED_STATES.includes(state) || (state === 'cancelled' && year >= 2025)
  const approved = approvedNow
    ? {
        central: Math.floor((requested.central * rnd.int(85, 100)) / 100 / 1_000_000) * 1_000_000,
        local: requested.local,
        counterpart: requested.counterpart,
        other: 0,
      }
    : null
  const started = ['in_progress', 'completed', 'accepted', 'settled', 'suspended'].includes(state)
  const path = PATHS[state]
  const end = `${pilot ? year + 1 : year}`
  const plan =
    level === 'central'
      ? nationalPlan[year]
      : (localPlan[year <= 2025 ? `${origin}:${year}` : ':2026'] ?? null)
  const { id } = await trx
    .insertInto('projects')
    .values({
      province_code: code,
      origin_province_code: origin,
      plan_id: plan ?? null,
      year,
      code: `ĐA-${level === 'central' ? 'KCQG' : 'KCĐP'}-${year}-${String(n).padStart(3, '0')}`,
      title: template.title(product, place?.full_name ?? province.name),
      funding_level: level,
      kind: pilot ? 'pilot' : n % 7 === 0 ? 'group' : 'standard',
      activity_contents: contents,
      project_type: template.type,
      industry: INDUSTRY[product] ?? null,
      priority_areas: n % 2 === 0 ? ['ethnic_minority_area'] : [],
      priority_products: n % 4 === 0 ? ['typical_product'] : [],
      communes: place ? [place.code] : [],
      location: place?.full_name ?? null,
      implementing_unit: `Trung tâm Khuyến công ${lower(province.full_name)}`,
      partner_unit: n % 3 === 1 ? `Hợp tác xã ${product} ${place?.full_name ?? ''}`.trim() : null,
      beneficiary_count: rnd.int(5, 60),
      objectives: `Nâng cao năng suất, chất lượng sản phẩm ${product}; tạo việc làm cho lao động nông thôn.`,
      planned_start: `${year}-03-01`,
      planned_end: `${end}-11-30`,
      actual_start: started ? `${year}-03-15` : null,
      actual_end: done ? stepDate('complete', year, pilot, late) : null,
      selection_method: level === 'central' ? 'selection' : null,
      requested_central: requested.central,
      requested_local: requested.local,
      requested_counterpart: requested.counterpart,
      requested_other: requested.other,
      approved_central: approved?.central ?? null,
      approved_local: approved?.local ?? null,
      approved_counterpart: approved?.counterpart ?? null,
      approved_other: approved?.other ?? null,
      state,
      approval_decision: approved ? `${300 + n}/QĐ-${level === 'central' ? 'BCT' : 'UBND'}` : null,
      approval_date: approved ? STEP_DATE.approve(year) : null,
      version: path.length + 1,
      created_at: `${year - 1}-09-01T02:00:00.000Z`,
      updated_at: `${path.length ? stepDate(path[path.length - 1] as ProjectAction, year, pilot, late) : `${year - 1}-09-01`}T03:00:00.000Z`,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await history(trx, { id, code, n, year, pilot, late, level, path, approved })
  if (approved && (DISBURSING_STATES.includes(state) || state === 'settled'))
    await disbursements(trx, { id, province_code: code, n, year, state, approved })
}

interface Steps {
  id: string
  code: string
  n: number
  year: number
  pilot: boolean
  late: boolean
  level: FundingLevel
  /** Who runs it: the province (by default) or one of the ministry's own units. */
  run_by?: RunBy
  path: ProjectAction[]
  approved: { central: number; local: number; counterpart: number; other: number } | null
}

/** The history of a scheme, each step under the tenancy of whoever took it; then the province's again. */
export async function history(trx: Trx, scheme: Steps) {
  const { id, code, n, year, pilot, late, level, path, approved } = scheme
  const actAs = actingIn(trx)
  let from: ProjectState = 'draft'
  for (const action of path) {
    const step = stepOf(from, action)
    if (!step) throw new Error(`demo data: no step ${action} from ${from}`)
    const role = partiesOf({ funding_level: level, run_by: scheme.run_by ?? 'province' })[step.by]
    await actAs(role, role === 'province' ? code : null)
    const setsMoney = action === 'approve'
    await trx
      .insertInto('project_transitions')
      .values({
        project_id: id,
        province_code: code,
        action,
        from_state: from,
        to_state: step.to,
        note:
          action === 'return'
            ? 'Đề nghị bổ sung dự toán chi tiết và hồ sơ pháp lý của cơ sở thụ hưởng.'
            : action === 'reject'
              ? 'Đề án không đáp ứng tiêu chí ưu tiên của kế hoạch năm.'
              : null,
        decision: setsMoney ? `${300 + n}/QĐ-${level === 'central' ? 'BCT' : 'UBND'}` : null,
        decision_date: setsMoney ? STEP_DATE.approve(year) : null,
        amounts_before: setsMoney
          ? json({ central: null, local: null, counterpart: null, other: null })
          : null,
        amounts_after: setsMoney && approved ? json(approved) : null,
        actor_sub: role === 'ministry' ? 'demo-ctdp' : `demo-doit-${code}`,
        actor_role: role,
        occurred_at: `${stepDate(action, year, pilot, late)}T03:00:00.000Z`,
      })
      .execute()
    from = step.to
  }
  await actAs('province', code)
}
