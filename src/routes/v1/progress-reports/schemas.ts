import { Type } from 'typebox'
import { TIMELINESS } from '../../../domain/timeliness.js'
import { pageQuery } from '../../../lib/pagination.js'
import { Codes, Id, IsoDate, Nullable, ProvinceCode, versionFields } from '../../../lib/schemas.js'
import { Money } from '../projects/schemas.js'

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
    description:
      'Báo cáo tiến độ tháng — monthly progress of a national scheme (TT 36/2013/TT-BCT Art. 23): percent done, ' +
      'money used per source, issues.',
  },
)

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
