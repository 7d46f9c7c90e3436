// Media types, both ways.
//  - Request bodies: JSON as `application/json` or, for a PATCH (a JSON merge patch, RFC 7396),
//    `application/merge-patch+json`; UTF-8 only (RFC 8259 §8.1): another charset is a 415, bytes
//    that are not UTF-8 a 400 naming the field when it can be found — never text altered into
//    U+FFFD. Parsing (and its prototype-poisoning guard) stays Fastify's own.
//  - Responses: an `Accept` that nothing the operation answers satisfies is a 406 (RFC 9110
//    §12.5.1). Problems are JSON too, so `application/problem+json` accepts any JSON answer.
import fp from 'fastify-plugin'
import { acceptable, vary } from '../lib/negotiation.ts'
import { fieldsProblem, type Problem, pointerOf, problem } from '../lib/problems.ts'

export const JSON_TYPES = ['application/json', 'application/merge-patch+json']
const ACCEPTED = JSON_TYPES.join(' or ')

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The media types a route answers with (set from its response schema). */
    produces?: string[]
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const lenient = new TextDecoder('utf-8')
const REPLACEMENT = '\uFFFD'

/** The JSON pointer of the first string (or key) holding U+FFFD, at most 64 levels down. */
function replaced(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes(REPLACEMENT) ? `/${path.join('/')}` : undefined
  if (value === null || typeof value !== 'object' || path.length > 64) return undefined
  for (const [key, item] of Object.entries(value)) {
    const escaped = key.replaceAll('~', '~0').replaceAll('/', '~1')
    if (key.includes(REPLACEMENT)) return `/${[...path, escaped].join('/')}`
    const found = replaced(item, [...path, escaped])
    if (found) return found
  }
  return undefined
}

/**
 * The 400 naming the property Fastify's parser refused as prototype poisoning (`__proto__`, or
 * `prototype` in `constructor`), or undefined when the body is not JSON at all. JSON.parse keeps
 * `__proto__` as an own key, so the walk finds it without risk.
 */
function poisoned(text: string): Problem | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  const find = (v: unknown, path: string[]): string[] | undefined => {
    if (v === null || typeof v !== 'object' || path.length > 64) return undefined
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key]
      if (key === '__proto__') return [...path, key]
      if (
        key === 'constructor' &&
        item !== null &&
        typeof item === 'object' &&
        Object.hasOwn(item, 'prototype')
      )
        return [...path, key, 'prototype']
      const found = find(item, [...path, key])
      if (found) return found
    }
    return undefined
  }
  const path = find(value, [])
  if (!path) return undefined
  return fieldsProblem([
    {
      in: 'body',
      pointer: pointerOf(path),
      detail: { vi: 'là tên thuộc tính không được chấp nhận', en: 'is a property name not accepted' },
    },
  ])
}

function notUtf8(body: Buffer) {
  // Where the bytes decoded leniently became U+FFFD (and the body held none of its own), say which field.
  let pointer: string | undefined
  if (!body.includes(Buffer.from(REPLACEMENT))) {
    try {
      pointer = replaced(JSON.parse(lenient.decode(body)))
    } catch {
      pointer = undefined
    }
  }
  if (!pointer)
    return problem('bad_request', {
      vi: 'Nội dung yêu cầu không phải văn bản UTF-8 hợp lệ.',
      en: 'The body is not valid UTF-8 text.',
    })
  return fieldsProblem([
    { in: 'body', pointer, detail: { vi: 'không phải văn bản UTF-8 hợp lệ', en: 'is not valid UTF-8' } },
  ])
}

/**
 * The 415 of a body whose charset is not UTF-8 (none means UTF-8), naming what to `send`
 * instead; undefined when the charset is fine. Every body parser (the import's too) checks it.
 */
export function charsetRefusal(contentType: string | undefined, send: string): Problem | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]
  if (charset === undefined || /^utf-?8$/i.test(charset)) return undefined
  return problem('unsupported_media_type', {
    vi: `Nội dung phải ở mã UTF-8: hãy gửi ${send.replaceAll(' or ', ' hoặc ')}; charset=utf-8 (hoặc không ghi charset), không phải charset=${charset}.`,
    en: `The body must be UTF-8: send ${send}; charset=utf-8 (or no charset), not charset=${charset}.`,
  })
}

export default fp(
  async (app) => {
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.removeContentTypeParser('application/json')
    // Fastify's own text/plain parser would hand a JSON route a string (a 400 "must be an object"):
    // no route takes text/plain, so it is a 415 as any other type is.
    app.removeContentTypeParser('text/plain')
    app.addContentTypeParser(JSON_TYPES, { parseAs: 'buffer' }, (request, body, done) => {
      const refusal = charsetRefusal(request.headers['content-type'], ACCEPTED)
      if (refusal) {
        done(refusal, undefined)
        return
      }
      let text: string
      try {
        text = utf8.decode(body as Buffer)
      } catch {
        done(notUtf8(body as Buffer), undefined)
        return
      }
      parseJson(request, text, (error, value) => done(error && (poisoned(text) ?? error), value))
    })

    // What a route answers, from its contract: the media types of its 200 (JSON by default).
    app.addHook('onRoute', (route) => {
      if (!route.schema || route.schema.hide) return
      const ok = (route.schema.response as Record<string, { content?: object }> | undefined)?.[200]
      route.config = {
        ...route.config,
        produces: ok?.content ? Object.keys(ok.content) : ['application/json'],
      }
    })
    // A refusal thrown in a callback hook reaches the error handler as a thrown one would.
    app.addHook('onRequest', (request, reply, done) => {
      // A body that does not exist has no media type: an empty POST a browser labels text/plain
      // (fetch with body '') reaches its route rather than a 415. An empty JSON body keeps its 400.
      const type = request.headers['content-type']
      if (
        type !== undefined &&
        request.headers['content-length'] === '0' &&
        !app.hasContentTypeParser(type.split(';')[0]?.trim() ?? '')
      )
        delete request.headers['content-type']
      const { produces } = request.routeOptions.config
      // An answer chosen by Accept (JSON or CSV) says so, for caches.
      if (produces && produces.length > 1) vary(reply, 'Accept')
      if (!request.is404 && produces && !acceptable(request.headers.accept, produces)) {
        throw problem('not_acceptable', {
          vi: `Thao tác này trả về ${produces.join(' hoặc ')}; tiêu đề Accept không cho phép định dạng nào trong số đó.`,
          en: `This operation answers ${produces.join(' or ')}; Accept allows none of them.`,
        })
      }
      done()
    })
  },
  { name: 'media-types' },
)
