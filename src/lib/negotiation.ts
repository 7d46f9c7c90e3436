// Content negotiation (RFC 9110 §12.5.1), once: whether an answer may be sent at all (406
// otherwise, plugins/media-types.ts), whether a list answers CSV rather than JSON (lib/csv.ts), and
// the language of a problem (plugins/errors.ts).

import type { FastifyReply, FastifyRequest } from 'fastify'
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './problems.ts'

/** A media range of Accept, without parameters but q. */
interface Range {
  type: string
  q: number
}

function ranges(accept: string): Range[] {
  return accept.split(',').flatMap((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (!type) return []
    const q = params.find((p) => p.startsWith('q='))
    return [{ type, q: q ? Number(q.slice(2)) : 1 }]
  })
}

const satisfies = (range: string, type: string) =>
  range === '*/*' || range === type || (range.endsWith('/*') && type.startsWith(range.slice(0, -1)))

/** May the answer be one of `produces`, given Accept? JSON answers may also be problems. */
export function acceptable(accept: string | undefined, produces: string[]): boolean {
  if (!accept?.trim()) return true
  const offered = produces.includes('application/json') ? [...produces, 'application/problem+json'] : produces
  return ranges(accept).some((r) => r.q > 0 && offered.some((type) => satisfies(r.type, type)))
}

/**
 * Does Accept ask for `type` (CSV, a spreadsheet) rather than JSON? A range naming it, unless JSON
 * weighs more (on equal weight the named type wins, as the client named it); else a range of its
 * kind (`text/*`) that outweighs JSON's. `*\/*` alone gets JSON.
 */
export function prefers(accept: string | undefined, type: string): boolean {
  if (!accept) return false
  const all = ranges(accept)
  const weight = (match: (r: Range) => boolean) => Math.max(0, ...all.filter(match).map((r) => r.q))
  const json = weight((r) => satisfies(r.type, 'application/json'))
  if (all.some((r) => r.type === type)) {
    const named = weight((r) => r.type === type)
    return named > 0 && named >= json
  }
  return weight((r) => r.type !== '*/*' && satisfies(r.type, type)) > json
}

/** Adds `field` to the answer's Vary (once; a Vary of `*` already covers it). */
export function vary(reply: FastifyReply, field: string) {
  const current = String(reply.getHeader('vary') ?? '')
  const named = (f: string) => f.trim().toLowerCase() === field.toLowerCase()
  if (current === '*' || current.split(',').some(named)) return
  reply.header('vary', current ? `${current}, ${field}` : field)
}

/** Does Accept name CSV, and not prefer JSON to it? */
export const prefersCsv = (accept: string | undefined) => prefers(accept, 'text/csv')

/**
 * The language of a problem, by Accept-Language (RFC 9110 §12.5.4): the highest-weighted range
 * whose primary subtag we speak (`en-US` is English); `*`, nothing we speak or no header gives
 * Vietnamese. On equal weight the range written first wins.
 */
export function language(acceptLanguage: string | undefined): Language {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
      const q = params.find((p) => p.startsWith('q='))
      const weight = q ? Number(q.slice(2)) : 1
      return { primary: tag.split('-')[0] ?? '', q: Number.isFinite(weight) ? weight : 0, order }
    })
    .filter((r) => r.q > 0 && (r.primary === '*' || (LANGUAGES as readonly string[]).includes(r.primary)))
    .sort((a, b) => b.q - a.q || a.order - b.order)
  const best = ranked[0]?.primary
  return best && best !== '*' ? (best as Language) : DEFAULT_LANGUAGE
}

/**
 * The language an answer whose words depend on Accept-Language speaks (a problem, an import job's
 * stored problem): says so in Content-Language and adds Accept-Language to Vary, so no cache serves
 * one language for another.
 */
export function speakTo(request: FastifyRequest, reply: FastifyReply): Language {
  const lang = language(request.headers['accept-language'])
  vary(reply, 'Accept-Language')
  reply.header('content-language', lang)
  return lang
}
