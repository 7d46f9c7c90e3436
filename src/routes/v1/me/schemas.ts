import { Type } from 'typebox'
import { ProvinceCode } from '../../../lib/schemas.ts'

const Permissions = Type.Object(
  {
    read_all_provinces: Type.Boolean({
      description: 'Đọc mọi tỉnh — may read every province’s data (ministry with `read` or `write`).',
    }),
    read_own_province: Type.Boolean({
      description: 'Đọc tỉnh mình — may read its own province’s data (province with `read` or `write`).',
    }),
    write_own_province: Type.Boolean({
      description: 'Ghi tỉnh mình — may write its own province’s data (province with `write`).',
    }),
    write_national: Type.Boolean({
      description:
        'Ghi cấp quốc gia — may write national data: the programme, plans, reference data, centrally funded ' +
        'projects (ministry with `write`).',
    }),
  },
  { description: 'Quyền — what the token allows, derived from its role and scopes.' },
)

export const Me = Type.Object(
  {
    sub: Type.String({ description: 'Mã người dùng — the token subject.', examples: ['dev-province'] }),
    role: Type.Enum(['ministry', 'province'], {
      description: 'Vai trò — `ministry` (Bộ Công Thương, the whole country) or `province` (one province).',
    }),
    province: Type.Union([ProvinceCode, Type.Null()], {
      description: 'Tỉnh — the caller’s current province code; null for the ministry.',
    }),
    scopes: Type.Array(Type.String(), {
      description: 'Phạm vi — the token’s scopes (`read`, `write`).',
      examples: [['read', 'write']],
    }),
    permissions: Permissions,
  },
  {
    description: 'Người gọi — who the token says the caller is, and what it may do.',
    examples: [
      {
        sub: 'dev-province',
        role: 'province',
        province: '08',
        scopes: ['read', 'write'],
        permissions: {
          read_all_provinces: false,
          read_own_province: true,
          write_own_province: true,
          write_national: false,
        },
      },
      {
        sub: 'dev-ministry',
        role: 'ministry',
        province: null,
        scopes: ['read'],
        permissions: {
          read_all_provinces: true,
          read_own_province: false,
          write_own_province: false,
          write_national: false,
        },
      },
    ],
  },
)
