import { Type } from 'typebox'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  CommuneCode,
  Id as IdOf,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
} from '../../../lib/schemas.ts'

const Id = IdOf('Mã cơ sở — establishment id.')

export const TAX_CODE = '^[0-9]{10}(-[0-9]{3})?$'
export const PHONE = '^(0|\\+84)[1-9][0-9]{7,9}$'

export const fields = {
  commune_code: { ...CommuneCode, description: 'Xã, phường — commune (of the establishment’s province).' },
  name: Text('Tên cơ sở — name.', 300, 'Hợp tác xã Gốm sứ Bát Tràng'),
  kind: CodeOf(
    'establishment_kind',
    'Loại hình — kind: a rural-industrial (CNNT) establishment (`sme`, `cooperative`, `cooperative_group`, ' +
      '`household_business`), a producer applying cleaner production, or a khuyến công service provider ' +
      '(`service_provider`: not CNNT, never a scheme beneficiary) — Decree 45/2012 Art. 1.2.',
  ),
  tax_code: Nullable(
    Type.String({
      pattern: TAX_CODE,
      description: 'Mã số thuế — tax code: 10 digits, or 10 + "-" + 3 for a branch.',
      examples: ['0100109106'],
    }),
    'Mã số thuế — tax code, unique among active establishments nationwide (409 on a clash); household ' +
      'businesses may have none.',
  ),
  industry: Nullable(
    CodeOf('industry', 'Ngành nghề — eligible industry.'),
    'Ngành nghề — eligible industry.',
  ),
  vsic_code: Nullable(
    Type.String({
      pattern: '^[0-9]{1,5}$',
      description: 'Mã ngành VSIC — VSIC 2018 sector code, 1–5 digits.',
      examples: ['2393'],
    }),
    'Mã ngành VSIC — VSIC sector code.',
  ),
  address: Nullable(Text('Địa chỉ — address.', 500, 'Thôn 3, xã Bát Tràng'), 'Địa chỉ — address.'),
  year_founded: Nullable(
    Type.Integer({
      minimum: 1800,
      maximum: 2100,
      description: 'Năm thành lập — year founded.',
      examples: [1998],
    }),
    'Năm thành lập — year founded.',
  ),
  employees: Nullable(
    Type.Integer({
      minimum: 0,
      maximum: 10_000_000,
      description: 'Số lao động — employees.',
      examples: [25],
    }),
    'Số lao động — number of workers (≥ 0).',
  ),
  main_products: Nullable(
    Text('Sản phẩm chính — main products.', 2000, 'Gốm men rạn, bình hoa'),
    'Sản phẩm chính — main products.',
  ),
  phone: Nullable(
    Type.String({
      pattern: PHONE,
      description: 'Điện thoại — phone, digits only: 0… or +84… (personal data).',
      examples: ['0912345678'],
    }),
    'Điện thoại liên hệ — contact phone (personal data, never logged).',
  ),
  email: Nullable(
    Type.String({
      format: 'email',
      maxLength: 254,
      description: 'Thư điện tử — email (personal data).',
      examples: ['lienhe@gombattrang.vn'],
    }),
    'Thư điện tử liên hệ — contact email (personal data, never logged).',
  ),
  priority_areas: Type.Array(CodeOf('priority_area', 'Địa bàn ưu tiên — priority area.'), {
    uniqueItems: true,
    maxItems: 20,
    description: 'Địa bàn ưu tiên — priority areas (Decree 45/2012 Art. 6) the establishment lies in.',
  }),
  priority_products: Type.Array(CodeOf('priority_product', 'Sản phẩm ưu tiên — priority product.'), {
    uniqueItems: true,
    maxItems: 20,
    description: 'Sản phẩm ưu tiên — priority products it makes.',
  }),
  status: CodeOf('establishment_status', 'Tình trạng — active or closed.'),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province it was registered in, for records from before 1 July 2025.',
  ),
  external_id: Nullable(
    Text('Mã ngoài — client-supplied id.', 100, 'TQ-CNNT-000123'),
    'Mã ngoài — an id from the client’s own system, unique per province; imports upsert by it.',
  ),
}

export const Establishment = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    ...versionFields,
  },
  {
    $id: 'Establishment',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: '60426f39-8c4f-4529-9b2c-a391d19a0a9b',
        province_code: '08',
        commune_code: '01237',
        name: 'Tổ hợp tác chè Shan tuyết thôn 4',
        kind: 'cooperative_group',
        tax_code: '5192398341',
        industry: 'agro_food_processing',
        vsic_code: '1076',
        address: 'Thôn 10, Xã Quang Bình',
        year_founded: 1995,
        employees: 10,
        main_products: 'Chè Shan tuyết cổ thụ, Hồng trà Shan tuyết',
        phone: '02763746184',
        email: null,
        priority_areas: ['ethnic_minority_area', 'highland_island_border'],
        priority_products: ['local_raw_materials'],
        status: 'active',
        origin_province_code: '02',
        external_id: null,
        version: 1,
        created_at: '2021-02-08T02:00:00.000Z',
        updated_at: '2021-02-08T02:00:00.000Z',
      },
    ],
    description:
      'Cơ sở công nghiệp nông thôn — a rural-industrial establishment. Phone and email are personal data.',
  },
)

const optional = Object.fromEntries(
  Object.entries(fields)
    .filter(([k]) => !['commune_code', 'name', 'kind'].includes(k))
    .map(([k, v]) => [k, Type.Optional(v)]),
) as {
  [K in Exclude<keyof typeof fields, 'commune_code' | 'name' | 'kind'>]: ReturnType<
    typeof Type.Optional<(typeof fields)[K]>
  >
}

export const CreateEstablishment = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — defaults to the caller’s province.',
    }),
    commune_code: fields.commune_code,
    name: fields.name,
    kind: fields.kind,
    ...optional,
  },
  {
    additionalProperties: false,
    description: 'Cơ sở mới — a new establishment.',
    examples: [
      {
        commune_code: '00691',
        name: 'Hợp tác xã Chè Shan tuyết Hồng Thái',
        kind: 'cooperative',
        tax_code: '5000123456',
        industry: 'agro_food_processing',
        vsic_code: '1076',
        year_founded: 2015,
        employees: 32,
        main_products: 'Chè Shan tuyết',
        priority_products: ['key_product'],
      },
    ],
  },
)

export const UpdateEstablishment = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field).',
  examples: [{ employees: 40, status: 'closed' }],
})

export const EstablishmentParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListEstablishmentsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    commune_code: Type.Optional({ ...CommuneCode, description: 'Xã — only this commune.' }),
    kind: Type.Optional(fields.kind),
    cnnt: Type.Optional(
      Type.Boolean({
        description:
          'Cơ sở CNNT — only rural-industrial establishments (true: kinds `sme`, `cooperative`, ' +
          '`cooperative_group`, `household_business`) or only the other subjects of Decree 45/2012 Art. 1.2 ' +
          '(false: cleaner-production producers and khuyến công service providers).',
      }),
    ),
    industry: Type.Optional(CodeOf('industry', 'Ngành nghề — only this industry.')),
    status: Type.Optional(fields.status),
    priority_area: Type.Optional(CodeOf('priority_area', 'Địa bàn ưu tiên — only with this flag.')),
    priority_product: Type.Optional(CodeOf('priority_product', 'Sản phẩm ưu tiên — only with this flag.')),
    has_certified_product: Type.Optional(
      Type.Boolean({
        description:
          'Có sản phẩm tiêu biểu — only establishments with (true) or without (false) a product certificate ' +
          'valid today and not revoked.',
      }),
    ),
    q: Type.Optional({
      ...SearchQuery,
      description:
        'Tìm theo tên — name search ignoring case and diacritics: every word must occur in the name, in any ' +
        'order, partial words included ("bat trang" finds "Bát Tràng"). Answers ONE page of the best matches ' +
        '(the whole name, then the query as whole words, at a word start, inside a word, then its words apart; ' +
        'shorter names first, then id): `next_cursor` is null and `cursor` is refused; narrow the search or ' +
        'raise `limit` (≤ 500). With `Accept: text/csv` every match is exported, in id order.',
    }),
    ...pageQuery,
  },
  { additionalProperties: false },
)

/** Support received (support.ts). */
export const SupportItem = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã đề án — scheme id (`/v1/projects/{id}`).' }),
    province_code: ProvinceCode,
    year: Type.Integer({ description: 'Năm — the scheme’s year.', examples: [2024] }),
    title: Type.String({ description: 'Tên đề án — title.' }),
    funding_level: CodeOf('funding_level', 'Cấp kinh phí — central or local.'),
    state: CodeOf('project_state', 'Trạng thái — lifecycle state.'),
    activity_contents: Type.Array(CodeOf('activity_content', 'Nội dung — activity content.'), {
      description: 'Nội dung hoạt động — activity contents, the main one first.',
    }),
  },
  {
    description: 'Đề án hỗ trợ — a scheme the establishment benefited from.',
    // The scheme of the demo data that supported the establishment of the Establishment example.
    examples: [
      {
        id: '0cdfe662-a0eb-4289-b36c-a9237011abfd',
        province_code: '08',
        year: 2022,
        title: 'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong sản xuất bánh kẹo tại Xã Yên Minh',
        funding_level: 'central',
        state: 'settled',
        activity_contents: ['demonstration_technology'],
      },
    ],
  },
)
