import { Type } from 'typebox'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  Codes,
  CommuneCode,
  examplesOf,
  Id as IdOf,
  IsoDate,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
} from '../../../lib/schemas.ts'
import { Commune } from '../communes/schemas.ts'

const Id = IdOf('Mã cộng tác viên — collaborator id.')

export const COLLABORATOR_STATUSES = ['active', 'ended', 'suspended'] as const

export const Training = Type.Object(
  {
    year: Type.Integer({
      minimum: 1990,
      maximum: 2100,
      description: 'Năm — year of the course.',
      examples: [2023],
    }),
    title: Text('Nội dung, khóa học — course title.', 500, 'Tập huấn nghiệp vụ khuyến công'),
    hours: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10_000,
        description: 'Số giờ — length in hours.',
        examples: [16],
      }),
    ),
  },
  { additionalProperties: false, description: 'Một khóa đào tạo — one course the collaborator attended.' },
)

const fields = {
  full_name: Text('Họ và tên — full name (personal data).', 200, 'Nguyễn Thị Hoa'),
  phone: Nullable(
    Type.String({
      pattern: '^(0|\\+84)[1-9][0-9]{7,9}$',
      description: 'Điện thoại — phone, digits only: 0… or +84… (personal data).',
      examples: ['0912345678'],
    }),
    'Điện thoại — phone (personal data: visible only to the ministry and the collaborator’s province, ' +
      'never logged).',
  ),
  email: Nullable(
    Type.String({
      format: 'email',
      maxLength: 254,
      description: 'Thư điện tử — email (personal data).',
      examples: ['hoa.nt@example.vn'],
    }),
    'Thư điện tử — email (personal data: visible only to the ministry and the collaborator’s province, ' +
      'never logged).',
  ),
  organisation: Nullable(
    Text('Đơn vị công tác, chức vụ — organisation or position.', 300, 'Công chức kinh tế UBND xã Ngọc Đường'),
    'Đơn vị công tác, chức vụ — the organisation the collaborator works for, or their position (personal ' +
      'data: with the commune it identifies the person).',
  ),
  communes: Type.Array(CommuneCode, {
    maxItems: 200,
    description:
      'Địa bàn phụ trách — codes of the communes the collaborator covers, each a commune of the ' +
      'collaborator’s province, none twice. Read back in code order; sending it replaces the whole list.',
    examples: [['00691', '00694']],
  }),
  appointment_decision_number: Nullable(
    Text('Số quyết định công nhận — appointment decision number.', 100, '215/QĐ-SCT'),
    'Số quyết định công nhận — number of the appointment decision (with its date).',
  ),
  appointment_decision_date: Nullable(
    IsoDate('Ngày quyết định công nhận — appointment decision date.'),
    'Ngày quyết định công nhận — date of the appointment decision (with its number).',
  ),
  start_date: IsoDate('Ngày bắt đầu — start of the appointment.'),
  end_date: Nullable(
    IsoDate('Ngày kết thúc — end of the appointment.'),
    'Ngày kết thúc — end of the appointment (≥ start_date); required when the status is `ended`.',
  ),
  status: Codes(
    COLLABORATOR_STATUSES,
    'Trạng thái — `active` (đang hoạt động), `ended` (đã kết thúc: needs `end_date`) or `suspended` ' +
      '(tạm dừng: counts as inactive on every date).',
  ),
  fee_basis: Nullable(
    Text(
      'Cơ sở chi thù lao — fee basis.',
      2000,
      'Thù lao 500.000 đồng/tháng theo Nghị quyết 15/2022/NQ-HĐND',
    ),
    'Cơ sở chi thù lao — how the collaborator is paid (fees are set by the province: Decree 45/2012 Art. 10).',
  ),
  training: Type.Array(Training, {
    maxItems: 200,
    description: 'Đào tạo, bồi dưỡng đã tham gia — training received. Sending it replaces the whole list.',
  }),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province that appointed the collaborator, for records from before 1 July 2025.',
  ),
}

export const Collaborator = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    personal_data_erased_at: Nullable(
      Type.String({ format: 'date-time' }),
      'Đã xóa dữ liệu cá nhân lúc — when the ministry erased the collaborator’s personal data ' +
        '(`POST /v1/collaborators/{id}/erasure`); null if never.',
    ),
    ...versionFields,
  },
  {
    $id: 'Collaborator',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: 'd6dc0ef4-91ec-4345-b7a8-cfcd3837ac6d',
        province_code: '08',
        full_name: 'Vũ Ngọc Hương',
        phone: null,
        email: null,
        organisation: 'Công chức kinh tế UBND xã Bình Ca',
        communes: ['02548', '02554'],
        appointment_decision_number: '578/QĐ-SCT',
        appointment_decision_date: '2026-02-01',
        start_date: '2026-02-01',
        end_date: null,
        status: 'active',
        fee_basis: 'Thù lao theo nghị quyết của Hội đồng nhân dân tỉnh Tuyên Quang về mức hỗ trợ khuyến công',
        training: [],
        origin_province_code: null,
        personal_data_erased_at: null,
        version: 1,
        created_at: '2026-02-01T02:00:00.000Z',
        updated_at: '2026-02-01T02:00:00.000Z',
      },
    ],
    description:
      'Cộng tác viên khuyến công — a khuyến công collaborator and the communes they cover. Name, phone, ' +
      'email and organisation are personal data: only the ministry and the collaborator’s own province see ' +
      'the record at all, the audit trail records that they changed but never their values, and the ' +
      'ministry can erase them.',
  },
)

const example = {
  full_name: 'Nguyễn Thị Hoa',
  phone: '0912345678',
  email: 'hoa.nt@example.vn',
  organisation: 'Công chức kinh tế UBND xã Ngọc Đường',
  communes: ['00691', '00694'],
  appointment_decision_number: '215/QĐ-SCT',
  appointment_decision_date: '2023-03-01',
  start_date: '2023-03-15',
  fee_basis: 'Thù lao 500.000 đồng/tháng theo Nghị quyết 15/2022/NQ-HĐND',
  training: [{ year: 2023, title: 'Tập huấn nghiệp vụ khuyến công', hours: 16 }],
}

export const CreateCollaborator = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — defaults to the caller’s province.',
    }),
    full_name: fields.full_name,
    start_date: fields.start_date,
    phone: Type.Optional(fields.phone),
    email: Type.Optional(fields.email),
    organisation: Type.Optional(fields.organisation),
    communes: Type.Optional(fields.communes),
    appointment_decision_number: Type.Optional(fields.appointment_decision_number),
    appointment_decision_date: Type.Optional(fields.appointment_decision_date),
    end_date: Type.Optional(fields.end_date),
    status: Type.Optional(fields.status),
    fee_basis: Type.Optional(fields.fee_basis),
    training: Type.Optional(fields.training),
    origin_province_code: Type.Optional(fields.origin_province_code),
  },
  {
    additionalProperties: false,
    description: 'Cộng tác viên mới — a new collaborator (status `active` unless said otherwise).',
    examples: [example],
  },
)

export const UpdateCollaborator = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field; `communes` and ' +
    '`training` replace the whole list).',
  examples: [{ status: 'ended', end_date: '2025-06-30' }],
})

export const CollaboratorParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListCollaboratorsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    commune_code: Type.Optional({
      ...CommuneCode,
      description: 'Xã — only collaborators covering this commune.',
    }),
    status: Type.Optional(fields.status),
    active_on: Type.Optional(
      IsoDate(
        'Hoạt động vào ngày — only collaborators active on this date: start_date ≤ date, end_date empty or ' +
          '≥ date, and status not `suspended` (the rule coverage uses).',
      ),
    ),
    q: Type.Optional({ ...SearchQuery, description: 'Tìm theo họ tên — name contains.' }),
    ...pageQuery,
  },
  { additionalProperties: false },
)

// Coverage of the commune network by active collaborators.

const CoverageDate = IsoDate(
  'Tại ngày — the date on which collaborators must be active (default: today in Vietnam).',
)

const coverageFigures = {
  province_code: ProvinceCode,
  province_name: Type.String({ description: 'Tên tỉnh — province name.', examples: ['Tuyên Quang'] }),
  commune_count: Type.Integer({ description: 'Số xã — communes in the province.', examples: [124] }),
  covered_count: Type.Integer({
    description: 'Số xã có cộng tác viên — communes with at least one active collaborator on the date.',
    examples: [31],
  }),
  uncovered_count: Type.Integer({
    description: 'Số xã chưa có cộng tác viên — communes without one.',
    examples: [93],
  }),
  share: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Tỷ lệ bao phủ — covered_count / commune_count, 0–1, rounded to 4 decimals.',
    examples: [0.25],
  }),
}

// The shared Commune schema is registered in the communes plugin's scope: inlined here.
const UncoveredCommune = {
  ...Commune,
  $id: undefined,
  description: 'Xã chưa có cộng tác viên — an uncovered commune.',
}

/** Province 08's coverage on 1 December 2026 in the demo data. */
const demoCoverage = {
  province_code: '08',
  province_name: 'Tuyên Quang',
  commune_count: 124,
  covered_count: 88,
  uncovered_count: 36,
  share: 0.7097,
}

export const ProvinceCoverage = Type.Object(
  {
    ...coverageFigures,
    date: IsoDate('Tại ngày — the date the figures are for.'),
    items: Type.Array(UncoveredCommune, {
      description: 'Xã chưa có cộng tác viên — this page of the uncovered communes, by code.',
    }),
    next_cursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Con trỏ trang sau — pass as `cursor` for the next page of uncovered communes.',
    }),
  },
  {
    description:
      'Độ bao phủ mạng lưới cộng tác viên của tỉnh — the province’s communes, those with an active ' +
      'collaborator on the date, the share, and (paged) the communes still without one.',
    // Its first page of uncovered communes, two long.
    examples: [
      {
        ...demoCoverage,
        date: '2026-12-01',
        items: [
          ...examplesOf(Commune),
          {
            code: '00694',
            name: 'Hà Giang 1',
            name_en: 'Ha Giang 1',
            type: 'phuong',
            full_name: 'Phường Hà Giang 1',
            province_code: '08',
          },
        ],
        next_cursor: 'WyIwMDY5NCJd',
      },
    ],
  },
)

export const ProvinceCoverageQuery = Type.Object(
  { date: Type.Optional(CoverageDate), limit: pageQuery.limit, cursor: pageQuery.cursor },
  { additionalProperties: false },
)

export const CoverageRow = Type.Object(
  { ...coverageFigures },
  { description: 'Độ bao phủ của một tỉnh — one province’s coverage.', examples: [demoCoverage] },
)

export const NationalCoverage = Type.Object(
  {
    date: IsoDate('Tại ngày — the date the figures are for.'),
    items: Type.Array(CoverageRow, {
      description: 'Các tỉnh — one row per current province (a province officer: their own only).',
    }),
  },
  {
    description: 'Độ bao phủ cả nước — coverage of every province on one date.',
    // As province 08 sees it: its own row only.
    examples: [{ date: '2026-12-01', items: [demoCoverage] }],
  },
)

export const COVERAGE_SORTS = ['province_code', 'share', '-share'] as const

export const NationalCoverageQuery = Type.Object(
  {
    date: Type.Optional(CoverageDate),
    sort: Type.Optional(
      Codes(
        COVERAGE_SORTS,
        'Sắp xếp — `province_code` (default), `share` (lowest first) or `-share` (highest first); ties by ' +
          'province code.',
      ),
    ),
  },
  { additionalProperties: false },
)
