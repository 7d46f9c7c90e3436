import { Type } from 'typebox'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  attachmentCount,
  Codes,
  Id as IdOf,
  IsoDate,
  Nullable,
  ProvinceCode,
  Text,
  versionFields,
} from '../../../lib/schemas.ts'

const Id = IdOf('Mã đợt kiểm tra — inspection id.')
const Uuid = (description: string) =>
  Type.String({ format: 'uuid', description, examples: ['0b8f1c36-0a3e-4f3e-9a57-6f5d2c1e9b20'] })

export const RATINGS = ['excellent', 'good', 'fair', 'poor'] as const
export const FOLLOW_UP_STATUSES = ['open', 'done', 'overdue'] as const
export const INSPECTORS = ['ministry', 'province'] as const

const inspectedBy = Codes(
  INSPECTORS,
  'Đơn vị kiểm tra — who inspected: `province` (the province of its own khuyến công work, recorded and ' +
    'written by it) or `ministry` (Bộ Công Thương of the province’s work, recorded by the ministry; the ' +
    'province reads it and updates only the status and dates of its follow-ups). Set from the recording caller.',
)

export const FollowUp = Type.Object(
  {
    action: Text('Nội dung kiến nghị, khắc phục — the action required.', 1000, 'Bổ sung hồ sơ nghiệm thu'),
    due_date: IsoDate('Hạn hoàn thành — due date (not before the inspection).'),
    status: Codes(
      FOLLOW_UP_STATUSES,
      'Tình trạng — `open` (đang thực hiện), `done` (đã hoàn thành: needs `done_date`) or `overdue` ' +
        '(quá hạn), as recorded by the province.',
    ),
    done_date: Type.Optional(
      IsoDate('Ngày hoàn thành — completion date: required when done, absent otherwise.'),
    ),
  },
  {
    additionalProperties: false,
    description: 'Kiến nghị sau kiểm tra — one follow-up action with its due date and status.',
  },
)

const fields = {
  kind: CodeOf('inspection_kind', 'Hình thức — kind.'),
  inspection_date: IsoDate('Ngày kiểm tra — date of the inspection (its first day).'),
  inspecting_body: Text('Cơ quan kiểm tra — inspecting body.', 300, 'Sở Công Thương tỉnh Tuyên Quang'),
  project_ids: Type.Array(Uuid('Mã đề án — scheme id.'), {
    maxItems: 500,
    uniqueItems: true,
    description:
      'Đề án được kiểm tra — ids of the schemes (đề án, `/v1/projects`) covered, each a scheme of the same ' +
      'province. Sending it replaces the whole list.',
  }),
  establishment_ids: Type.Array(Uuid('Mã cơ sở — establishment id.'), {
    maxItems: 500,
    uniqueItems: true,
    description:
      'Cơ sở được kiểm tra — ids of the rural-industrial establishments (`/v1/establishments`) covered, ' +
      'each of the same province. Sending it replaces the whole list.',
  }),
  findings: Nullable(
    Text(
      'Kết quả kiểm tra — findings.',
      10_000,
      'Đề án thực hiện đúng tiến độ; hồ sơ thanh toán còn thiếu biên bản nghiệm thu từng phần.',
    ),
    'Kết quả kiểm tra — what was found.',
  ),
  conclusion: Nullable(
    Text('Kết luận — conclusion.', 10_000, 'Đạt yêu cầu, đề nghị bổ sung hồ sơ trước 30/9.'),
    'Kết luận — the conclusion.',
  ),
  rating: Nullable(
    Codes(RATINGS, 'Xếp loại — rating.'),
    'Xếp loại — rating, if one was given: `excellent` (xuất sắc), `good` (tốt), `fair` (khá, đạt) or ' +
      '`poor` (không đạt).',
  ),
  follow_ups: Type.Array(FollowUp, {
    maxItems: 200,
    description: 'Kiến nghị, biện pháp khắc phục — follow-up actions. Sending it replaces the whole list.',
  }),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province that carried it out, for inspections from before 1 July 2025.',
  ),
}

export const Inspection = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    inspected_by: inspectedBy,
    open_follow_ups: Type.Integer({
      minimum: 0,
      description: 'Kiến nghị chưa hoàn thành — follow-ups not done (open or overdue); derived.',
      examples: [1],
    }),
    ...versionFields,
    ...attachmentCount,
  },
  {
    $id: 'Inspection',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: 'b1339a6b-cbe1-41c6-8c8a-120941df9518',
        province_code: '08',
        kind: 'inspection',
        inspection_date: '2026-04-10',
        inspecting_body: 'Sở Công Thương tỉnh Tuyên Quang',
        project_ids: [],
        establishment_ids: ['6af258c7-b6d1-40ca-b076-905614dddfdf', '0a67849d-5ca2-4fb0-8011-fdb389c4f05b'],
        findings: 'Đề án triển khai đúng nội dung được duyệt; hồ sơ thanh toán còn thiếu một số chứng từ.',
        conclusion: 'Đạt yêu cầu, đề nghị khắc phục các tồn tại theo kiến nghị.',
        rating: 'good',
        follow_ups: [
          { action: 'Bổ sung hồ sơ nghiệm thu từng phần', due_date: '2026-06-28', status: 'open' },
        ],
        origin_province_code: null,
        inspected_by: 'province',
        open_follow_ups: 1,
        version: 1,
        created_at: '2026-04-10T02:00:00.000Z',
        updated_at: '2026-04-10T02:00:00.000Z',
        attachment_count: 0,
      },
    ],
    description:
      'Đợt kiểm tra, giám sát, đánh giá — an inspection, supervision or evaluation of khuyến công: the ' +
      'schemes and establishments covered, findings, conclusion or rating, and follow-up actions.',
  },
)

const example = {
  kind: 'inspection',
  inspection_date: '2024-09-10',
  inspecting_body: 'Sở Công Thương tỉnh Tuyên Quang',
  project_ids: ['bc15be20-f82f-4ecc-8dcf-1c63b381f1c2'],
  findings: 'Đề án thực hiện đúng tiến độ; hồ sơ thanh toán còn thiếu biên bản nghiệm thu từng phần.',
  conclusion: 'Đạt yêu cầu, đề nghị bổ sung hồ sơ trước 30/9.',
  rating: 'good',
  follow_ups: [{ action: 'Bổ sung hồ sơ nghiệm thu', due_date: '2024-09-30', status: 'open' }],
}

export const CreateInspection = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description:
        'Tỉnh — defaults to the caller’s province; the ministry names the province whose work it inspected.',
    }),
    kind: fields.kind,
    inspection_date: fields.inspection_date,
    inspecting_body: fields.inspecting_body,
    project_ids: Type.Optional(fields.project_ids),
    establishment_ids: Type.Optional(fields.establishment_ids),
    findings: Type.Optional(fields.findings),
    conclusion: Type.Optional(fields.conclusion),
    rating: Type.Optional(fields.rating),
    follow_ups: Type.Optional(fields.follow_ups),
    origin_province_code: Type.Optional(fields.origin_province_code),
  },
  {
    additionalProperties: false,
    description: 'Đợt kiểm tra mới — a new inspection, supervision or evaluation.',
    examples: [example],
  },
)

export const UpdateInspection = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field; lists replace the ' +
    'whole list).',
  examples: [
    {
      follow_ups: [
        {
          action: 'Bổ sung hồ sơ nghiệm thu',
          due_date: '2024-09-30',
          status: 'done',
          done_date: '2024-09-25',
        },
      ],
    },
  ],
})

export const InspectionParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListInspectionsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    year: Type.Optional(
      Type.Integer({
        minimum: 1990,
        maximum: 2100,
        description: 'Năm — inspections dated in this year.',
        examples: [2024],
      }),
    ),
    kind: Type.Optional(fields.kind),
    inspected_by: Type.Optional(inspectedBy),
    has_open_follow_ups: Type.Optional(
      Type.Boolean({
        description:
          'Còn kiến nghị chưa hoàn thành — true: at least one follow-up not done (open or overdue); false: none.',
      }),
    ),
    project_id: Type.Optional(Uuid('Đề án — only inspections covering this scheme.')),
    ...pageQuery,
  },
  { additionalProperties: false },
)
