import { Type } from 'typebox'
import { REPORT_STATUSES } from '../../../domain/report-workflow.ts'
import { TIMELINESS } from '../../../domain/timeliness.ts'
import { Codes, examplesOf, Id, IsoDate, Nullable, ProvinceCode, Year } from '../../../lib/schemas.ts'
import { PeriodCode, ReportingPeriod } from '../reporting-periods/schemas.ts'

const Count = (description: string) => Type.Integer({ minimum: 0, description })
const Rate = (description: string) =>
  Nullable(Type.Number({ minimum: 0, maximum: 1, examples: [0.85] }), description)

/** The DHIS2-style rates of a set of expected reports. */
export const rateFields = {
  expected: Count('Số báo cáo phải nộp — expected reports (reporting units × periods).'),
  actual: Count('Số báo cáo đã nộp — reports submitted (at least once).'),
  on_time: Count('Số báo cáo đúng hạn — reports first submitted by the due date.'),
  reporting_rate: Rate('Tỷ lệ nộp báo cáo — actual ÷ expected; null when none is expected.'),
  on_time_rate: Rate('Tỷ lệ nộp đúng hạn — on time ÷ expected; null when none is expected.'),
}

const Instant = (description: string) => Nullable(Type.String({ format: 'date-time' }), description)

export const StatusRow = Type.Object(
  {
    unit_code: Type.String({
      pattern: '^[0-9]{2}$',
      description: 'Đơn vị báo cáo — the former province before the merger, else the province.',
      examples: ['02'],
    }),
    unit_name: Type.String({ description: 'Tên đơn vị — its name in the period.', examples: ['Hà Giang'] }),
    province_code: ProvinceCode,
    report_id: Nullable(Id('Mã báo cáo'), 'Mã báo cáo — the report; null when none was started.'),
    status: Codes(
      ['not_started', ...REPORT_STATUSES],
      'Trạng thái — `not_started` (chưa lập), `draft`, `submitted`, `returned`, `acknowledged`.',
    ),
    timeliness: Nullable(
      Codes(TIMELINESS, 'Tính kịp thời'),
      'Tính kịp thời — `on_time` (first submitted by the due date), `late` (after it), `overdue` (not submitted ' +
        'and past due); null while not submitted and not yet due.',
    ),
    due_date: IsoDate('Hạn nộp — the period’s due date.'),
    first_submitted_at: Instant('Gửi lần đầu — first submitted at.'),
    submitted_at: Instant('Gửi lúc — latest submission.'),
    acknowledged_at: Instant('Bộ ghi nhận lúc — acknowledged at.'),
  },
  {
    $id: 'ReportingStatusRow',
    additionalProperties: false,
    description: 'Một đơn vị báo cáo — one reporting unit.',
    // Province 08 for 2026-Q3: its report is the PeriodicReport example.
    examples: [
      {
        unit_code: '08',
        unit_name: 'Tuyên Quang',
        province_code: '08',
        report_id: 'd12f7bd1-7689-44cd-b361-e6aa53d1961e',
        status: 'submitted',
        timeliness: 'on_time',
        due_date: '2026-10-15',
        first_submitted_at: '2026-10-05T03:00:00.000Z',
        submitted_at: '2026-10-05T03:00:00.000Z',
        acknowledged_at: null,
      },
    ],
  },
)

export const ReportingStatus = Type.Object(
  {
    period: Type.Ref('ReportingPeriod'),
    as_of: IsoDate('Tính đến ngày — today in Vietnam, the day timeliness is judged on.'),
    ...rateFields,
    items: Type.Array(Type.Ref('ReportingStatusRow'), {
      description:
        'Các đơn vị — every reporting unit the caller sees, by code (63 before the merger, 34 after).',
    }),
  },
  {
    additionalProperties: false,
    description: 'Tình hình nộp báo cáo — who has reported for a period, with the rates.',
    // As province 08 sees 2026-Q3.
    examples: [
      {
        period: examplesOf(ReportingPeriod)[0],
        as_of: '2026-12-01',
        expected: 1,
        actual: 1,
        on_time: 1,
        reporting_rate: 1,
        on_time_rate: 1,
        items: examplesOf(StatusRow),
      },
    ],
  },
)

export const ReportingStatusQuery = Type.Object({ period: PeriodCode }, { additionalProperties: false })

const PeriodRates = Type.Object(
  {
    period_code: PeriodCode,
    kind: Codes(['quarterly', 'half_year', 'annual'], 'Loại kỳ'),
    due_date: IsoDate('Hạn nộp.'),
    ...rateFields,
  },
  {
    additionalProperties: false,
    description: 'Một kỳ — the rates of one period, nationally (or the caller’s).',
  },
)

const ProvinceRates = Type.Object(
  {
    province_code: ProvinceCode,
    province_name: Type.String({ description: 'Tên tỉnh — today’s name.', examples: ['Tuyên Quang'] }),
    ...rateFields,
  },
  {
    additionalProperties: false,
    description:
      'Một tỉnh — its rates over the year’s periods (before the merger, its former provinces’ reports).',
  },
)

export const ReportingSummary = Type.Object(
  {
    year: Year('Năm.', 2025),
    as_of: IsoDate('Tính đến ngày — today in Vietnam.'),
    ...rateFields,
    periods: Type.Array(PeriodRates, { description: 'Theo kỳ — every period of the year that has ended.' }),
    provinces: Type.Array(ProvinceRates, { description: 'Theo tỉnh — every province the caller sees.' }),
  },
  {
    additionalProperties: false,
    description:
      'Tổng hợp tình hình báo cáo năm — expected, actual and on-time reports and their rates over the year’s ' +
      'ended quarters, half-years and year: in total, per period and per province.',
    // As province 08 sees 2026 on 1 December.
    examples: [
      {
        year: 2026,
        as_of: '2026-12-01',
        expected: 4,
        actual: 3,
        on_time: 3,
        reporting_rate: 0.75,
        on_time_rate: 0.75,
        periods: [
          {
            period_code: '2026-Q1',
            kind: 'quarterly',
            due_date: '2026-04-15',
            expected: 1,
            actual: 1,
            on_time: 1,
            reporting_rate: 1,
            on_time_rate: 1,
          },
          {
            period_code: '2026-Q2',
            kind: 'quarterly',
            due_date: '2026-07-15',
            expected: 1,
            actual: 0,
            on_time: 0,
            reporting_rate: 0,
            on_time_rate: 0,
          },
          {
            period_code: '2026-H1',
            kind: 'half_year',
            due_date: '2026-07-15',
            expected: 1,
            actual: 1,
            on_time: 1,
            reporting_rate: 1,
            on_time_rate: 1,
          },
          {
            period_code: '2026-Q3',
            kind: 'quarterly',
            due_date: '2026-10-15',
            expected: 1,
            actual: 1,
            on_time: 1,
            reporting_rate: 1,
            on_time_rate: 1,
          },
        ],
        provinces: [
          {
            province_code: '08',
            province_name: 'Tuyên Quang',
            expected: 4,
            actual: 3,
            on_time: 3,
            reporting_rate: 0.75,
            on_time_rate: 0.75,
          },
        ],
      },
    ],
  },
)

export const ReportingSummaryQuery = Type.Object(
  { year: Year('Năm — the year whose periods are counted.', 2025) },
  { additionalProperties: false },
)
