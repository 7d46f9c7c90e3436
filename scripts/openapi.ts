// The contract, exported and checked.
//
//   npm run openapi:export   # node scripts/openapi.ts export
//   npm run openapi:check    # node scripts/openapi.ts check
//
// `export` writes openapi/openapi.json — the OpenAPI 3.1 document @fastify/swagger generates from
// the route schemas — and openapi/postman_collection.json, a Postman Collection v2.1 converted from
// that document by the small deterministic converter below (no ids, no randomness: the same code
// always gives the same bytes), and openapi/types.d.ts, the TypeScript types of that document
// (openapi-typescript) for typed clients. `check` generates them in memory and fails when the
// committed files differ from them, or when an operation or a schema property is not documented,
// or when the examples do not show what the service answers:
//
// - Every 2xx `application/json` response has a whole example: its schema (after $ref) declares
//   `examples`, or its media type an `example` (where @fastify/swagger moves a route schema's own).
//   A list is no exception: its page envelope must carry the example of a real page. `Page()`
//   (src/lib/pagination.ts) builds it from the item schema's examples, so the items shown are the
//   record examples themselves and never an envelope pieced together field by field.
// - Every example in the document (a schema's `examples`, a media type's or parameter's `example`
//   and `examples`) validates against its schema: Ajv, JSON Schema 2020-12, with ajv-formats.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import { contractValidator } from '../test/helpers/contract-validator.ts'
import type { Scenario } from './postman/scenarios.ts'
import {
  createdBy,
  type Expectation,
  findScript,
  recordOf,
  ref,
  refreshEtagScript,
  scenarioOf,
  targetOf,
  testScript,
} from './postman/smoke.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT_DIR = 'openapi'
const DEFAULT_BASE_URL = 'http://127.0.0.1:3000'
const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json'
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
/** Routes that serve the documentation itself: hidden, never part of the document. */
const HIDDEN_PATHS = [/^\/openapi\.json$/, /^\/docs(\/|$)/]

// The part of OpenAPI 3.1 this script reads.
interface Schema {
  $ref?: string
  type?: string | string[]
  description?: string
  examples?: unknown[]
  example?: unknown
  default?: unknown
  const?: unknown
  enum?: unknown[]
  format?: string
  minimum?: number
  readOnly?: boolean
  deprecated?: boolean
  properties?: Record<string, Schema>
  patternProperties?: Record<string, Schema>
  additionalProperties?: boolean | Schema
  items?: Schema
  prefixItems?: Schema[]
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  not?: Schema
  $defs?: Record<string, Schema>
}
interface Example {
  value?: unknown
}
interface MediaType {
  schema?: Schema
  example?: unknown
  examples?: Record<string, Example>
}
interface Parameter {
  $ref?: string
  name: string
  in: 'query' | 'path' | 'header' | 'cookie'
  required?: boolean
  description?: string
  schema?: Schema
  content?: Record<string, MediaType>
  example?: unknown
  examples?: Record<string, Example>
}
interface RequestBody {
  $ref?: string
  description?: string
  required?: boolean
  content?: Record<string, MediaType>
}
interface Response {
  $ref?: string
  description?: string
  content?: Record<string, MediaType>
}
type SecurityRequirement = Record<string, string[]>
interface Operation {
  deprecated?: boolean
  operationId?: string
  summary?: string
  description?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: RequestBody
  responses?: Record<string, Response>
  security?: SecurityRequirement[]
}
type PathItem = Partial<Record<(typeof METHODS)[number], Operation>> & { parameters?: Parameter[] }
interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string }
  servers?: { url: string }[]
  tags?: { name: string; description?: string }[]
  paths?: Record<string, PathItem>
  components?: { schemas?: Record<string, Schema> }
  security?: SecurityRequirement[]
}

const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** The document exactly as the server serves it: an in-memory database, no migrations, no env. */
async function generateDocument(): Promise<string> {
  const { buildApp } = await import('../src/app.ts')
  const { loadConfig } = await import('../src/config.ts')
  // loadConfig({}): the defaults, never this machine's environment (PUBLIC_URL would change servers).
  const app = await buildApp({
    config: { ...loadConfig({}), dataDir: 'memory://', logLevel: 'silent', migrateOnStart: false },
  })
  try {
    await app.ready()
    return toJson(app.swagger())
  } finally {
    await app.close()
  }
}

// ---------------------------------------------------------------------------------------------
// References and examples

function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local references are supported, got ${ref}`)
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    node = (node as Record<string, unknown> | undefined)?.[key]
  }
  if (node === undefined) throw new Error(`Unresolved reference ${ref}`)
  return node
}

const deref = <T extends { $ref?: string }>(doc: OpenApiDocument, node: T): T =>
  node.$ref ? deref(doc, resolvePointer(doc, node.$ref) as T) : node

/** The example a schema declares itself, if any. */
function declaredExample(schema: Schema): { value: unknown } | undefined {
  if (schema.examples && schema.examples.length > 0) return { value: schema.examples[0] }
  if (schema.example !== undefined) return { value: schema.example }
  if (schema.default !== undefined) return { value: schema.default }
  if (schema.const !== undefined) return { value: schema.const }
  if (schema.enum && schema.enum.length > 0) return { value: schema.enum[0] }
  return undefined
}

/** An example value for a schema: its own example, else one built from its type (undefined on a cycle). */
function exampleOf(doc: OpenApiDocument, schema: Schema, seen: ReadonlySet<string> = new Set()): unknown {
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return undefined
    const own = declaredExample(schema)
    if (own) return own.value
    return exampleOf(doc, resolvePointer(doc, schema.$ref) as Schema, new Set([...seen, schema.$ref]))
  }
  const own = declaredExample(schema)
  if (own) return own.value
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => exampleOf(doc, s, seen))
    return parts.every((p) => typeof p === 'object' && p !== null && !Array.isArray(p))
      ? Object.assign({}, ...parts)
      : parts[0]
  }
  const choices = schema.anyOf ?? schema.oneOf
  if (choices) {
    const choice = choices.find((s) => s.type !== 'null') ?? choices[0]
    return choice ? exampleOf(doc, choice, seen) : null
  }
  const types = [schema.type ?? []].flat()
  const type = types.find((t) => t !== 'null') ?? types[0] ?? (schema.properties ? 'object' : undefined)
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const value = deref(doc, property).readOnly ? undefined : exampleOf(doc, property, seen)
        if (value !== undefined) out[name] = value
      }
      return out
    }
    case 'array': {
      const items = schema.prefixItems ?? (schema.items ? [schema.items] : [])
      return items.map((s) => exampleOf(doc, s, seen)).filter((v) => v !== undefined)
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 0
    case 'boolean':
      return false
    case 'null':
      return null
    case 'string':
      return (
        {
          date: '2026-07-01',
          'date-time': '2026-07-01T00:00:00+07:00',
          email: 'user@example.com',
          uri: 'https://example.com',
          uuid: '00000000-0000-4000-8000-000000000000',
        }[schema.format ?? ''] ?? 'string'
      )
    default:
      return null
  }
}

/** A parameter's declared example or default; else, for a required one, a value built from its type. */
function parameterValue(doc: OpenApiDocument, parameter: Parameter): unknown {
  if (parameter.example !== undefined) return parameter.example
  const named = Object.values(parameter.examples ?? {})[0]
  if (named?.value !== undefined) return named.value
  const schema = parameter.schema ?? Object.values(parameter.content ?? {})[0]?.schema
  if (!schema) return ''
  const own = declaredExample(deref(doc, schema))
  if (own) return own.value
  return parameter.required ? exampleOf(doc, schema) : ''
}

const asText = (value: unknown) =>
  typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value)

// ---------------------------------------------------------------------------------------------
// Postman Collection v2.1

interface PostmanKeyValue {
  key: string
  value: string
  description?: string
  disabled?: boolean
  type?: string
}

function operationsOf(doc: OpenApiDocument) {
  const out: { path: string; method: (typeof METHODS)[number]; operation: Operation; shared: Parameter[] }[] =
    []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method]
      if (operation) out.push({ path, method, operation, shared: item.parameters ?? [] })
    }
  }
  return out
}

/** Path-level parameters, overridden by operation-level ones of the same name and location. */
function parametersOf(doc: OpenApiDocument, shared: Parameter[], own: Parameter[]): Parameter[] {
  const byKey = new Map<string, Parameter>()
  for (const p of [...shared, ...own].map((p) => deref(doc, p))) byKey.set(`${p.in}:${p.name}`, p)
  return [...byKey.values()]
}

/** What a path parameter stands for in the collection: a record's saved id, or the example code. */
function pathValue(doc: OpenApiDocument, path: string, p: Parameter, scenario: Scenario): string {
  const wanted = scenario.path?.[p.name]
  if (wanted !== undefined) return wanted
  const schema = p.schema ? deref(doc, p.schema) : undefined
  const example = parameterValue(doc, p)
  return schema?.format === 'uuid' || example === '' || example === null
    ? ref(`${recordOf(path, p.name)}_id`)
    : asText(example)
}

/** A small document for the upload operations, whose media types JSON examples cannot show. */
const SAMPLE_PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'

/** The status a request expects and the keys its response schema requires at that status. */
function expectationOf(doc: OpenApiDocument, path: string, method: string, op: Operation): Expectation {
  const scenario = scenarioOf(op.operationId)
  const status = scenario.status ?? Number(Object.keys(op.responses ?? {}).find((s) => /^2/.test(s)) ?? 200)
  const response = op.responses?.[String(status)]
  const content = response ? deref(doc, response).content : undefined
  const json = Object.entries(content ?? {}).find(([type]) => /\bjson\b/.test(type))?.[1]?.schema
  const schema = json ? (deref(doc, json) as Schema & { required?: string[] }) : undefined
  const items = schema?.properties?.items ? deref(doc, schema.properties.items) : undefined
  const item = items?.items ? (deref(doc, items.items) as Schema & { required?: string[] }) : undefined
  const creates = method === 'post' && !path.endsWith('}')
  const save = creates ? createdBy(path) : path.endsWith('}') ? targetOf(path) : undefined
  return { status, keys: schema?.required ?? [], itemKeys: item?.required ?? [], ...(save ? { save } : {}) }
}

function postmanRequest(
  doc: OpenApiDocument,
  path: string,
  method: string,
  op: Operation,
  shared: Parameter[],
) {
  const parameters = parametersOf(doc, shared, op.parameters ?? [])
  const scenario = scenarioOf(op.operationId)
  const target = targetOf(path)
  const entry = (p: Parameter): PostmanKeyValue => {
    const name = p.name.toLowerCase()
    // Chaining: a fresh Idempotency-Key per create, the ETag saved from the record's last response.
    const chained =
      name === 'idempotency-key'
        ? '{{$guid}}'
        : name === 'if-match' && target
          ? ref(`${target}_etag`)
          : undefined
    const wanted = scenario.query?.[p.name]
    return {
      key: p.name,
      value: wanted ?? chained ?? asText(parameterValue(doc, p)),
      ...(p.description ? { description: p.description } : {}),
      ...(p.required || chained || wanted !== undefined ? {} : { disabled: true }),
    }
  }

  // A relative server URL ('/', '/api') is a path prefix; an absolute one is what baseUrl stands for.
  const server = doc.servers?.[0]?.url ?? '/'
  const prefix = server.startsWith('/') ? server : ''
  const pathParameters = new Map(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p]))
  const segments = `${prefix}/${path}`
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const p = pathParameters.get(s.replace(/^\{(.+)\}$/, '$1'))
      return p && s.startsWith('{') ? pathValue(doc, path, p, scenario) : s
    })
  const query = parameters.filter((p) => p.in === 'query').map(entry)
  const enabled = query.filter((q) => !q.disabled).map((q) => `${q.key}=${q.value}`)
  const url = {
    raw: `{{baseUrl}}/${segments.join('/')}${enabled.length > 0 ? `?${enabled.join('&')}` : ''}`,
    host: ['{{baseUrl}}'],
    path: segments,
    ...(query.length > 0 ? { query } : {}),
  }

  const header: PostmanKeyValue[] = parameters
    .filter((p) => p.in === 'header')
    .map((p) => ({ ...entry(p), type: 'text' }))
  let body: object | undefined
  if (op.requestBody) {
    const requestBody = deref(doc, op.requestBody)
    const types = Object.keys(requestBody.content ?? {})
    const type =
      types.find((t) => t === 'application/json') ??
      types.find((t) => /\bjson\b/.test(t)) ??
      types.find((t) => t === 'application/pdf') ??
      types[0]
    const media = type ? requestBody.content?.[type] : undefined
    if (type && media) {
      header.unshift({ key: 'Content-Type', value: type, type: 'text' })
      const named = Object.values(media.examples ?? {})[0]
      const example =
        media.example ?? named?.value ?? (media.schema ? exampleOf(doc, media.schema) : undefined)
      const sent = scenario.body ? { ...(example as object), ...scenario.body } : example
      body = /\bjson\b/.test(type)
        ? { mode: 'raw', raw: JSON.stringify(sent ?? {}, null, 2), options: { raw: { language: 'json' } } }
        : { mode: 'raw', raw: type === 'application/pdf' ? SAMPLE_PDF : asText(example) }
      // An upload names its file.
      for (const h of header) if (h.key === 'content-disposition') delete h.disabled
    }
  }

  // Operations that need no credentials (an empty security requirement list) send none; the others
  // inherit the collection's bearer {{token}} (province 08), or use the ministry's where the
  // scenario says so.
  const security = op.security ?? doc.security ?? []
  const auth =
    security.length === 0
      ? { type: 'noauth' }
      : scenario.as === 'ministry'
        ? { type: 'bearer', bearer: [{ key: 'token', value: ref('ministryToken'), type: 'string' }] }
        : undefined
  const description = [op.description, scenario.why && `Smoke test: ${scenario.why}`]
    .filter(Boolean)
    .join('\n\n')
  return {
    method: method.toUpperCase(),
    header,
    ...(body ? { body } : {}),
    url,
    ...(description ? { description } : {}),
    ...(auth ? { auth } : {}),
  }
}

/**
 * One folder per tag (in the document's tag order), one request per operation, named by its
 * summary; the deletes last, in a `cleanup` folder, children before their parents. Each request
 * tests its response and saves what the next ones need (scripts/postman/smoke.ts).
 */
function toPostman(doc: OpenApiDocument): object {
  const folders = new Map<string, { name: string; description?: string; item: object[] }>()
  for (const tag of doc.tags ?? []) {
    folders.set(tag.name, {
      name: tag.name,
      ...(tag.description ? { description: tag.description } : {}),
      item: [],
    })
  }
  const cleanup = {
    name: 'cleanup',
    description: 'Xóa — the records the requests above created, deleted with their current ETag.',
    item: [] as object[],
  }
  for (const { path, method, operation, shared } of operationsOf(doc)) {
    const tag = operation.tags?.[0] ?? 'untagged'
    if (!folders.has(tag)) folders.set(tag, { name: tag, item: [] })
    const request = postmanRequest(doc, path, method, operation, shared)
    const token = request.auth?.type === 'bearer' ? 'ministryToken' : 'token'
    const target = targetOf(path)
    const find = scenarioOf(operation.operationId).find
    const before = [
      ...(find ? findScript(find, token) : []),
      ...(method === 'delete' && target ? refreshEtagScript(target, token) : []),
    ]
    const event = [
      ...(before.length > 0
        ? [{ listen: 'prerequest', script: { type: 'text/javascript', exec: before } }]
        : []),
      {
        listen: 'test',
        script: { type: 'text/javascript', exec: testScript(expectationOf(doc, path, method, operation)) },
      },
    ]
    const item = {
      name: operation.summary ?? operation.operationId ?? `${method.toUpperCase()} ${path}`,
      event,
      request,
      response: [],
    }
    if (method === 'delete') cleanup.item.unshift(item)
    else folders.get(tag)?.item.push(item)
  }
  return {
    info: {
      name: doc.info.title,
      ...(doc.info.description ? { description: doc.info.description } : {}),
      version: doc.info.version,
      schema: POSTMAN_SCHEMA,
    },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
    variable: [
      { key: 'baseUrl', value: DEFAULT_BASE_URL, type: 'string' },
      {
        key: 'token',
        value: '',
        type: 'string',
        description:
          'A province token with `read write` (npm run -s token -- --role province --province 08).',
      },
      {
        key: 'ministryToken',
        value: '',
        type: 'string',
        description: 'A ministry token with `read write` (npm run -s token -- --role ministry).',
      },
    ],
    item: [...[...folders.values()].filter((f) => f.item.length > 0), cleanup],
  }
}

// ---------------------------------------------------------------------------------------------
// Documentation completeness: what the linter does not enforce, we do.

const pointer = (...parts: (string | number)[]) =>
  `#/${parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`

/**
 * A deprecation (`deprecated: true` on a route schema or a property) names its date and replacement:
 * "Deprecated since 2027-01-01: use `GET /v1/x` instead; removed after 2027-07-01."
 */
const DEPRECATION = /Deprecated since \d{4}-\d{2}-\d{2}: use .+/
const DEPRECATION_FORM = '"Deprecated since YYYY-MM-DD: use <replacement>…" (CHANGELOG.md)'

/** Every operation has operationId, summary, tags and a description; every schema property a description. */
function undocumented(doc: OpenApiDocument): string[] {
  const gaps: string[] = []
  const described = (schema: Schema): boolean => {
    if (schema.description?.trim()) return true
    return schema.$ref ? described(resolvePointer(doc, schema.$ref) as Schema) : false
  }
  const walk = (schema: Schema | boolean | undefined, at: string[], where: string) => {
    if (typeof schema !== 'object' || schema === null) return
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (!described(property))
        gaps.push(`${where}: property \`${name}\` has no description (${pointer(...at, 'properties', name)})`)
      if (property.deprecated && !DEPRECATION.test(property.description ?? ''))
        gaps.push(
          `${where}: property \`${name}\` is deprecated, but its description does not say ${DEPRECATION_FORM}`,
        )
      walk(property, [...at, 'properties', name], where)
    }
    for (const key of ['patternProperties', '$defs'] as const) {
      for (const [name, s] of Object.entries(schema[key] ?? {})) walk(s, [...at, key, name], where)
    }
    for (const key of ['items', 'additionalProperties', 'not'] as const)
      walk(schema[key], [...at, key], where)
    for (const key of ['prefixItems', 'anyOf', 'oneOf', 'allOf'] as const) {
      for (const [i, s] of (schema[key] ?? []).entries()) walk(s, [...at, key, String(i)], where)
    }
  }
  const walkContent = (content: Record<string, MediaType> | undefined, at: string[], where: string) => {
    for (const [type, media] of Object.entries(content ?? {}))
      walk(media.schema, [...at, 'content', type, 'schema'], where)
  }

  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    if (!schema.description?.trim()) gaps.push(`schema ${name}: no description`)
    walk(schema, ['components', 'schemas', name], `schema ${name}`)
  }
  for (const path of Object.keys(doc.paths ?? {})) {
    if (HIDDEN_PATHS.some((re) => re.test(path)))
      gaps.push(`${path}: must be hidden (schema: { hide: true })`)
  }
  for (const { path, method, operation: op, shared } of operationsOf(doc)) {
    const where = `${method.toUpperCase()} ${path}`
    const at = ['paths', path, method]
    if (!op.operationId?.trim()) gaps.push(`${where}: no operationId`)
    if (!op.summary?.trim()) gaps.push(`${where}: no summary`)
    if (!op.tags || op.tags.length === 0) gaps.push(`${where}: no tags`)
    if (!op.description?.trim()) gaps.push(`${where}: no description`)
    if (op.deprecated && !DEPRECATION.test(op.description ?? ''))
      gaps.push(`${where}: deprecated, but its description does not say ${DEPRECATION_FORM}`)
    for (const p of parametersOf(doc, shared, op.parameters ?? [])) {
      if (!p.description?.trim()) gaps.push(`${where}: ${p.in} parameter \`${p.name}\` has no description`)
    }
    const parameterLists = [
      { list: shared, at: ['paths', path, 'parameters'] },
      { list: op.parameters ?? [], at: [...at, 'parameters'] },
    ]
    for (const { list, at: listAt } of parameterLists) {
      for (const [i, p] of list.entries()) {
        walk(deref(doc, p).schema, [...listAt, String(i), 'schema'], `${where} parameter ${p.name}`)
      }
    }
    if (op.requestBody)
      walkContent(deref(doc, op.requestBody).content, [...at, 'requestBody'], `${where} request body`)
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const r = deref(doc, response)
      if (!r.description?.trim()) gaps.push(`${where}: response ${status} has no description`)
      walkContent(r.content, [...at, 'responses', status], `${where} response ${status}`)
    }
  }
  return gaps
}

// ---------------------------------------------------------------------------------------------
// Examples: a whole one for every successful JSON response, and each one true to its schema.

const hasExample = (doc: OpenApiDocument, media: MediaType) =>
  media.example !== undefined ||
  Object.keys(media.examples ?? {}).length > 0 ||
  (media.schema !== undefined && (deref(doc, media.schema).examples?.length ?? 0) > 0)

/** The 2xx JSON responses that show no whole example. */
function withoutExample(doc: OpenApiDocument): string[] {
  const missing: string[] = []
  for (const { path, method, operation } of operationsOf(doc)) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const media = deref(doc, response).content?.['application/json']
      if (/^2/.test(status) && media && !hasExample(doc, media))
        missing.push(`${method.toUpperCase()} ${path} (${operation.operationId}): response ${status}`)
    }
  }
  return missing
}

/** Where a pointer into the document is, in words: the operation or the component schema. */
function placeOf(doc: OpenApiDocument, parts: string[]): string {
  if (parts[0] === 'components' && parts[1] === 'schemas') return `schema ${parts[2]}`
  if (parts[0] === 'paths' && parts[1] !== undefined && parts[2] !== undefined) {
    const id = doc.paths?.[parts[1]]?.[parts[2] as (typeof METHODS)[number]]?.operationId
    return `${parts[2].toUpperCase()} ${parts[1]}${id ? ` (${id})` : ''}`
  }
  return parts.join('/')
}

/** Every example in the document that its schema rejects, with Ajv's reason. */
function invalidExamples(doc: OpenApiDocument): string[] {
  const errorsOf = contractValidator(doc)
  const failures: string[] = []
  const check = (schemaAt: string[], value: unknown, exampleAt: string[]) => {
    const errors = errorsOf(pointer(...schemaAt).slice(1), value)
    if (errors.length === 0) return
    const reasons = errors.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`)
    failures.push(`${placeOf(doc, exampleAt)}: ${pointer(...exampleAt)} — ${reasons.join('; ')}`)
  }
  const walk = (node: unknown, at: string[]) => {
    if (typeof node !== 'object' || node === null) return
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) walk(child, [...at, String(i)])
      return
    }
    const record = node as Record<string, unknown>
    // Under `properties` (and the like) the keys are names, not keywords.
    const named = ['properties', 'patternProperties', '$defs', 'schemas'].includes(at.at(-1) ?? '')
    if (!named) {
      if (Array.isArray(record.examples))
        for (const [i, value] of record.examples.entries()) check(at, value, [...at, 'examples', String(i)])
      if (typeof record.schema === 'object' && record.schema !== null) {
        if (record.example !== undefined) check([...at, 'schema'], record.example, [...at, 'example'])
        if (typeof record.examples === 'object' && !Array.isArray(record.examples))
          for (const [name, example] of Object.entries(record.examples as Record<string, Example>))
            if (example.value !== undefined)
              check([...at, 'schema'], example.value, [...at, 'examples', name, 'value'])
      }
    }
    for (const [key, child] of Object.entries(record)) {
      if (!named && (key === 'examples' || key === 'example')) continue
      walk(child, [...at, key])
    }
  }
  walk(doc.paths, ['paths'])
  walk(doc.components, ['components'])
  return failures
}

// ---------------------------------------------------------------------------------------------

const TYPES_HEADER = `// The types of the Khuyến công API contract (openapi/openapi.json), generated by openapi-typescript:
// do not edit, run \`npm run openapi:export\`. Use them with openapi-fetch or any fetch (see
// openapi/examples/client.ts).
`

/** The contract's TypeScript types: \`paths\`, \`components\` and \`operations\`. */
async function typesOf(openapi: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(openapi), { alphabetize: false })
  return `${TYPES_HEADER}\n${astToString(ast)}`
}

async function generate() {
  const openapi = await generateDocument()
  const doc = JSON.parse(openapi) as OpenApiDocument
  return {
    doc,
    files: [
      { path: join(OUT_DIR, 'openapi.json'), text: openapi },
      { path: join(OUT_DIR, 'postman_collection.json'), text: toJson(toPostman(doc)) },
      { path: join(OUT_DIR, 'types.d.ts'), text: await typesOf(openapi) },
    ],
  }
}

/** The first line where two texts differ, for a message a person can act on. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n')
  const b = actual.split('\n')
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (line: string | undefined) => (line === undefined ? '(end of file)' : line.trim())
      return `first difference at line ${i + 1}:\n      generated: ${show(a[i])}\n      committed: ${show(b[i])}`
    }
  }
  return 'they differ'
}

function reportGaps(gaps: string[], stream: NodeJS.WriteStream) {
  stream.write(
    `${gaps.length} documentation gap(s) — every operation needs operationId, summary, tags and a ` +
      'description; every schema property a description ("Vietnamese term — English gloss"):\n' +
      gaps.map((g) => `  - ${g}\n`).join(''),
  )
}

async function main(mode: string | undefined): Promise<number> {
  if (mode !== 'export' && mode !== 'check') {
    process.stderr.write('usage: npm run openapi:export | npm run openapi:check\n')
    return 2
  }
  const { doc, files } = await generate()
  const gaps = undocumented(doc)

  if (mode === 'export') {
    await mkdir(join(ROOT, OUT_DIR), { recursive: true })
    for (const file of files) {
      await writeFile(join(ROOT, file.path), file.text)
      process.stdout.write(`wrote ${file.path}\n`)
    }
    if (gaps.length > 0) reportGaps(gaps, process.stderr)
    return 0
  }

  const stale: string[] = []
  for (const file of files) {
    let committed: string | undefined
    try {
      committed = (await readFile(join(ROOT, file.path), 'utf8')).replaceAll('\r\n', '\n')
    } catch {
      committed = undefined
    }
    if (committed === undefined) stale.push(`  - ${file.path} is missing`)
    else if (committed !== file.text)
      stale.push(
        `  - ${file.path} differs from what the code generates; ${firstDifference(file.text, committed)}`,
      )
  }
  if (stale.length > 0) {
    process.stderr.write(
      `The committed contract is out of date:\n${stale.join('\n')}\n` +
        'Run `npm run openapi:export` and commit the files in openapi/.\n',
    )
  }
  if (gaps.length > 0) reportGaps(gaps, process.stderr)
  const missing = withoutExample(doc)
  if (missing.length > 0)
    process.stderr.write(
      `${missing.length} successful JSON response(s) without a whole example — give the response schema ` +
        '`examples` taken from the demo server (a page: its item schema, see `Page()`):\n' +
        missing.map((m) => `  - ${m}\n`).join(''),
    )
  const invalid = invalidExamples(doc)
  if (invalid.length > 0)
    process.stderr.write(
      `${invalid.length} example(s) that their schema rejects:\n${invalid.map((m) => `  - ${m}\n`).join('')}`,
    )
  if (stale.length > 0 || gaps.length > 0 || missing.length > 0 || invalid.length > 0) return 1
  process.stdout.write(
    `${files.map((f) => f.path).join(', ')} are up to date; every operation and property is documented; ` +
      'every successful JSON response has an example, and every example fits its schema.\n',
  )
  return 0
}

process.exitCode = await main(process.argv[2])
