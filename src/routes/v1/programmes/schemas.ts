import { Type } from 'typebox'
import { decisionFields, PROGRAMME_LEVELS, Targets } from '../../../domain/planning.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  attachmentCount,
  Codes,
  Id as IdOf,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
  Year,
} from '../../../lib/schemas.ts'

const Id = IdOf('Mã chương trình — programme id.')

export const PROGRAMME_STATUSES = ['draft', 'approved', 'ended', 'cancelled'] as const

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
    ...attachmentCount,
  },
  {
    $id: 'Programme',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: '1ca519be-21cf-4abc-a39f-ca619dee89a7',
        level: 'provincial',
        province_code: '08',
        title: 'Chương trình khuyến công tỉnh Tuyên Quang giai đoạn 2026–2030',
        start_year: 2026,
        end_year: 2030,
        decision_number: '508/QĐ-UBND',
        decision_date: '2025-11-28',
        decision_issuer: 'Chủ tịch UBND tỉnh Tuyên Quang',
        objectives: null,
        targets: [{ indicator: 'Đề án khuyến công được thực hiện', unit: 'đề án', target_value: 80 }],
        status: 'approved',
        origin_province_code: null,
        notes: null,
        version: 2,
        created_at: '2025-11-28T03:00:00.000Z',
        updated_at: '2025-12-20T03:00:00.000Z',
        attachment_count: 1,
      },
    ],
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
        level: 'provincial',
        title: 'Chương trình khuyến công tỉnh Tuyên Quang giai đoạn 2031–2035',
        start_year: 2031,
        end_year: 2035,
        status: 'draft',
        targets: [{ indicator: 'Số lao động được đào tạo nghề', unit: 'người', target_value: 5000 }],
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
  examples: [
    {
      status: 'approved',
      decision_number: '1520/QĐ-UBND',
      decision_date: '2030-12-20',
      decision_issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
    },
  ],
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
