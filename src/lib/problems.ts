// The one error catalogue. Every error the API returns is declared here once with a stable code
// and status, thrown by name (`throw problem('not_found', '…')`), and rendered as RFC 9457
// problem details by plugins/errors.ts. `type` is `/problems/<code>`, served by routes/problems.
import { type Static, Type } from 'typebox'

export const CATALOGUE = {
  bad_request: {
    status: 400,
    title: 'Bad request',
    description: 'The request is malformed (syntax, encoding, cursor).',
  },
  validation_failed: {
    status: 400,
    title: 'Validation failed',
    description: 'One or more fields are invalid; `errors` names each one.',
  },
  unauthorized: { status: 401, title: 'Unauthorized', description: 'A valid bearer token is required.' },
  forbidden: { status: 403, title: 'Forbidden', description: 'The token is valid but does not allow this.' },
  not_found: {
    status: 404,
    title: 'Not found',
    description: 'No such resource, or not visible to the caller.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    description: 'The path exists but not with this method; see the `Allow` header.',
  },
  not_acceptable: {
    status: 406,
    title: 'Not acceptable',
    description: 'No representation matches `Accept`.',
  },
  request_timeout: {
    status: 408,
    title: 'Request timeout',
    description: 'The request body stopped arriving: no data for longer than the server waits.',
  },
  conflict: { status: 409, title: 'Conflict', description: 'The request conflicts with the current state.' },
  precondition_failed: {
    status: 412,
    title: 'Precondition failed',
    description: '`If-Match` does not match the current `ETag`: the resource changed since it was read.',
  },
  payload_too_large: { status: 413, title: 'Payload too large', description: 'The body exceeds the limit.' },
  uri_too_long: {
    status: 414,
    title: 'URI too long',
    description: 'A path segment is longer than 200 characters.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    description: 'The body’s `Content-Type` is not accepted here.',
  },
  range_not_satisfiable: {
    status: 416,
    title: 'Range not satisfiable',
    description: 'The `Range` asked for lies outside the file (see `Content-Range` for its size).',
  },
  unprocessable: {
    status: 422,
    title: 'Unprocessable content',
    description: 'The request is well-formed but breaks a business rule.',
  },
  precondition_required: {
    status: 428,
    title: 'Precondition required',
    description: 'Updates need `If-Match` with the `ETag` of the version being changed.',
  },
  too_many_requests: {
    status: 429,
    title: 'Too many requests',
    description: 'Rate limit exceeded; retry after `Retry-After` seconds.',
  },
  internal_error: {
    status: 500,
    title: 'Internal server error',
    description: 'An unexpected error; quote `request_id` when reporting it.',
  },
  service_unavailable: {
    status: 503,
    title: 'Service unavailable',
    description: 'A dependency (the database) is unreachable, or the service is shutting down.',
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>

export type ProblemCode = keyof typeof CATALOGUE

export interface FieldError {
  /** Where the field is: body, query, params or headers. */
  in: 'body' | 'query' | 'params' | 'headers'
  /** RFC 6901 JSON pointer to the field inside that part. */
  pointer: string
  detail: string
}

export class Problem extends Error {
  readonly status: number
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
    this.status = CATALOGUE[code].status
  }
}

export const problem = (
  code: ProblemCode,
  detail: string,
  extensions?: Problem['extensions'],
  headers?: Problem['headers'],
) => new Problem(code, detail, extensions, headers)

/** A single failing field: the usual 400 of a handler-level check. */
export const invalidField = (where: FieldError['in'], field: string, detail: string) =>
  problem('validation_failed', `${where} parameter ${field} ${detail}`, {
    errors: [{ in: where, pointer: `/${field}`, detail }],
  })

/** Seconds a client should wait before retrying while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 5

/** The 503 of a database that cannot be reached (see db/unavailable.ts), with Retry-After. */
export const databaseUnavailable = () =>
  problem(
    'service_unavailable',
    'The database is unreachable. Retry shortly (a create with the same Idempotency-Key).',
    {},
    { 'retry-after': String(RETRY_AFTER_SECONDS) },
  )

export const problemType = (code: ProblemCode) => `/problems/${code}`

/** A problem's body apart from where and when it was answered (`instance`, `request_id`). */
export const problemBody = (p: Problem) => ({
  type: problemType(p.code),
  title: CATALOGUE[p.code].title,
  status: p.status,
  detail: p.detail,
  code: p.code,
  ...p.extensions,
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
    detail: Type.String({ description: 'Mô tả lỗi — what is wrong.', examples: ['must be <= 500'] }),
  },
  { $id: 'FieldError', description: 'Lỗi của một trường — one failing field.' },
)

export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'Loại lỗi — stable problem type URI.',
      examples: ['/problems/not_found'],
    }),
    title: Type.String({ description: 'Tiêu đề — short summary of the problem type.' }),
    status: Type.Integer({ description: 'Mã trạng thái HTTP — HTTP status code.' }),
    detail: Type.String({ description: 'Chi tiết — what went wrong in this occurrence.' }),
    instance: Type.String({ description: 'Đường dẫn yêu cầu — the request path.' }),
    code: Type.String({ description: 'Mã lỗi — stable machine code (the last segment of `type`).' }),
    request_id: Type.String({ description: 'Mã yêu cầu — request id, also in `X-Request-Id`.' }),
    errors: Type.Optional(
      Type.Array(Type.Ref('FieldError'), { description: 'Các trường lỗi — failing fields.' }),
    ),
    allowed_actions: Type.Optional(
      Type.Array(Type.String(), { description: 'Thao tác hợp lệ — allowed actions.' }),
    ),
  },
  {
    $id: 'Problem',
    description: 'Chi tiết lỗi (RFC 9457) — problem details.',
    additionalProperties: true,
  },
)
export type ProblemBody = Static<typeof ProblemSchema>
