// Asks 1 and 2 of the letter (a local programme approved, the year's plans carried out): the
// national programmes 2021–2025 (1881/QĐ-TTg) and 2026–2030 (2646/QĐ-BCT) with their annual plans,
// the ministry's; and each province's programmes — one per former province before the merger, one
// for 2026–2030 — with their plans, each approved by the Chairman of the provincial People's Committee.
import type { Trx } from '../db/tenancy.ts'
import { type FormerProvince, json, lower, NOTE, type Province, YEARS } from './common.ts'

interface NationalProgramme {
  title: string
  start_year: number
  end_year: number
  decision_number: string
  decision_date: string
  decision_issuer: string
  status: string
  objectives: string
  targets: { indicator: string; unit: string; target_value: number }[]
}

const national = async (trx: Trx, values: NationalProgramme) =>
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

/** The national programmes and their plans (as the ministry): the plan of each year, by year. */
export async function nationalProgrammes(trx: Trx): Promise<Record<number, string>> {
  const kcqg2021 = await national(trx, {
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
    // None: the demo records no targets it cannot quote from the decision's text.
    targets: [],
  })
  const kcqg2026 = await national(trx, {
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
  return nationalPlan
}

/**
 * Who approves a provincial programme and its annual plans: the Chairman of the provincial People's
 * Committee (TT 46/2012/TT-BCT Art. 2.2), "tỉnh" or "thành phố" as the reference data names it.
 */
const chairman = (p: Province) => `Chủ tịch UBND ${lower(p.full_name)}`
/** A plan's decision number, `…/QĐ-UBND`, distinct across the former provinces merged into one. */
const planNumber = (p: Province, year: number) => `${2000 + Number(p.code) * 10 + (year % 10)}/QĐ-UBND`

/**
 * A province's programmes and plans (as the province): its plans by `${origin}:${year}` for those of a
 * former province (2023–2025), and by `:2026` for the province's own.
 */
export async function provincialProgrammes(
  trx: Trx,
  province: Province,
  olds: FormerProvince[],
): Promise<Record<string, string>> {
  const code = province.code
  const localPlan: Record<string, string> = {}
  for (const former of olds) {
    const programme = await trx
      .insertInto('programmes')
      .values({
        level: 'provincial',
        province_code: code,
        origin_province_code: former.code,
        title: `Chương trình khuyến công ${lower(former.full_name)} giai đoạn 2021–2025`,
        start_year: 2021,
        end_year: 2025,
        decision_number: `${100 + Number(former.code)}/QĐ-UBND`,
        decision_date: '2021-03-10',
        decision_issuer: chairman(former),
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
            title: `Kế hoạch khuyến công ${lower(former.full_name)} năm ${year}`,
            decision_number: planNumber(former, year),
            decision_date: `${year - 1}-12-15`,
            decision_issuer: chairman(former),
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
      title: `Chương trình khuyến công ${lower(province.full_name)} giai đoạn 2026–2030`,
      start_year: 2026,
      end_year: 2030,
      decision_number: `${500 + Number(code)}/QĐ-UBND`,
      decision_date: '2025-11-28',
      decision_issuer: chairman(province),
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
        title: `Kế hoạch khuyến công ${lower(province.full_name)} năm 2026`,
        decision_number: planNumber(province, 2026),
        decision_date: '2025-12-20',
        decision_issuer: chairman(province),
        status: 'approved',
        targets: json([]),
        notes: NOTE,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  return localPlan
}
