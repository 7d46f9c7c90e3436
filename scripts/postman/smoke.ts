// What turns the Postman collection into a smoke test: requests chained through collection variables
// (a create saves the new record's id and ETag, the reads and updates after it use them, the deletes
// run last, in the `cleanup` folder), a fresh Idempotency-Key per create (`{{$guid}}`), and on every
// request a test of its status and of the keys its response schema requires. The scenarios
// (scenarios.ts) say where an operation needs the ministry's token or a particular record.
//
// Everything here is derived from the contract and the scenarios, so the collection stays generated
// and drift-checked by `npm run openapi:check`.
import { SCENARIOS, type Scenario } from './scenarios.ts'

/** A collection variable's reference in a Postman string. */
export const ref = (name: string) => `{{${name}}}`

/** `/v1/legal-documents/{id}/attachments` → `legal_documents` for `id`: the collection before a parameter. */
export function recordOf(path: string, parameter: string): string {
  const segments = path.split('/').filter(Boolean)
  const at = segments.indexOf(`{${parameter}}`)
  return (segments[at - 1] ?? parameter).replaceAll('-', '_')
}

/** The record a create makes: the collection it posts to (`POST /v1/establishments/{id}/products` → products). */
export const createdBy = (path: string) => (path.split('/').filter(Boolean).at(-1) ?? '').replaceAll('-', '_')

/** The record an operation on a single record acts on: the one its last path parameter names. */
export function targetOf(path: string): string | undefined {
  const last = [...path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1]
  return last ? recordOf(path, last) : undefined
}

export const scenarioOf = (operationId: string | undefined): Scenario =>
  (operationId ? SCENARIOS[operationId] : undefined) ?? {}

export interface Expectation {
  /** The status the request must get. */
  status: number
  /** The keys the response body must have (its schema's `required`), for a JSON body. */
  keys: string[]
  /** The keys the first element of `items` must have, for a page of records. */
  itemKeys: string[]
  /** The variable prefix to save the created or read record's `id` and ETag under. */
  save?: string
}

/**
 * The test script: the status, the body's shape, and the chaining. The same lines serve every
 * request; only the expectation, in its first line, differs.
 */
export function testScript(expected: Expectation): string[] {
  return [
    `const expected = ${JSON.stringify(expected)}`,
    "pm.test('status is ' + expected.status, () => pm.response.to.have.status(expected.status))",
    "const type = pm.response.headers.get('Content-Type') || ''",
    'if (expected.keys.length > 0) {',
    "  pm.test('the body has the keys its schema requires', () => {",
    '    pm.expect(type).to.match(/json/)',
    '    const body = pm.response.json()',
    '    pm.expect(body).to.include.all.keys(...expected.keys)',
    '    if (expected.itemKeys.length > 0 && body.items.length > 0)',
    '      pm.expect(body.items[0]).to.include.all.keys(...expected.itemKeys)',
    '  })',
    "} else if (expected.status === 204) pm.test('no body', () => pm.expect(pm.response.text()).to.equal(''))",
    "else pm.test('a body', () => pm.expect(pm.response.size().body).to.be.above(0))",
    'if (expected.save && pm.response.code === expected.status) {',
    "  const etag = pm.response.headers.get('ETag')",
    "  if (etag) pm.collectionVariables.set(expected.save + '_etag', etag)",
    "  if (/json/.test(type) && typeof pm.response.json().id === 'string')",
    "    pm.collectionVariables.set(expected.save + '_id', pm.response.json().id)",
    '}',
  ]
}

/** Before a request that acts on a record of the demo data: find one, as an integrator would. */
export function findScript(find: { variable: string; url: string }, token: string): string[] {
  return [
    'pm.sendRequest({',
    `  url: pm.variables.replaceIn('${ref('baseUrl')}${find.url}'),`,
    "  method: 'GET',",
    `  header: { Authorization: pm.variables.replaceIn('Bearer ${ref(token)}') },`,
    '}, (error, response) => {',
    '  const found = !error && response.code === 200 && response.json().items[0]',
    `  if (found) pm.collectionVariables.set('${find.variable}', found.id)`,
    '})',
  ]
}

/**
 * Before a delete: the record's ETag may have moved since it was saved (an attachment, a
 * transition), so read it again — as an integrator would — where the record can be read alone.
 */
export function refreshEtagScript(record: string, token: string): string[] {
  return [
    'pm.sendRequest({',
    '  url: pm.variables.replaceIn(pm.request.url.toString()),',
    "  method: 'GET',",
    `  header: { Authorization: pm.variables.replaceIn('Bearer ${ref(token)}') },`,
    '}, (error, response) => {',
    "  const etag = !error && response.code === 200 && response.headers.get('ETag')",
    `  if (etag) pm.collectionVariables.set('${record}_etag', etag)`,
    '})',
  ]
}
