import { Type } from 'typebox'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import { Codes, Id as IdOf, IsoDate, Nullable, ProvinceCode, Text, Year } from '../../../lib/schemas.ts'
import { Money } from '../projects/schemas.ts'

const Id = IdOf('Mã dự toán — allocation id.')

const fields = {
  year: Year('Năm ngân sách — budget year.', 2024),
  funding_source: CodeOf('funding_source', 'Nguồn kinh phí — funding source.'),
  activity_content: Nullable(
    CodeOf('activity_content', 'Nội dung hoạt động — activity content.'),
    'Nội dung hoạt động — the activity content allocated to; null for the whole khuyến công budget.',
  ),
  amount: Money(
    'Số tiền — the amount allocated, whole VND (a revision gives the new amount).',
    2_500_000_000,
  ),
  type: CodeOf(
    'allocation_type',
    'Loại — `original` (dự toán giao đầu năm: one per key) or `revised` (dự toán điều chỉnh: a new row that ' +
      'supersedes the earlier ones of its key).',
  ),
  decision_number: Nullable(
    Text('Số quyết định giao dự toán — decision number.', 100, '3105/QĐ-UBND'),
    'Số quyết định giao dự toán — the allocating decision (with its date).',
  ),
  decision_date: Nullable(IsoDate('Ngày quyết định — decision date.'), 'Ngày quyết định — decision date.'),
  decision_issuer: Nullable(
    Text('Cơ quan giao — issuing body.', 300, 'UBND tỉnh Tuyên Quang'),
    'Cơ quan giao dự toán — issuing body.',
  ),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province the allocation was made to, for years before the 1 July 2025 merger ' +
      '(at most 2025).',
  ),
  notes: Nullable(Type.String({ maxLength: 4000 }), 'Ghi chú — notes.'),
  recipient_unit: Nullable(
    Text(
      'Đơn vị thực hiện thuộc Bộ — national implementing unit.',
      300,
      'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I',
    ),
    'Đơn vị thực hiện khuyến công quốc gia — for a central allocation to one of the ministry’s own units (e.g. a ' +
      'regional khuyến công centre) rather than to a province: the unit’s name; `province_code` is then null ' +
      'and only the ministry reads the row. Null for an allocation to a province.',
  ),
}

export const BudgetAllocation = Type.Object(
  {
    id: Id,
    province_code: Nullable(
      ProvinceCode,
      'Tỉnh — the province allocated to; null for an allocation to a national implementing unit (`recipient_unit`).',
    ),
    ...fields,
    is_current: Type.Boolean({
      description:
        'Đang áp dụng — true for the latest row of its key (province or national unit, former province, year, ' +
        'source, content).',
    }),
    created_by: Type.String({ description: 'Người ghi — who recorded it (token subject).' }),
    version: Type.Integer({
      description: 'Phiên bản — always 1: allocations are never changed.',
      examples: [1],
    }),
    created_at: Type.String({ format: 'date-time', description: 'Ghi lúc — recorded at.' }),
    updated_at: Type.String({ format: 'date-time', description: 'Sửa lúc — equal to created_at.' }),
  },
  {
    $id: 'BudgetAllocation',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: 'ba6b23a6-2b65-49eb-896e-18da85894a74',
        province_code: '08',
        year: 2026,
        funding_source: 'local',
        activity_content: null,
        amount: 2310000000,
        type: 'original',
        decision_number: '734/QĐ-UBND',
        decision_date: '2025-12-25',
        decision_issuer: 'UBND tỉnh Tuyên Quang',
        origin_province_code: null,
        notes: null,
        recipient_unit: null,
        is_current: false,
        created_by: 'dev-province-08',
        version: 1,
        created_at: '2025-12-25T03:00:00.000Z',
        updated_at: '2025-12-25T03:00:00.000Z',
      },
    ],
    description:
      'Dự toán kinh phí khuyến công — an allocation to a province for a year from one funding source; a ' +
      'revision is a new row.',
  },
)

export const CreateBudgetAllocation = Type.Object(
  {
    province_code: Type.Optional(
      Nullable(
        ProvinceCode,
        'Tỉnh — defaults to the caller’s province; the ministry names the province of a central allocation ' +
          '(or, instead, the `recipient_unit`, with no province: absent or null).',
      ),
    ),
    recipient_unit: Type.Optional(fields.recipient_unit),
    year: fields.year,
    funding_source: fields.funding_source,
    amount: fields.amount,
    type: Type.Optional(fields.type),
    activity_content: Type.Optional(fields.activity_content),
    decision_number: Type.Optional(fields.decision_number),
    decision_date: Type.Optional(fields.decision_date),
    decision_issuer: Type.Optional(fields.decision_issuer),
    origin_province_code: Type.Optional(fields.origin_province_code),
    notes: Type.Optional(fields.notes),
  },
  {
    additionalProperties: false,
    description:
      'Dự toán mới — an original allocation (`type` defaults to `original`) or a revision of one (`revised`, ' +
      'same province, former province, year, source and content).',
    examples: [
      {
        year: 2024,
        funding_source: 'local',
        amount: 2_500_000_000,
        decision_number: '3105/QĐ-UBND',
        decision_date: '2023-12-20',
      },
    ],
  },
)

export const BudgetAllocationParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListBudgetAllocationsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    origin_province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh cũ — only allocations made to this former province.',
    }),
    year: Type.Optional(Year('Năm — only this budget year.')),
    funding_source: Type.Optional(fields.funding_source),
    activity_content: Type.Optional(CodeOf('activity_content', 'Nội dung hoạt động — only this content.')),
    type: Type.Optional(fields.type),
    is_current: Type.Optional(
      Type.Boolean({
        description: 'Đang áp dụng — only the allocations in force (or only superseded ones).',
      }),
    ),
    ...pageQuery,
  },
  { additionalProperties: false },
)

export const GROUPS = ['province', 'funding_source', 'activity_content', 'year'] as const

export const SummaryQuery = Type.Object(
  {
    year: Type.Optional(Year('Năm — only this budget year.')),
    province: Type.Optional({
      ...ProvinceCode,
      description:
        'Tỉnh — a current province (its figures, including what came from its former provinces) or a former ' +
        'province that is not a current code (what was allocated to, approved for and disbursed by it before ' +
        'the merger), e.g. `02` (Hà Giang, now part of `08`).',
      examples: ['02'],
    }),
    funding_source: Type.Optional(CodeOf('funding_source', 'Nguồn kinh phí — only this source.')),
    group_by: Type.Optional(
      Codes(GROUPS, 'Nhóm theo — one row per province (current), funding source, activity content or year.'),
    ),
  },
  { additionalProperties: false },
)

const figure = (description: string) => Money(description, 1_200_000_000)

export const SummaryRow = Type.Object(
  {
    province_code: Type.Optional(ProvinceCode),
    funding_source: Type.Optional(CodeOf('funding_source', 'Nguồn kinh phí — funding source.')),
    activity_content: Type.Optional(
      Nullable(
        CodeOf('activity_content', 'Nội dung hoạt động.'),
        'Nội dung hoạt động — activity content (the main one of a scheme); null for allocations not split by content.',
      ),
    ),
    year: Type.Optional(Year('Năm — budget year.')),
    allocated: figure('Dự toán — allocated (the allocations in force), whole VND.'),
    approved: figure(
      'Phê duyệt cho đề án — approved to schemes that are approved, in progress, suspended, completed, ' +
        'accepted or settled, whole VND.',
    ),
    disbursed: figure('Đã giải ngân — disbursed (payments + advances − refunds), whole VND.'),
    disbursement_rate: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      description: 'Tỷ lệ giải ngân — disbursed ÷ allocated, 4 decimals; null when nothing was allocated.',
      examples: [0.8125],
    }),
  },
  { description: 'Một dòng tổng hợp — the figures of one group.' },
)

export const Summary = Type.Object(
  {
    group_by: Codes(GROUPS, 'Nhóm theo — the grouping.'),
    items: Type.Array(SummaryRow, { description: 'Các nhóm — one row per group, in key order.' }),
  },
  {
    description: 'Tổng hợp kinh phí — allocated, approved and disbursed money.',
    // Province 08's money over every year in the demo data, as its officer reads it.
    examples: [
      {
        group_by: 'province',
        items: [
          {
            allocated: 46555000000,
            approved: 25102000000,
            disbursed: 21318400000,
            disbursement_rate: 0.4579,
            province_code: '08',
          },
        ],
      },
    ],
  },
)
