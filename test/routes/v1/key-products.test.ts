// Key (chủ lực) products and sectors (ask 3): a province records them for a period, with the
// decision that named them; its schemes name the ones they support, and the scorecard counts the
// money of those schemes. Pilot schemes must last more than a year (TT 36/2013 Art. 2.3).
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { createScheme, resolution } from '../../helpers/records.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()
type Headers = Record<string, string>

const tea = {
  name: 'Chè Shan tuyết',
  kind: 'product',
  industry: 'agro_food_processing',
  valid_from: '2021-01-01',
  valid_to: '2025-12-31',
  advantages: 'Vùng chè cổ thụ; chỉ dẫn địa lý.',
}
const create = (headers: Headers, payload: object) =>
  app.inject({ method: 'POST', url: '/v1/key-products', headers, payload })
const patchScheme = async (id: string, payload: object) => {
  const current = await app.inject({ url: `/v1/projects/${id}`, headers: as.officer08 })
  return app.inject({
    method: 'PATCH',
    url: `/v1/projects/${id}`,
    headers: { ...as.officer08, 'if-match': current.headers.etag as string },
    payload,
  })
}

const decision = await app.inject({
  method: 'POST',
  url: '/v1/legal-documents',
  headers: as.officer08,
  payload: { ...resolution, number: '12/QĐ-UBND', kind: 'decision', subject: 'other' },
})
let id = ''

t.test('a province records a key product with the decision that named it', async (t) => {
  const res = await create(as.officer08, { ...tea, legal_document_id: decision.json().id })
  t.equal(res.statusCode, 201)
  id = res.json().id
  t.equal(res.headers.location, `/v1/key-products/${id}`)
  t.equal(res.headers.etag, '"1"')
  t.match(res.json(), { ...tea, province_code: '08', legal_document_id: decision.json().id, version: 1 })
  const read = await app.inject({ url: `/v1/key-products/${id}`, headers: as.officer08 })
  t.same(read.json(), res.json())
  const other = await app.inject({ url: `/v1/key-products/${id}`, headers: as.officer01 })
  t.equal(other.statusCode, 404, 'another province does not see it')
  const ministry = await app.inject({ url: '/v1/key-products?year=2024', headers: as.ministry })
  t.same(
    ministry.json().items.map((p: { id: string }) => p.id),
    [id],
    'the ministry sees every province',
  )
  const search = await app.inject({ url: '/v1/key-products?q=che shan', headers: as.officer08 })
  t.equal(search.json().items.length, 1, 'search ignores diacritics')
  const outOfPeriod = await app.inject({ url: '/v1/key-products?year=2026', headers: as.officer08 })
  t.same(outOfPeriod.json().items, [], 'not a key product in 2026: it ended in 2025')
})

t.test('the decision a key product names cannot be deleted from under it: 409, not a 422', async (t) => {
  const res = await app.inject({
    method: 'DELETE',
    url: `/v1/legal-documents/${decision.json().id}`,
    headers: { ...as.officer08, 'if-match': decision.headers.etag as string },
  })
  t.equal(res.statusCode, 409, res.body.slice(0, 200))
  t.match(res.json(), { code: 'conflict' })
  const still = await app.inject({ url: `/v1/legal-documents/${decision.json().id}`, headers: as.officer08 })
  t.equal(still.statusCode, 200, 'kept')
})

t.test('every validation failure names its field', async (t) => {
  const foreignDecision = await app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: as.officer01,
    payload: { ...resolution, number: '99/QĐ-UBND', kind: 'decision', subject: 'other' },
  })
  const cases: [object, string][] = [
    [{ kind: 'flagship' }, '/kind'],
    [{ industry: 'banking' }, '/industry'],
    [{ valid_from: '2024-13-01' }, '/valid_from'],
    [{ valid_to: '2020-12-31' }, '/valid_to'],
    [{ name: '' }, '/name'],
    [{ legal_document_id: foreignDecision.json().id }, '/legal_document_id'],
    [{ origin_province_code: '01' }, '/origin_province_code'],
  ]
  for (const [extra, pointer] of cases) {
    const res = await create(as.officer08, { ...tea, ...extra })
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
  const ministry = await create(as.ministry, tea)
  t.equal(ministry.statusCode, 403, 'a province records its own key products; the ministry reads them')
  const reader = await create(as.reader08, tea)
  t.equal(reader.statusCode, 403, 'a read-only token cannot write')
})

t.test('a scheme names key products of its province valid in its year', async (t) => {
  const scheme = await createScheme(app, as.officer08)
  const ok = await patchScheme(scheme, { key_product_ids: [id] })
  t.equal(ok.statusCode, 200)
  t.same(ok.json().key_product_ids, [id])
  const listed = await app.inject({ url: `/v1/projects?key_product_id=${id}`, headers: as.officer08 })
  t.same(
    listed.json().items.map((p: { id: string }) => p.id),
    [scheme],
  )

  const foreign = (await create(as.officer01, tea)).json().id
  const other = await patchScheme(scheme, { key_product_ids: [id, foreign] })
  t.equal(other.statusCode, 400, "another province's key product")
  t.match(other.json(), { errors: [{ in: 'body', pointer: '/key_product_ids/1' }] })

  const later = await create(as.officer08, {
    ...tea,
    name: 'Cam sành',
    valid_from: '2027-01-01',
    valid_to: null,
  })
  const notYet = await patchScheme(scheme, { key_product_ids: [later.json().id] })
  t.equal(notYet.statusCode, 400, 'not yet a key product in the scheme’s year')
  t.match(notYet.json(), { errors: [{ pointer: '/key_product_ids/0' }] })

  const named = await app.inject({ url: `/v1/key-products/${id}`, headers: as.officer08 })
  const refused = await app.inject({
    method: 'DELETE',
    url: `/v1/key-products/${id}`,
    headers: { ...as.officer08, 'if-match': named.headers.etag as string },
  })
  t.equal(refused.statusCode, 409, 'a key product a scheme names stays')
  const ended = await app.inject({
    method: 'PATCH',
    url: `/v1/key-products/${id}`,
    headers: { ...as.officer08, 'if-match': named.headers.etag as string },
    payload: { valid_to: '2024-12-31' },
  })
  t.equal(ended.statusCode, 200, 'it is ended instead')
  t.equal(ended.headers.etag, '"2"')
  const unused = await app.inject({
    method: 'DELETE',
    url: `/v1/key-products/${later.json().id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(unused.statusCode, 204)
})

t.test('a pilot scheme links two or more contents and lasts more than a year', async (t) => {
  const pilot = { kind: 'pilot', activity_contents: ['training', 'demonstration_technology'] }
  const cases: [object, string][] = [
    [{ ...pilot, activity_contents: ['training'] }, '/activity_contents'],
    [{ ...pilot, planned_start: '2024-03-01', planned_end: '2024-11-30' }, '/planned_end'],
    [{ ...pilot, planned_start: '2024-03-01', planned_end: '2025-03-01' }, '/planned_end'],
    [{ ...pilot, planned_end: '2025-06-30' }, '/planned_start'],
  ]
  const scheme = await createScheme(app, as.officer08)
  for (const [payload, pointer] of cases) {
    const res = await patchScheme(scheme, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
  const ok = await patchScheme(scheme, { ...pilot, planned_start: '2024-03-01', planned_end: '2025-03-02' })
  t.equal(ok.statusCode, 200, 'a year and a day')
  t.match(ok.json(), { kind: 'pilot', planned_end: '2025-03-02' })
})
