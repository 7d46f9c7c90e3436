import { Type } from 'typebox'
import { pageQuery } from '../../../lib/pagination.js'
import {
  Codes,
  Id as IdOf,
  IsoDate,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
  Year,
} from '../../../lib/schemas.js'

const Id = IdOf('Mã chương trình — programme id.')

export const PROGRAMME_LEVELS = ['national', 'provincial'] as const
export const PROGRAMME_STATUSES = ['draft', 'approved', 'ended', 'cancelled'] as const

/** One target of a programme or plan: an indicator, its unit and the value aimed at. */
export const Target = Type.Object(
  {
    indicator: Text(
      'Chỉ tiêu — indicator.',
      500,
      'Số cơ sở công nghiệp nông thôn được hỗ trợ ứng dụng máy móc thiết bị',
    ),
    unit: Text('Đơn vị tính — unit.', 50, 'cơ sở'),
    target_value: Type.Number({
      minimum: 0,
      maximum: 1e15,
      description: 'Giá trị mục tiêu — target value.',
      examples: [1200],
    }),
  },
  { additionalProperties: false, description: 'Chỉ tiêu — one target: indicator, unit and value.' },
)

export const Targets = Type.Array(Target, {
  maxItems: 100,
  description: 'Các chỉ tiêu — targets (sending it replaces the whole list).',
  examples: [[{ indicator: 'Số lao động được đào tạo nghề', unit: 'người', target_value: 50000 }]],
})

/** The approving decision of a programme or plan: number and date given together. */
export const decisionFields = {
  decision_number: Nullable(
    Text('Số quyết định phê duyệt — approving decision number.', 100, '1881/QĐ-TTg'),
    'Số quyết định phê duyệt — approving decision number (with its date; required once approved).',
  ),
  decision_date: Nullable(
    IsoDate('Ngày quyết định — decision date.'),
    'Ngày quyết định — date of the approving decision (with its number).',
  ),
  decision_issuer: Nullable(
    Text('Cơ quan phê duyệt — issuing body.', 300, 'Thủ tướng Chính phủ'),
    'Cơ quan phê duyệt — the body that issued the decision.',
  ),
}

const fields = {
  title: Text('Tên chương trình — title.', 1000, 'Chương trình khuyến công quốc gia giai đoạn 2021–2025'),
  start_year: Year('Năm bắt đầu — first year of the period.', 2021),
  end_year: Year('Năm kết thúc — last year of the period (≥ start_year).', 2025),
  ...decisionFields,
  objectives: Nullable(
    Type.String({ maxLength: 10000, description: 'Mục tiêu — objectives.' }),
    'Mục tiêu — objectives.',
  ),
  targets: Targets,
  status: Codes(
    PROGRAMME_STATUSES,
    'Trạng thái — status: `draft` (dự thảo), `approved` (đã phê duyệt; needs the decision), `ended` ' +
      '(đã kết thúc), `cancelled` (hủy bỏ).',
  ),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province whose programme this was, for programmes from before 1 July 2025 ' +
      '(provincial programmes only).',
  ),
  notes: Nullable(Type.String({ maxLength: 4000 }), 'Ghi chú — notes.'),
}

const level = Codes(
  PROGRAMME_LEVELS,
  'Cấp — `national` (Chương trình khuyến công quốc gia, KCQG: no province, written by the ministry) or ' +
    '`provincial` (chương trình khuyến công địa phương: written by its province).',
)

export const Programme = Type.Object(
  {
    id: Id,
    level,
    province_code: Nullable(ProvinceCode, 'Tỉnh — the owning province; null for a national programme.'),
    ...fields,
    ...versionFields,
  },
  {
    $id: 'Programme',
    description: 'Chương trình khuyến công — a national or provincial khuyến công programme.',
  },
)

export const CreateProgramme = Type.Object(
  {
    level,
    province_code: Type.Optional(
      Nullable(
        ProvinceCode,
        'Tỉnh — for a provincial programme, defaults to the caller’s province; empty for a national one.',
      ),
    ),
    title: fields.title,
    start_year: fields.start_year,
    end_year: fields.end_year,
    decision_number: Type.Optional(fields.decision_number),
    decision_date: Type.Optional(fields.decision_date),
    decision_issuer: Type.Optional(fields.decision_issuer),
    objectives: Type.Optional(fields.objectives),
    targets: Type.Optional(fields.targets),
    status: Type.Optional(fields.status),
    origin_province_code: Type.Optional(fields.origin_province_code),
    notes: Type.Optional(fields.notes),
  },
  {
    additionalProperties: false,
    description: 'Chương trình mới — a new programme.',
    examples: [
      {
        level: 'national',
        title: 'Chương trình khuyến công quốc gia giai đoạn 2021–2025',
        start_year: 2021,
        end_year: 2025,
        decision_number: '1881/QĐ-TTg',
        decision_date: '2020-11-20',
        decision_issuer: 'Thủ tướng Chính phủ',
        status: 'approved',
        targets: [{ indicator: 'Số lao động được đào tạo nghề', unit: 'người', target_value: 50000 }],
      },
    ],
  },
)

export const UpdateProgramme = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field; `targets` replaces ' +
    'the list). The level and province cannot change.',
  examples: [{ status: 'ended' }],
})

export const ProgrammeParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListProgrammesQuery = Type.Object(
  {
    level: Type.Optional(level),
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province’s programmes.' }),
    status: Type.Optional(fields.status),
    year: Type.Optional(Year('Năm — programmes whose period covers this year.')),
    q: Type.Optional({
      ...SearchQuery,
      description: 'Tìm theo số quyết định, tên — decision number or title contains.',
    }),
    ...pageQuery,
  },
  { additionalProperties: false },
)
