import { type TSchema, Type } from 'typebox'
import { PROJECT_ACTIONS, RUN_BY } from '../../../domain/project-lifecycle.ts'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  attachmentCount,
  Codes,
  CommuneCode,
  Id as IdOf,
  IsoDate,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
  Year,
} from '../../../lib/schemas.ts'

export const FUNDING_SOURCES = ['central', 'local', 'counterpart', 'other'] as const
export type FundingSource = (typeof FUNDING_SOURCES)[number]

const Id = IdOf('Mã đề án — scheme id.')

/** Whole VND; exact in JSON numbers up to 2^53 − 1 (9 triệu tỷ đồng), far above any scheme. */
export const Money = (description: string, example = 450_000_000) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description, examples: [example] })

const SOURCE_LABEL: Record<FundingSource, string> = {
  central: 'kinh phí khuyến công quốc gia — central budget',
  local: 'kinh phí khuyến công địa phương — provincial budget',
  counterpart: 'vốn đối ứng — the beneficiary’s counterpart funds',
  other: 'nguồn hợp pháp khác — other lawful sources',
}

const perSource = (prefix: string, vi: string, en: string, nullable: boolean) =>
  Object.fromEntries(
    FUNDING_SOURCES.map((s) => {
      const description = `${vi} ${SOURCE_LABEL[s]} — ${en}, whole VND.`
      const money = Money(description)
      return [`${prefix}_${s}`, nullable ? Nullable(money, `${description} Null until approved.`) : money]
    }),
  ) as Record<string, TSchema>

const requestedMoney = (s: FundingSource) =>
  Money(`Kinh phí đề nghị: ${SOURCE_LABEL[s]} — amount requested, whole VND.`)
const requested = {
  requested_central: requestedMoney('central'),
  requested_local: requestedMoney('local'),
  requested_counterpart: requestedMoney('counterpart'),
  requested_other: requestedMoney('other'),
}

const Codelist = (list: string, description: string, max: number, example: string[]) =>
  Type.Array(CodeOf(list, description), {
    maxItems: max,
    uniqueItems: true,
    description,
    examples: [example],
  })

const fields = {
  year: Year('Năm kế hoạch — the budget (plan) year of the scheme.', 2024),
  code: Nullable(Text('Mã đề án — the scheme’s own code.', 50, 'ĐA-KCQG-2024-017'), 'Mã đề án — code.'),
  title: Text(
    'Tên đề án — title.',
    1000,
    'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong chế biến chè tại xã Minh Tân',
  ),
  plan_id: Nullable(
    Type.String({ format: 'uuid', description: 'Kế hoạch — the annual plan.' }),
    'Kế hoạch năm — the annual plan the scheme belongs to: a national plan for a central scheme, a plan of the ' +
      'scheme’s province for a local one; its year is the scheme’s year.',
  ),
  funding_level: CodeOf(
    'funding_level',
    'Cấp kinh phí — `central` (đề án khuyến công quốc gia: the ministry approves, adjusts and closes) or ' +
      '`local` (đề án khuyến công địa phương: the province does all).',
  ),
  kind: CodeOf(
    'project_kind',
    'Loại đề án — `standard`, `pilot` (đề án điểm, TT 36/2013 Art. 2.3: two or more activity contents, ' +
      'planned to last more than a year) or `group` (đề án nhóm).',
  ),
  activity_contents: Type.Array(
    CodeOf('activity_content', 'Nội dung hoạt động khuyến công — activity content.'),
    {
      minItems: 1,
      maxItems: 9,
      uniqueItems: true,
      description:
        'Nội dung hoạt động — activity contents (Decree 45/2012 Art. 4); the first is the main one, under ' +
        'which the scheme’s money is counted in summaries.',
      examples: [['demonstration_technology']],
    },
  ),
  project_type: Nullable(
    CodeOf('project_type', 'Loại hình — project type.'),
    'Loại hình — the finer project type; it must belong to one of the activity contents.',
  ),
  industry: Nullable(
    CodeOf('industry', 'Ngành nghề — industry.'),
    'Ngành nghề — eligible industry (Art. 5).',
  ),
  priority_areas: Codelist('priority_area', 'Địa bàn ưu tiên — priority areas (Art. 6).', 6, [
    'ethnic_minority_area',
  ]),
  priority_products: Codelist('priority_product', 'Sản phẩm ưu tiên — priority products (Art. 6).', 5, [
    'typical_product',
  ]),
  communes: Type.Array(CommuneCode, {
    maxItems: 200,
    uniqueItems: true,
    description:
      'Địa bàn thực hiện — codes of the communes where the scheme takes place, each of its province.',
    examples: [['00691']],
  }),
  location: Nullable(
    Text('Địa điểm — place.', 500, 'Xã Minh Tân, tỉnh Tuyên Quang'),
    'Địa điểm thực hiện — place.',
  ),
  implementing_unit: Text(
    'Đơn vị thực hiện — implementing unit.',
    300,
    'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Tuyên Quang',
  ),
  partner_unit: Nullable(
    Text('Đơn vị phối hợp — partner.', 300, 'Hợp tác xã Chè Minh Tân'),
    'Đơn vị phối hợp — partner unit.',
  ),
  beneficiary_establishment_ids: Type.Array(
    Type.String({ format: 'uuid', description: 'Mã cơ sở — establishment id.' }),
    {
      maxItems: 500,
      uniqueItems: true,
      description:
        'Cơ sở thụ hưởng — ids of the beneficiary establishments (`/v1/establishments`), each of the same ' +
        'province and none a khuyến công service provider (kind `service_provider`, Decree 45/2012 Art. 1.2(c): ' +
        'it carries schemes out as implementing or partner unit; 400 naming the item); an establishment lists these schemes at `/v1/establishments/{id}/projects`.',
    },
  ),
  key_product_ids: Type.Array(
    Type.String({ format: 'uuid', description: 'Mã sản phẩm chủ lực — key product id.' }),
    {
      maxItems: 50,
      uniqueItems: true,
      description:
        'Sản phẩm, ngành hàng chủ lực — the province’s key products and sectors (`/v1/key-products`) the ' +
        'scheme supports, each valid in the scheme’s year; the scorecard’s ask 3 counts their money.',
      examples: [['5d1f7a3e-2b9c-4e61-8f0a-3c7d9e2b1a40']],
    },
  ),
  beneficiary_count: Nullable(
    Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Số thụ hưởng.', examples: [25] }),
    'Số cơ sở, người thụ hưởng — number of beneficiaries.',
  ),
  objectives: Nullable(Type.String({ maxLength: 10000 }), 'Mục tiêu — objectives.'),
  content: Nullable(
    Type.String({ maxLength: 20000 }),
    'Nội dung, quy mô, tiến độ — content, scale, schedule.',
  ),
  expected_effects: Nullable(Type.String({ maxLength: 10000 }), 'Hiệu quả dự kiến — expected effects.'),
  planned_start: Nullable(
    IsoDate('Bắt đầu (kế hoạch) — planned start.'),
    'Bắt đầu (kế hoạch) — planned start.',
  ),
  planned_end: Nullable(
    IsoDate('Kết thúc (kế hoạch) — planned end.'),
    'Kết thúc (kế hoạch) — planned end (≥ planned start).',
  ),
  actual_start: Nullable(IsoDate('Bắt đầu (thực tế) — actual start.'), 'Bắt đầu (thực tế) — actual start.'),
  actual_end: Nullable(
    IsoDate('Kết thúc (thực tế) — actual end.'),
    'Kết thúc (thực tế) — actual end (≥ actual start).',
  ),
  selection_method: Nullable(
    CodeOf('selection_method', 'Hình thức lựa chọn — selection method.'),
    'Hình thức lựa chọn đơn vị thực hiện — `selection` (tuyển chọn) or `tender` (đấu thầu).',
  ),
  ...requested,
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province the scheme came from, for records before 1 July 2025.',
  ),
}

/** Who carries a scheme out; see domain/project-lifecycle.ts. */
const RunBy = Codes(
  RUN_BY,
  'Đơn vị tổ chức thực hiện — `province`: a unit of the province (its khuyến công centre or a partner it ' +
    'selects), which proposes the scheme; `ministry`: one of the ministry’s own units (e.g. a regional ' +
    'khuyến công centre) carrying out a national scheme in the province — the ministry then takes every step ' +
    'and records every movement of its money; the province of the site reads it. Set when the scheme is ' +
    'proposed; it never changes.',
)

const CheckedRule = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Quy định — the support rule.' }),
    legal_basis: Type.String({ description: 'Căn cứ — its legal basis.' }),
    title: Type.String({ description: 'Nội dung — what it says.' }),
    action: Codes(PROJECT_ACTIONS, 'Bước — the step that checked it (`submit`, `approve`, `adjust`).'),
    date: IsoDate('Ngày — the decision date whose rules were applied.'),
  },
  { description: 'Một quy định đã đối chiếu — a rule the scheme was checked against.' },
)

export const Project = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    run_by: RunBy,
    ...perSource('approved', 'Kinh phí được duyệt:', 'amount approved (changed only by `adjust`)', true),
    ...perSource('disbursed', 'Đã giải ngân:', 'disbursed so far (payments + advances − refunds)', false),
    state: CodeOf('project_state', 'Trạng thái — lifecycle state.'),
    allowed_actions: Type.Array(Codes(PROJECT_ACTIONS, 'Thao tác — action.'), {
      description:
        'Thao tác được phép — the lifecycle actions this caller may take now (POST …/transitions); empty for a ' +
        'read-only token.',
      examples: [['submit', 'cancel']],
    }),
    approval_decision: Nullable(
      Type.String({ description: 'Quyết định phê duyệt.', examples: ['2233/QĐ-BCT'] }),
      'Quyết định phê duyệt — the approving (or latest adjusting) decision.',
    ),
    approval_date: Nullable(IsoDate('Ngày phê duyệt.'), 'Ngày phê duyệt — date of that decision.'),
    checked_rules: Type.Array(CheckedRule, {
      description:
        'Quy định đã đối chiếu — the support rules (`/v1/support-rules`) the scheme’s money was last checked ' +
        'against: on `submit` the requested money, on `approve` and `adjust` the approved money, by the rules in ' +
        'force on the decision date. Empty until the first check, or when no rule governs the scheme.',
    }),
    ...versionFields,
    ...attachmentCount,
  },
  {
    $id: 'Project',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: 'bc15be20-f82f-4ecc-8dcf-1c63b381f1c2',
        province_code: '08',
        year: 2025,
        code: 'ĐA-KCQG-2025-005',
        title: 'Hội thảo nâng cao năng lực quản lý cho cơ sở sản xuất thổ cẩm',
        plan_id: 'bd622bf8-59f2-49fa-9355-de67021ae8fc',
        funding_level: 'central',
        kind: 'standard',
        activity_contents: ['management_capacity'],
        project_type: 'workshop',
        industry: 'handicrafts',
        priority_areas: [],
        priority_products: [],
        communes: ['00763'],
        location: 'Xã Lũng Phìn',
        implementing_unit: 'Trung tâm Khuyến công tỉnh Tuyên Quang',
        partner_unit: null,
        beneficiary_establishment_ids: [
          'fe747833-7704-492b-8119-b9bc53bc4418',
          '53dcfe15-b58c-4398-8e71-2d9721743651',
          '6ba4c526-bbea-4924-8599-06219db3c3b0',
        ],
        key_product_ids: [],
        beneficiary_count: 8,
        objectives: 'Nâng cao năng suất, chất lượng sản phẩm thổ cẩm; tạo việc làm cho lao động nông thôn.',
        content: null,
        expected_effects: null,
        planned_start: '2025-03-01',
        planned_end: '2025-11-30',
        actual_start: '2025-03-15',
        actual_end: null,
        selection_method: 'selection',
        requested_central: 739000000,
        requested_local: 0,
        requested_counterpart: 730000000,
        requested_other: 0,
        origin_province_code: '02',
        run_by: 'province',
        approved_central: 657000000,
        approved_local: 0,
        approved_counterpart: 730000000,
        approved_other: 0,
        disbursed_central: 262800000,
        disbursed_local: 0,
        disbursed_counterpart: 292000000,
        disbursed_other: 0,
        state: 'in_progress',
        allowed_actions: ['complete'],
        approval_decision: '305/QĐ-BCT',
        approval_date: '2024-12-28',
        checked_rules: [],
        version: 10,
        created_at: '2024-09-01T02:00:00.000Z',
        updated_at: '2026-11-30T16:23:25.628Z',
        attachment_count: 0,
      },
    ],
    description:
      'Đề án khuyến công — a khuyến công scheme with its money per funding source, lifecycle state and the ' +
      'actions the caller may take.',
  },
)

const { year, title, funding_level, activity_contents, implementing_unit, ...rest } = fields

export const CreateProject = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description:
        'Tỉnh — the province of the scheme’s site: defaults to the caller’s province; required when the ' +
        'ministry proposes a scheme its own units run.',
    }),
    year,
    title,
    funding_level,
    run_by: Type.Optional({ ...RunBy, default: 'province' }),
    activity_contents,
    implementing_unit,
    ...Type.Partial(Type.Object(rest)).properties,
  },
  {
    additionalProperties: false,
    description: 'Đề án mới — a new scheme of the caller’s province, in state `draft`.',
    examples: [
      {
        year: 2024,
        title: 'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong chế biến chè tại xã Minh Tân',
        funding_level: 'central',
        kind: 'standard',
        activity_contents: ['demonstration_technology'],
        project_type: 'machinery_line',
        industry: 'agro_food_processing',
        implementing_unit: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Tuyên Quang',
        communes: ['00691'],
        planned_start: '2024-04-01',
        planned_end: '2024-11-30',
        requested_central: 450_000_000,
        requested_counterpart: 1_050_000_000,
      },
    ],
  },
)

export const UpdateProject = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch; arrays replace the whole list), by the ' +
    'scheme’s province. Requested money, funding level, plan, year, activity contents and project type change ' +
    'only in `draft` or `returned`; approved money, contents and type after approval only through the ' +
    '`adjust` transition; once approved, ' +
    'priority areas and beneficiaries only as far as the approved money stays within the support rules.',
  examples: [{ beneficiary_count: 32, actual_start: '2024-04-15' }],
})

export const ProjectParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListProjectsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    origin_province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh cũ — only schemes that came from this former province.',
    }),
    year: Type.Optional(Year('Năm — schemes of this year.')),
    state: Type.Optional(CodeOf('project_state', 'Trạng thái — only this state.')),
    funding_level: Type.Optional(fields.funding_level),
    run_by: Type.Optional({ ...RunBy, description: 'Đơn vị tổ chức thực hiện — only schemes run by these.' }),
    funding_source: Type.Optional(
      CodeOf('funding_source', 'Nguồn kinh phí — schemes requesting or approved money from this source.'),
    ),
    activity_content: Type.Optional(
      CodeOf('activity_content', 'Nội dung hoạt động — schemes with this activity content.'),
    ),
    kind: Type.Optional(fields.kind),
    pilot: Type.Optional(Type.Boolean({ description: 'Đề án điểm — only pilot schemes (or only others).' })),
    plan_id: Type.Optional(
      Type.String({ format: 'uuid', description: 'Kế hoạch — only this plan’s schemes.' }),
    ),
    key_product_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Sản phẩm chủ lực — only schemes supporting this key product.',
      }),
    ),
    q: Type.Optional({ ...SearchQuery, description: 'Tìm theo mã, tên — code or title contains.' }),
    ...pageQuery,
  },
  { additionalProperties: false },
)

const amount = (s: FundingSource) => Type.Optional(Money(`${SOURCE_LABEL[s]}, whole VND.`))
export const Amounts = Type.Object(
  {
    central: amount('central'),
    local: amount('local'),
    counterpart: amount('counterpart'),
    other: amount('other'),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Kinh phí được duyệt theo nguồn — approved amounts per funding source (a source left out keeps its ' +
      'amount; on `approve`, the requested amount).',
    examples: [{ central: 400_000_000, counterpart: 1_050_000_000 }],
  },
)

export const Transition = Type.Object(
  {
    action: Codes(
      PROJECT_ACTIONS,
      'Thao tác — the step: submit, appraise, approve, return, reject, start, complete, accept, settle, suspend, ' +
        'resume, cancel or adjust (see `allowed_actions`).',
    ),
    note: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4000,
        description: 'Lý do, ghi chú — why (required to return or reject).',
        examples: ['Bổ sung dự toán chi tiết'],
      }),
    ),
    decision: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Quyết định — the decision taking the step (required to approve and adjust).',
        examples: ['2233/QĐ-BCT'],
      }),
    ),
    decision_date: Type.Optional(
      IsoDate(
        'Ngày quyết định — its date (default: today in Vietnam), from 1 January of the year before the ' +
          'scheme’s to today; the support rules in force on it cap the amounts.',
      ),
    ),
    approved: Type.Optional(Amounts),
    activity_contents: Type.Optional({
      ...fields.activity_contents,
      description:
        'Nội dung hoạt động mới — `adjust` only: the contents as the adjustment decides them (else they ' +
        'stay); the support rules of the new contents cap the approved money.',
    }),
    project_type: Type.Optional({
      ...fields.project_type,
      description:
        'Loại hình mới — `adjust` only: the project type as the adjustment decides it (null: none); it must ' +
        'belong to one of the contents, and its rules cap the approved money.',
    }),
  },
  {
    additionalProperties: false,
    description: 'Bước chuyển trạng thái — one lifecycle step.',
    examples: [{ action: 'approve', decision: '2233/QĐ-BCT', decision_date: '2024-03-15' }],
  },
)

const AmountsRecord = Nullable(
  Type.Object(
    Object.fromEntries(
      FUNDING_SOURCES.map((s) => [
        s,
        Type.Union([Type.Integer(), Type.Null()], { description: `${SOURCE_LABEL[s]}, whole VND.` }),
      ]),
    ),
    { description: 'Kinh phí duyệt theo nguồn — approved amounts per source.' },
  ),
  'Kinh phí duyệt — approved amounts per source, for steps that set them (approve, adjust).',
)

/** What a scheme is, as an adjustment may recast it. */
const Recast = Type.Object(
  { activity_contents: fields.activity_contents, project_type: fields.project_type },
  { additionalProperties: false },
)
const machineryLine = { activity_contents: ['demonstration_technology'], project_type: 'machinery_line' }
const technologyLine = { activity_contents: ['demonstration_technology'], project_type: 'technology_line' }

export const HistoryEntry = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã bước — step id.' }),
    action: Codes(PROJECT_ACTIONS, 'Thao tác — action.'),
    from_state: CodeOf('project_state', 'Từ trạng thái — state before.'),
    to_state: CodeOf('project_state', 'Sang trạng thái — state after.'),
    note: Nullable(Type.String(), 'Lý do, ghi chú — why.'),
    decision: Nullable(Type.String(), 'Quyết định — decision.'),
    decision_date: Nullable(IsoDate('Ngày quyết định.'), 'Ngày quyết định — decision date.'),
    amounts_before: AmountsRecord,
    amounts_after: AmountsRecord,
    recast: Nullable(
      Type.Object(
        {
          before: { ...Recast, description: 'Trước — the contents and type before the adjustment.' },
          after: { ...Recast, description: 'Sau — the contents and type it decided.' },
        },
        { additionalProperties: false, examples: [{ before: machineryLine, after: technologyLine }] },
      ),
      'Điều chỉnh nội dung — what an `adjust` recast: the contents and project type before and after; ' +
        'null for every other step.',
    ),
    actor_sub: Type.String({ description: 'Người thực hiện — who (token subject).' }),
    actor_role: Codes(['ministry', 'province'], 'Vai trò — role of who acted.'),
    occurred_at: Type.String({ format: 'date-time', description: 'Thời điểm — when.' }),
  },
  {
    $id: 'ProjectHistoryEntry',
    description: 'Một bước của đề án — one lifecycle step.',
    // The ministry's approval and the province's start of the scheme of the Project example.
    examples: [
      {
        id: '90824bf7-1239-47c1-b63d-80af8f6efc14',
        action: 'approve',
        from_state: 'appraised',
        to_state: 'approved',
        note: null,
        decision: '305/QĐ-BCT',
        decision_date: '2024-12-28',
        amounts_before: { central: null, local: null, counterpart: null, other: null },
        amounts_after: { central: 657000000, local: 0, counterpart: 730000000, other: 0 },
        recast: null,
        actor_sub: 'demo-ctdp',
        actor_role: 'ministry',
        occurred_at: '2024-12-28T03:00:00.000Z',
      },
      {
        id: 'fc537628-439c-4567-82f2-bef915bf989c',
        action: 'start',
        from_state: 'approved',
        to_state: 'in_progress',
        note: null,
        decision: null,
        decision_date: null,
        amounts_before: null,
        amounts_after: null,
        recast: null,
        actor_sub: 'demo-doit-08',
        actor_role: 'province',
        occurred_at: '2025-03-15T03:00:00.000Z',
      },
    ],
  },
)

export const HistoryQuery = Type.Object({ ...pageQuery }, { additionalProperties: false })
