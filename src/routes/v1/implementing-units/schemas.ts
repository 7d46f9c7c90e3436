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

const Id = IdOf('Mã đơn vị — unit id.')
const Count = (description: string, example: number) =>
  Type.Integer({ minimum: 0, maximum: 100_000, description, examples: [example] })
const Year = (description: string, example: number) =>
  Type.Integer({ minimum: 1950, maximum: 2100, description, examples: [example] })

export const UNIT_STATUSES = ['active', 'dissolved'] as const
export const EQUIPMENT_KINDS = ['equipment', 'vehicle'] as const
export const EQUIPMENT_CONDITIONS = ['good', 'fair', 'poor', 'unusable'] as const

export const StaffYear = Type.Object(
  {
    year: Year('Năm — the year the figures describe.', 2024),
    headcount_total: Count('Tổng số người — total headcount.', 18),
    full_time_khuyen_cong: Count('Chuyên trách khuyến công — full-time khuyến công staff.', 12),
    other_staff: Count(
      'Cán bộ khác — other staff (part-time, administrative…); full-time + other = total.',
      6,
    ),
    by_qualification: Type.Optional(
      Type.Object(
        {
          postgraduate: Count('Trên đại học — postgraduate.', 3),
          university: Count('Đại học — university.', 11),
          college: Count('Cao đẳng — college.', 2),
          other: Count('Trình độ khác — other qualifications.', 2),
        },
        {
          additionalProperties: false,
          description: 'Theo trình độ — headcount by qualification; the four add up to the total.',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'Nhân sự trong một năm — the unit’s staff in one year.',
  },
)

export const EquipmentItem = Type.Object(
  {
    name: Text('Tên — name of the item.', 300, 'Xe ô tô bán tải'),
    kind: Codes(EQUIPMENT_KINDS, 'Loại — `equipment` (trang thiết bị) or `vehicle` (phương tiện).'),
    quantity: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description: 'Số lượng — quantity.',
      examples: [1],
    }),
    condition: Codes(
      EQUIPMENT_CONDITIONS,
      'Tình trạng — condition: `good` (tốt), `fair` (khá), `poor` (kém), `unusable` (hỏng, không sử dụng được).',
    ),
    year_acquired: Type.Optional(Year('Năm trang bị — year acquired.', 2019)),
  },
  {
    additionalProperties: false,
    description: 'Trang thiết bị, phương tiện — one item of equipment or one kind of vehicle.',
  },
)

const fields = {
  name: Text('Tên đơn vị — name.', 500, 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Tuyên Quang'),
  unit_model: CodeOf('unit_model', 'Mô hình tổ chức — organisational model.'),
  parent_body: Nullable(
    Text('Cơ quan chủ quản — parent body.', 500, 'Sở Công Thương tỉnh Tuyên Quang'),
    'Cơ quan chủ quản — the body the unit belongs to.',
  ),
  founding_decision_number: Nullable(
    Text('Số quyết định thành lập — founding decision number.', 100, '1234/QĐ-UBND'),
    'Số quyết định thành lập — founding decision number.',
  ),
  founding_decision_date: Nullable(
    IsoDate('Ngày quyết định thành lập — founding decision date.'),
    'Ngày quyết định thành lập — founding decision date.',
  ),
  founding_decision_issuer: Nullable(
    Text('Cơ quan ban hành quyết định thành lập — issuer.', 300, 'Ủy ban nhân dân tỉnh Tuyên Quang'),
    'Cơ quan ban hành quyết định thành lập — who issued the founding decision.',
  ),
  address: Nullable(
    Text('Địa chỉ — address.', 500, 'Số 8 đường 17/8, phường Minh Xuân, tỉnh Tuyên Quang'),
    'Địa chỉ — address.',
  ),
  phone: Nullable(
    Type.String({
      pattern: '^\\+?[0-9 ().-]{6,20}$',
      description: 'Điện thoại — phone.',
      examples: ['0207 3822 345'],
    }),
    'Điện thoại — the unit’s phone.',
  ),
  email: Nullable(
    Type.String({
      format: 'email',
      maxLength: 254,
      description: 'Thư điện tử — email.',
      examples: ['ttkc@tuyenquang.gov.vn'],
    }),
    'Thư điện tử — the unit’s email.',
  ),
  website: Nullable(
    Type.String({
      format: 'uri',
      pattern: '^https?://',
      maxLength: 500,
      description: 'Trang thông tin — website.',
      examples: ['https://khuyencong.tuyenquang.gov.vn'],
    }),
    'Trang thông tin — website (http or https).',
  ),
  staff: Type.Array(StaffYear, {
    maxItems: 100,
    description:
      'Nhân sự theo năm — staff by year, one entry per year, kept in year order. Sending it replaces the ' +
      'whole list.',
  }),
  equipment: Type.Array(EquipmentItem, {
    maxItems: 1000,
    description: 'Trang thiết bị, phương tiện — equipment and vehicles. Sending it replaces the whole list.',
  }),
  premises_description: Nullable(
    Type.String({
      minLength: 1,
      maxLength: 4000,
      description: 'Trụ sở — premises.',
      examples: ['Trụ sở làm việc 3 tầng, xưởng trình diễn 200 m²'],
    }),
    'Trụ sở, nhà xưởng — premises: description.',
  ),
  // A type list, not a union with null: Ajv's type coercion would turn a refused 0 into null.
  premises_area_m2: Type.Unsafe<number | null>({
    type: ['number', 'null'],
    exclusiveMinimum: 0,
    maximum: 10_000_000,
    description: 'Diện tích trụ sở — premises area in square metres (> 0).',
    examples: [850],
  }),
  status: Codes(
    UNIT_STATUSES,
    'Trạng thái — `active` (đang hoạt động) or `dissolved` (đã giải thể, sáp nhập).',
  ),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province the unit belonged to, for units from before 1 July 2025.',
  ),
}

export const ImplementingUnit = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    ...versionFields,
  },
  {
    $id: 'ImplementingUnit',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: '11b447de-b750-418e-a75a-da005b629f5e',
        province_code: '08',
        name: 'Trung tâm Khuyến công tỉnh Hà Giang',
        unit_model: 'independent_centre',
        parent_body: 'Sở Công Thương tỉnh Hà Giang',
        founding_decision_number: '702/QĐ-UBND',
        founding_decision_date: '2011-03-01',
        founding_decision_issuer: 'Ủy ban nhân dân tỉnh Hà Giang',
        address: null,
        phone: null,
        email: null,
        website: null,
        staff: [
          { year: 2021, headcount_total: 8, full_time_khuyen_cong: 5, other_staff: 3 },
          {
            year: 2022,
            headcount_total: 9,
            full_time_khuyen_cong: 6,
            other_staff: 3,
            by_qualification: { postgraduate: 1, university: 2, college: 1, other: 5 },
          },
          {
            year: 2023,
            headcount_total: 9,
            full_time_khuyen_cong: 6,
            other_staff: 3,
            by_qualification: { postgraduate: 1, university: 2, college: 1, other: 5 },
          },
          {
            year: 2024,
            headcount_total: 10,
            full_time_khuyen_cong: 7,
            other_staff: 3,
            by_qualification: { postgraduate: 1, university: 3, college: 1, other: 5 },
          },
        ],
        equipment: [
          { name: 'Xe ô tô bán tải', kind: 'vehicle', quantity: 1, condition: 'fair', year_acquired: 2015 },
          { name: 'Máy chiếu', kind: 'equipment', quantity: 1, condition: 'good', year_acquired: 2022 },
          {
            name: 'Máy tính xách tay',
            kind: 'equipment',
            quantity: 4,
            condition: 'good',
            year_acquired: 2023,
          },
        ],
        premises_description: 'Trụ sở làm việc và xưởng trình diễn kỹ thuật, 300 m²',
        premises_area_m2: 300,
        status: 'dissolved',
        origin_province_code: '02',
        version: 1,
        created_at: '2021-01-15T02:00:00.000Z',
        updated_at: '2021-01-15T02:00:00.000Z',
      },
    ],
    description:
      'Đơn vị thực hiện khuyến công — an implementing unit of khuyến công (e.g. the provincial Trung tâm ' +
      'Khuyến công): organisation, staff, equipment, premises.',
  },
)

const example = {
  name: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Tuyên Quang',
  unit_model: 'independent_centre',
  parent_body: 'Sở Công Thương tỉnh Tuyên Quang',
  founding_decision_number: '1234/QĐ-UBND',
  founding_decision_date: '2009-05-12',
  founding_decision_issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
  staff: [
    {
      year: 2024,
      headcount_total: 18,
      full_time_khuyen_cong: 12,
      other_staff: 6,
      by_qualification: { postgraduate: 3, university: 11, college: 2, other: 2 },
    },
  ],
  equipment: [
    { name: 'Xe ô tô bán tải', kind: 'vehicle', quantity: 1, condition: 'fair', year_acquired: 2015 },
    { name: 'Máy chiếu', kind: 'equipment', quantity: 2, condition: 'good' },
  ],
  premises_description: 'Trụ sở làm việc 3 tầng',
  premises_area_m2: 850,
}

export const CreateImplementingUnit = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — defaults to the caller’s province.',
    }),
    name: fields.name,
    unit_model: fields.unit_model,
    parent_body: Type.Optional(fields.parent_body),
    founding_decision_number: Type.Optional(fields.founding_decision_number),
    founding_decision_date: Type.Optional(fields.founding_decision_date),
    founding_decision_issuer: Type.Optional(fields.founding_decision_issuer),
    address: Type.Optional(fields.address),
    phone: Type.Optional(fields.phone),
    email: Type.Optional(fields.email),
    website: Type.Optional(fields.website),
    staff: Type.Optional(fields.staff),
    equipment: Type.Optional(fields.equipment),
    premises_description: Type.Optional(fields.premises_description),
    premises_area_m2: Type.Optional(fields.premises_area_m2),
    status: Type.Optional(fields.status),
    origin_province_code: Type.Optional(fields.origin_province_code),
  },
  {
    additionalProperties: false,
    description: 'Đơn vị mới — a new implementing unit.',
    examples: [example],
  },
)

export const UpdateImplementingUnit = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field; `staff` and ' +
    '`equipment` are replaced whole).',
  examples: [{ status: 'dissolved' }],
})

export const ImplementingUnitParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListImplementingUnitsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    unit_model: Type.Optional(fields.unit_model),
    status: Type.Optional(fields.status),
    q: Type.Optional({ ...SearchQuery, description: 'Tìm theo tên — name contains.' }),
    ...pageQuery,
  },
  { additionalProperties: false },
)
