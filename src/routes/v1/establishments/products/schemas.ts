// The schemas of an establishment's products, their typical-product certificates and the national
// list of certified products.
import { Type } from 'typebox'
import { CodeOf } from '../../../../lib/codelists.ts'
import { pageQuery } from '../../../../lib/pagination.ts'
import { CommuneCode, Id, IsoDate, Nullable, ProvinceCode, versionFields } from '../../../../lib/schemas.ts'

export const certificateFields = {
  level: CodeOf(
    'certificate_level',
    'Cấp chứng nhận — level: `district` (before 1 July 2025 only), `province`, `region`, `national`; `region` ' +
      'requires a valid `province` certificate of the product, `national` a valid `region` one.',
  ),
  year: Type.Integer({
    minimum: 2000,
    maximum: 2100,
    description: 'Năm bình chọn — selection year.',
    examples: [2024],
  }),
  certificate_number: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'Số giấy chứng nhận — certificate number.',
    examples: ['125/GCN-SCT'],
  }),
  // No multipleOf: 0.01 — in floating point 81.1 / 0.01 is no integer, so validators refused 429 of
  // the 3,001 two-decimal scores. The server checks the decimals exactly (checkCertificate).
  score: Type.Number({
    minimum: 70,
    maximum: 100,
    description: 'Điểm — score (≥ 70 to be certified), at most two decimals.',
    examples: [82.5],
  }),
  decision_number: Nullable(
    Type.String({ minLength: 1, maxLength: 100, description: 'Số quyết định — decision number.' }),
    'Quyết định công nhận — the issuing decision.',
  ),
  decision_date: Nullable(IsoDate('Ngày quyết định — decision date.'), 'Ngày quyết định — decision date.'),
  issued_date: IsoDate('Ngày cấp — issue date; the certificate is valid from it.'),
}

/** A province certificate of 2025 in the demo data (province 08), for the examples below. */
const demoCertificate = {
  id: '8ddcde39-1622-4149-8216-44df4894cf75',
  product_id: 'd96897a2-2107-4bf2-961e-601269d455d4',
  establishment_id: 'fc325b67-f79f-460f-9b19-6883f7b71049',
  province_code: '08',
  level: 'province',
  year: 2025,
  certificate_number: '13/2025/GCN-UBND',
  score: 75.39,
  decision_number: '4132/QĐ-UBND',
  decision_date: '2025-10-20',
  issued_date: '2025-10-20',
  valid_until: '2027-12-31',
  revoked: false,
  revoked_reason: null,
  version: 1,
  created_at: '2025-10-20T02:00:00.000Z',
  updated_at: '2025-10-20T02:00:00.000Z',
}

export const Certificate = Type.Object(
  {
    id: Id('Mã giấy chứng nhận — certificate id.'),
    product_id: Id('Sản phẩm — product id.'),
    establishment_id: Id('Cơ sở — establishment id.'),
    province_code: ProvinceCode,
    ...certificateFields,
    valid_until: IsoDate('Hiệu lực đến — valid until 31 December of the third year counting the issue year.'),
    revoked: Type.Boolean({ description: 'Đã thu hồi — revoked.' }),
    revoked_reason: Nullable(
      Type.String({ description: 'Lý do thu hồi — reason.' }),
      'Lý do thu hồi — why revoked.',
    ),
    ...versionFields,
  },
  {
    $id: 'ProductCertificate',
    description: 'Giấy chứng nhận sản phẩm CNNT tiêu biểu — a typical-product certificate.',
    examples: [demoCertificate],
  },
)

const productFields = {
  name: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'Tên sản phẩm — product name.',
    examples: ['Chè Shan tuyết'],
  }),
  product_group: CodeOf('product_group', 'Nhóm sản phẩm — product group.'),
  description: Nullable(
    Type.String({ maxLength: 4000, description: 'Mô tả — description.' }),
    'Mô tả — description.',
  ),
}

export const Product = Type.Object(
  {
    id: Id('Mã sản phẩm — product id.'),
    establishment_id: Id('Cơ sở — establishment id.'),
    province_code: ProvinceCode,
    ...productFields,
    certificates: Type.Array(Type.Ref('ProductCertificate'), {
      description: 'Giấy chứng nhận — its certificates, oldest first.',
    }),
    ...versionFields,
  },
  {
    $id: 'EstablishmentProduct',
    description: 'Sản phẩm của cơ sở — a product of an establishment.',
    // The demo product that holds the certificate above.
    examples: [
      {
        id: demoCertificate.product_id,
        establishment_id: demoCertificate.establishment_id,
        province_code: '08',
        name: 'Chè Shan tuyết cổ thụ Hưng Thịnh',
        product_group: 'agro_food',
        description: null,
        certificates: [demoCertificate],
        version: 1,
        created_at: '2025-10-20T02:00:00.000Z',
        updated_at: '2025-10-20T02:00:00.000Z',
      },
    ],
  },
)

/** What the demo server answers to the create examples below (on establishment 60426f39…). */
export const createdProduct = {
  id: '66c719db-31ec-4fc6-81bd-b1cfae9c58e7',
  establishment_id: '60426f39-8c4f-4529-9b2c-a391d19a0a9b',
  province_code: '08',
  name: 'Chè Shan tuyết Hồng Thái',
  product_group: 'agro_food',
  description: null,
  certificates: [],
  version: 1,
  created_at: '2026-11-30T18:42:48.256Z',
  updated_at: '2026-11-30T18:42:48.256Z',
}
export const createdCertificate = {
  id: '42b4b436-c6d8-496a-b048-89f941cfca2e',
  product_id: createdProduct.id,
  establishment_id: createdProduct.establishment_id,
  province_code: '08',
  level: 'province',
  year: 2024,
  certificate_number: '125/GCN-SCT',
  score: 82.5,
  decision_number: null,
  decision_date: null,
  issued_date: '2024-10-15',
  valid_until: '2026-12-31',
  revoked: false,
  revoked_reason: null,
  version: 1,
  created_at: '2026-11-30T18:42:59.692Z',
  updated_at: '2026-11-30T18:42:59.692Z',
}

export const CreateProduct = Type.Object(
  {
    name: productFields.name,
    product_group: productFields.product_group,
    description: Type.Optional(productFields.description),
  },
  {
    additionalProperties: false,
    description: 'Sản phẩm mới — a new product.',
    examples: [{ name: 'Chè Shan tuyết Hồng Thái', product_group: 'agro_food' }],
  },
)

export const CreateCertificate = Type.Object(
  {
    level: certificateFields.level,
    year: certificateFields.year,
    certificate_number: certificateFields.certificate_number,
    score: certificateFields.score,
    issued_date: certificateFields.issued_date,
    decision_number: Type.Optional(certificateFields.decision_number),
    decision_date: Type.Optional(certificateFields.decision_date),
  },
  {
    additionalProperties: false,
    description: 'Giấy chứng nhận mới — a new certificate.',
    examples: [
      {
        level: 'province',
        year: 2024,
        certificate_number: '125/GCN-SCT',
        score: 82.5,
        issued_date: '2024-10-15',
      },
    ],
  },
)

export const UpdateProduct = Type.Partial(Type.Object({ ...productFields }), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Các trường cần sửa — the fields to change (merge patch).',
  examples: [{ name: 'Chè Shan tuyết Hồng Thái' }],
})

export const UpdateCertificate = Type.Object(
  {
    revoked: Type.Boolean({ description: 'Thu hồi — revoke (true) or reinstate (false).' }),
    revoked_reason: Type.Optional(
      Nullable(
        Type.String({ minLength: 1, maxLength: 2000 }),
        'Lý do thu hồi — why (required when revoking).',
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'Thu hồi giấy chứng nhận — revoke a certificate (or reinstate it).',
    examples: [{ revoked: true, revoked_reason: 'Sản phẩm không còn đạt tiêu chí' }],
  },
)

export const EstablishmentParams = Type.Object(
  { id: Id('Mã cơ sở — establishment id.') },
  { additionalProperties: false },
)
export const ProductParams = Type.Object(
  { id: Id('Mã cơ sở — establishment id.'), product_id: Id('Mã sản phẩm — product id.') },
  { additionalProperties: false },
)
export const CertificateParams = Type.Object(
  {
    id: Id('Mã cơ sở — establishment id.'),
    product_id: Id('Mã sản phẩm — product id.'),
    certificate_id: Id('Mã giấy chứng nhận — certificate id.'),
  },
  { additionalProperties: false },
)

export const TypicalProduct = Type.Object(
  {
    id: Id('Mã giấy chứng nhận — certificate id.'),
    province_code: ProvinceCode,
    establishment_id: Id('Cơ sở — establishment id.'),
    establishment_name: Type.String({ description: 'Tên cơ sở — establishment name.' }),
    commune_code: CommuneCode,
    product_id: Id('Sản phẩm — product id.'),
    product_name: Type.String({ description: 'Tên sản phẩm — product name.' }),
    product_group: productFields.product_group,
    level: certificateFields.level,
    year: certificateFields.year,
    certificate_number: certificateFields.certificate_number,
    score: certificateFields.score,
    issued_date: certificateFields.issued_date,
    valid_until: IsoDate('Hiệu lực đến — valid until.'),
    revoked: Type.Boolean({ description: 'Đã thu hồi — revoked.' }),
  },
  {
    description: 'Sản phẩm CNNT tiêu biểu — one certified product (one certificate).',
    examples: [
      {
        id: demoCertificate.id,
        province_code: '08',
        establishment_id: demoCertificate.establishment_id,
        establishment_name: 'Công ty TNHH Chè Shan tuyết Hưng Thịnh',
        commune_code: '01237',
        product_id: demoCertificate.product_id,
        product_name: 'Chè Shan tuyết cổ thụ Hưng Thịnh',
        product_group: 'agro_food',
        level: 'province',
        year: 2025,
        certificate_number: '13/2025/GCN-UBND',
        score: 75.39,
        issued_date: '2025-10-20',
        valid_until: '2027-12-31',
        revoked: false,
      },
    ],
  },
)

export const TypicalProductsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    level: Type.Optional(CodeOf('certificate_level', 'Cấp — only this level.')),
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Năm — selection year.' })),
    product_group: Type.Optional(CodeOf('product_group', 'Nhóm — only this product group.')),
    valid_on: Type.Optional(
      IsoDate('Còn hiệu lực ngày — only certificates valid (and not revoked) on this date.'),
    ),
    ...pageQuery,
  },
  { additionalProperties: false },
)
