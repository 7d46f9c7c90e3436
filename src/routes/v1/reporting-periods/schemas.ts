import { Type } from 'typebox'
import { pageQuery } from '../../../lib/pagination.ts'
import { Codes, IsoDate, Year } from '../../../lib/schemas.ts'

export const PERIOD_KINDS = ['monthly', 'quarterly', 'half_year', 'annual'] as const

export const PeriodCode = Type.String({
  pattern: '^20[0-9]{2}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$',
  description:
    'Mã kỳ báo cáo — reporting period: `2026` (năm), `2026-H1` (6 tháng), `2026-Q3` (quý), `2026-09` (tháng).',
  examples: ['2026-Q3'],
})

export const PeriodKind = Codes(
  PERIOD_KINDS,
  'Loại kỳ — `monthly` (tháng: progress of national schemes), `quarterly` (quý), `half_year` (6 tháng), ' +
    '`annual` (năm): the periods of the province reports.',
)

export const ReportingPeriod = Type.Object(
  {
    code: PeriodCode,
    kind: PeriodKind,
    year: Year('Năm — the calendar year of the period.', 2026),
    starts_on: IsoDate('Từ ngày — first day of the period.'),
    ends_on: IsoDate('Đến ngày — last day of the period.'),
    due_date: IsoDate(
      'Hạn nộp — the day by which the report is due (default: the 15th of the month after the period, the 5th ' +
        'for a month); set by the ministry.',
    ),
    version: Type.Integer({ minimum: 1, description: 'Phiên bản — bumped by every change (the ETag).' }),
    updated_at: Type.String({ format: 'date-time', description: 'Cập nhật lúc — last changed.' }),
  },
  {
    $id: 'ReportingPeriod',
    additionalProperties: false,
    description: 'Kỳ báo cáo — a reporting period with its dates and due date.',
    // The period of the demo's periodic report of province 08 (PeriodicReport example).
    examples: [
      {
        code: '2026-Q3',
        kind: 'quarterly',
        year: 2026,
        starts_on: '2026-07-01',
        ends_on: '2026-09-30',
        due_date: '2026-10-15',
        version: 1,
        updated_at: '2026-11-30T18:41:32.779Z',
      },
    ],
  },
)

export const ListReportingPeriodsQuery = Type.Object(
  {
    year: Type.Optional(Year('Năm — only the periods of this year.', 2026)),
    kind: Type.Optional(PeriodKind),
    ...pageQuery,
  },
  { additionalProperties: false },
)

export const ReportingPeriodParams = Type.Object({ code: PeriodCode }, { additionalProperties: false })

export const ReportingPeriodPatch = Type.Object(
  { due_date: ReportingPeriod.properties.due_date },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Sửa hạn nộp — the new due date (not before the period ends).',
    examples: [{ due_date: '2026-10-20' }],
  },
)
