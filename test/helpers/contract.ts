// The committed contract (openapi/openapi.json) as a test oracle: find an operation by method and
// route, and check a response against what the contract declares for it — the status, the media
// type and the body. buildTestApp() runs every response of every test through checkResponse(), and
// the fuzz test derives its inputs from the same operations.
import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'

export interface Schema {
  [keyword: string]: unknown
}

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  schema: Schema
}

export interface Operation {
  operationId: string
  method: string
  /** The contract's path template, `/v1/projects/{id}`. */
  path: string
  parameters: Parameter[]
  /** Request body schemas by media type. */
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>
  security?: unknown[]
}

const COMPONENTS = 'https://contract.test/components.json'

// The contract's component references point into the OpenAPI document; Ajv gets the components as
// a schema of their own, and every reference is pointed there.
const text = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8').replaceAll(
  '"#/components/schemas/',
  `"${COMPONENTS}#/$defs/`,
)
const document = JSON.parse(text) as {
  components: { schemas: Record<string, Schema> }
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>
}

export const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({
    ...op,
    parameters: op.parameters ?? [],
    method: method.toUpperCase(),
    path,
  })),
)

const byRoute = new Map(operations.map((op) => [`${op.method} ${op.path}`, op]))

/** The operation Fastify's route `/v1/projects/:id` serves for a method, if the contract has it. */
export function operationFor(method: string, routeUrl: string): Operation | undefined {
  const path = routeUrl.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')
  return byRoute.get(`${method === 'HEAD' ? 'GET' : method} ${path}`)
}

// strict off: the contract carries OpenAPI's own keywords (`example`) next to JSON Schema's.
const ajv = new Ajv2020({ allErrors: true, strict: false })
// ajv-formats is CommonJS: its plugin is the module's `default` export once imported from ESM.
formats.default(ajv)
ajv.addSchema({ $id: COMPONENTS, $defs: document.components.schemas })

const compiled = new WeakMap<Schema, ValidateFunction>()
export function validator(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  return validate
}

/** Ajv's errors in one line: where, what, and the offending values (the same error on many rows once). */
export function describeErrors(validate: ValidateFunction, data: unknown): string {
  const grouped = new Map<string, unknown[]>()
  for (const e of validate.errors ?? []) {
    const value = e.instancePath
      .split('/')
      .slice(1)
      .reduce<unknown>(
        (v, key) =>
          (v as Record<string, unknown> | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')],
        data,
      )
    const where = `${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '/'} ${e.message}`
    grouped.set(where, [...(grouped.get(where) ?? []), value])
  }
  return [...grouped]
    .slice(0, 5)
    .map(([where, values]) => {
      const shown = values.slice(0, 3).map((v) => JSON.stringify(v)?.slice(0, 60))
      return `${where} (${shown.join(', ')}${values.length > 3 ? `, … ${values.length} in all` : ''})`
    })
    .join('; ')
}

/** A schema with its `$ref` (into the components) followed. */
export function resolve(schema: Schema): Schema {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  const name = ref.slice(`${COMPONENTS}#/$defs/`.length)
  const target = document.components.schemas[name]
  if (!target) throw new Error(`unknown reference ${ref}`)
  return resolve(target)
}

export const problemSchema: Schema = { $ref: `${COMPONENTS}#/$defs/Problem` }

export interface ResponseSeen {
  method: string
  /** Fastify's route URL (`request.routeOptions.url`); undefined when no route matched. */
  route?: string
  status: number
  contentType?: string
  /** The body as sent; undefined when it was a stream. */
  body?: string
}

/**
 * What is wrong with a response, by the contract — undefined when nothing is. A route must be an
 * operation of the contract (the caller leaves out the routes the contract hides); a response from
 * no route (the not-found handler, the router's own errors) must be a problem.
 */
export function checkResponse(res: ResponseSeen): string | undefined {
  const mediaType = res.contentType?.split(';')[0]?.trim().toLowerCase()
  const op = res.route ? operationFor(res.method, res.route) : undefined
  const where = op
    ? `${op.operationId} (${op.method} ${op.path})`
    : `${res.method} ${res.route ?? '(no route)'}`
  let schema: Schema | undefined
  if (op) {
    const declared = op.responses[String(res.status)]
    if (!declared) return `${where}: status ${res.status} is not in the contract`
    if (!declared.content) {
      return res.body ? `${where}: ${res.status} must have no body` : undefined
    }
    const entry = mediaType ? declared.content[mediaType] : undefined
    if (!entry) {
      const listed = Object.keys(declared.content).join(', ')
      return `${where}: ${res.status} answered ${mediaType ?? 'no content type'}, the contract says ${listed}`
    }
    schema = entry.schema
  } else {
    if (res.route) return `${where}: the route is not in the contract`
    if (res.status < 400) return undefined
    if (mediaType !== 'application/problem+json')
      return `${where}: ${res.status} answered ${mediaType ?? 'no content type'}, not application/problem+json`
    schema = problemSchema
  }
  if (res.body === undefined || (mediaType !== 'application/json' && !mediaType?.endsWith('+json'))) {
    // Text (CSV, metrics) is a string by the contract; a stream is checked by what consumes it.
    return undefined
  }
  let data: unknown
  try {
    data = JSON.parse(res.body)
  } catch {
    return `${where}: ${res.status} ${mediaType} body is not JSON: ${res.body.slice(0, 80)}`
  }
  const validate = validator(schema)
  if (validate(data)) return undefined
  return `${where}: ${res.status} ${mediaType} body breaks the contract: ${describeErrors(validate, data)}`
}
