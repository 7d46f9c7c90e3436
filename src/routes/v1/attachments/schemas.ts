import { Type } from 'typebox'
import { idempotencyHeader } from '../../../domain/versioned.ts'
import { CodeOf } from '../../../lib/codelists.ts'
import { examplesOf, Id, Nullable, ProvinceCode, Text } from '../../../lib/schemas.ts'

/** The media types kept, by content (detected from the bytes, not the name). */
export const MEDIA_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
] as const

export const MEDIA_TYPES_TEXT = 'PDF, JPEG, PNG, DOCX, XLSX or ODT'

const Role = CodeOf('attachment_role', 'Loại tài liệu — what the document is.')
const Description = Text('Mô tả — description.', 2000, 'Bản ký số quyết định phê duyệt đề án')

export const Attachment = Type.Object(
  {
    id: Id('Mã tài liệu — attachment id.'),
    province_code: Nullable(ProvinceCode, 'Tỉnh — the record’s province; null for a national record.'),
    parent_type: Type.String({
      description:
        'Loại hồ sơ — the kind of record it belongs to: `legal_document`, `programme`, `plan`, `project`, ' +
        '`inspection`, `product_certificate`.',
      examples: ['project'],
    }),
    parent_id: Id('Mã hồ sơ — the record’s id.'),
    role: Role,
    filename: Text('Tên tệp — the file’s name, exactly as uploaded.', 255, 'Quyết định phê duyệt đề án.pdf'),
    media_type: Type.Enum([...MEDIA_TYPES], {
      description: 'Kiểu tệp — media type, as detected from the content.',
    }),
    size: Type.Integer({ minimum: 0, description: 'Kích thước — size in bytes.', examples: [482133] }),
    sha256: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'SHA-256 — the file’s hash (hex); its download’s `ETag` is this, quoted.',
      examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    }),
    description: Nullable(Description, 'Mô tả — description, if any.'),
    uploaded_by: Type.String({ description: 'Người tải lên — who uploaded it (the token’s `sub`).' }),
    created_at: Type.String({ format: 'date-time', description: 'Tải lên lúc — uploaded at.' }),
  },
  {
    $id: 'Attachment',
    // A whole record as the demo data has it (province 08), shown by /docs for the reads and lists.
    examples: [
      {
        id: '872dfb6d-103f-4389-acc4-77e64ba6e8aa',
        province_code: '08',
        parent_type: 'legal_document',
        parent_id: '95061794-ac04-4e07-ab24-e670d41835f2',
        role: 'decision',
        filename: 'Quyết định 108-QĐ-UBND (bản demo).pdf',
        media_type: 'application/pdf',
        size: 810,
        sha256: 'ed0929ca58138a3acac011311289e72d6b8f47a921a04422b72104f8c09e7369',
        description: 'Bản demo, không phải văn bản chính thức — a demo file, not the decision.',
        uploaded_by: 'demo-data',
        created_at: '2026-02-10T02:00:00.000Z',
      },
    ],
    additionalProperties: false,
    description: 'Tài liệu đính kèm — a signed document kept with its record.',
  },
)

export const AttachmentList = Type.Object(
  {
    items: Type.Array(Type.Ref('Attachment'), { description: 'Các tài liệu — oldest first.' }),
  },
  {
    additionalProperties: false,
    description: 'Tài liệu của hồ sơ — the record’s attachments, oldest first.',
    // The demo's legal document of province 08 with its one attachment.
    examples: [{ items: examplesOf(Attachment) }],
  },
)

export const AttachmentParams = Type.Object(
  { id: Id('Mã tài liệu — attachment id.') },
  { additionalProperties: false },
)

export const UploadQuery = Type.Object(
  {
    role: Role,
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
)

/** The path parameters of a record's path (`/v1/plans/:id`): every one the id of the segment before it. */
export const recordParams = (path: string) =>
  Type.Object(
    Object.fromEntries(
      [...path.matchAll(/([a-z-]+)s\/:(\w+)/g)].map(([, segment, name]) => [
        name as string,
        Id(`Mã — the ${segment?.replace('-', ' ')}’s id.`),
      ]),
    ),
    { additionalProperties: false },
  )

export const UploadHeaders = Type.Object({
  'content-disposition': Type.Optional(
    Type.String({
      maxLength: 2000,
      description:
        'Tên tệp — for a raw body, the file’s name (RFC 6266 with RFC 8187): ' +
        '`attachment; filename*=UTF-8\'\'<percent-encoded UTF-8 name>`; a plain ASCII `filename="…"` also does.',
      examples: ["attachment; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf"],
    }),
  ),
  ...idempotencyHeader.properties,
})

export const ContentHeaders = Type.Object({
  range: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Một đoạn — one byte range (`bytes=0-1023`, `bytes=1024-`, `bytes=-500`) → 206.',
    }),
  ),
})
