// Who has reported, as the official spreadsheet: the rates, then a row per reporting unit.
import type { Rates } from '../../../domain/timeliness.ts'
import type { Sheet } from '../../../lib/xlsx.ts'
import { periodName } from '../periodic-reports/spreadsheet.ts'
import type { ReportingPeriodRow } from '../reporting-periods/repository.ts'
import type { StatusLine } from './index.ts'

const STATUS_VI: Record<string, string> = {
  not_started: 'Chưa lập',
  draft: 'Đang dự thảo',
  submitted: 'Đã gửi',
  returned: 'Bị trả lại',
  acknowledged: 'Đã ghi nhận',
}
const TIMELINESS_VI: Record<string, string> = {
  on_time: 'Đúng hạn',
  late: 'Muộn',
  overdue: 'Quá hạn chưa nộp',
}

export function statusSheets(
  status: Rates & { period: ReportingPeriodRow; as_of: string; items: StatusLine[] },
): Sheet[] {
  const title = [
    'TÌNH HÌNH NỘP BÁO CÁO ĐỊNH KỲ CÔNG TÁC KHUYẾN CÔNG',
    `Kỳ báo cáo: ${periodName(status.period)}; hạn nộp ${status.period.due_date.split('-').reverse().join('/')}`,
    `Tính đến ngày ${status.as_of.split('-').reverse().join('/')}`,
  ]
  return [
    {
      name: 'Tổng hợp',
      title,
      columns: [
        { header: 'Chỉ tiêu', key: 'label', width: 40, kind: 'text' },
        { header: 'Số báo cáo', key: 'count', width: 14, kind: 'count' },
        { header: 'Tỷ lệ', key: 'rate', width: 12, kind: 'rate' },
      ],
      rows: [
        { label: 'Số báo cáo phải nộp', count: status.expected, rate: null },
        { label: 'Số báo cáo đã nộp', count: status.actual, rate: status.reporting_rate },
        { label: 'Số báo cáo nộp đúng hạn', count: status.on_time, rate: status.on_time_rate },
      ],
    },
    {
      name: 'Theo đơn vị',
      title,
      columns: [
        { header: 'Mã', key: 'unit_code', width: 6, kind: 'text' },
        { header: 'Đơn vị báo cáo', key: 'unit_name', width: 24, kind: 'text' },
        { header: 'Tỉnh hiện nay', key: 'province_code', width: 12, kind: 'text' },
        { header: 'Trạng thái', key: 'status', width: 16, kind: 'text' },
        { header: 'Tính kịp thời', key: 'timeliness', width: 18, kind: 'text' },
        { header: 'Hạn nộp', key: 'due_date', width: 12, kind: 'date' },
        { header: 'Gửi lần đầu', key: 'first_submitted_at', width: 18, kind: 'datetime' },
        { header: 'Gửi lần cuối', key: 'submitted_at', width: 18, kind: 'datetime' },
        { header: 'Bộ ghi nhận', key: 'acknowledged_at', width: 18, kind: 'datetime' },
      ],
      rows: status.items.map((i) => ({
        ...i,
        status: STATUS_VI[i.status ?? ''] ?? i.status,
        timeliness: i.timeliness ? TIMELINESS_VI[i.timeliness] : null,
      })),
    },
  ]
}
