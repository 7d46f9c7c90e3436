// The one error handler: every error leaves as RFC 9457 problem details. Known errors keep their
// status and a safe message; anything unexpected becomes a generic 500 whose details go only to
// the log, under the request id.
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { isDatabaseUnavailable } from '../db/unavailable.ts'
import { speakTo } from '../lib/negotiation.ts'
import {
  CATALOGUE,
  DEFAULT_LANGUAGE,
  databaseUnavailable,
  FieldErrorSchema,
  type FieldFailure,
  type FieldPlace,
  fieldsProblem,
  type Localized,
  Problem,
  type ProblemCode,
  ProblemSchema,
  problem,
  problemBody,
} from '../lib/problems.ts'
import { inputFailures } from './input-guard.ts'
import { JSON_TYPES } from './media-types.ts'

const CONTEXT: Record<string, FieldPlace> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
}

const codeForStatus = (status: number): ProblemCode =>
  (Object.keys(CATALOGUE) as ProblemCode[]).find((code) => CATALOGUE[code].status === status) ??
  (status < 500 ? 'bad_request' : 'internal_error')

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

const TYPE_VI: Record<string, string> = {
  string: 'chuỗi ký tự',
  integer: 'số nguyên',
  number: 'số',
  boolean: 'giá trị đúng/sai (boolean)',
  object: 'đối tượng',
  array: 'mảng',
  null: 'null',
}

const COMPARISON_VI: Record<string, string> = {
  '>=': 'lớn hơn hoặc bằng',
  '<=': 'nhỏ hơn hoặc bằng',
  '>': 'lớn hơn',
  '<': 'nhỏ hơn',
}

/** What is wrong with a field, by Ajv's keyword and parameters; ajv-i18n has no Vietnamese. */
function ajvDetail(e: AjvError): Localized {
  const p = e.params
  const en = e.message ?? 'is invalid'
  switch (e.keyword) {
    case 'required':
      return { vi: 'là bắt buộc', en: 'is required' }
    case 'additionalProperties':
      return { vi: 'không phải là trường được chấp nhận', en: 'is not a known field' }
    case 'enum': {
      const values = (p.allowedValues as unknown[]).join(', ')
      return { vi: `phải là một trong các giá trị: ${values}`, en: `must be one of: ${values}` }
    }
    case 'const':
      return { vi: `phải bằng ${JSON.stringify(p.allowedValue)}`, en }
    case 'type': {
      const types = String(p.type).split(',')
      return { vi: `phải là ${types.map((t) => TYPE_VI[t] ?? t).join(' hoặc ')}`, en }
    }
    case 'minLength':
      return { vi: `phải có ít nhất ${p.limit} ký tự`, en }
    case 'maxLength':
      return { vi: `không được dài quá ${p.limit} ký tự`, en }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { vi: `phải ${COMPARISON_VI[String(p.comparison)] ?? String(p.comparison)} ${p.limit}`, en }
    case 'multipleOf':
      return { vi: `phải là bội số của ${p.multipleOf}`, en }
    case 'pattern':
      return { vi: `phải khớp mẫu "${p.pattern}"`, en }
    case 'format':
      return { vi: `phải đúng định dạng "${p.format}"`, en }
    case 'minItems':
      return { vi: `phải có ít nhất ${p.limit} phần tử`, en }
    case 'maxItems':
      return { vi: `không được có quá ${p.limit} phần tử`, en }
    case 'uniqueItems':
      return { vi: `không được có phần tử trùng nhau (phần tử ${p.j} và ${p.i} trùng nhau)`, en }
    case 'minProperties':
      return { vi: `phải có ít nhất ${p.limit} trường`, en }
    case 'maxProperties':
      return { vi: `không được có quá ${p.limit} trường`, en }
    case 'dependentRequired':
    case 'dependencies':
      return { vi: `phải có ${p.deps} khi có ${p.property}`, en }
    default:
      return { vi: 'không hợp lệ', en }
  }
}

/** Ajv's errors, one per field, each with a JSON pointer and a message a person can act on. */
function fieldErrors(where: FieldPlace, errors: AjvError[]): FieldFailure[] {
  const byPointer = new Map<string, Localized[]>()
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue
    const child = e.params.missingProperty ?? e.params.additionalProperty
    const pointer = e.instancePath + (child ? `/${child}` : '') || '/'
    const detail = ajvDetail(e)
    const list = byPointer.get(pointer) ?? []
    if (!list.some((d) => d.en === detail.en)) list.push(detail)
    byPointer.set(pointer, list)
  }
  return [...byPointer].map(([pointer, details]) => ({
    in: where,
    pointer,
    detail: {
      vi: details.map((d) => d.vi).join(' hoặc '),
      en: details.map((d) => d.en).join(' or '),
    },
  }))
}

/** What fastify itself refuses (body parsing), said in both languages. */
const FRAMEWORK: Record<string, Localized> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    vi: 'Nội dung yêu cầu không được rỗng khi Content-Type là application/json.',
    en: "Body cannot be empty when content-type is set to 'application/json'",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    vi: 'Nội dung yêu cầu không phải JSON hợp lệ.',
    en: "Body is not valid JSON but content-type is set to 'application/json'",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    vi: 'Nội dung yêu cầu vượt quá giới hạn cho phép.',
    en: 'Request body is too large',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    vi: 'Kích thước nội dung yêu cầu không khớp với Content-Length.',
    en: 'Request body size did not match Content-Length',
  },
}

/** `found`: what the input guard found before validation (plugins/input-guard.ts), listed first. */
function toProblem(error: FastifyError | Problem | Error, found: FieldFailure[] = [], method = ''): Problem {
  if (error instanceof Problem) return error
  if (isDatabaseUnavailable(error)) return databaseUnavailable()
  const fe = error as FastifyError & { code?: string }
  if (fe.validation) {
    const where = CONTEXT[fe.validationContext ?? 'body'] ?? 'body'
    return fieldsProblem([...found, ...fieldErrors(where, fe.validation as AjvError[])])
  }
  // PostgreSQL integrity errors that reach here mean a rule the handler did not pre-check; say
  // what kind of rule failed, never the SQL or the constraint.
  if (fe.code === '23505')
    return problem('conflict', {
      vi: 'Đã có một bản ghi với cùng các giá trị định danh.',
      en: 'A record with the same identifying values already exists.',
    })
  // A delete's foreign key: another record still refers to this one.
  if (fe.code === '23503' && method === 'DELETE')
    return problem('conflict', {
      vi: 'Bản ghi khác vẫn còn tham chiếu đến bản ghi này, nên không xóa được.',
      en: 'Other records still refer to this one: it cannot be deleted.',
    })
  if (fe.code === '23503')
    return problem('unprocessable', {
      vi: 'Yêu cầu tham chiếu đến một bản ghi không tồn tại.',
      en: 'The request refers to a record that does not exist.',
    })
  if (fe.code === '23514')
    return problem('unprocessable', {
      vi: 'Một giá trị vi phạm quy tắc của mô hình dữ liệu.',
      en: 'A value breaks a rule of the data model.',
    })
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return problem('unsupported_media_type', {
      vi: `Hãy gửi nội dung dưới dạng ${JSON_TYPES.join(' hoặc ')} (text/csv nếu thao tác cho phép).`,
      en: `Send the body as ${JSON_TYPES.join(' or ')} (text/csv where the operation says so).`,
    })
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = codeForStatus(fe.statusCode)
    const known = fe.code ? FRAMEWORK[fe.code] : undefined
    return problem(code, known ?? { vi: `${CATALOGUE[code].title.vi}: ${fe.message}`, en: fe.message })
  }
  return problem('internal_error', {
    vi: 'Đã xảy ra lỗi không mong muốn. Hãy nêu mã yêu cầu (request_id) khi báo lỗi.',
    en: 'An unexpected error occurred. Quote the request id when you report it.',
  })
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, p: Problem) {
  const lang = speakTo(request, reply)
  return reply
    .code(p.status)
    .headers(p.headers)
    .type('application/problem+json')
    .send({ ...problemBody(p, lang), instance: request.url.split('?')[0], request_id: request.id })
}

const CLIENT_ERRORS: Record<string, { code: ProblemCode; detail: Localized }> = {
  HPE_HEADER_OVERFLOW: {
    code: 'request_header_fields_too_large',
    detail: { vi: 'Các tiêu đề của yêu cầu quá lớn.', en: 'The request’s headers are too large.' },
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'request_timeout',
    detail: { vi: 'Yêu cầu không đến hết kịp thời.', en: 'The request did not arrive in time.' },
  },
}
const MALFORMED = {
  code: 'bad_request',
  detail: { vi: 'Yêu cầu HTTP không đúng cú pháp.', en: 'The HTTP request is malformed.' },
} as const

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (a control character in a
 * header, headers over the limit, an unknown method, a request too slow to arrive), before any
 * request exists — a problem too, where Fastify's own answer is plain JSON. It has no request to
 * read a language from: Vietnamese, the default; its id is made here, and logged.
 */
export function clientError(this: FastifyInstance, error: ConnectionError, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { code, detail } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED
  const id = randomUUID()
  this.log.info({ reqId: id, code: error.code }, 'request refused by the HTTP parser')
  // As Node's own handler: not into a response already under way (a pipelined request's).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
  if (socket.writable && !inFlight?.headersSent) {
    const p = problem(code, detail)
    // The path, when the request line could be read.
    const raw: unknown = error.rawPacket // a Buffer, whatever Fastify's type says
    const line = Buffer.isBuffer(raw) ? raw.toString('latin1', 0, 2048) : ''
    const path = /^[A-Z]+ (\/[^\s?]*)/.exec(line)?.[1]
    const body = JSON.stringify({
      ...problemBody(p, DEFAULT_LANGUAGE),
      instance: path ?? '/',
      request_id: id,
    })
    socket.write(
      `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Language: ${DEFAULT_LANGUAGE}\r\nX-Request-Id: ${id}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

/** Fastify's `frameworkErrors`: what the router refuses before any route or hook runs. */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(
      request,
      reply,
      problem('uri_too_long', {
        vi: 'Một đoạn của đường dẫn dài quá 200 ký tự.',
        en: 'A path segment is longer than 200 characters.',
      }),
    )
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(
      request,
      reply,
      problem('bad_request', {
        vi: 'Đường dẫn chứa mã hóa phần trăm (percent-encoding) sai.',
        en: 'The path holds a malformed percent-encoding.',
      }),
    )
  }
  return sendProblem(request, reply, toProblem(error))
}

export default fp(
  async (app) => {
    app.addSchema(FieldErrorSchema)
    app.addSchema(ProblemSchema)

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const p = toProblem(error, inputFailures(request), request.method)
      if (p.code === 'service_unavailable' && !(error instanceof Problem)) {
        request.log.warn(
          { code: (error as { code?: string }).code, reason: error.message },
          'database unavailable',
        )
      } else if (p.status >= 500) request.log.error({ err: error }, 'request failed')
      else if (!(error instanceof Problem))
        // Bounded: a validation error's message lists every failing field.
        request.log.info({ code: p.code, reason: error.message.slice(0, 500) }, 'request rejected')
      return sendProblem(request, reply, p)
    })

    // A second router that only knows paths: it tells a wrong method (405) from a wrong path (404).
    const paths = FindMyWay({ ignoreTrailingSlash: false })
    const allowed = new Map<string, Set<string>>()
    app.addHook('onRoute', (route) => {
      if (route.url === '*' || route.url.startsWith('/docs')) return
      for (const method of [route.method].flat()) {
        if (!allowed.has(route.url)) {
          allowed.set(route.url, new Set())
          paths.on('GET', route.url, () => {}, { url: route.url })
        }
        allowed.get(route.url)?.add(method)
      }
    })

    app.setNotFoundHandler((request, reply) => {
      const match = paths.find('GET' as HTTPMethod, request.url.split('?')[0] ?? '/')
      const methods = match ? allowed.get((match.store as { url: string }).url) : undefined
      if (methods && !methods.has(request.method)) {
        const allow = [...methods].sort().join(', ')
        return sendProblem(
          request,
          reply,
          problem(
            'method_not_allowed',
            {
              vi: `Không được dùng phương thức ${request.method} ở đây; hãy dùng ${allow}.`,
              en: `${request.method} is not allowed here; use ${allow}.`,
            },
            {},
            { allow },
          ),
        )
      }
      return sendProblem(
        request,
        reply,
        problem('not_found', {
          vi: `Không tìm thấy đường dẫn ${request.method} ${request.url.split('?')[0]}.`,
          en: `No route ${request.method} ${request.url.split('?')[0]}.`,
        }),
      )
    })
  },
  { name: 'errors' },
)
