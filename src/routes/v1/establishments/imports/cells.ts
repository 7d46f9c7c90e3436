// One cell → one value: what a row may carry and how each cell becomes a value. CSV gives text,
// JSON gives typed values; both go through these.
import { codes } from '../../../../lib/codelists.ts'
import { normalizeText } from '../../../../lib/text.ts'
import { PHONE, TAX_CODE } from '../schemas.ts'

export class CellError extends Error {}
const fail = (message: string): never => {
  throw new CellError(message)
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/** Text PostgreSQL can store: no NUL, no lone surrogate (which would be stored as U+FFFD). */
function asText(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fail('must be text')
  if (s.includes('\u0000')) fail('must not contain a NUL character (U+0000)')
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed())
    fail('must be valid Unicode text (it holds a lone surrogate)')
  return s
}

const text =
  (max: number) =>
  (v: unknown): string | null => {
    if (blank(v)) return null
    const s = normalizeText(asText(v))
    return s.length > max ? fail(`must be at most ${max} characters`) : s
  }

const pattern =
  (re: RegExp, message: string) =>
  (v: unknown): string | null => {
    if (blank(v)) return null
    const s = asText(v).trim()
    return re.test(s) ? s : fail(message)
  }

const integer =
  (min: number, max: number) =>
  (v: unknown): number | null => {
    if (blank(v)) return null
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN
    return Number.isInteger(n) && n >= min && n <= max
      ? n
      : fail(`must be a whole number from ${min} to ${max}`)
  }

const code = (list: string) => {
  const known = new Set(codes(list))
  return (v: unknown): string | null => {
    if (blank(v)) return null
    const s = asText(v).trim()
    return known.has(s) ? s : fail(`must be a code of the list ${list}`)
  }
}

const codeArray = (list: string) => {
  const known = new Set(codes(list))
  return (v: unknown): string[] => {
    if (blank(v)) return []
    const items = Array.isArray(v)
      ? v
      : typeof v === 'string'
        ? v
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean)
        : fail('must be a list of codes separated by ";"')
    const out: string[] = []
    for (const item of items) {
      if (typeof item !== 'string' || !known.has(item))
        fail(`must be codes of the list ${list}, separated by ";"`)
      if (!out.includes(item as string)) out.push(item as string)
    }
    return out
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const establishmentStatus = code('establishment_status')

/** What a row may carry, and how each cell becomes a value. */
export const CONVERT = {
  id: pattern(UUID, 'must be an establishment id (UUID) of this province, or empty'),
  province_code: pattern(/^[0-9]{2}$/, 'must be a province code (two digits)'),
  commune_code: pattern(/^[0-9]{5}$/, 'must be a commune code (five digits)'),
  name: text(300),
  kind: code('establishment_kind'),
  tax_code: pattern(new RegExp(TAX_CODE), 'must be 10 digits, or 10 digits, "-" and 3 digits for a branch'),
  industry: code('industry'),
  vsic_code: pattern(/^[0-9]{1,5}$/, 'must be a VSIC code of 1 to 5 digits'),
  address: text(500),
  year_founded: integer(1800, 2100),
  employees: integer(0, 10_000_000),
  main_products: text(2000),
  phone: pattern(new RegExp(PHONE), 'must be a phone number: 0… or +84…, digits only'),
  email: pattern(EMAIL, 'must be an email address'),
  priority_areas: codeArray('priority_area'),
  priority_products: codeArray('priority_product'),
  // Never empty, with a default: a blank cell gives no value, as if the column were absent, so a
  // new establishment is active and a stored one keeps its status.
  status: (v: unknown): string | undefined => establishmentStatus(v) ?? undefined,
  origin_province_code: pattern(/^[0-9]{2}$/, 'must be a former province code (two digits)'),
  external_id: text(100),
} satisfies Record<string, (v: unknown) => unknown>

export type Field = keyof typeof CONVERT
export type Values = { [K in Field]?: ReturnType<(typeof CONVERT)[K]> }

/** Columns of the export that an import reads past: the server keeps them. */
export const IGNORED = new Set(['version', 'created_at', 'updated_at'])
export const REQUIRED = ['commune_code', 'name', 'kind'] as const
/** The stored fields an import writes (all but the keys the server keeps). */
export const WRITABLE = (Object.keys(CONVERT) as Field[]).filter((f) => f !== 'id' && f !== 'province_code')
export type Writable = (typeof WRITABLE)[number]

/** What a new establishment holds in a field its row leaves out: the column's default (migration 0030). */
export const DEFAULTS = {
  ...(Object.fromEntries(WRITABLE.map((f) => [f, null])) as Record<Writable, null>),
  status: 'active',
  priority_areas: [] as string[],
  priority_products: [] as string[],
}

/** A cell that could not be read as text (invalid UTF-8): reported as that cell's error. */
export class BadCell {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

export const isColumn = (column: string) => Object.hasOwn(CONVERT, column)
