// Response serialisation. fast-json-stringify picks the branch of an `anyOf` by running Ajv on the
// value — its pattern, its format — for every field of every row, so a page of 50 records with six
// nullable fields paid 300 validations to write what a type test decides. Nullable() writes a
// nullable scalar as `anyOf: [scalar, null]` (a type list would let Ajv's coercion turn a null into
// 0 or ""), so the serializer alone gets the same schemas with those unions as type lists
// (`type: ['string', 'null']`); the contract and the validators keep theirs. The JSON written is
// the same: only values outside the contract, which the tests' contract checks catch, are no
// longer refused by the serializer.
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler'

type Schema = Record<string, unknown>

const SCALARS = new Set(['string', 'number', 'integer', 'boolean'])

/** The JSON type of a schema that a type test alone can tell apart from null, if it is one. */
function scalarType(schema: unknown): string | undefined {
  if (schema === null || typeof schema !== 'object' || 'anyOf' in schema || '$ref' in schema) return undefined
  const { type, enum: values } = schema as Schema
  if (typeof type === 'string') return SCALARS.has(type) ? type : undefined
  if (type === undefined && Array.isArray(values) && values.every((v) => typeof v === 'string'))
    return 'string'
  return undefined
}

/** A copy of `schema` with every `anyOf: [scalar, null]` written as the scalar with a type list. */
export function nullableAsTypeLists<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(nullableAsTypeLists) as T
  if (schema === null || typeof schema !== 'object') return schema
  const copy: Schema = {}
  for (const [key, value] of Object.entries(schema)) copy[key] = nullableAsTypeLists(value)
  const { anyOf, ...rest } = copy
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullAt = anyOf.findIndex((branch) => (branch as Schema | null)?.type === 'null')
    const scalar = nullAt === -1 ? undefined : anyOf[1 - nullAt]
    const type = scalarType(scalar)
    if (type) {
      // An enum (or a const) must admit null too: an enclosing anyOf still validates its branches.
      const { enum: values, const: only, ...kept } = scalar as Schema
      const choices = Array.isArray(values) ? values : only !== undefined ? [only] : undefined
      return { ...rest, ...kept, type: [type, 'null'], ...(choices ? { enum: [...choices, null] } : {}) } as T
    }
  }
  return copy as T
}

/** `factory`, given the shared schemas and each route's schema with nullable unions as type lists. */
export function withNullableTypeLists(factory: SerializerFactory): SerializerFactory {
  return (externalSchemas, options) => {
    const shared = Object.fromEntries(
      Object.entries((externalSchemas ?? {}) as Schema).map(([id, schema]) => [
        id,
        nullableAsTypeLists(schema),
      ]),
    )
    const compile = factory(shared, options)
    return (route) => compile({ ...route, schema: nullableAsTypeLists(route.schema) })
  }
}
