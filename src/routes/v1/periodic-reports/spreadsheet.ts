// A periodic report as the official spreadsheet: a cover sheet (unit, period, status, the sections
// the officer wrote) and one sheet per section of figures — the reported (frozen) figure and the
// live one beside it.
import type { Column, Sheet } from '../../../lib/xlsx.ts'
import type { ReportingPeriodRow } from '../reporting-periods/repository.ts'
import type { Figures } from './figures.ts'

/** Sheet names (≤ 31 characters) and titles of the sections, in the order of the asks. */
const SECTION_TITLES: Record<string, string> = {
  legal: '1. Văn bản, chương trình',
  plans: '2. Kế hoạch, đề án',
  money: '6. Kinh phí',
  typical_products: '3. SP CNNT tiêu biểu',
  oversight: '4. Kiểm tra, giám sát',
  organisation: '5. Tổ chức, CTV',
  communication: '7. Thông tin tuyên truyền',
  schemes_by_state: 'Đề án theo trạng thái',
}

const LABELS: Record<string, string> = {
  programmes_recorded: 'Số chương trình khuyến công địa phương đã ban hành',
  programme_in_force: 'Có chương trình khuyến công địa phương còn hiệu lực (1 = có)',
  documents_recorded: 'Số văn bản về khuyến công',
  norms_issued: 'Đã ban hành định mức kinh tế kỹ thuật (1 = có)',
  normative_issued: 'Số văn bản quy phạm pháp luật ban hành trong năm',
  schemes_recorded: 'Số đề án của năm',
  schemes_planned: 'Số đề án được phê duyệt',
  schemes_accepted: 'Số đề án đã nghiệm thu',
  schemes_due: 'Số đề án đến hạn hoàn thành',
  schemes_completed_on_time: 'Số đề án hoàn thành đúng hạn',
  pilot_schemes: 'Số đề án điểm',
  central_allocation: 'Kinh phí khuyến công quốc gia được giao (đồng)',
  local_allocation: 'Kinh phí khuyến công địa phương được giao (đồng)',
  approved_central: 'Kinh phí KCQG phê duyệt cho đề án (đồng)',
  paid_central: 'Kinh phí KCQG đã giải ngân (đồng)',
  approved_local: 'Kinh phí địa phương phê duyệt cho đề án (đồng)',
  paid_local: 'Kinh phí địa phương đã giải ngân (đồng)',
  approved_total: 'Tổng kinh phí phê duyệt cho đề án, mọi nguồn (đồng)',
  approved_key_products: 'Kinh phí cho sản phẩm, ngành hàng chủ lực (đồng)',
  certificates_recorded: 'Số giấy chứng nhận sản phẩm CNNT tiêu biểu',
  typical_products: 'Số sản phẩm CNNT tiêu biểu còn hiệu lực',
  typical_products_province: '— cấp tỉnh',
  typical_products_region: '— cấp khu vực',
  typical_products_national: '— cấp quốc gia',
  inspections: 'Số cuộc kiểm tra, giám sát',
  open_follow_ups: 'Số kiến nghị chưa khắc phục',
  schemes_inspected: 'Số đề án được kiểm tra',
  unit_model: 'Mô hình đơn vị thực hiện khuyến công',
  staff_headcount: 'Số cán bộ đơn vị khuyến công',
  staff_qualified: 'Số cán bộ có trình độ cao đẳng trở lên',
  communes: 'Số xã, phường',
  collaborators_recorded: 'Số cộng tác viên khuyến công',
  communes_covered: 'Số xã có cộng tác viên',
  activities: 'Số hoạt động thông tin tuyên truyền',
  digital_activities: '— trên nền tảng số',
  reach_viewers: 'Lượt xem',
  reach_listeners: 'Lượt nghe',
  reach_copies: 'Số bản phát hành',
  reach_visits: 'Lượt truy cập',
  reach_participants: 'Số người tham dự',
}

const STATUS_VI: Record<string, string> = {
  draft: 'Dự thảo',
  submitted: 'Đã gửi',
  returned: 'Bị trả lại để bổ sung',
  acknowledged: 'Bộ Công Thương đã ghi nhận',
}

/** "Quý III/2026", "6 tháng đầu năm 2026", "Năm 2026". */
export function periodName(p: Pick<ReportingPeriodRow, 'code' | 'kind' | 'year'>): string {
  const part = p.code.slice(5)
  if (p.kind === 'quarterly') return `Quý ${['I', 'II', 'III', 'IV'][Number(part.slice(1)) - 1]}/${p.year}`
  if (p.kind === 'half_year') return `6 tháng ${part === 'H1' ? 'đầu' : 'cuối'} năm ${p.year}`
  if (p.kind === 'monthly') return `Tháng ${part}/${p.year}`
  return `Năm ${p.year}`
}

const vnDate = (d: string) => d.split('-').reverse().join('/')

/** The title rows every sheet of a unit's report carries. */
export const titleOf = (what: string, unit: string, period: ReportingPeriodRow) => [
  what,
  `Đơn vị báo cáo: ${unit}`,
  `Kỳ báo cáo: ${periodName(period)} (${vnDate(period.starts_on)} – ${vnDate(period.ends_on)}); hạn nộp ${vnDate(period.due_date)}`,
]

interface Report {
  status: string
  submission: number
  content_hash: string | null
  submitted_at: string | null
  results: string | null
  difficulties: string | null
  proposals: string | null
  figures: Figures
  live_figures: Figures
}

const FIGURE_COLUMNS = (money: boolean): Column[] => [
  { header: 'Chỉ tiêu', key: 'label', width: 60, kind: 'text' },
  { header: 'Mã', key: 'code', width: 28, kind: 'text' },
  { header: 'Số liệu báo cáo', key: 'reported', width: 20, kind: money ? 'vnd' : 'count' },
  { header: 'Số liệu hiện tại', key: 'live', width: 20, kind: money ? 'vnd' : 'count' },
]

export function reportSheets(report: Report, unit: string, period: ReportingPeriodRow): Sheet[] {
  const title = titleOf('BÁO CÁO ĐỊNH KỲ CÔNG TÁC KHUYẾN CÔNG', unit, period)
  const cover: Sheet = {
    name: 'Thông tin chung',
    title: [
      ...title,
      `Trạng thái: ${STATUS_VI[report.status] ?? report.status}; lần gửi: ${report.submission}` +
        (report.content_hash ? `; mã băm nội dung (SHA-256): ${report.content_hash}` : ''),
    ],
    columns: [
      { header: 'Nội dung', key: 'part', width: 36, kind: 'text' },
      { header: 'Báo cáo', key: 'text', width: 100, kind: 'text' },
    ],
    rows: [
      { part: 'Kết quả thực hiện', text: report.results },
      { part: 'Khó khăn, vướng mắc', text: report.difficulties },
      { part: 'Kiến nghị, đề xuất', text: report.proposals },
      { part: 'Gửi lúc', text: report.submitted_at },
    ],
  }
  const sections = Object.keys(SECTION_TITLES).map((section): Sheet => {
    const reported = report.figures[section] ?? {}
    const live = report.live_figures[section] ?? {}
    const codes = [...new Set([...Object.keys(reported), ...Object.keys(live)])]
    return {
      name: SECTION_TITLES[section] as string,
      title,
      columns: FIGURE_COLUMNS(section === 'money'),
      rows: codes.map((code) => ({
        label: LABELS[code] ?? code,
        code,
        reported: reported[code] ?? null,
        live: live[code] ?? null,
      })),
    }
  })
  return [cover, ...sections]
}
