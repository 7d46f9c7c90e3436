import { Type } from 'typebox'
import { pageQuery } from '../../../lib/pagination.ts'
import { IsoDateTime, ProvinceCode } from '../../../lib/schemas.ts'

const Values = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])

export const AuditEvent = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã sự kiện — event id.' }),
    occurred_at: Type.String({
      format: 'date-time',
      description: 'Thời điểm — when the change was committed (UTC).',
      examples: ['2026-11-26T04:30:00.000Z'],
    }),
    actor: Type.Object(
      {
        sub: Type.String({
          description: 'Người thực hiện — the token subject.',
          examples: ['officer-08-01'],
        }),
        role: Type.Enum(['ministry', 'province'], { description: 'Vai trò — the actor’s role.' }),
        province: Type.Union([ProvinceCode, Type.Null()], {
          description: 'Tỉnh của người thực hiện — actor’s province.',
        }),
      },
      { description: 'Người thực hiện — who made the change.' },
    ),
    request_id: Type.Union([Type.String(), Type.Null()], {
      description: 'Mã yêu cầu — the request that made the change (X-Request-Id).',
    }),
    province_code: Type.Union([ProvinceCode, Type.Null()], {
      description: 'Tỉnh của bản ghi — the province the record belongs to; null for national records.',
    }),
    entity_type: Type.String({ description: 'Loại bản ghi — entity type.', examples: ['project'] }),
    entity_id: Type.String({ description: 'Mã bản ghi — entity id.' }),
    action: Type.String({
      description: 'Thao tác — create, update, delete, or a lifecycle action (submit, approve…).',
      examples: ['update'],
    }),
    before: { ...Values, description: 'Trước — changed fields before (null on create).' },
    after: { ...Values, description: 'Sau — changed fields after (null on delete).' },
  },
  {
    $id: 'AuditEvent',
    description: 'Nhật ký thay đổi — one audited change.',
    // Province 08 revoking the certificate of the certificate create example (its update example).
    examples: [
      {
        id: '1a03b92d-0e2e-4d9f-ab79-09c2673fa9f6',
        occurred_at: '2026-11-30T18:44:39.240Z',
        actor: { sub: 'dev-province-08', role: 'province', province: '08' },
        request_id: 'fc8e2f7b-0849-4ae7-8ff0-de9dc210d953',
        province_code: '08',
        entity_type: 'product_certificate',
        entity_id: '42b4b436-c6d8-496a-b048-89f941cfca2e',
        action: 'update',
        before: { revoked: false, revoked_reason: null },
        after: { revoked: true, revoked_reason: 'Sản phẩm không còn đạt tiêu chí' },
      },
    ],
  },
)

export const ListAuditEventsQuery = Type.Object(
  {
    entity_type: Type.Optional(
      Type.String({ pattern: '^[a-z][a-z_]*$', maxLength: 64, description: 'Loại bản ghi — entity type.' }),
    ),
    entity_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Mã bản ghi — entity id.' }),
    ),
    actor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'Người thực hiện — actor’s `sub`.' }),
    ),
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — events of records of this province.',
    }),
    from: Type.Optional(IsoDateTime('Từ — at or after this time (RFC 3339).')),
    to: Type.Optional(IsoDateTime('Đến — before this time (RFC 3339).')),
    ...pageQuery,
  },
  { additionalProperties: false },
)
