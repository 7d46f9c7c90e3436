import { Type } from 'typebox'
import { REPORT_ACTIONS, REPORT_STATUSES } from '../../../domain/report-workflow.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  attachmentCount,
  Codes,
  Id,
  IsoDate,
  Nullable,
  ProvinceCode,
  versionFields,
} from '../../../lib/schemas.ts'
import { PeriodCode } from '../reporting-periods/schemas.ts'

const Status = Codes(
  REPORT_STATUSES,
  'Trạng thái — `draft` (dự thảo), `submitted` (đã gửi), `returned` (trả lại để bổ sung), `acknowledged` ' +
    '(Bộ đã ghi nhận).',
)

const Section = (vi: string) =>
  Nullable(Type.String({ minLength: 1, maxLength: 20_000, examples: ['…'] }), vi)

const sections = {
  results: Section('Kết quả thực hiện — the results of the period, in the officer’s words.'),
  difficulties: Section('Khó khăn, vướng mắc — difficulties met.'),
  proposals: Section('Kiến nghị, đề xuất với Bộ Công Thương — proposals to the ministry.'),
}

const optionalSections = {
  results: Type.Optional(sections.results),
  difficulties: Type.Optional(sections.difficulties),
  proposals: Type.Optional(sections.proposals),
}

const FigureValue = Nullable(
  Type.Union([Type.Number(), Type.String()]),
  'A count, whole VND, or a code (the unit model); null: no data.',
)
const FigureSection = (description: string) => Type.Record(Type.String(), FigureValue, { description })

export const Figures = Type.Object(
  {
    legal: FigureSection('Yêu cầu 1 — legal frame: programmes, documents, norms.'),
    plans: FigureSection(
      'Yêu cầu 2 — the year’s schemes: recorded, planned (approved), accepted, on time, pilots.',
    ),
    money: FigureSection(
      'Yêu cầu 6 — money, whole VND: allocations (local, central) and money approved to and paid for the ' +
        'year’s schemes, per source.',
    ),
    typical_products: FigureSection(
      'Yêu cầu 3 — typical rural-industrial products and certificates by level.',
    ),
    oversight: FigureSection('Yêu cầu 4 — inspections, open follow-ups, schemes inspected.'),
    organisation: FigureSection('Yêu cầu 5 — implementing unit, staff, collaborator coverage of communes.'),
    communication: FigureSection('Yêu cầu 7 — communication activities, digital ones, reach.'),
    schemes_by_state: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'Đề án theo trạng thái — the year’s schemes per lifecycle state.',
    }),
  },
  {
    $id: 'PeriodicReportFigures',
    additionalProperties: false,
    description:
      'Số liệu báo cáo — the reporting unit’s figures for the period’s year up to the period’s end (lũy kế từ ' +
      'đầu năm), by ask of letter 3384/BCT-CTĐP, computed from the data (the scorecard’s facts).',
  },
)

const FiguresRef = Type.Ref('PeriodicReportFigures')

const summary = {
  id: Id('Mã báo cáo — report id.'),
  province_code: ProvinceCode,
  origin_province_code: Nullable(
    Type.String({ pattern: '^[0-9]{2}$', examples: ['02'] }),
    'Tỉnh cũ — before the merger (periods ending before 1 July 2025): the former province that is the ' +
      'reporting unit; null after it.',
  ),
  unit_code: Type.String({
    pattern: '^[0-9]{2}$',
    description:
      'Đơn vị báo cáo — the reporting unit: the former province before the merger, else the province.',
    examples: ['08'],
  }),
  period_code: PeriodCode,
  status: Status,
  ...sections,
  figures_as_of: Type.String({
    format: 'date-time',
    description:
      'Số liệu tính lúc — when `figures` were computed (at the latest change of a draft, or the latest submission).',
  }),
  content_hash: Nullable(
    Type.String({ pattern: '^[0-9a-f]{64}$' }),
    'Mã băm nội dung — SHA-256 (hex) of the latest submission: period, unit, sections and figures as canonical ' +
      'JSON (keys sorted); null before the first submission.',
  ),
  submission: Type.Integer({
    minimum: 0,
    description: 'Lần gửi — how many times it was submitted; each submission is a version (`/versions`).',
  }),
  first_submitted_at: Nullable(Type.String({ format: 'date-time' }), 'Gửi lần đầu — first submitted at.'),
  submitted_at: Nullable(Type.String({ format: 'date-time' }), 'Gửi lúc — latest submission.'),
  acknowledged_at: Nullable(Type.String({ format: 'date-time' }), 'Bộ ghi nhận lúc — acknowledged at.'),
  returned_at: Nullable(Type.String({ format: 'date-time' }), 'Trả lại lúc — last returned at.'),
  ...versionFields,
}

/** The demo's report of province 08 for 2026-Q3 (without its figures), for the examples below. */
const demoReport = {
  id: 'd12f7bd1-7689-44cd-b361-e6aa53d1961e',
  province_code: '08',
  origin_province_code: null,
  unit_code: '08',
  period_code: '2026-Q3',
  status: 'submitted',
  results: 'Hoàn thành nghiệm thu các đề án đến hạn; tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh.',
  difficulties: 'Mạng lưới cộng tác viên khuyến công cấp xã chưa phủ khắp sau sắp xếp đơn vị hành chính.',
  proposals: 'Đề nghị Bộ Công Thương tăng kinh phí khuyến công quốc gia cho các đề án điểm.',
  figures_as_of: '2026-10-05T03:00:00.000Z',
  content_hash: '04c8c78ec506b163a3a4b7c1ff99a6370c31796b0e257f640d75132e76a20e01',
  submission: 1,
  first_submitted_at: '2026-10-05T03:00:00.000Z',
  submitted_at: '2026-10-05T03:00:00.000Z',
  acknowledged_at: null,
  returned_at: null,
  version: 2,
  created_at: '2026-09-23T03:00:00.000Z',
  updated_at: '2026-10-05T03:00:00.000Z',
}

/** Its figures, frozen at its submission. */
const demoFigures = {
  legal: {
    norms_issued: 1,
    normative_issued: 0,
    documents_recorded: 14,
    programme_in_force: 1,
    programmes_recorded: 3,
  },
  plans: {
    schemes_due: 0,
    pilot_schemes: 0,
    schemes_planned: 0,
    schemes_accepted: 0,
    schemes_recorded: 3,
    schemes_completed_on_time: 0,
  },
  money: {
    paid_local: 0,
    paid_central: 0,
    approved_local: 0,
    approved_total: 0,
    approved_central: 0,
    local_allocation: 2010000000,
    central_allocation: 6287000000,
    approved_key_products: 0,
  },
  typical_products: {
    typical_products: 9,
    certificates_recorded: 20,
    typical_products_region: 3,
    typical_products_national: 1,
    typical_products_province: 6,
  },
  oversight: {
    inspections: 1,
    open_follow_ups: 1,
    schemes_inspected: 0,
  },
  organisation: {
    communes: 124,
    unit_model: 'merged_centre',
    staff_headcount: 27,
    staff_qualified: 17,
    communes_covered: 88,
    collaborators_recorded: 63,
  },
  communication: {
    activities: 2,
    reach_copies: null,
    reach_visits: 24208,
    reach_viewers: 31919,
    reach_listeners: null,
    digital_activities: 2,
    reach_participants: null,
  },
  schemes_by_state: {
    draft: 1,
    appraised: 1,
    submitted: 1,
  },
}

export const PeriodicReportSummary = Type.Object(summary, {
  $id: 'PeriodicReportSummary',
  // As a list shows it.
  examples: [demoReport],
  additionalProperties: false,
  description: 'Báo cáo định kỳ (tóm tắt) — a periodic report without its figures.',
})

export const PeriodicReport = Type.Object(
  {
    ...summary,
    due_date: IsoDate('Hạn nộp — the period’s due date.'),
    figures: FiguresRef,
    live_figures: FiguresRef,
    allowed_actions: Type.Array(Codes(REPORT_ACTIONS, 'Thao tác'), {
      description: 'Thao tác được phép — the workflow steps the caller may take now.',
    }),
    ...attachmentCount,
  },
  {
    $id: 'PeriodicReport',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        ...demoReport,
        due_date: '2026-10-15',
        figures: demoFigures,
        live_figures: {
          legal: {
            programmes_recorded: 3,
            programme_in_force: 1,
            documents_recorded: 14,
            norms_issued: 1,
            normative_issued: 0,
          },
          plans: {
            schemes_recorded: 3,
            schemes_planned: 0,
            schemes_accepted: 0,
            schemes_due: 0,
            schemes_completed_on_time: 0,
            pilot_schemes: 0,
          },
          money: {
            central_allocation: 6287000000,
            local_allocation: 2010000000,
            approved_central: 0,
            paid_central: 0,
            approved_local: 0,
            paid_local: 0,
            approved_total: 0,
            approved_key_products: 0,
          },
          typical_products: {
            certificates_recorded: 20,
            typical_products: 9,
            typical_products_province: 6,
            typical_products_region: 3,
            typical_products_national: 1,
          },
          oversight: {
            inspections: 1,
            open_follow_ups: 1,
            schemes_inspected: 0,
          },
          organisation: {
            unit_model: 'merged_centre',
            staff_headcount: 27,
            staff_qualified: 17,
            communes: 124,
            collaborators_recorded: 63,
            communes_covered: 88,
          },
          communication: {
            activities: 2,
            digital_activities: 2,
            reach_viewers: 31919,
            reach_listeners: null,
            reach_copies: null,
            reach_visits: 24208,
            reach_participants: null,
          },
          schemes_by_state: {
            appraised: 1,
            draft: 1,
            submitted: 1,
          },
        },
        allowed_actions: [],
        attachment_count: 0,
      },
    ],
    additionalProperties: false,
    description:
      'Báo cáo định kỳ — a province’s quarterly, half-year or annual report to the ministry: `figures` are ' +
      'computed from the data when it is started and at every change of a draft (or returned) report, and frozen ' +
      'at each submission; `live_figures` are always computed now, for comparison.',
  },
)

export const CreatePeriodicReport = Type.Object(
  {
    period: PeriodCode,
    province_code: Type.Optional(ProvinceCode),
    origin_province_code: Type.Optional(summary.origin_province_code),
    ...optionalSections,
  },
  { additionalProperties: false, examples: [{ period: '2026-Q2' }] },
)

export const UpdatePeriodicReport = Type.Object(optionalSections, {
  additionalProperties: false,
  minProperties: 1,
  examples: [
    {
      results: 'Hoàn thành 3/5 đề án khuyến công địa phương; đào tạo nghề cho 120 lao động nông thôn.',
      difficulties: 'Kinh phí địa phương giao chậm.',
      proposals: 'Đề nghị Bộ Công Thương hỗ trợ kinh phí khuyến công quốc gia cho đề án điểm.',
    },
  ],
})

export const PeriodicReportParams = Type.Object(
  { id: Id('Mã báo cáo — report id.') },
  { additionalProperties: false },
)

export const ListPeriodicReportsQuery = Type.Object(
  {
    period: Type.Optional(PeriodCode),
    province_code: Type.Optional(ProvinceCode),
    status: Type.Optional(Status),
    ...pageQuery,
  },
  { additionalProperties: false },
)

export const ReportTransition = Type.Object(
  {
    action: Codes(
      REPORT_ACTIONS,
      'Thao tác — `submit` and `resubmit` (the province), `acknowledge` and `return` (the ministry).',
    ),
    comment: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4000,
        description: 'Ý kiến — the ministry’s comment (required to return).',
        examples: ['Bổ sung số liệu giải ngân quý III'],
      }),
    ),
  },
  { additionalProperties: false, examples: [{ action: 'submit' }] },
)

export const ReportVersion = Type.Object(
  {
    submission: summary.submission,
    period_code: PeriodCode,
    unit_code: summary.unit_code,
    ...sections,
    figures: FiguresRef,
    content_hash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Mã băm — SHA-256 of the content.' }),
    submitted_by: Type.String({ description: 'Người gửi — who submitted (token subject).' }),
    submitted_at: Type.String({ format: 'date-time', description: 'Gửi lúc — when.' }),
  },
  {
    $id: 'PeriodicReportVersion',
    additionalProperties: false,
    // The one submission of the demo report the PeriodicReport example shows.
    examples: [
      {
        submission: 1,
        period_code: demoReport.period_code,
        unit_code: demoReport.unit_code,
        results: demoReport.results,
        difficulties: demoReport.difficulties,
        proposals: demoReport.proposals,
        figures: demoFigures,
        content_hash: demoReport.content_hash,
        submitted_by: 'demo-data',
        submitted_at: demoReport.submitted_at,
      },
    ],
    description: 'Một lần gửi — one submission, as it was sent; never changed.',
  },
)

export const ReportHistoryEntry = Type.Object(
  {
    seq: Type.String({ pattern: '^[0-9]+$', description: 'Thứ tự — order of the step.' }),
    action: Codes(REPORT_ACTIONS, 'Thao tác — action.'),
    from_status: Status,
    to_status: Status,
    comment: Nullable(Type.String(), 'Ý kiến — comment.'),
    submission: Nullable(Type.Integer(), 'Lần gửi — the submission the step made or answered.'),
    actor_sub: Type.String({ description: 'Người thực hiện — who (token subject).' }),
    actor_role: Codes(['ministry', 'province'], 'Vai trò — role of who acted.'),
    occurred_at: Type.String({ format: 'date-time', description: 'Thời điểm — when.' }),
  },
  {
    $id: 'PeriodicReportHistoryEntry',
    additionalProperties: false,
    examples: [
      {
        seq: '28',
        action: 'submit',
        from_status: 'draft',
        to_status: 'submitted',
        comment: null,
        submission: 1,
        actor_sub: 'demo-data',
        actor_role: 'province',
        occurred_at: demoReport.submitted_at,
      },
    ],
    description: 'Một bước của báo cáo — one workflow step.',
  },
)

export const PageQuery = Type.Object({ ...pageQuery }, { additionalProperties: false })
