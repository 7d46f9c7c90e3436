import { Type } from 'typebox'
import { CodeOf } from '../../../lib/codelists.ts'
import { pageQuery } from '../../../lib/pagination.ts'
import {
  attachmentCount,
  Id as IdOf,
  IsoDate,
  Nullable,
  ProvinceCode,
  SearchQuery,
  Text,
  versionFields,
} from '../../../lib/schemas.ts'

const Id = IdOf('Mã văn bản — document id.')

const fields = {
  number: Text('Số hiệu — document number.', 100, '15/2022/NQ-HĐND'),
  kind: CodeOf('legal_document_kind', 'Loại văn bản — kind.'),
  issuer: Text('Cơ quan ban hành — issuing body.', 300, 'Hội đồng nhân dân tỉnh Tuyên Quang'),
  title: Text(
    'Trích yếu — title.',
    2000,
    'Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn tỉnh',
  ),
  signed_date: IsoDate('Ngày ký — date signed.'),
  effective_date: Nullable(
    IsoDate('Ngày hiệu lực — effective date.'),
    'Ngày hiệu lực — effective date (≥ signed).',
  ),
  expiry_date: Nullable(
    IsoDate('Ngày hết hiệu lực — expiry date.'),
    'Ngày hết hiệu lực — expiry date, if any.',
  ),
  subject: CodeOf('legal_document_subject', 'Nội dung — subject.'),
  is_normative: Type.Boolean({
    description:
      'Văn bản quy phạm pháp luật — a legal normative document (a resolution of the People’s Council or a ' +
      'decision of the People’s Committee issued as such, numbered with its year: 15/2022/NQ-HĐND); an ' +
      'administrative document (a plan, a decision applying the rules) is not. The scorecard’s ask 1 counts ' +
      'these. A plan is never one. Default false.',
    examples: [true],
  }),
  status: CodeOf('legal_document_status', 'Hiệu lực — status.'),
  changed_by_id: Nullable(
    Id,
    'Văn bản sửa đổi, thay thế — the document that amended, replaced or repealed this one (required when ' +
      'amended or replaced; none while in force).',
  ),
  origin_province_code: Nullable(
    ProvinceCode,
    'Tỉnh cũ — the former province that issued it, for documents from before 1 July 2025.',
  ),
  programme_id: Nullable(
    Id,
    'Chương trình được phê duyệt — the provincial programme (`/v1/programmes`) this document approves, if any.',
  ),
  notes: Nullable(Type.String({ maxLength: 4000 }), 'Ghi chú — notes.'),
}

export const LegalDocument = Type.Object(
  {
    id: Id,
    province_code: ProvinceCode,
    ...fields,
    ...versionFields,
    ...attachmentCount,
  },
  {
    $id: 'LegalDocument',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: '67b93323-a5ed-457f-9747-8669915cea3a',
        province_code: '08',
        number: '12/KH-UBND',
        kind: 'plan',
        issuer: 'Ủy ban nhân dân tỉnh Tuyên Quang',
        title: 'Kế hoạch triển khai chương trình khuyến công năm 2026',
        signed_date: '2026-01-22',
        effective_date: '2026-01-22',
        expiry_date: null,
        subject: 'other',
        is_normative: false,
        status: 'in_force',
        changed_by_id: null,
        origin_province_code: null,
        programme_id: null,
        notes: null,
        version: 1,
        created_at: '2026-01-22T02:00:00.000Z',
        updated_at: '2026-01-22T02:00:00.000Z',
        attachment_count: 0,
      },
    ],
    description: 'Văn bản về khuyến công của địa phương — a provincial legal document.',
  },
)

export const CreateLegalDocument = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — defaults to the caller’s province.',
    }),
    number: fields.number,
    kind: fields.kind,
    issuer: fields.issuer,
    title: fields.title,
    signed_date: fields.signed_date,
    subject: fields.subject,
    is_normative: Type.Optional(fields.is_normative),
    status: Type.Optional(fields.status),
    effective_date: Type.Optional(fields.effective_date),
    expiry_date: Type.Optional(fields.expiry_date),
    changed_by_id: Type.Optional(fields.changed_by_id),
    origin_province_code: Type.Optional(fields.origin_province_code),
    programme_id: Type.Optional(fields.programme_id),
    notes: Type.Optional(fields.notes),
  },
  {
    additionalProperties: false,
    description: 'Văn bản mới — a new legal document.',
    examples: [
      {
        number: '15/2022/NQ-HĐND',
        kind: 'resolution',
        issuer: 'Hội đồng nhân dân tỉnh Tuyên Quang',
        title: 'Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn tỉnh',
        signed_date: '2022-07-14',
        effective_date: '2022-08-01',
        subject: 'support_levels',
        is_normative: true,
      },
    ],
  },
)

export const UpdateLegalDocument = Type.Partial(Type.Object({ ...fields }), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Các trường cần sửa — the fields to change (JSON merge patch: null clears a field).',
  examples: [{ status: 'replaced', changed_by_id: '67b93323-a5ed-457f-9747-8669915cea3a' }],
})

export const LegalDocumentParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ListLegalDocumentsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    kind: Type.Optional(fields.kind),
    subject: Type.Optional(fields.subject),
    is_normative: Type.Optional({
      ...fields.is_normative,
      description:
        'Văn bản quy phạm pháp luật — only legal normative documents (true) or only others (false).',
    }),
    status: Type.Optional(fields.status),
    year: Type.Optional(
      Type.Integer({
        minimum: 1990,
        maximum: 2100,
        description: 'Năm ký — signed in this year.',
        examples: [2022],
      }),
    ),
    q: Type.Optional({
      ...SearchQuery,
      description: 'Tìm theo số hiệu, trích yếu — number or title contains.',
    }),
    ...pageQuery,
  },
  { additionalProperties: false },
)
