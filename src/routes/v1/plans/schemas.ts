import { Type } from 'typebox'
import { decisionFields, PROGRAMME_LEVELS, Targets } from '../../../domain/planning.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  attachmentCount,
  Codes,
  Id as IdOf,
  Nullable,
  ProvinceCode,
  Text,
  versionFields,
  Year,
} from '../../../lib/schemas.ts'

const Id = IdOf('Mã kế hoạch — plan id.')

export const PLAN_STATUSES = ['draft', 'approved', 'revised'] as const

const fields = {
  year: Year('Năm kế hoạch — the plan year, within the programme’s period.', 2024),
  title: Text('Tên kế hoạch — title.', 1000, 'Kế hoạch khuyến công quốc gia năm 2024'),
  ...decisionFields,
  targets: Targets,
  status: Codes(
    PLAN_STATUSES,
    'Trạng thái — `draft` (dự thảo), `approved` (đã phê duyệt), `revised` (đã điều chỉnh); approved and ' +
      'revised need the decision.',
  ),
  notes: Nullable(Type.String({ maxLength: 4000 }), 'Ghi chú — notes.'),
}

export const Plan = Type.Object(
  {
    id: Id,
    programme_id: Type.String({ format: 'uuid', description: 'Chương trình — the programme planned for.' }),
    province_code: Nullable(
      ProvinceCode,
      'Tỉnh — the programme’s province; null for a plan of the national programme.',
    ),
    ...fields,
    ...versionFields,
    ...attachmentCount,
  },
  {
    $id: 'Plan',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: 'cc6005e8-7464-4d16-8d0a-2b61911dd38b',
        programme_id: '1ca519be-21cf-4abc-a39f-ca619dee89a7',
        province_code: '08',
        year: 2026,
        title: 'Kế hoạch khuyến công tỉnh Tuyên Quang năm 2026',
        decision_number: '2086/QĐ-UBND',
        decision_date: '2025-12-20',
        decision_issuer: 'Chủ tịch UBND tỉnh Tuyên Quang',
        targets: [],
        status: 'approved',
        notes: null,
        version: 1,
        created_at: '2025-12-20T03:00:00.000Z',
        updated_at: '2025-12-20T03:00:00.000Z',
        attachment_count: 0,
      },
    ],
    description:
      'Kế hoạch khuyến công năm — the annual plan of a programme: national plans are the ministry’s, ' +
      'provincial plans their province’s.',
  },
)

export const CreatePlan = Type.Object(
  {
    programme_id: Plan.properties.programme_id,
    year: fields.year,
    title: fields.title,
    decision_number: Type.Optional(fields.decision_number),
    decision_date: Type.Optional(fields.decision_date),
    decision_issuer: Type.Optional(fields.decision_issuer),
    targets: Type.Optional(fields.targets),
    status: Type.Optional(fields.status),
    notes: Type.Optional(fields.notes),
  },
  {
    additionalProperties: false,
    description: 'Kế hoạch mới — a new annual plan of a programme the caller owns.',
    examples: [
      {
        programme_id: '1ca519be-21cf-4abc-a39f-ca619dee89a7',
        year: 2031,
        title: 'Kế hoạch khuyến công tỉnh Tuyên Quang năm 2031',
        status: 'draft',
      },
    ],
  },
)

export const UpdatePlan = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch; `targets` replaces the list). The ' +
    'programme cannot change.',
  examples: [{ status: 'approved', decision_number: '3350/QĐ-UBND', decision_date: '2030-12-28' }],
})

export const PlanParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListPlansQuery = Type.Object(
  {
    programme_id: Type.Optional(Plan.properties.programme_id),
    level: Type.Optional(
      Codes(PROGRAMME_LEVELS, 'Cấp — `national` (plans of the KCQG) or `provincial` plans only.'),
    ),
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province’s plans.' }),
    year: Type.Optional(Year('Năm — plans of this year.')),
    status: Type.Optional(fields.status),
    ...pageQuery,
  },
  { additionalProperties: false },
)
