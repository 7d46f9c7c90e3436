// The ministry's own side of asks 2, 3 and 6 (issue #15): national schemes carried out in a demo
// province by one of the ministry's khuyến công and industrial-development consulting centres —
// the ministry proposes, approves, implements and pays them; the province of the site reads them
// and counts them as central support received — and the central money the ministry allocates to
// those centres, which belongs to no province.
import type { Trx } from '../db/tenancy.ts'
import type { ProjectState } from '../domain/project-lifecycle.ts'
import { disbursements } from './budgets.ts'
import { actingIn, NOTE, YEARS } from './common.ts'
import { history, PATHS, STEP_DATE } from './schemes.ts'

/** The ministry's regional centres (Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I–III). */
const centre = (n: 'I' | 'II' | 'III') => `Trung tâm Khuyến công và Tư vấn phát triển công nghiệp ${n}`

/** A centre's central allocation a year, in millions of VND (illustrative). */
const CENTRES = [
  { unit: centre('I'), millions: 14_000 },
  { unit: centre('II'), millions: 9_000 },
  { unit: centre('III'), millions: 11_000 },
]

interface UnitScheme {
  province: string
  centre: 'I' | 'II' | 'III'
  year: number
  state: ProjectState
  content: string
  type: string
  title: string
  /** Central support and the beneficiaries' counterpart funds, in millions of VND. */
  central: number
  counterpart: number
}

/** Within the seeded national rules: a demonstration model ≤ 30 % of the cost and ≤ 1,000 m VND. */
const SCHEMES: UnitScheme[] = [
  {
    province: '08',
    centre: 'I',
    year: 2024,
    state: 'settled',
    content: 'product_development',
    type: 'fair_organised',
    title: 'Tổ chức Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực phía Bắc năm 2024',
    central: 1_800,
    counterpart: 600,
  },
  {
    province: '08',
    centre: 'I',
    year: 2025,
    state: 'accepted',
    content: 'demonstration_technology',
    type: 'demonstration_model',
    title: 'Xây dựng mô hình trình diễn kỹ thuật chế biến chè xanh chất lượng cao',
    central: 900,
    counterpart: 2_100,
  },
  {
    province: '38',
    centre: 'I',
    year: 2025,
    state: 'in_progress',
    content: 'advisory',
    type: 'consultancy',
    title: 'Tư vấn áp dụng sản xuất sạch hơn cho các cơ sở chế biến nông sản',
    central: 450,
    counterpart: 150,
  },
  {
    province: '48',
    centre: 'II',
    year: 2026,
    state: 'approved',
    content: 'training',
    type: 'training_course',
    title: 'Đào tạo nâng cao năng lực quản lý, thiết kế mẫu mã cho cơ sở công nghiệp nông thôn',
    central: 350,
    counterpart: 0,
  },
  {
    province: '79',
    centre: 'III',
    year: 2026,
    state: 'submitted',
    content: 'product_development',
    type: 'ecommerce',
    title: 'Hỗ trợ cơ sở công nghiệp nông thôn đưa sản phẩm lên sàn thương mại điện tử',
    central: 600,
    counterpart: 300,
  },
]

/** Central allocations to the centres, one original a year, decided and recorded by the ministry. */
async function centreAllocations(trx: Trx) {
  for (const year of YEARS) {
    for (const [i, c] of CENTRES.entries()) {
      await trx
        .insertInto('budget_allocations')
        .values({
          province_code: null,
          recipient_unit: c.unit,
          year,
          funding_source: 'central',
          amount: (c.millions + (year - 2021) * 500) * 1_000_000,
          type: 'original',
          decision_number: `${2900 + i}/QĐ-BCT`,
          decision_date: `${year - 1}-12-${20 + i}`,
          decision_issuer: 'Bộ Công Thương',
          notes: NOTE,
          created_by: 'demo-data',
        })
        .execute()
    }
  }
}

/** Each scheme with its history and, once approved, its payments — all of them the ministry's. */
async function unitSchemes(trx: Trx) {
  const actAs = actingIn(trx)
  for (const [i, s] of SCHEMES.entries()) {
    await actAs('ministry', null)
    const n = 900 + i
    const plan = await trx
      .selectFrom('plans')
      .select('id')
      .where('province_code', 'is', null)
      .where('year', '=', s.year)
      .executeTakeFirst()
    const commune = await trx
      .selectFrom('communes')
      .select(['code', 'full_name'])
      .where('province_code', '=', s.province)
      .where('type', '=', 'xa')
      .orderBy('code')
      .executeTakeFirstOrThrow()
    const path = PATHS[s.state]
    const money = {
      central: s.central * 1_000_000,
      local: 0,
      counterpart: s.counterpart * 1_000_000,
      other: 0,
    }
    const approved = path.includes('approve') ? money : null
    const code = `ĐA-KCQG-${s.year}-TT${s.centre}-${n}`
    const { id } = await trx
      .insertInto('projects')
      .values({
        province_code: s.province,
        plan_id: plan?.id ?? null,
        year: s.year,
        code,
        title: `${s.title} tại ${commune.full_name}`,
        funding_level: 'central',
        run_by: 'ministry',
        activity_contents: [s.content],
        project_type: s.type,
        communes: [commune.code],
        location: commune.full_name,
        implementing_unit: centre(s.centre),
        beneficiary_count: 20,
        objectives: 'Hỗ trợ cơ sở công nghiệp nông thôn nâng cao năng lực sản xuất, quảng bá sản phẩm.',
        planned_start: `${s.year}-03-01`,
        planned_end: `${s.year}-11-30`,
        actual_start: path.includes('start') ? `${s.year}-03-15` : null,
        actual_end: path.includes('complete') ? `${s.year}-11-20` : null,
        selection_method: 'selection',
        requested_central: money.central,
        requested_local: 0,
        requested_counterpart: money.counterpart,
        requested_other: 0,
        approved_central: approved?.central ?? null,
        approved_local: approved ? 0 : null,
        approved_counterpart: approved?.counterpart ?? null,
        approved_other: approved ? 0 : null,
        state: s.state,
        approval_decision: approved ? `${n}/QĐ-BCT` : null,
        approval_date: approved ? STEP_DATE.approve(s.year) : null,
        version: path.length + 1,
        created_at: `${s.year - 1}-09-01T02:00:00.000Z`,
        updated_at: `${STEP_DATE[path[path.length - 1] ?? 'submit'](s.year)}T03:00:00.000Z`,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const steps = { id, code: s.province, n, year: s.year, pilot: false, late: false, path, approved }
    await history(trx, { ...steps, level: 'central', run_by: 'ministry' })
    if (approved) {
      await disbursements(trx, {
        id,
        province_code: s.province,
        n,
        year: s.year,
        state: s.state,
        approved,
        run_by: 'ministry',
      })
    }
  }
  await actAs('ministry', null)
}

/** The ministry's centres: their allocations and the national schemes they run in the provinces. */
export async function nationalUnits(trx: Trx) {
  await actingIn(trx)('ministry', null)
  await centreAllocations(trx)
  await unitSchemes(trx)
}
