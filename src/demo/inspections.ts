// Ask 4 of the letter (inspection, supervision and evaluation): each year's inspections of the
// province's schemes and of the establishments that benefited, each with its follow-ups — done,
// open or overdue.
import type { Trx } from '../db/tenancy.ts'
import { at, inPlan, json, lower, YEARS } from './common.ts'
import type { Generator } from './generator.ts'
import type { Establishment } from './products.ts'
import type { ReachSite } from './profiles.ts'

const FOLLOW_UPS = [
  'Bổ sung hồ sơ nghiệm thu từng phần',
  'Hoàn thiện chứng từ thanh toán kinh phí hỗ trợ',
  'Báo cáo hiệu quả sử dụng máy móc thiết bị sau hỗ trợ',
  'Cập nhật danh sách cơ sở thụ hưởng',
]

/** Inspections of the year's schemes, each with its follow-ups (as the province). */
export async function inspections(
  trx: Trx,
  rnd: Generator,
  { province, profile, olds, merged, nameOf, schemes }: ReachSite,
  establishments: Establishment[],
) {
  const code = province.code
  const { unit } = profile
  for (const [y, year] of YEARS.entries()) {
    const planned = schemes.filter((s) => s.year === year && inPlan(s.state))
    const count = profile.inspections[y] ?? 0
    let open = year === 2025 ? profile.open : 0
    for (let i = 0; i < count; i++) {
      const date = `${year}-${String(4 + i * 2).padStart(2, '0')}-${10 + i}`
      const kind = ['inspection', 'supervision', 'evaluation'][i % 3] as string
      const covered = kind === 'supervision' ? [] : planned.slice(i, i + 1 + (i % 2))
      const origin =
        merged && date < '2025-07-01'
          ? (covered[0]?.origin_province_code ?? olds[i % olds.length]?.code ?? null)
          : null
      const last = i === count - 1
      const actions = Math.max(rnd.int(0, 2), last ? open : 0)
      const followUps = Array.from({ length: actions }, (_, k) => {
        const due = `${year}-${String(6 + i * 2).padStart(2, '0')}-28`
        const pending = year >= 2026 || (year === 2025 && open > 0)
        if (pending) open--
        return pending
          ? {
              action: FOLLOW_UPS[(i + k) % FOLLOW_UPS.length] as string,
              due_date: due,
              status: k % 2 ? 'overdue' : 'open',
            }
          : {
              action: FOLLOW_UPS[(i + k) % FOLLOW_UPS.length] as string,
              due_date: due,
              status: 'done',
              done_date: `${year}-${String(6 + i * 2).padStart(2, '0')}-20`,
            }
      })
      const beneficiaries = establishments
        .slice(i * 2, i * 2 + (kind === 'inspection' ? 2 : 0))
        .map((e) => e.id)
      await trx
        .insertInto('inspections')
        .values({
          province_code: code,
          origin_province_code: origin,
          kind,
          inspection_date: date,
          inspecting_body: kind === 'evaluation' ? unit.name : `Sở Công Thương ${lower(nameOf(origin))}`,
          project_ids: covered.map((s) => s.id),
          establishment_ids: beneficiaries,
          findings:
            kind === 'supervision'
              ? 'Giám sát hoạt động của mạng lưới cộng tác viên khuyến công và việc triển khai kế hoạch năm.'
              : 'Đề án triển khai đúng nội dung được duyệt; hồ sơ thanh toán còn thiếu một số chứng từ.',
          conclusion: actions ? 'Đạt yêu cầu, đề nghị khắc phục các tồn tại theo kiến nghị.' : 'Đạt yêu cầu.',
          rating: ['good', 'fair', 'excellent', 'good', 'poor'][(i + y) % 5] as string,
          follow_ups: json(followUps),
          ...at(date),
        })
        .execute()
    }
  }
}
