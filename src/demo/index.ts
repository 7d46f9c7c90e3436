// The demo dataset of the embedded default (DEMO_DATA): the national programmes 2021–2025
// (1881/QĐ-TTg) and 2026–2030 (2646/QĐ-BCT) with their annual plans, provincial programmes and
// plans of five provinces (with the former provinces merged into them), about a hundred schemes in
// every lifecycle state with their history, budget allocations with revisions, and disbursements.
//
// Deterministic (a seeded generator, fixed dates) and loaded once: each named part (this one, then
// reach.ts: legal documents, units, collaborators, inspections, communication, establishments)
// is one transaction that first claims its name in demo_data_loads, so a restart — or a second
// instance starting at the same time — never loads it twice. Rows are written under the tenancy of whoever
// would write them (the ministry, each province), so the row-level policies hold for them too.
// Figures are illustrative, not official.
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Trx } from '../db/tenancy.js'
import {
  ACTORS,
  APPROVED_STATES,
  DISBURSING_STATES,
  type FundingLevel,
  type ProjectAction,
  type ProjectState,
  stepOf,
} from '../lib/project-lifecycle.js'
import { actingIn, demoProvinces, generator, json, lower, NOTE, PROVINCES, YEARS } from './common.js'
import { loadReach, REACH } from './reach.js'

interface DemoDataLoadsTable {
  name: string
  loaded_at: string | undefined
}

declare module '../db/schema.js' {
  interface Database {
    demo_data_loads: DemoDataLoadsTable
  }
}

const NAME = 'khuyen-cong-demo-2021-2026'

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
const STEP_DATE: Record<ProjectAction, (y: number) => string> = {
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

/** The named loads, in order: each one transaction, claimed once (a later one may build on earlier ones). */
const LOADS: { name: string; load: (trx: Trx) => Promise<void> }[] = [
  { name: NAME, load },
  { name: REACH, load: loadReach },
]

/**
 * Loads each part of the demo dataset that was not loaded before: `loaded` when one was loaded now,
 * `present` when all were there, or `unmigrated` when the schema is not there (MIGRATE_ON_START=false
 * before `npm run migrate`). A database that loaded an earlier part gains the later ones on its next start.
 */
export async function loadDemoData(db: Kysely<Database>): Promise<'loaded' | 'present' | 'unmigrated'> {
  const { rows } = await sql<{
    ready: boolean
  }>`select to_regclass('demo_data_loads') is not null as ready`.execute(db)
  if (!rows[0]?.ready) return 'unmigrated'
  let loaded = false
  for (const part of LOADS) {
    const claimed = await db.transaction().execute(async (trx) => {
      const claim = await trx
        .insertInto('demo_data_loads')
        .values({ name: part.name })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst()
      if (claim) await part.load(trx)
      return Boolean(claim)
    })
    loaded ||= claimed
  }
  return loaded ? 'loaded' : 'present'
}

async function load(trx: Trx) {
  const rnd = generator(20250701)
  const actAs = actingIn(trx)

  // The national programmes and their annual plans — the ministry's.
  await actAs('ministry', null)
  const national = async (values: {
    title: string
    start_year: number
    end_year: number
    decision_number: string
    decision_date: string
    decision_issuer: string
    status: string
    objectives: string
    targets: { indicator: string; unit: string; target_value: number }[]
  }) =>
    (
      await trx
        .insertInto('programmes')
        .values({
          ...values,
          level: 'national',
          province_code: null,
          targets: json(values.targets),
          notes: NOTE,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const kcqg2021 = await national({
    title: 'Chương trình khuyến công quốc gia giai đoạn 2021–2025',
    start_year: 2021,
    end_year: 2025,
    decision_number: '1881/QĐ-TTg',
    decision_date: '2020-11-20',
    decision_issuer: 'Thủ tướng Chính phủ',
    status: 'ended',
    objectives:
      'Hỗ trợ cơ sở công nghiệp nông thôn đầu tư sản xuất, ứng dụng máy móc thiết bị tiên tiến, phát triển ' +
      'sản phẩm công nghiệp nông thôn tiêu biểu, đào tạo nghề và nâng cao năng lực hệ thống khuyến công.',
    targets: [
      { indicator: 'Cơ sở CNNT được hỗ trợ ứng dụng máy móc thiết bị', unit: 'cơ sở', target_value: 1200 },
      { indicator: 'Mô hình trình diễn kỹ thuật được xây dựng', unit: 'mô hình', target_value: 100 },
      { indicator: 'Lao động nông thôn được đào tạo nghề', unit: 'người', target_value: 30000 },
    ],
  })
  const kcqg2026 = await national({
    title: 'Chương trình khuyến công quốc gia giai đoạn 2026–2030',
    start_year: 2026,
    end_year: 2030,
    decision_number: '2646/QĐ-BCT',
    decision_date: '2025-09-23',
    decision_issuer: 'Bộ Công Thương',
    status: 'approved',
    objectives:
      'Hỗ trợ cơ sở công nghiệp nông thôn đổi mới sáng tạo, chuyển đổi số, chuyển đổi xanh, sản xuất sạch ' +
      'hơn và liên kết chuỗi giá trị.',
    targets: [
      {
        indicator: 'Cơ sở CNNT được hỗ trợ ứng dụng công nghệ, chuyển đổi số',
        unit: 'cơ sở',
        target_value: 1500,
      },
      { indicator: 'Sản phẩm CNNT tiêu biểu được bình chọn', unit: 'sản phẩm', target_value: 800 },
    ],
  })
  const nationalPlan: Record<number, string> = {}
  for (const year of YEARS) {
    nationalPlan[year] = (
      await trx
        .insertInto('plans')
        .values({
          programme_id: year <= 2025 ? kcqg2021 : kcqg2026,
          province_code: null,
          year,
          title: `Kế hoạch khuyến công quốc gia năm ${year}`,
          decision_number: `${3000 + year - 2020}/QĐ-BCT`,
          decision_date: `${year - 1}-12-${20 + (year % 7)}`,
          decision_issuer: 'Bộ Công Thương',
          targets: json([]),
          status: 'approved',
          notes: NOTE,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  }

  const { provinces, formers } = await demoProvinces(trx)
  const communes = await trx
    .selectFrom('communes')
    .select(['code', 'full_name', 'province_code'])
    .where('province_code', 'in', PROVINCES)
    .where('type', '=', 'xa')
    .orderBy('code')
    .execute()

  // Each province: programmes (one per former province before the merger, one for 2026–2030),
  // plans, allocations with revisions, and its schemes.
  let n = 0
  for (const code of PROVINCES) {
    const province = provinces.find((p) => p.code === code)
    if (!province) continue
    await actAs('province', code)
    const olds = formers.filter((f) => f.successor_code === code)
    const places = communes.filter((c) => c.province_code === code).slice(0, 40)
    const localPlan: Record<string, string> = {} // `${origin}:${year}` → plan
    for (const former of olds) {
      const programme = await trx
        .insertInto('programmes')
        .values({
          level: 'provincial',
          province_code: code,
          origin_province_code: former.code,
          title: `Chương trình khuyến công tỉnh ${former.name} giai đoạn 2021–2025`,
          start_year: 2021,
          end_year: 2025,
          decision_number: `${100 + Number(former.code)}/QĐ-UBND`,
          decision_date: '2021-03-10',
          decision_issuer: `UBND ${former.name}`,
          status: 'ended',
          targets: json([{ indicator: 'Đề án khuyến công được thực hiện', unit: 'đề án', target_value: 60 }]),
          notes: NOTE,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const year of [2023, 2024, 2025]) {
        localPlan[`${former.code}:${year}`] = (
          await trx
            .insertInto('plans')
            .values({
              programme_id: programme.id,
              province_code: code,
              year,
              title: `Kế hoạch khuyến công địa phương năm ${year} — ${former.name}`,
              decision_number: `${200 + year - 2020}/QĐ-SCT-${former.code}`,
              decision_date: `${year - 1}-12-15`,
              decision_issuer: `Sở Công Thương ${former.name}`,
              status: year === 2024 ? 'revised' : 'approved',
              targets: json([]),
              notes: NOTE,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      }
    }
    const current = await trx
      .insertInto('programmes')
      .values({
        level: 'provincial',
        province_code: code,
        title: `Chương trình khuyến công ${province.name} giai đoạn 2026–2030`,
        start_year: 2026,
        end_year: 2030,
        decision_number: `${500 + Number(code)}/QĐ-UBND`,
        decision_date: '2025-11-28',
        decision_issuer: `UBND ${province.name}`,
        status: 'approved',
        targets: json([{ indicator: 'Đề án khuyến công được thực hiện', unit: 'đề án', target_value: 80 }]),
        notes: NOTE,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    localPlan[`:2026`] = (
      await trx
        .insertInto('plans')
        .values({
          programme_id: current.id,
          province_code: code,
          year: 2026,
          title: `Kế hoạch khuyến công địa phương năm 2026 — ${province.name}`,
          decision_number: '15/QĐ-SCT',
          decision_date: '2025-12-20',
          decision_issuer: `Sở Công Thương ${province.name}`,
          status: 'approved',
          targets: json([]),
          notes: NOTE,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id

    // Allocations: before the merger to each former province, from 2026 to the province.
    for (const year of YEARS) {
      const owners = year <= 2025 ? olds.map((f) => f.code) : [null]
      for (const origin of owners) {
        for (const source of ['central', 'local'] as const) {
          const amount = source === 'central' ? rnd.millions(800, 2500) : rnd.millions(500, 3000)
          const key = {
            province_code: code,
            origin_province_code: origin,
            year,
            funding_source: source,
            activity_content: null,
            created_by: 'demo-data',
            decision_issuer: source === 'central' ? 'Bộ Công Thương' : `UBND ${province.name}`,
            notes: NOTE,
          }
          await trx
            .insertInto('budget_allocations')
            .values({
              ...key,
              amount,
              type: 'original',
              decision_number: `${rnd.int(100, 999)}/QĐ-${source === 'central' ? 'BCT' : 'UBND'}`,
              decision_date: `${year - 1}-12-${rnd.int(10, 28)}`,
            })
            .execute()
          if (rnd.int(0, 2) === 0) {
            await trx
              .insertInto('budget_allocations')
              .values({
                ...key,
                amount: Math.round((amount * rnd.int(85, 115)) / 100 / 1_000_000) * 1_000_000,
                type: 'revised',
                decision_number: `${rnd.int(1000, 1999)}/QĐ-${source === 'central' ? 'BCT' : 'UBND'}`,
                decision_date: `${year}-0${rnd.int(6, 9)}-15`,
              })
              .execute()
          }
        }
      }
    }

    // Schemes: 20 a province, spread over the years, each in the state its year gives it.
    for (let i = 0; i < 20; i++) {
      n++
      const year = YEARS[i % YEARS.length] as number
      const states = STATES_BY_YEAR[year] as ProjectState[]
      const state = states[
        (Math.floor(i / YEARS.length) + PROVINCES.indexOf(code)) % states.length
      ] as ProjectState
      const level: FundingLevel = n % 3 === 0 ? 'local' : 'central'
      const origin = year <= 2025 && olds.length ? (olds[i % olds.length]?.code ?? null) : null
      const scheme = SCHEMES[n % SCHEMES.length] as (typeof SCHEMES)[number]
      const product = rnd.pick(PRODUCTS)
      const place = rnd.pick(places)
      const pilot = n % 11 === 0
      // A pilot scheme has two or more different contents (the write rules; uniqueItems).
      const second =
        scheme.content === 'product_development' ? 'demonstration_technology' : 'product_development'
      const contents = pilot ? [scheme.content, second] : [scheme.content]
      const requested =
        level === 'central'
          ? { central: rnd.millions(200, 1000), local: 0, counterpart: rnd.millions(200, 1500), other: 0 }
          : { central: 0, local: rnd.millions(50, 400), counterpart: rnd.millions(50, 600), other: 0 }
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
      const done = ['completed', 'accepted', 'settled'].includes(state)
      const path = PATHS[state]
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
          title: scheme.title(product, place?.full_name ?? province.name),
          funding_level: level,
          kind: pilot ? 'pilot' : n % 7 === 0 ? 'group' : 'standard',
          activity_contents: contents,
          project_type: scheme.type,
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
          planned_end: `${year}-11-30`,
          actual_start: started ? `${year}-03-15` : null,
          actual_end: done ? `${year}-11-20` : null,
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
          updated_at: `${path.length ? STEP_DATE[path[path.length - 1] as ProjectAction](year) : `${year - 1}-09-01`}T03:00:00.000Z`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()

      // The history, each step under the tenancy of whoever took it.
      let from: ProjectState = 'draft'
      for (const action of path) {
        const step = stepOf(from, action)
        if (!step) throw new Error(`demo data: no step ${action} from ${from}`)
        const role = ACTORS[level][step.by]
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
            occurred_at: `${STEP_DATE[action](year)}T03:00:00.000Z`,
          })
          .execute()
        from = step.to
      }
      await actAs('province', code)

      // Disbursements of the money approved, as far as the scheme has come.
      if (approved && (DISBURSING_STATES.includes(state) || state === 'settled')) {
        const share = {
          approved: 0,
          in_progress: 40,
          suspended: 25,
          completed: 80,
          accepted: 90,
          settled: 100,
        }[state as 'approved']
        for (const source of ['central', 'local', 'counterpart'] as const) {
          const total = Math.floor((approved[source] * (share ?? 0)) / 100)
          if (total <= 0) continue
          const advance = Math.min(total, Math.floor(approved[source] * 0.3))
          const rows = [
            {
              kind: 'advance',
              amount: advance,
              date: `${year}-04-05`,
              document: `Giấy rút dự toán tạm ứng ${n}/${year}`,
            },
            {
              kind: 'payment',
              amount: total - advance,
              date: `${year}-12-15`,
              document: `UNC thanh toán ${n}/${year}`,
            },
          ].filter((r) => r.amount > 0)
          for (const row of rows) {
            await trx
              .insertInto('disbursements')
              .values({
                ...row,
                project_id: id,
                province_code: code,
                funding_source: source,
                note: null,
                created_by: 'demo-data',
              })
              .execute()
          }
        }
      }
    }
  }
}
