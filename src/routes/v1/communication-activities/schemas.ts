import { Type } from 'typebox'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import { Codes, Id as IdOf, IsoDate, Nullable, ProvinceCode, versionFields } from '../../../lib/schemas.ts'

const Id = IdOf('Mã hoạt động — activity id.')
// A type list, not a union with null: Ajv's type coercion would turn null into 0 in a union.
const NullableInteger = (schema: {
  minimum: number
  maximum: number
  description: string
  examples: number[]
}) => Type.Unsafe<number | null>({ type: ['integer', 'null'], ...schema })

/** Channels that are digital unless the record says otherwise. */
export const DIGITAL_CHANNELS: readonly string[] = ['web_portal', 'social_media']
export const REACH_UNITS = ['viewers', 'listeners', 'copies', 'visits', 'participants', 'other'] as const

const fields = {
  channel: CodeOf('communication_channel', 'Kênh — channel.'),
  is_digital: Type.Boolean({
    description:
      'Ứng dụng số — digital (chuyển đổi số) or not. Defaults from the channel: `web_portal` and ' +
      '`social_media` are digital, the others not; send it to say otherwise (e.g. a television programme ' +
      'streamed online).',
    examples: [true],
  }),
  date: IsoDate('Ngày — date of the activity (its first day, or the publication date).'),
  title: Type.String({
    minLength: 1,
    maxLength: 1000,
    description: 'Tiêu đề — title.',
    examples: ['Phóng sự “Khuyến công đồng hành cùng doanh nghiệp nông thôn”'],
  }),
  description: Nullable(
    Type.String({ minLength: 1, maxLength: 4000, description: 'Mô tả — description.' }),
    'Mô tả — description.',
  ),
  reach: NullableInteger({
    minimum: 0,
    maximum: 2_147_483_647,
    description:
      'Phạm vi tiếp cận — reach (audience, copies, visits…), counted in `reach_unit`; null when not known.',
    examples: [25000],
  }),
  reach_unit: Nullable(
    Codes(
      REACH_UNITS,
      'Đơn vị tính — unit of reach: `viewers` (lượt xem), `listeners` (lượt nghe), `copies` (số bản), ' +
        '`visits` (lượt truy cập), `participants` (người tham dự), `other`.',
    ),
    'Đơn vị tính — unit of `reach`; given exactly when `reach` is.',
  ),
  cost: NullableInteger({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Kinh phí — cost in whole VND (đồng), at most 2^53 − 1; null when not known.',
    examples: [45000000],
  }),
  project_id: Nullable(
    Type.String({ format: 'uuid', description: 'Mã đề án — scheme id.' }),
    'Đề án liên quan — the scheme (đề án, `/v1/projects`) this activity belongs to: a scheme of the same ' +
      'province.',
  ),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province that ran it, for activities from before 1 July 2025.',
  ),
}

export const CommunicationActivity = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    ...versionFields,
  },
  {
    $id: 'CommunicationActivity',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: 'cdade310-b2f6-4cf6-a409-26d1f5b7dc13',
        province_code: '08',
        channel: 'social_media',
        is_digital: true,
        date: '2026-05-06',
        title: 'Video giới thiệu sản phẩm công nghiệp nông thôn tiêu biểu trên mạng xã hội (2026)',
        description: null,
        reach: 31919,
        reach_unit: 'viewers',
        cost: null,
        project_id: null,
        origin_province_code: null,
        version: 1,
        created_at: '2026-05-06T02:00:00.000Z',
        updated_at: '2026-05-06T02:00:00.000Z',
      },
    ],
    description: 'Hoạt động thông tin tuyên truyền — a communication activity on khuyến công.',
  },
)

export const CreateCommunicationActivity = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — defaults to the caller’s province.',
    }),
    channel: fields.channel,
    is_digital: Type.Optional(fields.is_digital),
    date: fields.date,
    title: fields.title,
    description: Type.Optional(fields.description),
    reach: Type.Optional(fields.reach),
    reach_unit: Type.Optional(fields.reach_unit),
    cost: Type.Optional(fields.cost),
    project_id: Type.Optional(fields.project_id),
    origin_province_code: Type.Optional(fields.origin_province_code),
  },
  {
    additionalProperties: false,
    description: 'Hoạt động mới — a new communication activity.',
    examples: [
      {
        channel: 'television',
        date: '2024-09-12',
        title: 'Phóng sự “Khuyến công đồng hành cùng doanh nghiệp nông thôn”',
        reach: 25000,
        reach_unit: 'viewers',
        cost: 45000000,
      },
    ],
  },
)

export const UpdateCommunicationActivity = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description:
    'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field). Changing `channel` ' +
    'without sending `is_digital` derives `is_digital` again from the new channel.',
  examples: [{ reach: 31000, reach_unit: 'viewers' }],
})

export const CommunicationActivityParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListCommunicationActivitiesQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    year: Type.Optional(
      Type.Integer({
        minimum: 1990,
        maximum: 2100,
        description: 'Năm — activities dated in this year.',
        examples: [2024],
      }),
    ),
    channel: Type.Optional(fields.channel),
    is_digital: Type.Optional({ ...fields.is_digital, description: 'Ứng dụng số — only digital (or not).' }),
    ...pageQuery,
  },
  { additionalProperties: false },
)
