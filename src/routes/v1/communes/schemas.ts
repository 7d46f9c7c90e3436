import { Type } from 'typebox'
import { pageQuery } from '../../../lib/pagination.ts'
import { CommuneCode, ProvinceCode, SearchQuery } from '../../../lib/schemas.ts'
import { AdministrativeChange, asOfQuery } from '../provinces/schemas.ts'

const CommuneType = Type.Enum(['xa', 'phuong', 'dac_khu'], {
  description:
    'Loại đơn vị — `xa` (xã, commune), `phuong` (phường, ward) or `dac_khu` (đặc khu, special zone).',
})

/** Phường Hà Giang 2 (00691, province 08) as the service answers for it, for the examples below. */
const demoCommune = {
  code: '00691',
  name: 'Hà Giang 2',
  name_en: 'Ha Giang 2',
  type: 'phuong',
  full_name: 'Phường Hà Giang 2',
  province_code: '08',
}

export const Commune = Type.Object(
  {
    code: CommuneCode,
    name: Type.String({ description: 'Tên — name.', examples: ['Bát Tràng'] }),
    name_en: Type.String({
      description: 'Tên không dấu — name without diacritics.',
      examples: ['Bat Trang'],
    }),
    type: CommuneType,
    full_name: Type.String({ description: 'Tên đầy đủ — full name.', examples: ['Xã Bát Tràng'] }),
    province_code: ProvinceCode,
  },
  {
    $id: 'Commune',
    description: 'Xã, phường, đặc khu — a commune-level unit (no district level since 1 July 2025).',
    examples: [demoCommune],
  },
)

export const CommuneDetail = Type.Object(
  {
    ...Commune.properties,
    province: Type.Object(
      {
        code: ProvinceCode,
        name: Type.String({ description: 'Tên tỉnh — province name.', examples: ['Hà Nội'] }),
      },
      { description: 'Tỉnh — the province the commune belongs to.' },
    ),
    changes: Type.Array(AdministrativeChange, { description: 'Thay đổi sau 01/7/2025 — dated changes.' }),
  },
  {
    description: 'Xã, phường, đặc khu — a commune with its province and dated changes.',
    examples: [{ ...demoCommune, province: { code: '08', name: 'Tuyên Quang' }, changes: [] }],
  },
)

const communeFilters = {
  q: Type.Optional(SearchQuery),
  type: Type.Optional(CommuneType),
  as_of: asOfQuery,
  ...pageQuery,
}

export const ListCommunesQuery = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Mã tỉnh — only communes of this province.',
    }),
    ...communeFilters,
  },
  { additionalProperties: false },
)

export const ProvinceCommunesQuery = Type.Object(communeFilters, { additionalProperties: false })

export const CommuneParams = Type.Object({ code: CommuneCode }, { additionalProperties: false })
