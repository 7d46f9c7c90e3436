import { Type } from 'typebox'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  Codes,
  Id as IdOf,
  IsoDate,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
} from '../../../lib/schemas.ts'

const Id = IdOf('Mã quy định mức hỗ trợ — support rule id.')

export const SUPPORT_RULE_LEVELS = ['national', 'provincial'] as const
export const AMOUNT_BASES = ['per_establishment', 'per_scheme'] as const

const Percent = (description: string) =>
  Type.Number({ minimum: 0, maximum: 100, description, examples: [50] })

const fields = {
  legal_document_id: Nullable(
    Type.String({ format: 'uuid' }),
    'Văn bản — the province’s legal document that sets the rule (`/v1/legal-documents`; provincial rules only).',
  ),
  legal_basis: Text('Căn cứ — the legal basis cited in refusals.', 500, 'TT 28/2018/TT-BTC Art. 8'),
  title: Text(
    'Nội dung — what the rule says.',
    1000,
    'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến: ≤ 50 % chi phí, ≤ 300 triệu đồng/cơ sở',
  ),
  valid_from: IsoDate('Hiệu lực từ — in force from this date (included).'),
  valid_to: Nullable(
    IsoDate('Hiệu lực đến'),
    'Hiệu lực đến — in force until this date (included); null: open.',
  ),
  activity_content: Nullable(
    CodeOf('activity_content', 'Nội dung khuyến công'),
    'Nội dung khuyến công — the activity content the rule governs; null: every content.',
  ),
  project_type: Nullable(
    CodeOf('project_type', 'Loại hình'),
    'Loại hình — the project type the rule governs, where it matters (needs `activity_content`).',
  ),
  max_share_percent: Nullable(
    Percent('Tỷ lệ tối đa'),
    'Tỷ lệ hỗ trợ tối đa — the cap on the support (central + local money) as a percentage of the cost (all sources).',
  ),
  max_amount: Nullable(
    Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, examples: [300_000_000] }),
    'Mức tối đa — the cap on the support in whole VND, per `amount_basis`.',
  ),
  amount_basis: Nullable(
    Codes(AMOUNT_BASES, 'Đơn vị'),
    'Tính theo — `per_establishment` (the support divided by the beneficiary establishments) or `per_scheme` ' +
      '(per scheme or model); set with `max_amount`.',
  ),
  priority_uplift: Type.Number({
    minimum: 1,
    maximum: 1.5,
    description:
      'Hệ số ưu tiên — multiplies the caps for a scheme with a priority area (Decree 45 Art. 6: up to 1.5×); 1: none.',
    examples: [1.5],
  }),
  counterpart_required: Type.Boolean({
    description: 'Bắt buộc vốn đối ứng — the beneficiary must bring counterpart funds (> 0).',
  }),
  advance_max_percent: Nullable(
    Percent('Tạm ứng tối đa'),
    'Tạm ứng tối đa — the cap on a source’s advances as a percentage of its approved amount (TTLT 26/2014 ' +
      'Art. 8.2.b: 70 %).',
  ),
  source: Nullable(
    Type.String({ maxLength: 4000 }),
    'Nguồn số liệu — where the figures come from, and what is not confirmed.',
  ),
}

const level = Codes(
  SUPPORT_RULE_LEVELS,
  'Cấp — `national` (the finance circular, TT 28/2018/TT-BTC as amended: no province, written by the ministry) ' +
    'or `provincial` (the province’s own rules: written by its province).',
)

export const SupportRule = Type.Object(
  {
    id: Id,
    level,
    province_code: Nullable(ProvinceCode, 'Tỉnh — the owning province; null for a national rule.'),
    ...fields,
    ...versionFields,
  },
  {
    $id: 'SupportRule',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: '87cffe24-fa9f-43aa-b181-fbf740439c26',
        level: 'provincial',
        province_code: '08',
        legal_document_id: '8b336b79-faa1-4fe9-832f-fac99c7301e8',
        legal_basis: '24/2025/NQ-HĐND',
        title:
          'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến — machinery at an establishment: ≤ 50 % of the cost, ≤ 400 million VND per establishment',
        valid_from: '2026-01-01',
        valid_to: null,
        activity_content: 'demonstration_technology',
        project_type: 'machinery_line',
        max_share_percent: 50,
        max_amount: 400000000,
        amount_basis: 'per_establishment',
        priority_uplift: 1,
        counterpart_required: true,
        advance_max_percent: null,
        source: 'Nghị quyết 24/2025/NQ-HĐND của Hội đồng nhân dân tỉnh Tuyên Quang',
        version: 1,
        created_at: '2025-12-25T03:00:00.000Z',
        updated_at: '2025-12-25T03:00:00.000Z',
      },
    ],
    description:
      'Quy định mức hỗ trợ — a support level in force for a period: caps on a scheme’s public support, the ' +
      'priority uplift, counterpart funds and the advance cap.',
  },
)

const optional = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as {
  [K in keyof typeof fields]: ReturnType<typeof Type.Optional<(typeof fields)[K]>>
}

export const CreateSupportRule = Type.Object(
  {
    level,
    province_code: Type.Optional(
      Nullable(
        ProvinceCode,
        'Tỉnh — for a provincial rule, defaults to the caller’s province; empty for a national one.',
      ),
    ),
    ...optional,
    legal_basis: fields.legal_basis,
    title: fields.title,
    valid_from: fields.valid_from,
  },
  {
    additionalProperties: false,
    description: 'Quy định mới — a new support rule.',
    examples: [
      {
        level: 'national',
        legal_basis: 'TT 28/2018/TT-BTC Art. 8',
        title: 'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến: ≤ 50 % chi phí, ≤ 300 triệu đồng/cơ sở',
        valid_from: '2018-05-15',
        activity_content: 'demonstration_technology',
        project_type: 'machinery_line',
        max_share_percent: 50,
        max_amount: 300_000_000,
        amount_basis: 'per_establishment',
        priority_uplift: 1.5,
        counterpart_required: true,
      },
    ],
  },
)

export const UpdateSupportRule = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field). The level and province ' +
    'cannot change; to change a level from a date, end the rule (`valid_to`) and record a new one.',
  examples: [{ valid_to: '2024-12-31' }],
})

export const SupportRuleParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListSupportRulesQuery = Type.Object(
  {
    date: Type.Optional(IsoDate('Ngày — only the rules in force on this date.')),
    level: Type.Optional(level),
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province’s rules.' }),
    activity_content: Type.Optional(
      CodeOf(
        'activity_content',
        'Nội dung — rules governing this content (and those governing every content).',
      ),
    ),
    q: Type.Optional({
      ...SearchQuery,
      description: 'Tìm theo căn cứ, nội dung — legal basis or title contains.',
    }),
    ...pageQuery,
  },
  { additionalProperties: false },
)
