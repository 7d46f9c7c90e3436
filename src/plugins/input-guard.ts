// Input no column can hold, refused as a 400 naming the field before any handler (or the
// database) sees it, for every route at once:
//  - NUL characters and lone UTF-16 surrogates in any string — query, path, headers, a JSON body's
//    values and keys (PostgreSQL refuses 0x00; a lone surrogate is no text at all);
//  - JSON bodies nested deeper than MAX_DEPTH (the walks over a body are recursive);
//  - non-finite numbers (`Infinity`, `1e309`) in the query or path, which Ajv's coercion lets
//    through integer and number parameters, min/max included.
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  type FieldFailure,
  type FieldPlace,
  fieldsProblem,
  type Localized,
  MAX_FIELD_ERRORS,
  pointerOf,
  problem,
} from '../lib/problems.ts'

const PLACE_NAMES: Record<FieldPlace, string> = {
  body: 'Nội dung yêu cầu',
  query: 'Chuỗi truy vấn',
  params: 'Tham số đường dẫn',
  headers: 'Header (tiêu đề HTTP)',
}

/** Deeper JSON is refused; the deepest body of the contract has a handful of levels. */
export const MAX_DEPTH = 64

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Any character badText() looks at: most strings hold none, and are passed by one scan. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what it looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/

/** Why a string cannot be stored, or undefined. */
function badText(text: string): Localized | undefined {
  if (!SUSPECT.test(text)) return undefined
  if (text.includes('\u0000'))
    return { vi: 'không được chứa ký tự NUL (U+0000)', en: 'must not contain NUL (U+0000) characters' }
  if (LONE_SURROGATE.test(text))
    return {
      vi: 'phải là văn bản Unicode hợp lệ (không được chứa nửa cặp surrogate đơn lẻ)',
      en: 'must be valid Unicode (a lone surrogate is not text)',
    }
  return undefined
}

/** The failing fields a request's walks find, all of them: one 400 names every one. */
type Found = FieldFailure[]

/**
 * What stands for each finding past the first MAX_FIELD_ERRORS: a problem lists those only and
 * counts the rest, so a megabyte of NULs is counted without an object and a pointer for each.
 */
const BEYOND: FieldFailure = Object.freeze({ in: 'body', pointer: '/', detail: { vi: '', en: '' } })

const note = (found: Found, where: FieldPlace, path: string[], detail: Localized) =>
  found.push(found.length < MAX_FIELD_ERRORS ? { in: where, pointer: pointerOf(path), detail } : BEYOND)

/**
 * Every string of a JSON value (and every key), at most MAX_DEPTH deep. `path` is where the walk
 * is, pushed and popped in place: a pointer is made of it only for a refusal.
 */
function inspect(found: Found, where: FieldPlace, value: unknown, path: string[]): void {
  if (typeof value === 'string') {
    const bad = badText(value)
    if (bad) note(found, where, path, bad)
    return
  }
  if (value === null || typeof value !== 'object') return
  if (path.length >= MAX_DEPTH) {
    throw problem('bad_request', {
      vi: `${PLACE_NAMES[where]} lồng sâu quá ${MAX_DEPTH} cấp.`,
      en: `The ${where} is nested deeper than ${MAX_DEPTH} levels.`,
    })
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i))
      inspect(found, where, value[i], path)
      path.pop()
    }
    return
  }
  for (const key of Object.keys(value)) {
    const bad = badText(key)
    if (bad)
      note(found, where, path, {
        vi: `có tên trường không hợp lệ: tên trường ${bad.vi}`,
        en: `has a property name that ${bad.en}`,
      })
    path.push(key)
    inspect(found, where, (value as Record<string, unknown>)[key], path)
    path.pop()
  }
}

/**
 * A query's percent-encoding must decode to UTF-8 (`%FF`, `%ED%A0%80` and a bare `%` do not): the
 * query parser keeps such a value as it was sent, `%` and all, which would then be stored as text
 * the client never meant. Read from the URL as sent; most queries hold no `%` and cost one scan.
 */
function percentEncoding(found: Found, url: string) {
  const at = url.indexOf('?')
  if (at < 0 || !url.includes('%', at)) return
  for (const pair of url.slice(at + 1).split('&')) {
    try {
      decodeURIComponent(pair)
    } catch {
      const name = pair.split('=')[0] ?? ''
      let field = name
      try {
        field = decodeURIComponent(name.replaceAll('+', ' '))
      } catch {}
      note(found, 'query', [field], {
        vi: 'không phải văn bản UTF-8 mã hoá phần trăm hợp lệ',
        en: 'is not valid percent-encoded UTF-8',
      })
    }
  }
}

const NOT_FINITE: Localized = { vi: 'phải là số hữu hạn', en: 'must be a finite number' }

/**
 * Numbers Ajv coerced from the query or path must be finite. Run on every request: it allocates
 * nothing unless it finds one.
 */
function finite(found: Found, where: FieldPlace, values: unknown) {
  if (!values || typeof values !== 'object') return
  for (const key in values) {
    const value: unknown = (values as Record<string, unknown>)[key]
    if (Array.isArray(value)) {
      for (const v of value)
        if (typeof v === 'number' && !Number.isFinite(v)) note(found, where, [key], NOT_FINITE)
    } else if (typeof value === 'number' && !Number.isFinite(value)) note(found, where, [key], NOT_FINITE)
  }
}

/** What the guard found in a request before its validation. */
const failures = new WeakMap<FastifyRequest, Found>()

/**
 * All the guard finds in a request: what it found before validation, and the non-finite numbers
 * Ajv's coercion made of the query and path (read after it). Listed with the schema's failures.
 */
export function inputFailures(request: FastifyRequest): Found {
  const found = failures.get(request)?.slice() ?? []
  finite(found, 'query', request.query)
  finite(found, 'params', request.params)
  return found
}

export default fp(
  async (app) => {
    // Found before validation, refused after it — by the error handler with the schema's failures
    // (plugins/errors.ts), else here before the handler — so one 400 names every failing field.
    app.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
      const found: Found = []
      inspect(found, 'params', request.params, [])
      percentEncoding(found, request.url)
      inspect(found, 'query', request.query, [])
      inspect(found, 'headers', request.headers, [])
      // A JSON value; an upload's stream is never the body (its route reads and checks its rows).
      if (request.body != null) inspect(found, 'body', request.body, [])
      if (found.length > 0) failures.set(request, found)
      done()
    })
    // Refusals are thrown: Fastify hands a callback hook's throw to the error handler.
    app.addHook('preHandler', (request: FastifyRequest, _reply, done) => {
      const found = inputFailures(request)
      if (found.length > 0) throw fieldsProblem(found)
      done()
    })
  },
  { name: 'input-guard' },
)
