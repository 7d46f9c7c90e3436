// Schema pieces shared by many routes: official codes, dates, and the error responses.
import { type TSchema, Type } from 'typebox'
import { CATALOGUE, type ProblemCode } from './problems.ts'

export const ProvinceCode = Type.String({
  pattern: '^[0-9]{2}$',
  description: 'Mã tỉnh — province code, two digits (Decision 19/2025/QĐ-TTg).',
  examples: ['08'],
})

export const CommuneCode = Type.String({
  pattern: '^[0-9]{5}$',
  description: 'Mã xã — commune code, five digits.',
  // Phường Hà Giang 2, a commune of the example province 08 (Tuyên Quang).
  examples: ['00691'],
})

// Dates and times are of years 1900–2099: PostgreSQL has no year 0 (`0000-01-01` failed as a 500),
// and a date outside that range in this domain is a typing error, refused as a 400 naming the field.
const SANE_YEAR = '^(19|20)[0-9]{2}-'
const SANE_YEARS = 'Years 1900–2099.'

export const IsoDate = (description: string) =>
  Type.String({
    format: 'date',
    pattern: `${SANE_YEAR}[0-9]{2}-[0-9]{2}$`,
    description: `${description} ${SANE_YEARS}`,
    examples: ['2026-07-01'],
  })

/**
 * A point in time in a query (RFC 3339), of the same years as IsoDate, and an offset PostgreSQL
 * takes: RFC 3339 allows up to ±23:59, PostgreSQL ±15:59 (`+23:00` failed as a 500); the real
 * ones run from −12:00 to +14:00.
 */
export const IsoDateTime = (description: string) =>
  Type.String({
    format: 'date-time',
    pattern: `${SANE_YEAR}.*([Zz]|[+-](0[0-9]|1[0-5]):[0-5][0-9])$`,
    description: `${description} ${SANE_YEARS} Offsets within ±15:59.`,
  })

/** A required text field: not empty, at most `max` characters. */
export const Text = (description: string, max: number, example: string) =>
  Type.String({ minLength: 1, maxLength: max, description, examples: [example] })

/** A field that may be null (a union: Ajv's coercion would turn null into 0 in a type list of numbers). */
export const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description })

/** The years of the data model (and of every report). */
export const FIRST_YEAR = 2000
export const LAST_YEAR = 2100
export const Year = (description: string, example = 2025) =>
  Type.Integer({ minimum: FIRST_YEAR, maximum: LAST_YEAR, description, examples: [example] })

/** A record's id. */
export const Id = (description: string) => Type.String({ format: 'uuid', description })

/** What every versioned record carries: its version (the ETag) and when it was made and changed. */
export const versionFields = {
  version: Type.Integer({ description: 'Phiên bản — version, also the ETag.', examples: [1] }),
  created_at: Type.String({ format: 'date-time', description: 'Tạo lúc — created at.' }),
  updated_at: Type.String({ format: 'date-time', description: 'Sửa lúc — last updated at.' }),
}

/** On the single representation of a record that keeps signed documents (not in its lists). */
export const attachmentCount = {
  attachment_count: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Số tài liệu đính kèm — how many signed documents are attached (`…/attachments`); on the record read ' +
        'alone (`GET` by id), not in lists. An upload or a delete moves the record’s version.',
      examples: [2],
    }),
  ),
}

export const SearchQuery = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'Tìm theo tên — name contains, ignoring case and diacritics ("bat trang" finds "Bát Tràng").',
  examples: ['bat trang'],
})

export const Codes = (codes: readonly string[], description: string) => Type.Enum([...codes], { description })

/**
 * The problem responses of a route, by code: `...problemResponses('validation_failed', 'not_found')`.
 * Keyed by media type, so the contract says `application/problem+json` as the server does.
 */
export function problemResponses(...codes: ProblemCode[]) {
  const out: Record<
    number,
    { description: string; content: { 'application/problem+json': { schema: TSchema } } }
  > = {}
  for (const code of [...codes, 'internal_error' as const]) {
    const { status, description } = CATALOGUE[code]
    const previous = out[status]?.description
    out[status] = {
      description: previous ? `${previous} ${description}` : description,
      content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
    }
  }
  return out
}

/** Today in Vietnam (UTC+7): the default date on which administrative changes are applied. */
export const todayInVietnam = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)

/** The responses of a GET of one record: the record, or why not. */
export const readResponses = (ok: TSchema) => ({
  200: ok,
  ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
})

/** The problems of a change guarded by If-Match, with those particular to the route. */
const guardedProblems = (extra: ProblemCode[]) =>
  problemResponses(
    'validation_failed',
    'unauthorized',
    'forbidden',
    'not_found',
    ...extra,
    'precondition_failed',
    'precondition_required',
  )

/** The responses of a PATCH with If-Match: the changed record, or why not. */
export const updateResponses = (ok: TSchema, ...extra: ProblemCode[]) => ({
  200: ok,
  ...guardedProblems(extra),
})

/**
 * The responses of a DELETE with If-Match: `conflict` on every one, as another record may still
 * refer to it (a rule of the route's, or the database's foreign keys: plugins/errors.ts).
 */
export const deleteResponses = (...extra: ProblemCode[]) => ({
  204: Type.Null({ description: 'Đã xóa — deleted.' }),
  ...guardedProblems(['conflict', ...extra.filter((code) => code !== 'conflict')]),
})

/** The examples a schema declares, to build a larger example from them (TypeBox does not type them). */
export const examplesOf = (schema: TSchema): unknown[] => {
  const { examples } = schema as { examples?: unknown }
  return Array.isArray(examples) ? examples : []
}
