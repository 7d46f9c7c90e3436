// The schemas of the import of establishments and of its record.
import { Type } from 'typebox'
import { idempotencyHeader } from '../../../../domain/versioned.ts'
import { pageQuery } from '../../../../lib/pagination.ts'
import { ProvinceCode } from '../../../../lib/schemas.ts'
import { MAX_ERRORS } from './importer.ts'

export const JobStatusSchema = Type.Union(
  [
    Type.Literal('running'),
    Type.Literal('committed'),
    Type.Literal('validated'),
    Type.Literal('failed'),
    Type.Literal('interrupted'),
  ],
  {
    description:
      'Trạng thái — `running`; `committed`: ran to its end and its rows were written (with `atomic=false`, ' +
      'the good ones); `validated`: a dry run that found no error — nothing written; `failed`: rows ' +
      'refused in all-or-nothing mode, a dry run that found errors, or the file could not be read ' +
      '(`problem`) — nothing written; `interrupted`: its server stopped before the end (shutdown, crash, ' +
      'lost database) — nothing written.',
    examples: ['committed'],
  },
)

export const jobFields = {
  id: Type.String({ format: 'uuid', description: 'Mã lần nhập — the import’s id.' }),
  province_code: { ...ProvinceCode, description: 'Tỉnh — the province imported into.' },
  status: JobStatusSchema,
  format: Type.Union([Type.Literal('csv'), Type.Literal('json')], {
    description: 'Định dạng — the body’s format.',
  }),
  atomic: Type.Boolean({ description: 'Tất cả hoặc không — whether the import was all-or-nothing.' }),
  problem: Type.Union(
    [
      Type.Object(
        {
          type: Type.String({
            description: 'Loại lỗi — problem type URI.',
            examples: ['/problems/validation_failed'],
          }),
          title: Type.String({ description: 'Tiêu đề — short summary of the problem type.' }),
          status: Type.Integer({ description: 'Mã trạng thái HTTP — the status it was answered with.' }),
          detail: Type.String({ description: 'Chi tiết — what went wrong.' }),
          code: Type.String({ description: 'Mã lỗi — stable machine code.' }),
          errors: Type.Optional(
            Type.Array(Type.Ref('FieldError'), { description: 'Các trường lỗi — failing fields.' }),
          ),
        },
        { description: 'Chi tiết lỗi (RFC 9457) — the problem the import ended with.' },
      ),
      Type.Null(),
    ],
    {
      description:
        'Lỗi — why a `failed` import stopped when not because of its rows (e.g. an unreadable file); else null.',
    },
  ),
  actor_sub: Type.String({ description: 'Người nhập — the subject of the token that started it.' }),
  started_at: Type.String({ format: 'date-time', description: 'Bắt đầu — when it started.' }),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'Kết thúc — when it ended; null while running.',
  }),
}

export const ImportQuery = Type.Object(
  {
    province_code: Type.Optional({
      ...ProvinceCode,
      description: 'Tỉnh — the province the rows belong to; defaults to (and must be) the caller’s province.',
    }),
    dry_run: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Chỉ kiểm tra — validate and report without writing anything.',
      }),
    ),
    atomic: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Tất cả hoặc không — all-or-nothing (default): one bad row and nothing is written; the rows after it ' +
          'are still checked, against what the rows before it left. `false` writes the good rows and reports ' +
          'the bad ones.',
      }),
    ),
  },
  { additionalProperties: false },
)

export const ImportHeaders = Type.Object({
  'idempotency-key': Type.Optional({
    ...idempotencyHeader.properties['idempotency-key'],
    description:
      'Khóa chống trùng — a client-chosen unique key. A retry with the same key (same caller and province) ' +
      'gets the import it started — running (202), its report, or the problem it ended with — and starts ' +
      'nothing; its body is not read. An interrupted import’s key answers 409: send the file again with a new key.',
  }),
  prefer: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'Ưu tiên (RFC 7240) — `respond-async`: answer 202 with `Location` as soon as the file is received, ' +
        'and import on in the background; poll the `Location`.',
      examples: ['respond-async'],
    }),
  ),
})

export const RowErrorSchema = Type.Object(
  {
    row: Type.Integer({
      description:
        'Dòng — the record number: 1 is the first record after the header (CSV) or in the array (JSON).',
      examples: [3],
    }),
    column: Type.Union([Type.String(), Type.Null()], {
      description: 'Cột — the column (field) at fault; null for the whole row.',
      examples: ['commune_code'],
    }),
    message: Type.String({
      description: 'Lỗi — what is wrong.',
      examples: ['must be a commune of province 08'],
    }),
  },
  { description: 'Lỗi một dòng — one row’s error.' },
)

/** The import of the request body example, as the demo server reports it when it has ended. */
const demoImport = {
  id: '0500b965-6d9d-41f0-9d86-9793ea3cb584',
  province_code: '08',
  status: 'committed',
  format: 'json',
  dry_run: false,
  atomic: true,
  committed: true,
  created: 1,
  updated: 0,
  unchanged: 0,
  failed: 0,
  errors: [],
  problem: null,
  actor_sub: 'dev-province-08',
  started_at: '2026-11-30T18:47:44.190Z',
  finished_at: '2026-11-30T18:47:44.616Z',
}

/** The same import sent with `Prefer: respond-async`: the 202 once the body is received. */
export const runningImport = {
  ...demoImport,
  id: '9149fbdf-bb20-4dc9-84a7-746ed2cfb511',
  status: 'running',
  committed: false,
  created: 0,
  started_at: '2026-11-30T18:47:44.992Z',
  finished_at: null,
}

export const ImportJob = Type.Object(
  {
    id: jobFields.id,
    province_code: jobFields.province_code,
    status: jobFields.status,
    format: jobFields.format,
    dry_run: Type.Boolean({ description: 'Chỉ kiểm tra — whether this was a dry run.' }),
    atomic: jobFields.atomic,
    committed: Type.Boolean({ description: 'Đã ghi — whether the rows were written.' }),
    created: Type.Integer({ description: 'Thêm mới — rows that create an establishment.', examples: [120] }),
    updated: Type.Integer({ description: 'Cập nhật — rows that change an existing one.', examples: [3] }),
    unchanged: Type.Integer({ description: 'Không đổi — rows equal to what is stored.', examples: [877] }),
    failed: Type.Integer({ description: 'Lỗi — rows with at least one error.', examples: [0] }),
    errors: Type.Array(RowErrorSchema, {
      description: `Các lỗi — the errors, in row order (the first ${MAX_ERRORS}; \`failed\` counts every failing row).`,
    }),
    problem: jobFields.problem,
    actor_sub: jobFields.actor_sub,
    started_at: jobFields.started_at,
    finished_at: jobFields.finished_at,
  },
  {
    $id: 'EstablishmentImport',
    examples: [demoImport],
    description:
      'Lần nhập — an import and its report. The counts grow while it runs (recorded every few seconds) and are ' +
      'final when it ends. With failures in all-or-nothing mode (or a dry run) they say what the rows would ' +
      'have done; nothing was written.',
  },
)

const { errors: _, ...demoSummary } = demoImport

export const ImportSummary = Type.Omit(ImportJob, ['errors'], {
  description: 'Lần nhập — an import without its row errors (read `GET /v1/establishments/imports/{id}`).',
  examples: [demoSummary],
})

export const TEMPLATE_DESCRIPTION =
  'Columns (the same as the CSV export): `id` (to update a record by id; else empty), `province_code` ' +
  '(empty or the import’s province), `commune_code`, `name`, `kind` (required for a new establishment), ' +
  '`tax_code`, `industry`, `vsic_code`, `address`, `year_founded`, `employees`, `main_products`, `phone`, ' +
  '`email`, `priority_areas` and `priority_products` (codes separated by `;`), `status`, ' +
  '`origin_province_code`, `external_id`; `version`, `created_at`, `updated_at` are read past. Any subset ' +
  'of columns in any order; an absent column leaves stored values as they are. An empty cell clears ' +
  'its field (a required one is refused), except `status`: empty there is as if absent (`active` for a ' +
  'new establishment).'

export const ListImportsQuery = Type.Object(
  {
    province_code: Type.Optional({ ...ProvinceCode, description: 'Tỉnh — only this province.' }),
    ...pageQuery,
  },
  { additionalProperties: false },
)

export const ImportParams = Type.Object(
  { id: Type.String({ format: 'uuid', description: 'Mã lần nhập — the import’s id.' }) },
  { additionalProperties: false },
)
