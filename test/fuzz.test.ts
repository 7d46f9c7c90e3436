// The contract-driven fuzz test. For every operation of the committed contract it sends generated
// requests — valid and hostile path parameters, queries, headers (If-Match, Idempotency-Key,
// Accept, Content-Type) and bodies, derived from the operation's schemas — as a ministry officer and
// as a province officer, to an app on a migrated database holding the demo data, and checks:
// no 5xx ever; every refusal an RFC 9457 problem (validation problems name the failing fields);
// every response as the contract says (buildTestApp() validates each one).
//
// Seeded and bounded: FUZZ_SEED (printed) and FUZZ_RUNS (requests per operation and token) repeat
// or lengthen a run; `npm run fuzz` is the long run. A failure lists each distinct failing case once
// (operation, status, what is wrong) with its shortest input.
import fc from 'fast-check'
import t from 'tap'
import { CATALOGUE } from '../src/lib/problems.ts'
import { buildTestApp } from './helpers/app.ts'
import { type Operation, operations, type Parameter } from './helpers/contract.ts'
import {
  arbitraryFor,
  hostileFor,
  hostileValue,
  Raw,
  serialize,
  urlEncode,
  urlJunk,
} from './helpers/schema-arbitrary.ts'
import { token } from './helpers/tokens.ts'

const seed = Number(process.env.FUZZ_SEED ?? 20261130)
const runs = Number(process.env.FUZZ_RUNS ?? 3)
t.comment(`fuzz: seed ${seed}, ${runs} runs per operation and token (FUZZ_SEED, FUZZ_RUNS to change)`)
// Loading the demo data takes a while on a busy machine; a long run takes longer still.
t.setTimeout(300_000 + runs * 3_000)

// Contract violations the response check reports for the request under way.
const violations: string[] = []
// The demo data gives records in every state to find by id, in five provinces.
const loading = Date.now()
const { app, logs } = await buildTestApp(
  {
    teardown: (fn) => t.teardown(fn),
    fail: (message) =>
      violations.push(message.replace(/^response breaks the contract: /, '').replace(/ — .*$/s, '')),
  },
  { demoData: true },
)

const tokens = {
  ministry: `Bearer ${await token({ role: 'ministry', sub: 'fuzz-ministry' })}`,
  province: `Bearer ${await token({ role: 'province', province: '08', sub: 'fuzz-province-08' })}`,
}

interface Generated {
  method: string
  url: string
  headers: Record<string, string>
  body?: string | Buffer
}

/** What is wrong with one response, beyond what the contract check reports. */
function checkProblem(
  op: Operation,
  status: number,
  contentType: string | undefined,
  body: string,
): string | undefined {
  if (status < 400) return undefined
  // A refusal the contract documents as something else (the import's 422 row report) is checked
  // against that schema by buildTestApp().
  const declared = Object.keys(op.responses[status]?.content ?? {})
  if (declared.length && !declared.includes('application/problem+json')) return undefined
  if (!contentType?.startsWith('application/problem+json'))
    return `${status} answered ${contentType}, not a problem`
  let p: Record<string, unknown>
  try {
    p = JSON.parse(body)
  } catch {
    return `${status} problem is not JSON`
  }
  for (const field of ['type', 'title', 'status', 'code', 'request_id'])
    if (p[field] === undefined) return `${status} problem without ${field}`
  if (p.status !== status) return `${status} problem says status ${p.status}`
  if (p.code === 'validation_failed' && !(Array.isArray(p.errors) && p.errors.length))
    return `${status} validation problem names no field`
  return undefined
}

/** A run of one character or pattern written once with its count, so that the input fits a line. */
const squeeze = (text: string) =>
  text.replace(/(.{1,5}?)\1{7,}/gsu, (run, unit: string) => `⟨${unit} × ${run.length / unit.length}⟩`)

function describe(req: Generated): string {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text)
  const headers = Object.entries(req.headers)
    .filter(([k]) => k !== 'authorization')
    .map(([k, v]) => `${k}: ${cut(squeeze(v), 60)}`)
  const body = req.body === undefined ? '' : ` body ${cut(JSON.stringify(squeeze(req.body.toString())), 300)}`
  return `${req.method} ${cut(squeeze(req.url), 200)}${headers.length ? ` [${headers.join('; ')}]` : ''}${body}`
}

interface Failure {
  count: number
  tokens: Set<string>
  example: string
}
const failures = new Map<string, Failure>()

/** One line per kind of failure: the values that vary from request to request are left out. */
const failureKey = (op: Operation, status: number | string, what: string) =>
  `${op.operationId} → ${status}: ${what
    .replace(/^\w+ \([A-Z]+ [^)]*\): |^[A-Z]+ \(no route\): /, '')
    .replace(/ \(.*?\)/g, '')
    .replace(/\/\d+(?=\/|\b)/g, '/*')}`

/** Why the server failed, from its log of the request (the last error when no id): the message. */
function serverError(requestId?: unknown): string {
  const line = logs().findLast(
    (l) => Number(l.level) >= 50 && (requestId === undefined || l.reqId === requestId),
  )
  const message = (line?.err as { message?: string } | undefined)?.message ?? 'no error logged'
  return message.replace(/\d+/g, 'N').slice(0, 120)
}

let requests = 0

/** Sends one request as `who`, and records what is wrong with its response. */
async function send(op: Operation, who: string, req: Generated) {
  if (process.env.FUZZ_TRACE) process.stderr.write(`${describe(req).slice(0, 150)}\n`)
  violations.length = 0
  let res: Awaited<ReturnType<typeof app.inject>>
  try {
    res = await app.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: req.headers,
      ...(req.body !== undefined ? { payload: req.body } : {}),
    })
  } catch (err) {
    const message = (err as Error).message
    // The server broke off a streamed response (a CSV export that failed half-way): its failure.
    if (/destroyed/.test(message)) record(op, who, 'aborted', [`stream broken off: ${serverError()}`], req)
    // Otherwise light-my-request refused to build the request (a header it cannot send).
    else t.comment(`skipped ${describe(req)}: ${message}`)
    return undefined
  }
  requests++
  const found = [...violations]
  if (res.statusCode >= 500) found.push(`server error: ${serverError(res.headers['x-request-id'])}`)
  else {
    const own = checkProblem(op, res.statusCode, res.headers['content-type'] as string | undefined, res.body)
    if (own) found.push(own)
  }
  record(op, who, res.statusCode, found, req)
  return res
}

function record(op: Operation, who: string, status: number | string, found: string[], req: Generated) {
  for (const what of new Set(found)) {
    const key = failureKey(op, status, what)
    const example = describe(req)
    const seen = failures.get(key) ?? { count: 0, tokens: new Set(), example }
    seen.count++
    seen.tokens.add(who)
    if (example.length < seen.example.length) seen.example = example
    failures.set(key, seen)
  }
}

/** Existing path parameter values, per operation path template: ids and codes that exist. */
async function knownPathValues(): Promise<Map<string, Record<string, string>[]>> {
  const lists = new Map<string, Record<string, unknown>[]>()
  for (const op of operations) {
    if (op.method !== 'GET' || op.path.includes('{')) continue
    const limit = op.parameters.some((p) => p.name === 'limit') ? '?limit=30' : ''
    const req = { method: 'GET', url: `${op.path}${limit}`, headers: { authorization: tokens.ministry } }
    const res = await send(op, 'ministry', req)
    const json = res?.statusCode === 200 && String(res.headers['content-type']).startsWith('application/json')
    const items = json ? (res.json() as { items?: unknown }).items : undefined
    if (Array.isArray(items)) lists.set(op.path, items as Record<string, unknown>[])
  }
  const provinces = (lists.get('/v1/provinces') ?? []).map((p) => ({ code: String(p.code) }))
  lists.set(
    '/problems',
    Object.keys(CATALOGUE).map((code) => ({ code })),
  )
  lists.set('/v1/reports/provinces', provinces)
  // Products and certificates have no list of their own: the typical products name all three ids.
  const certified = (lists.get('/v1/typical-products') ?? []).map((c) => ({
    id: String(c.establishment_id),
    product_id: String(c.product_id),
    certificate_id: String(c.id),
  }))
  const known = new Map<string, Record<string, string>[]>()
  for (const op of operations) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)
    if (!params.length) continue
    if (params.includes('product_id')) {
      known.set(op.path, certified)
      continue
    }
    const [param] = params as [string]
    const list = lists.get(op.path.slice(0, op.path.indexOf('/{'))) ?? []
    known.set(
      op.path,
      list.map((item) => ({ [param]: String(item[param] ?? item.code ?? item.name) })),
    )
  }
  return known
}
const knownPaths = await knownPathValues()
t.comment(`fuzz: app with the demo data ready in ${((Date.now() - loading) / 1000).toFixed(1)} s`)

const known = (values: Record<string, string[]>) => (name: string) => values[name]
const knownFields = known({
  province_code: ['08', '01', '38', '48', '79'],
  origin_province_code: ['02', '08'],
  commune_code: ['00691', '00694'],
})

// Header values: usual ones for a valid request, odd ones for a hostile one.
const goodIfMatch = fc.constantFrom('"1"', '"2"', '"3"')
const badIfMatch = fc.constantFrom('W/"1"', '*', '"stale"', 'stale', '""', '"1", "2"', 'x'.repeat(200))
const goodKey = fc.uuid()
const badKey = fc.oneof(
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 80 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
  fc.constantFrom('', ' ', 'x'.repeat(300), 'ключ'),
)
const goodAccept = fc.constantFrom('application/json', '*/*', 'text/csv', 'application/json, text/csv;q=0.5')
const badAccept = fc.constantFrom(
  'application/xml',
  'text/html',
  'application/json;q=0',
  'garbage',
  'text/*;q=x',
)
const badContentType = fc.constantFrom(
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'application/json; charset=latin1',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
)
// Bodies that are not JSON of any schema.
const junkBodies = fc.constantFrom<string | Buffer>(
  '',
  '{',
  'null',
  '[]',
  '"x"',
  '{"a":1,"a":2}',
  Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
)

/** A request as parts, valid by the contract; a hostile request is one of them changed. */
interface Parts {
  path: Record<string, unknown>
  query: Record<string, unknown>
  headers: Record<string, string>
  body?: unknown
}

function validParts(op: Operation): fc.Arbitrary<Parts> {
  const params = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where)
  const derived = fc.record(
    Object.fromEntries(params('path').map((p) => [p.name, arbitraryFor(p.schema)])),
  ) as fc.Arbitrary<Record<string, unknown>>
  const existing = knownPaths.get(op.path) ?? []
  const path = existing.length
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...existing) }, derived)
    : derived
  // A cursor is valid only as the server wrote it: a generated one is spoiled, never part of a valid request.
  const valid = params('query').filter((p) => p.name !== 'cursor')
  const query = fc.record(
    Object.fromEntries(valid.map((p) => [p.name, arbitraryFor(p.schema, { known: knownFields }, p.name)])),
    {
      requiredKeys: params('query')
        .filter((p) => p.required)
        .map((p) => p.name),
    },
  )
  const headerNames = new Set(params('header').map((p) => p.name.toLowerCase()))
  const headers = fc
    .record({
      'if-match': headerNames.has('if-match') ? goodIfMatch : fc.constant(undefined),
      'idempotency-key': headerNames.has('idempotency-key')
        ? fc.option(goodKey, { nil: undefined })
        : fc.constant(undefined),
      accept: fc.option(goodAccept, { nil: undefined }),
    })
    .map(
      (h) =>
        Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>,
    )
  const content = op.requestBody?.content
  const schema = content && (content['application/json'] ?? Object.values(content)[0])?.schema
  const body = schema ? arbitraryFor(schema, { known: knownFields }) : fc.constant(undefined)
  return fc.record({ path, query, headers, body })
}

/** Every place in a JSON value, as the list of keys that leads there. */
function places(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at]
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
  return [at, ...keys.flatMap((k) => places((value as Record<string | number, unknown>)[k], [...at, k]))]
}

function replaceAt(value: unknown, at: (string | number)[], replacement: unknown): unknown {
  if (!at.length) return replacement
  const [key, ...rest] = at as [string | number, ...(string | number)[]]
  const copy = Array.isArray(value) ? [...value] : { ...(value as object) }
  ;(copy as Record<string | number, unknown>)[key] = replaceAt(
    (value as Record<string | number, unknown>)[key],
    rest,
    replacement,
  )
  return copy
}

type Mutation = (parts: Parts, n: number) => Parts | fc.Arbitrary<Parts>

/** The ways to spoil one part of a valid request that apply to an operation. */
function mutations(op: Operation): Mutation[] {
  const names = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where).map((p) => p.name)
  const pick = <T>(list: T[], n: number) => list[n % list.length] as T
  // A parameter's own kind of hostile value, or what only a URL can carry.
  const urlValue = (name: string) => {
    const param = op.parameters.find((p) => p.name === name)
    const own = param ? hostileFor(param.schema) : hostileValue
    return fc.oneof({ weight: 2, arbitrary: own }, fc.constantFrom(...urlJunk))
  }
  const out: Mutation[] = []
  if (names('path').length)
    out.push((parts, n) => {
      const name = pick(names('path'), n)
      return urlValue(name).map((v) => ({ ...parts, path: { ...parts.path, [name]: v } }))
    })
  if (names('query').length)
    out.push((parts, n) => {
      const name = pick(names('query'), n)
      return urlValue(name).map((v) => ({ ...parts, query: { ...parts.query, [name]: v } }))
    })
  out.push((parts, n) => ({
    ...parts,
    query: { ...parts.query, [pick(['unknown', '%00', 'limit[]'], n)]: 'x' },
  }))
  out.push((parts) => badAccept.map((accept) => ({ ...parts, headers: { ...parts.headers, accept } })))
  if (names('header').includes('if-match')) {
    out.push((parts) => badIfMatch.map((v) => ({ ...parts, headers: { ...parts.headers, 'if-match': v } })))
    out.push((parts) => {
      const { 'if-match': _, ...headers } = parts.headers
      return { ...parts, headers }
    })
  }
  if (names('header').includes('idempotency-key'))
    out.push((parts) =>
      badKey.map((v) => ({ ...parts, headers: { ...parts.headers, 'idempotency-key': v } })),
    )
  if (op.requestBody) {
    out.push((parts, n) => {
      const at = pick(places(parts.body), n)
      return hostileValue.map((v) => ({ ...parts, body: replaceAt(parts.body, at, v) }))
    })
    out.push((parts, n) => {
      const body = parts.body as Record<string, unknown>
      if (!body || typeof body !== 'object' || Array.isArray(body)) return parts
      const { [pick(Object.keys(body), n)]: _, ...rest } = body
      return { ...parts, body: n % 3 ? rest : { ...body, unknown_field: 'x' } }
    })
    out.push((parts) =>
      junkBodies.map((junk) => ({ ...parts, body: typeof junk === 'string' ? new Raw(junk) : junk })),
    )
    out.push((parts) =>
      badContentType.map((type) => ({ ...parts, headers: { ...parts.headers, 'content-type': type } })),
    )
    out.push((parts) => ({ ...parts, body: undefined }))
  }
  return out
}

function csvOf(rows: unknown): string {
  if (!Array.isArray(rows)) return serialize(rows)
  const header = [...new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))]
  const cell = (v: unknown) => `"${(typeof v === 'string' ? v : serialize(v)).replaceAll('"', '""')}"`
  const lines = rows.map((r) => header.map((h) => cell((r as Record<string, unknown>)?.[h] ?? '')).join(','))
  return [header.join(','), ...lines].join('\r\n')
}

function toRequest(op: Operation, auth: string, parts: Parts): Generated {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => urlEncode(parts.path[name]))
  const query = Object.entries(parts.query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k === '%00' ? k : encodeURIComponent(k)}=${urlEncode(v)}`)
  const headers: Record<string, string> = { authorization: auth, ...parts.headers }
  let body: string | undefined
  if (parts.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = headers['content-type'] === 'text/csv' ? csvOf(parts.body) : serialize(parts.body)
  }
  const raw = Buffer.isBuffer(parts.body) ? parts.body : undefined
  const url = `${path}${query.length ? `?${query.join('&')}` : ''}`
  return { method: op.method, url, headers, body: raw ?? body }
}

/** A valid request (one in four) or a valid request with one part spoiled. */
function requestArbitrary(op: Operation, auth: string): fc.Arbitrary<Generated> {
  const spoil = mutations(op)
  return fc
    .tuple(validParts(op), fc.integer({ min: -Math.ceil(spoil.length / 3), max: spoil.length - 1 }), fc.nat())
    .chain(([parts, which, n]) => {
      const mutation = which < 0 ? undefined : spoil[which]
      const spoiled = mutation ? mutation(parts, n) : parts
      return spoiled instanceof fc.Arbitrary ? spoiled : fc.constant(spoiled)
    })
    .map((parts) => toRequest(op, auth, parts))
}

// Writes that remove records last, so that the other operations still find them.
const order = (op: Operation) => (op.method === 'DELETE' ? 2 : op.method === 'GET' ? 0 : 1)
const ordered = [...operations].sort((a, b) => order(a) - order(b))

const started = Date.now()
for (const op of ordered) {
  for (const [i, [who, auth]] of Object.entries(tokens).entries()) {
    const opSeed = seed + [...op.operationId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, i)
    for (const req of fc.sample(requestArbitrary(op, auth), { seed: opSeed, numRuns: runs })) {
      await send(op, who, req)
    }
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(1)
t.comment(`fuzz: ${requests} requests to ${operations.length} operations in ${seconds} s`)

const report = [...failures]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([key, f]) => `${key} (×${f.count}, ${[...f.tokens].join(' and ')} token)\n    e.g. ${f.example}`)
t.equal(
  failures.size,
  0,
  `no 5xx, every refusal a problem, every response as the contract says (seed ${seed}, FUZZ_RUNS=${runs})`,
)
if (report.length) t.comment(`distinct failures (${report.length}):\n${report.join('\n')}`)
