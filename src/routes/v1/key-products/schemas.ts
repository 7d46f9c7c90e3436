import { Type } from 'typebox'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  Id as IdOf,
  IsoDate,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
  Year,
} from '../../../lib/schemas.ts'

const Id = IdOf('Mã sản phẩm chủ lực — key product id.')

const fields = {
  name: Text('Tên — name of the product or sector.', 300, 'Chè Shan tuyết'),
  kind: CodeOf('key_product_kind', 'Loại — `product` (sản phẩm chủ lực) or `sector` (ngành hàng chủ lực).'),
  industry: CodeOf('industry', 'Ngành nghề — the industry it belongs to (Decree 45/2012 Art. 5).'),
  advantages: Nullable(
    Type.String({ minLength: 1, maxLength: 4000 }),
    'Lợi thế cạnh tranh — its competitive advantages, as the province states them.',
  ),
  legal_document_id: Nullable(
    Id,
    'Văn bản xác định — the legal document of the province (`/v1/legal-documents`) that named it.',
  ),
  valid_from: IsoDate('Hiệu lực từ — named a key product from this day.'),
  valid_to: Nullable(IsoDate('Hiệu lực đến — last day.'), 'Hiệu lực đến — last day, if it no longer is one.'),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province that named it, for decisions from before 1 July 2025.',
  ),
}

export const KeyProduct = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    ...versionFields,
  },
  {
    $id: 'KeyProduct',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: 'edc8afbf-7766-4c8e-9886-7233565ca914',
        province_code: '08',
        name: 'Chè Shan tuyết',
        kind: 'product',
        industry: 'agro_food_processing',
        advantages: 'Vùng chè cổ thụ trên núi cao; sản phẩm đã có chỉ dẫn địa lý.',
        legal_document_id: 'c59fc3a1-7383-49b8-8b3a-f67139ad0a6a',
        valid_from: '2021-03-01',
        valid_to: null,
        origin_province_code: '08',
        version: 1,
        created_at: '2025-12-25T03:00:00.000Z',
        updated_at: '2025-12-25T03:00:00.000Z',
      },
    ],
    description:
      'Sản phẩm, ngành hàng chủ lực — a key product or sector of the province, on which khuyến công ' +
      'focuses (letter 3384/BCT-CTĐP, ask 3); schemes name the ones they support (`key_product_ids`).',
  },
)

export const CreateKeyProduct = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — defaults to the caller’s province.',
    }),
    name: fields.name,
    kind: fields.kind,
    industry: fields.industry,
    valid_from: fields.valid_from,
    valid_to: Type.Optional(fields.valid_to),
    advantages: Type.Optional(fields.advantages),
    legal_document_id: Type.Optional(fields.legal_document_id),
    origin_province_code: Type.Optional(fields.origin_province_code),
  },
  {
    additionalProperties: false,
    description: 'Sản phẩm chủ lực mới — a new key product or sector.',
    examples: [
      {
        name: 'Chè Shan tuyết',
        kind: 'product',
        industry: 'agro_food_processing',
        valid_from: '2021-01-01',
        advantages: 'Vùng nguyên liệu cây chè cổ thụ; chỉ dẫn địa lý.',
      },
    ],
  },
)

export const UpdateKeyProduct = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field).',
  examples: [{ valid_to: '2025-12-31' }],
})

export const KeyProductParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListKeyProductsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    kind: Type.Optional(fields.kind),
    industry: Type.Optional(fields.industry),
    year: Type.Optional(Year('Năm — only those valid on some day of this year.', 2024)),
    q: Type.Optional({ ...SearchQuery, description: 'Tìm theo tên — name contains.' }),
    ...pageQuery,
  },
  { additionalProperties: false },
)
