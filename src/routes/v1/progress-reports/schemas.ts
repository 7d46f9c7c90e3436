import { Type } from 'typebox'
import { TIMELINESS } from '../../../domain/timeliness.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import { Codes, Id, IsoDate, Nullable, ProvinceCode, versionFields } from '../../../lib/schemas.ts'
import { Money } from '../projects/schemas.ts'

export const Month = Type.String({
  pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$',
  description: 'Tháng báo cáo — the month reported on (a monthly reporting period).',
  examples: ['2026-09'],
})

const usedMoney = {
  used_central: Money(
    'Kinh phí khuyến công quốc gia đã sử dụng — central money used so far, whole VND.',
    120_000_000,
  ),
  used_local: Money('Kinh phí địa phương đã sử dụng — local money used so far, whole VND.', 0),
  used_counterpart: Money('Vốn đối ứng đã sử dụng — counterpart money used so far, whole VND.', 30_000_000),
  used_other: Money('Nguồn khác đã sử dụng — other money used so far, whole VND.', 0),
}

const fields = {
  percent_done: Type.Integer({
    minimum: 0,
    maximum: 100,
    description: 'Tiến độ — share of the scheme done by the month’s end, in percent.',
    examples: [60],
  }),
  issues: Nullable(
    Type.String({ minLength: 1, maxLength: 4000, examples: ['Chậm bàn giao thiết bị'] }),
    'Khó khăn, vướng mắc — issues met in the month.',
  ),
}

/** September 2025 of the demo scheme of province 08 that the Project example shows. */
const demoReport = {
  id: '134c0bbc-f20b-4b9f-ab6a-2e94e53a5785',
  project_id: 'bc15be20-f82f-4ecc-8dcf-1c63b381f1c2',
  province_code: '08',
  month: '2025-09',
  reported_by: 'province',
  percent_done: 78,
  issues: null,
  used_central: 512460000,
  used_local: 0,
  used_counterpart: 0,
  used_other: 0,
  actor_sub: 'demo-data',
  version: 1,
  created_at: '2025-10-04T03:00:00.000Z',
  updated_at: '2025-10-04T03:00:00.000Z',
}

export const ProgressReport = Type.Object(
  {
    id: Id('Mã báo cáo tiến độ — progress report id.'),
    project_id: Id('Mã đề án — the scheme.'),
    province_code: ProvinceCode,
    month: Month,
    reported_by: Codes(['ministry', 'province'], 'Đơn vị báo cáo — who carries the scheme out and reports.'),
    ...fields,
    ...usedMoney,
    actor_sub: Type.String({ description: 'Người báo cáo — who reported (token subject).' }),
    ...versionFields,
  },
  {
    $id: 'ProgressReport',
    additionalProperties: false,
    examples: [demoReport],
    description:
      'Báo cáo tiến độ tháng — monthly progress of a national scheme (TT 36/2013/TT-BCT Art. 23): percent done, ' +
      'money used per source, issues.',
  },
)

/** What the province is answered when it sends the create example below for that scheme. */
export const createdReport = {
  ...demoReport,
  id: '5f151b51-9170-42f7-a644-cfc56414f51e',
  month: '2025-10',
  percent_done: 85,
  issues: 'Chậm bàn giao thiết bị',
  used_central: 150000000,
  actor_sub: 'dev-province-08',
  created_at: '2026-11-30T18:45:46.774Z',
  updated_at: '2026-11-30T18:45:46.774Z',
}

export const CreateProgressReport = Type.Object(
  {
    month: Month,
    percent_done: fields.percent_done,
    issues: Type.Optional(fields.issues),
    used_central: Type.Optional(usedMoney.used_central),
    used_local: Type.Optional(usedMoney.used_local),
    used_counterpart: Type.Optional(usedMoney.used_counterpart),
    used_other: Type.Optional(usedMoney.used_other),
  },
  {
    additionalProperties: false,
    examples: [
      { month: '2025-10', percent_done: 85, issues: 'Chậm bàn giao thiết bị', used_central: 150000000 },
    ],
  },
)

export const ProjectParams = Type.Object({ id: Id('Mã đề án — scheme id.') }, { additionalProperties: false })
export const ProgressReportParams = Type.Object(
  { id: Id('Mã báo cáo tiến độ — progress report id.') },
  { additionalProperties: false },
)

export const ExpectedProgress = Type.Object(
  {
    project_id: Id('Mã đề án — the scheme.'),
    project_title: Type.String({ description: 'Tên đề án — its title.' }),
    province_code: ProvinceCode,
    reported_by: Codes(
      ['ministry', 'province'],
      'Đơn vị báo cáo — who owes the report: the province, or the ministry for a scheme its own units run.',
    ),
    month: Month,
    due_date: IsoDate('Hạn nộp — the month’s due date.'),
    report_id: Nullable(Id('Mã báo cáo'), 'Mã báo cáo tiến độ — the report; null: missing.'),
    percent_done: Nullable(
      Type.Integer({ minimum: 0, maximum: 100 }),
      'Tiến độ — percent done, as reported.',
    ),
    reported_at: Nullable(Type.String({ format: 'date-time' }), 'Báo cáo lúc — when it was reported.'),
    timeliness: Nullable(
      Codes(TIMELINESS, 'Tính kịp thời'),
      'Tính kịp thời — `on_time`, `late` (reported after the due date), `overdue` (missing and past due); null ' +
        'while missing and not yet due.',
    ),
  },
  {
    $id: 'ExpectedProgressReport',
    additionalProperties: false,
    examples: [
      {
        project_id: demoReport.project_id,
        project_title: 'Hội thảo nâng cao năng lực quản lý cho cơ sở sản xuất thổ cẩm',
        province_code: '08',
        reported_by: 'province',
        month: '2025-09',
        due_date: '2025-10-05',
        report_id: demoReport.id,
        percent_done: 78,
        reported_at: '2025-10-04T03:00:00.000Z',
        timeliness: 'on_time',
      },
    ],
    description: 'Một đề án phải báo cáo — a national scheme under way in the month, with its report if any.',
  },
)

export const ListProgressQuery = Type.Object(
  {
    month: Month,
    late: Type.Optional(
      Type.Boolean({ description: 'Chỉ trễ hạn — only the late and the missing past their due date.' }),
    ),
    province_code: Type.Optional(ProvinceCode),
    ...pageQuery,
  },
  { additionalProperties: false },
)

export const PageQuery = Type.Object({ ...pageQuery }, { additionalProperties: false })
