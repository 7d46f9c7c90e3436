// The one error handler: every error leaves as RFC 9457 problem details. Known errors keep their
// status and a safe message; anything unexpected becomes a generic 500 whose details go only to
// the log, under the request id.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import {
  CATALOGUE,
  databaseUnavailable,
  type FieldError,
  FieldErrorSchema,
  Problem,
  type ProblemCode,
  ProblemSchema,
  problem,
  problemBody,
} from '../lib/problems.js'
import { JSON_TYPES } from './media-types.js'

const CONTEXT: Record<string, FieldError['in']> = {
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

/** Ajv's errors, one per field, each with a JSON pointer and a message a person can act on. */
function fieldErrors(where: FieldError['in'], errors: AjvError[]): FieldError[] {
  const byPointer = new Map<string, string[]>()
  for (const e of errors) {
    const child = e.params.missingProperty ?? e.params.additionalProperty
    const pointer = e.instancePath + (child ? `/${child}` : '') || '/'
    let detail = e.message ?? 'is invalid'
    if (e.keyword === 'additionalProperties') detail = 'is not a known field'
    if (e.keyword === 'required') detail = 'is required'
    if (e.keyword === 'enum') detail = `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue
    const list = byPointer.get(pointer) ?? []
    if (!list.includes(detail)) list.push(detail)
    byPointer.set(pointer, list)
  }
  return [...byPointer].map(([pointer, details]) => ({ in: where, pointer, detail: details.join(' or ') }))
}

function toProblem(error: FastifyError | Problem | Error): Problem {
  if (error instanceof Problem) return error
  if (isDatabaseUnavailable(error)) return databaseUnavailable()
  const fe = error as FastifyError & { code?: string }
  if (fe.validation) {
    const where = CONTEXT[fe.validationContext ?? 'body'] ?? 'body'
    const errors = fieldErrors(where, fe.validation as AjvError[])
    const detail = errors.map((e) => `${where} ${e.pointer.slice(1) || '(root)'} ${e.detail}`).join('; ')
    return problem('validation_failed', detail, { errors })
  }
  // PostgreSQL integrity errors that reach here mean a rule the handler did not pre-check; say
  // what kind of rule failed, never the SQL or the constraint.
  if (fe.code === '23505')
    return problem('conflict', 'A record with the same identifying values already exists.')
  if (fe.code === '23503')
    return problem('unprocessable', 'The request refers to a record that does not exist.')
  if (fe.code === '23514') return problem('unprocessable', 'A value breaks a rule of the data model.')
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return problem(
      'unsupported_media_type',
      `Send the body as ${JSON_TYPES.join(' or ')} (text/csv where the operation says so).`,
    )
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(codeForStatus(fe.statusCode), fe.message)
  }
  return problem('internal_error', 'An unexpected error occurred. Quote the request id when you report it.')
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, p: Problem) {
  return reply
    .code(p.status)
    .headers(p.headers)
    .type('application/problem+json')
    .send({ ...problemBody(p), instance: request.url.split('?')[0], request_id: request.id })
}

/** Fastify's `frameworkErrors`: what the router refuses before any route or hook runs. */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(
      request,
      reply,
      problem('uri_too_long', 'A path segment is longer than 200 characters.'),
    )
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(request, reply, problem('bad_request', 'The path holds a malformed percent-encoding.'))
  }
  return sendProblem(request, reply, toProblem(error))
}

export default fp(
  async (app) => {
    app.addSchema(FieldErrorSchema)
    app.addSchema(ProblemSchema)

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const p = toProblem(error)
      if (p.code === 'service_unavailable' && !(error instanceof Problem)) {
        request.log.warn(
          { code: (error as { code?: string }).code, reason: error.message },
          'database unavailable',
        )
      } else if (p.status >= 500) request.log.error({ err: error }, 'request failed')
      else if (!(error instanceof Problem))
        request.log.info({ code: p.code, reason: error.message }, 'request rejected')
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
            `${request.method} is not allowed here; use ${allow}.`,
            {},
            { allow },
          ),
        )
      }
      return sendProblem(
        request,
        reply,
        problem('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
      )
    })
  },
  { name: 'errors' },
)
