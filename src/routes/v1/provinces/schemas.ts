import { Type } from 'typebox'
import { IsoDate, ProvinceCode, SearchQuery } from '../../../lib/schemas.ts'

const ProvinceType = Type.Enum(['tinh', 'thanh_pho'], {
  description:
    'Loại đơn vị — `tinh` (tỉnh, province) or `thanh_pho` (thành phố trực thuộc trung ương, city).',
})

export const AdministrativeChange = Type.Object(
  {
    field: Type.Enum(['type', 'name', 'name_en', 'full_name', 'full_name_en'], {
      description: 'Thuộc tính thay đổi — the attribute that changed.',
    }),
    old_value: Type.String({ description: 'Giá trị cũ — value before the change.' }),
    new_value: Type.String({ description: 'Giá trị mới — value after the change.' }),
    effective_date: Type.Union([IsoDate('Ngày hiệu lực — effective date.'), Type.Null()], {
      description: 'Ngày hiệu lực — effective date; null while not yet known (then not applied).',
    }),
    legal_basis: Type.String({
      description: 'Căn cứ pháp lý — legal basis.',
      examples: ['Nghị quyết 175/2024/QH15'],
    }),
  },
  {
    description:
      'Thay đổi hành chính — a dated change of a name or type, before or after the reference date 1 July 2025 ' +
      '(e.g. Tỉnh Thừa Thiên Huế → Thành phố Huế on 1 January 2025).',
  },
)

/** Tuyên Quang (08) as the service answers for it, for the examples below. */
const demoProvince = {
  code: '08',
  name: 'Tuyên Quang',
  name_en: 'Tuyen Quang',
  type: 'tinh',
  full_name: 'Tỉnh Tuyên Quang',
  status: 'current',
  successor_code: null,
}

export const Province = Type.Object(
  {
    code: ProvinceCode,
    name: Type.String({ description: 'Tên — name.', examples: ['Tuyên Quang'] }),
    name_en: Type.String({
      description: 'Tên không dấu — name without diacritics.',
      examples: ['Tuyen Quang'],
    }),
    type: ProvinceType,
    full_name: Type.String({ description: 'Tên đầy đủ — full name.', examples: ['Tỉnh Tuyên Quang'] }),
    status: Type.Enum(['current', 'former'], {
      description:
        'Hiện hành hay cũ — `current` (one of the 34 since 1 July 2025) or `former` (one of the 63 before).',
    }),
    successor_code: Type.Union([ProvinceCode, Type.Null()], {
      description:
        'Tỉnh kế thừa — for a former province, the current province it merged into; null for a current one.',
    }),
  },
  {
    $id: 'Province',
    description: 'Tỉnh, thành phố — a province-level unit, current or former.',
    examples: [demoProvince],
  },
)

const FormerProvinceRef = Type.Object(
  {
    code: ProvinceCode,
    name: Type.String({ description: 'Tên — name.', examples: ['Hà Giang'] }),
    full_name: Type.String({ description: 'Tên đầy đủ — full name.', examples: ['Tỉnh Hà Giang'] }),
  },
  { description: 'Tỉnh cũ — a former province.' },
)

export const ProvinceDetail = Type.Object(
  {
    ...Province.properties,
    full_name_en: Type.Union([Type.String(), Type.Null()], {
      description: 'Tên tiếng Anh — English full name (current provinces).',
      examples: ['Tuyen Quang Province'],
    }),
    former_provinces: Type.Array(FormerProvinceRef, {
      description: 'Các tỉnh cũ hợp nhất vào — former provinces merged into this one (current provinces).',
    }),
    successor: Type.Union([FormerProvinceRef, Type.Null()], {
      description: 'Tỉnh kế thừa — the current province a former one merged into.',
    }),
    code_reused_from: Type.Union(
      [
        Type.Object(
          {
            ...FormerProvinceRef.properties,
            href: Type.String({
              description: 'Bản ghi tỉnh cũ — the former province’s record.',
              examples: ['/v1/provinces/24?former=true'],
            }),
          },
          { description: 'Tỉnh cũ từng mang mã này — the former province that had this code.' },
        ),
        Type.Null(),
      ],
      {
        description:
          'Mã dùng lại — for a current province whose code was another former province’s before 1 July 2025 ' +
          '(24 is Bắc Ninh now, was Bắc Giang’s), that former province; null otherwise (and for a former province).',
      },
    ),
    changes: Type.Array(AdministrativeChange, {
      description: 'Thay đổi có ngày hiệu lực — dated changes of this unit, oldest first.',
    }),
  },
  {
    description: 'Tỉnh, thành phố — a province with its lineage and changes.',
    examples: [
      {
        ...demoProvince,
        full_name_en: 'Tuyen Quang Province',
        former_provinces: [
          { code: '02', name: 'Hà Giang', full_name: 'Tỉnh Hà Giang' },
          { code: '08', name: 'Tuyên Quang', full_name: 'Tỉnh Tuyên Quang' },
        ],
        successor: null,
        code_reused_from: null,
        changes: [],
      },
    ],
  },
)

export const asOfQuery = Type.Optional(
  IsoDate(
    'Tại ngày — names and types in force on this date, dated changes applied (Huế reads "Tỉnh Thừa Thiên ' +
      'Huế" before 2025; default: today in Vietnam).',
  ),
)

// Query parameters with a default are Optional, so that the contract does not mark them required;
// Ajv still fills in the default before the handler runs.
export const ListProvincesQuery = Type.Object(
  {
    include_former: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Gồm tỉnh cũ — also list the 63 former provinces (before 1 July 2025) with their successor.',
      }),
    ),
    q: Type.Optional(SearchQuery),
    as_of: asOfQuery,
  },
  { additionalProperties: false },
)

export const ProvinceParams = Type.Object({ code: ProvinceCode }, { additionalProperties: false })

export const GetProvinceQuery = Type.Object(
  {
    former: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Tỉnh cũ — read the former province with this code (codes were reused: 24 is Bắc Ninh now, Bắc Giang before).',
      }),
    ),
    as_of: asOfQuery,
  },
  { additionalProperties: false },
)
