// The one error catalogue. Every error the API returns is declared here once with a stable code
// and status, thrown by name (`throw problem('not_found', '…')`), and rendered as RFC 9457
// problem details by plugins/errors.ts. `type` is `/problems/<code>`, served by routes/problems.
import { type Static, Type } from 'typebox'

export const CATALOGUE = {
  bad_request: {
    status: 400,
    title: { vi: 'Yêu cầu không hợp lệ', en: 'Bad request' },
    description: 'The request is malformed (syntax, encoding, cursor).',
  },
  validation_failed: {
    status: 400,
    title: { vi: 'Dữ liệu không hợp lệ', en: 'Validation failed' },
    description: 'One or more fields are invalid; `errors` names each one.',
  },
  unauthorized: {
    status: 401,
    title: { vi: 'Chưa xác thực', en: 'Unauthorized' },
    description: 'A valid bearer token is required.',
  },
  forbidden: {
    status: 403,
    title: { vi: 'Không có quyền', en: 'Forbidden' },
    description: 'The token is valid but does not allow this.',
  },
  not_found: {
    status: 404,
    title: { vi: 'Không tìm thấy', en: 'Not found' },
    description: 'No such resource, or not visible to the caller.',
  },
  method_not_allowed: {
    status: 405,
    title: { vi: 'Phương thức không được phép', en: 'Method not allowed' },
    description: 'The path exists but not with this method; see the `Allow` header.',
  },
  not_acceptable: {
    status: 406,
    title: { vi: 'Không có định dạng phản hồi phù hợp', en: 'Not acceptable' },
    description: 'No representation matches `Accept`.',
  },
  request_timeout: {
    status: 408,
    title: { vi: 'Hết thời gian chờ yêu cầu', en: 'Request timeout' },
    description: 'The request body stopped arriving: no data for longer than the server waits.',
  },
  conflict: {
    status: 409,
    title: { vi: 'Xung đột dữ liệu', en: 'Conflict' },
    description: 'The request conflicts with the current state.',
  },
  precondition_failed: {
    status: 412,
    title: { vi: 'Điều kiện tiên quyết không được đáp ứng', en: 'Precondition failed' },
    description: '`If-Match` does not match the current `ETag`: the resource changed since it was read.',
  },
  payload_too_large: {
    status: 413,
    title: { vi: 'Dữ liệu gửi lên quá lớn', en: 'Payload too large' },
    description: 'The body exceeds the limit.',
  },
  uri_too_long: {
    status: 414,
    title: { vi: 'Đường dẫn quá dài', en: 'URI too long' },
    description: 'A path segment is longer than 200 characters.',
  },
  unsupported_media_type: {
    status: 415,
    title: { vi: 'Định dạng dữ liệu không được hỗ trợ', en: 'Unsupported media type' },
    description: 'The body’s `Content-Type` is not accepted here.',
  },
  range_not_satisfiable: {
    status: 416,
    title: { vi: 'Phạm vi yêu cầu không hợp lệ', en: 'Range not satisfiable' },
    description: 'The `Range` asked for lies outside the file (see `Content-Range` for its size).',
  },
  unprocessable: {
    status: 422,
    title: { vi: 'Không thể xử lý yêu cầu', en: 'Unprocessable content' },
    description: 'The request is well-formed but breaks a business rule.',
  },
  precondition_required: {
    status: 428,
    title: { vi: 'Thiếu điều kiện tiên quyết', en: 'Precondition required' },
    description: 'Updates need `If-Match` with the `ETag` of the version being changed.',
  },
  too_many_requests: {
    status: 429,
    title: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
    description: 'Rate limit exceeded; retry after `Retry-After` seconds.',
  },
  request_header_fields_too_large: {
    status: 431,
    title: { vi: 'Tiêu đề yêu cầu quá lớn', en: 'Request header fields too large' },
    description: 'The request’s headers together exceed what the server reads.',
  },
  internal_error: {
    status: 500,
    title: { vi: 'Lỗi máy chủ', en: 'Internal server error' },
    description: 'An unexpected error; quote `request_id` when reporting it.',
  },
  service_unavailable: {
    status: 503,
    title: { vi: 'Dịch vụ tạm thời không khả dụng', en: 'Service unavailable' },
    description: 'A dependency (the database) is unreachable, or the service is shutting down.',
  },
} as const satisfies Record<string, { status: number; title: Localized; description: string }>

export type ProblemCode = keyof typeof CATALOGUE

/** The languages a problem speaks: Vietnamese, the officers' language, unless English is asked for. */
export const LANGUAGES = ['vi', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'vi'

/**
 * A message in each language. Errors carry both and plugins/errors.ts renders the one the request's
 * `Accept-Language` picks, so a message is written once, where it is thrown, in both languages.
 */
export type Localized = Record<Language, string>

/** Where a field is: body, query, params or headers. */
export type FieldPlace = 'body' | 'query' | 'params' | 'headers'

export interface FieldError {
  /** Where the field is: body, query, params or headers. */
  in: FieldPlace
  /** RFC 6901 JSON pointer to the field inside that part. */
  pointer: string
  detail: string
}

/** A failing field before rendering: its detail in each language. */
export type FieldFailure = Omit<FieldError, 'detail'> & { detail: Localized }

export class Problem extends Error {
  readonly status: number
  readonly code: ProblemCode
  readonly detail: Localized
  readonly extensions: { errors?: FieldFailure[]; [key: string]: unknown }
  readonly headers: Record<string, string>
  constructor(
    code: ProblemCode,
    detail: Localized,
    extensions: Problem['extensions'] = {},
    headers: Problem['headers'] = {},
  ) {
    super(detail.en)
    this.status = CATALOGUE[code].status
    this.code = code
    this.detail = detail
    this.extensions = extensions
    this.headers = headers
  }
}

export const problem = (
  code: ProblemCode,
  detail: Localized,
  extensions?: Problem['extensions'],
  headers?: Problem['headers'],
) => new Problem(code, detail, extensions, headers)

const PLACE: Record<FieldPlace, Localized> = {
  body: { vi: 'Trường', en: 'body' },
  query: { vi: 'Tham số truy vấn', en: 'query' },
  params: { vi: 'Tham số đường dẫn', en: 'params' },
  headers: { vi: 'Header (tiêu đề HTTP)', en: 'headers' },
}

/** How a summary names the whole part (pointer `/`). */
const ROOT: Localized = { vi: '(toàn bộ)', en: '(root)' }

/** The 400 (or `code`) naming every failing field: the summary in `detail`, each field in `errors`. */
/** A JSON pointer (RFC 6901) to `path`: `~` and `/` escaped; the root is `/`. */
export const pointerOf = (path: string[]) =>
  path.map((p) => `/${p.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('') || '/'

/** The most failing fields one problem lists: a 1 MB body of unknown keys was answered with 17 MB. */
export const MAX_FIELD_ERRORS = 100

export function fieldsProblem(all: FieldFailure[], code: ProblemCode = 'validation_failed'): Problem {
  const errors = all.slice(0, MAX_FIELD_ERRORS)
  const more = all.length - errors.length
  const rest = { vi: `; và ${more} lỗi khác`, en: `; and ${more} more` }
  const summary = (lang: Language) =>
    errors
      .map((e) => `${PLACE[e.in][lang]} ${e.pointer.slice(1) || ROOT[lang]} ${e.detail[lang]}`)
      .join('; ') + (more > 0 ? rest[lang] : '')
  return problem(code, { vi: summary('vi'), en: summary('en') }, { errors })
}

/**
 * The failing fields of a request, gathered so that one 400 lists them all, as schema validation
 * does: handler-level checks `add` each failure and `throwIfAny` once they are all made.
 */
export class FieldErrors {
  readonly failures: FieldFailure[] = []

  /** `field` is the pointer without its leading slash (`communes/1`). */
  add(where: FieldPlace, field: string, detail: Localized): this {
    this.failures.push({ in: where, pointer: `/${field}`, detail })
    return this
  }

  /** Records the failure when `failed` holds. */
  check(failed: boolean, where: FieldPlace, field: string, detail: Localized): this {
    return failed ? this.add(where, field, detail) : this
  }

  get any(): boolean {
    return this.failures.length > 0
  }

  throwIfAny(): void {
    if (this.any) throw fieldsProblem(this.failures)
  }
}

/** A single failing field, when nothing else of the request can be checked beside it. */
export const invalidField = (where: FieldPlace, field: string, detail: Localized) =>
  fieldsProblem(new FieldErrors().add(where, field, detail).failures)

/** Seconds a client should wait before retrying while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 5

/** The 503 of a database that cannot be reached (see db/unavailable.ts), with Retry-After. */
export const databaseUnavailable = () =>
  problem(
    'service_unavailable',
    {
      vi: 'Không kết nối được cơ sở dữ liệu. Hãy thử lại sau giây lát (nếu là yêu cầu tạo mới, hãy gửi lại với cùng Idempotency-Key).',
      en: 'The database is unreachable. Retry shortly (a create with the same Idempotency-Key).',
    },
    {},
    { 'retry-after': String(RETRY_AFTER_SECONDS) },
  )

export const problemType = (code: ProblemCode) => `/problems/${code}`

/** A problem as kept to be answered again later (an import's end), in both languages. */
export type StoredProblem = { code: ProblemCode; detail: Localized | string } & Problem['extensions']

export const storedProblem = (p: Problem): StoredProblem => ({
  code: p.code,
  detail: p.detail,
  ...p.extensions,
})

/** The problem kept by storedProblem(); one kept before problems spoke two languages has one. */
export function fromStored({ code, detail, ...extensions }: StoredProblem): Problem {
  const both = (d: Localized | string): Localized => (typeof d === 'string' ? { vi: d, en: d } : d)
  const errors = (extensions.errors as (FieldFailure | FieldError)[] | undefined)?.map((e) => ({
    ...e,
    detail: both(e.detail),
  }))
  return new Problem(code, both(detail), errors ? { ...extensions, errors } : extensions)
}

/**
 * A problem's body in one language, apart from where and when it was answered (`instance`,
 * `request_id`). Only `title`, `detail` and `errors[].detail` change with the language.
 */
export const problemBody = (p: Problem, lang: Language) => ({
  type: problemType(p.code),
  title: CATALOGUE[p.code].title[lang],
  status: p.status,
  detail: p.detail[lang],
  code: p.code,
  ...p.extensions,
  ...(p.extensions.errors
    ? { errors: p.extensions.errors.map((e) => ({ ...e, detail: e.detail[lang] })) }
    : {}),
})

export const FieldErrorSchema = Type.Object(
  {
    in: Type.Union(
      [Type.Literal('body'), Type.Literal('query'), Type.Literal('params'), Type.Literal('headers')],
      {
        description: 'Phần của yêu cầu chứa trường lỗi — the request part holding the field.',
      },
    ),
    pointer: Type.String({
      description: 'Con trỏ JSON (RFC 6901) — JSON pointer to the field.',
      examples: ['/limit'],
    }),
    detail: Type.String({
      description: 'Mô tả lỗi, theo ngôn ngữ của yêu cầu — what is wrong, in the language asked for.',
      examples: ['phải nhỏ hơn hoặc bằng 500'],
    }),
  },
  { $id: 'FieldError', description: 'Lỗi của một trường — one failing field.' },
)

export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'Loại lỗi — stable problem type URI.',
      examples: ['/problems/not_found'],
    }),
    title: Type.String({
      description:
        'Tiêu đề, theo ngôn ngữ của yêu cầu — short summary of the problem type, in the language asked for.',
      examples: ['Không tìm thấy'],
    }),
    status: Type.Integer({ description: 'Mã trạng thái HTTP — HTTP status code.' }),
    detail: Type.String({
      description:
        'Chi tiết, theo ngôn ngữ của yêu cầu — what went wrong in this occurrence, in the language asked for.',
      examples: ['Trường end_date không được sớm hơn start_date'],
    }),
    instance: Type.String({ description: 'Đường dẫn yêu cầu — the request path.' }),
    code: Type.String({ description: 'Mã lỗi — stable machine code (the last segment of `type`).' }),
    request_id: Type.String({ description: 'Mã yêu cầu — request id, also in `X-Request-Id`.' }),
    errors: Type.Optional(
      Type.Array(Type.Ref('FieldError'), {
        maxItems: MAX_FIELD_ERRORS,
        description: `Các trường lỗi — failing fields: the first ${MAX_FIELD_ERRORS}; \`detail\` counts the others.`,
      }),
    ),
    allowed_actions: Type.Optional(
      Type.Array(Type.String(), { description: 'Thao tác hợp lệ — allowed actions.' }),
    ),
  },
  {
    $id: 'Problem',
    description:
      'Chi tiết lỗi (RFC 9457) — problem details. `title`, `detail` and `errors[].detail` are in Vietnamese ' +
      'by default and with `Accept-Language: vi`, in English with `Accept-Language: en` (q-values are ' +
      'weighed; a language not offered gets Vietnamese); `Content-Language` names the one used. `type`, ' +
      '`code`, `status`, `errors[].in` and `errors[].pointer` never change with the language. `errors` ' +
      'lists every failing field of the request, not only the first.',
    additionalProperties: true,
  },
)
export type ProblemBody = Static<typeof ProblemSchema>
