// fast-check arbitraries of valid values derived from the contract's JSON schemas, for the subset
// the contract uses (type, enum, anyOf, $ref, formats, pattern, lengths, bounds, items,
// properties), and the hostile values a client may send instead: NUL bytes, lone surrogates, numbers JSON.stringify
// cannot write (1e309), dates outside any calendar a database keeps, wrong types, extra fields,
// very long strings, deep nesting.
import fc from 'fast-check'
import { resolve, type Schema } from './contract.ts'

/** Text written as it is into a JSON body or a URL: what a serializer would refuse to produce. */
export class Raw {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
  toJSON() {
    return `Raw(${this.text.slice(0, 40)})`
  }
}

/** Known good values for a property or parameter name (ids that exist, codes in use). */
export type Known = (name: string) => string[] | undefined

export interface DeriveOptions {
  known?: Known
}

const LONG = 'x'.repeat(10_000)

export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u0301',
  '0000-01-01',
  '9999-12-31',
  '10000-01-01',
  '2024-02-30',
  '-infinity',
  'Infinity',
  'NaN',
  "' OR 1=1 --",
  '=HYPERLINK("x")',
  '../../etc/passwd',
  '00000000-0000-0000-0000-000000000000',
  'ĐÀ NẴNG 🏭',
  LONG,
]

const hostileNumbers: unknown[] = [
  new Raw('1e309'),
  new Raw('-1e309'),
  new Raw('1e-400'),
  new Raw('NaN'),
  new Raw('Infinity'),
  -1,
  -0,
  0.5,
  2 ** 53 + 2,
  -(2 ** 63),
  1e300,
  '12',
]

const wrongTypes: unknown[] = [null, true, {}, [], [null], { a: 1 }, 'text', 0]

const deep = (depth: number) => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`)
const deepObject = (depth: number) => new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)

/** A hostile value for a place of this schema: mostly of its own type (a NUL in a string, 1e309 for an integer). */
export function hostileFor(input: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(input)
  const types = [schema.type ?? (schema.enum || schema.anyOf ? 'string' : 'object')].flat()
  const own = types.some((t) => t === 'integer' || t === 'number') ? hostileNumbers : hostileStrings
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...own) }, fc.constantFrom(...wrongTypes))
}

/** Any hostile value, for any place in a request. */
export const hostileValue = fc.constantFrom<unknown>(
  ...hostileStrings,
  ...hostileNumbers,
  ...wrongTypes,
  deep(5_000),
  deepObject(5_000),
)

const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? 60, 60)
  // JSON Schema counts code points, not UTF-16 units nor graphemes.
  const fits = (s: string) => {
    const length = [...s].length
    return length >= minLength && length <= ((schema.maxLength as number | undefined) ?? Infinity)
  }
  switch (schema.format) {
    case 'date':
      return isoDate
    case 'date-time':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString())
    case 'uuid':
      return fc.uuid()
    case 'email':
      return fc.emailAddress().filter(fits)
    case 'uri':
      return fc.webUrl().filter(fits)
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits)
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, maxLength) }).filter(fits)
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const exclusive = schema.exclusiveMinimum as number | undefined
  const min = (schema.minimum as number | undefined) ?? (exclusive !== undefined ? exclusive + 1 : -1_000)
  const max = (schema.maximum as number | undefined) ?? Math.max(min, 0) + 10_000_000_000
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
  const step = (schema.multipleOf as number | undefined) ?? 0.01
  // Numbers the way people write them: with at most as many decimals as the step allows.
  const decimals = Math.max(0, Math.round(-Math.log10(step)))
  return fc
    .integer({ min: Math.ceil(min / step), max: Math.floor(max / step) })
    .map((k) => Number((k * step).toFixed(decimals)))
}

/** An arbitrary of valid values of `schema`; `name` (the property) picks known good values too. */
export function arbitraryFor(input: Schema, opts: DeriveOptions = {}, name?: string): fc.Arbitrary<unknown> {
  const schema = resolve(input)
  const known = name ? opts.known?.(name) : undefined
  const derived = derive(schema, opts, name)
  return known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, derived) : derived
}

function derive(schema: Schema, opts: DeriveOptions, name?: string): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (branches) return fc.oneof(...branches.map((b) => arbitraryFor(b, opts, name)))
  const types = [schema.type ?? (schema.properties ? 'object' : 'string')].flat() as string[]
  if (types.length > 1) return fc.oneof(...types.map((type) => derive({ ...schema, type }, opts, name)))
  switch (types[0]) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return numberArbitrary(schema, true)
    case 'number':
      return numberArbitrary(schema, false)
    case 'array': {
      const items = arbitraryFor((schema.items as Schema) ?? {}, opts, name)
      const constraints = {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: Math.min((schema.maxItems as number | undefined) ?? 4, 4),
      }
      return schema.uniqueItems
        ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) })
        : fc.array(items, constraints)
    }
    case 'object':
      return objectArbitrary(schema, opts)
    default:
      return stringArbitrary(schema)
  }
}

function objectArbitrary(schema: Schema, opts: DeriveOptions): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const required = ((schema.required ?? []) as string[]).filter((k) => k in properties)
  const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, arbitraryFor(s, opts, k)]))
  return fc.record(model, { requiredKeys: required })
}

/** JSON text of a generated value, Raw parts written as they are. */
export function serialize(value: unknown): string {
  if (value instanceof Raw) return value.text
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`)
      .join(',')}}`
  return JSON.stringify(value) ?? 'null'
}

/**
 * A value as it goes into a URL: percent-encoded, except Raw text (encoding junk on purpose). A lone
 * surrogate, which encodeURIComponent refuses, is written as its (invalid) three UTF-8 bytes.
 */
export function urlEncode(value: unknown): string {
  if (value instanceof Raw) return value.text
  const text = typeof value === 'string' ? value : serialize(value)
  return [...text]
    .map((ch) => {
      const c = ch.charCodeAt(0)
      if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('')
      return encodeURIComponent(ch)
    })
    .join('')
}

/** Junk that only a URL can carry: broken or odd percent-encodings, an over-long segment. */
export const urlJunk = [
  new Raw('%'),
  new Raw('%ZZ'),
  new Raw('%00'),
  new Raw('%C0%AF'),
  new Raw('%ED%A0%80'),
  new Raw('%FF%FE'),
  new Raw('..%2F..%2Fetc'),
  new Raw('%252e'),
  new Raw('a%20b'),
  new Raw('x'.repeat(201)),
  new Raw('Infinity'),
  new Raw('-Infinity'),
  new Raw('1e309'),
  new Raw('NaN'),
  new Raw('-1'),
  new Raw('0000-01-01'),
  new Raw('9999-12-31'),
  new Raw('99999-01-01'),
]
