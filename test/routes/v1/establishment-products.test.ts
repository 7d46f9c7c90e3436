import { sql } from 'kysely'
import t from 'tap'
import { type Scope, withTenant } from '../../../src/db/tenancy.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { directScope } from '../../helpers/scopes.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()

const post = (
  headers: Record<string, string>,
  url: string,
  payload: object,
  extra: Record<string, string> = {},
) => app.inject({ method: 'POST', url, headers: { ...headers, ...extra }, payload })

const est = await post(as.officer08, '/v1/establishments', {
  commune_code: '00691',
  name: 'HTX Chè Shan tuyết Hồng Thái',
  kind: 'cooperative',
})
const estId = est.json().id as string
const productsUrl = `/v1/establishments/${estId}/products`
let productId = ''
let certsUrl = ''
const cert = (level: string, year: number, issued: string, extra: object = {}) => ({
  level,
  year,
  certificate_number: `${year}/${level}/GCN`,
  score: 82.5,
  issued_date: issued,
  ...extra,
})

t.test('a province records a product; it lists with its certificates', async (t) => {
  const res = await post(
    as.officer08,
    productsUrl,
    { name: ' Chè Shan tuyết ', product_group: 'agro_food' },
    {
      'idempotency-key': 'product-1',
    },
  )
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json(), {
    name: 'Chè Shan tuyết',
    product_group: 'agro_food',
    province_code: '08',
    certificates: [],
  })
  productId = res.json().id
  certsUrl = `${productsUrl}/${productId}/certificates`
  const replay = await post(
    as.officer08,
    productsUrl,
    { name: ' Chè Shan tuyết ', product_group: 'agro_food' },
    {
      'idempotency-key': 'product-1',
    },
  )
  t.same(replay.json(), res.json(), 'idempotent')
  const list = await app.inject({ url: productsUrl, headers: as.officer08 })
  t.equal(list.json().items.length, 1)
  const bad = await post(as.officer08, productsUrl, { name: 'X', product_group: 'gems' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().errors, [{ pointer: '/product_group' }])
})

t.test('certificate rules: score, validity, prerequisite level', async (t) => {
  const low = await post(as.officer08, certsUrl, cert('province', 2022, '2022-10-01', { score: 69.5 }))
  t.equal(low.statusCode, 400)
  t.match(low.json().errors, [{ pointer: '/score' }])
  const noPrereq = await post(as.ministry, certsUrl, cert('region', 2022, '2022-11-01'))
  t.equal(noPrereq.statusCode, 400)
  t.match(noPrereq.json().errors, [{ pointer: '/level' }])
  const district = await post(as.officer08, certsUrl, cert('district', 2025, '2025-08-01'))
  t.equal(district.statusCode, 400, 'no district certificates after the reform')

  const province = await post(as.officer08, certsUrl, cert('province', 2022, '2022-10-01'))
  t.equal(province.statusCode, 201, province.body)
  t.match(province.json(), { level: 'province', score: 82.5, valid_until: '2024-12-31', revoked: false })
  const twice = await post(as.officer08, certsUrl, cert('province', 2022, '2022-10-02'))
  t.equal(twice.statusCode, 409)

  const national = await post(as.ministry, certsUrl, cert('national', 2023, '2023-06-01'))
  t.equal(national.statusCode, 400, 'national needs a regional one')
  const lapsed = await post(as.ministry, certsUrl, cert('region', 2025, '2025-01-15'))
  t.equal(lapsed.statusCode, 400, 'the provincial certificate expired on 31 Dec 2024')
  const region = await post(as.ministry, certsUrl, cert('region', 2023, '2023-05-01'))
  t.equal(region.statusCode, 201, region.body)
  t.equal(region.json().valid_until, '2025-12-31')

  // Revoking the regional certificate: then a national one cannot build on it.
  const url = `${certsUrl}/${region.json().id}`
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url, headers, payload })
  t.equal((await patch(as.ministry, { revoked: true, revoked_reason: 'x' })).statusCode, 428)
  const noReason = await patch({ ...as.ministry, 'if-match': '"1"' }, { revoked: true })
  t.equal(noReason.statusCode, 400)
  t.match(noReason.json().errors, [{ pointer: '/revoked_reason' }])
  t.equal(
    (await patch({ ...as.officer01, 'if-match': '"1"' }, { revoked: true, revoked_reason: 'x' })).statusCode,
    404,
  )
  const byProvince = await patch(
    { ...as.officer08, 'if-match': '"1"' },
    { revoked: true, revoked_reason: 'x' },
  )
  t.equal(byProvince.statusCode, 403, 'the province does not revoke what the ministry decided')
  const revoked = await patch(
    { ...as.ministry, 'if-match': '"1"' },
    { revoked: true, revoked_reason: 'Không đạt' },
  )
  t.equal(revoked.statusCode, 200, revoked.body)
  t.match(revoked.json(), { revoked: true, revoked_reason: 'Không đạt', version: 2 })
  t.equal((await patch({ ...as.ministry, 'if-match': '"1"' }, { revoked: false })).statusCode, 412)
  const refused = await post(as.ministry, certsUrl, cert('national', 2024, '2024-06-01'))
  t.equal(refused.statusCode, 400, 'a revoked regional certificate is no prerequisite')
  const reinstated = await patch({ ...as.ministry, 'if-match': '"2"' }, { revoked: false })
  t.match(reinstated.json(), { revoked: false, revoked_reason: null, version: 3 })
  const ok = await post(as.ministry, certsUrl, cert('national', 2024, '2024-06-01'))
  t.equal(ok.statusCode, 201, ok.body)
})

t.test('typical products across establishments, with filters', async (t) => {
  const list = (headers: Record<string, string>, q = '') =>
    app.inject({ url: `/v1/typical-products${q}`, headers })
  const all = await list(as.officer08)
  t.equal(all.statusCode, 200)
  t.equal(all.json().items.length, 3)
  t.match(all.json().items[0], {
    establishment_name: 'HTX Chè Shan tuyết Hồng Thái',
    product_name: 'Chè Shan tuyết',
  })
  t.equal((await list(as.officer08, '?level=region')).json().items.length, 1)
  t.equal((await list(as.officer08, '?year=2022')).json().items.length, 1)
  t.equal((await list(as.officer08, '?product_group=handicrafts')).json().items.length, 0)
  t.same(
    (await list(as.officer08, '?valid_on=2025-06-01'))
      .json()
      .items.map((i: { level: string }) => i.level)
      .sort(),
    ['national', 'region'],
  )
  t.equal((await list(as.officer08, '?valid_on=2022-01-01')).json().items.length, 0)
  t.equal((await list(as.officer01)).json().items.length, 0, 'another province sees none')
  t.equal((await list(as.ministry, '?province_code=08')).json().items.length, 3)
  const csv = await list({ ...as.officer08, accept: 'text/csv' })
  t.match(csv.body, /^\uFEFFid,province_code,establishment_id,establishment_name/)
  t.equal(csv.body.trim().split('\r\n').length, 4)
  const certified = await app.inject({
    url: '/v1/establishments?has_certified_product=true',
    headers: as.officer08,
  })
  t.same(
    certified.json().items.map((e: { id: string }) => e.id),
    [estId],
  )
})

t.test('another province and the ministry', async (t) => {
  t.equal((await app.inject({ url: productsUrl, headers: as.officer01 })).statusCode, 404)
  t.equal((await app.inject({ url: productsUrl, headers: as.ministry })).statusCode, 200)
  t.equal(
    (await post(as.officer01, productsUrl, { name: 'INTRUDER', product_group: 'other' })).statusCode,
    404,
  )
  t.equal(
    (await post(as.ministry, productsUrl, { name: 'INTRUDER', product_group: 'other' })).statusCode,
    403,
  )
  t.equal((await post(as.officer01, certsUrl, cert('province', 2026, '2026-01-05'))).statusCode, 404)
  t.equal((await post(as.ministry, certsUrl, cert('province', 2026, '2026-01-05'))).statusCode, 403)
  const unknown = `/v1/establishments/${estId}/products/00000000-0000-4000-8000-000000000000/certificates`
  t.equal((await post(as.officer08, unknown, cert('province', 2026, '2026-01-05'))).statusCode, 404)
  const list = await app.inject({ url: productsUrl, headers: as.officer08 })
  t.equal(list.json().items.length, 1)
  t.equal(list.json().items[0].certificates.length, 3)
})

t.test('a created product or certificate is read at its Location, with the ETag a PATCH needs', async (t) => {
  const other = await post(as.officer08, '/v1/establishments', {
    commune_code: '00691',
    name: 'Cơ sở miến dong Bình Ca',
    kind: 'household_business',
  })
  const products = `/v1/establishments/${other.json().id}/products`
  const product = await post(as.officer08, products, { name: 'Miến dong', product_group: 'agro_food' })
  t.equal(product.statusCode, 201)
  const before = await app.inject({ url: product.headers.location as string, headers: as.officer08 })
  t.equal(before.headers.etag, product.headers.etag, 'the ETag of the version created')
  const certificate = await post(
    as.officer08,
    `${product.headers.location}/certificates`,
    cert('province', 2024, '2024-09-01'),
  )
  t.equal(certificate.statusCode, 201)
  // The product shows its certificates: one recorded is a new version of it, never a stale 304.
  const after = await app.inject({
    url: product.headers.location as string,
    headers: { ...as.officer08, 'if-none-match': before.headers.etag as string },
  })
  t.equal(after.statusCode, 200, 'the product changed with its certificate')
  t.not(after.headers.etag, before.headers.etag)
  const revoked = await app.inject({
    method: 'PATCH',
    url: certificate.headers.location as string,
    headers: {
      ...as.officer08,
      'content-type': 'application/merge-patch+json',
      'if-match': certificate.headers.etag as string,
    },
    payload: { revoked: true, revoked_reason: 'Ghi nhầm' },
  })
  t.equal(revoked.statusCode, 200, revoked.body.slice(0, 200))
  const afterRevoke = await app.inject({
    url: product.headers.location as string,
    headers: { ...as.officer08, 'if-none-match': after.headers.etag as string },
  })
  t.equal(afterRevoke.statusCode, 200, 'and with its revocation')
  t.equal(afterRevoke.json().certificates[0].revoked, true)
  for (const created of [afterRevoke, revoked]) {
    const url = `${products}/${created.json().product_id ?? created.json().id}${created === revoked ? `/certificates/${created.json().id}` : ''}`
    const read = await app.inject({ url, headers: as.officer08 })
    t.equal(read.statusCode, 200, url)
    t.equal(read.headers.etag, created.headers.etag, 'the ETag of the latest version')
    t.match(read.json(), { id: created.json().id, version: created.json().version })
    const again = await app.inject({
      url,
      headers: { ...as.officer08, 'if-none-match': read.headers.etag as string },
    })
    t.equal(again.statusCode, 304)
    t.equal((await app.inject({ url, headers: as.ministry })).statusCode, 200, 'the ministry reads it')
    t.equal((await app.inject({ url, headers: as.officer01 })).statusCode, 404, 'another province does not')
  }
  const read = await app.inject({ url: product.headers.location as string, headers: as.officer08 })
  t.equal(read.json().certificates.length, 1, 'the product with its certificate')
  // The ids must belong together: a certificate under another product, a product under another
  // establishment, are not found.
  const elsewhere = `${productsUrl}/${productId}/certificates/${certificate.json().id}`
  t.equal((await app.inject({ url: elsewhere, headers: as.officer08 })).statusCode, 404)
  const astray = `${productsUrl}/${product.json().id}`
  t.equal((await app.inject({ url: astray, headers: as.officer08 })).statusCode, 404)
})

t.test('who records which level: the province its own, the ministry regional and national', async (t) => {
  const res = await post(as.officer08, certsUrl, cert('region', 2026, '2026-01-05'))
  t.equal(res.statusCode, 403, 'a province does not record a regional certificate')
  t.match(res.json().detail, /Chỉ Bộ mới ghi nhận/)
  t.equal((await post(as.officer08, certsUrl, cert('national', 2026, '2026-01-05'))).statusCode, 403)
  t.equal((await post(as.ministry, certsUrl, cert('province', 2026, '2026-01-05'))).statusCode, 403)
  const certificates = (await app.inject({ url: productsUrl, headers: as.officer08 })).json().items[0]
    .certificates as { id: string; level: string }[]
  const regional = certificates.find((c) => c.level === 'region')
  const provincial = certificates.find((c) => c.level === 'province')
  // The database refuses too, whatever a handler would do: as the service under each caller's settings.
  const province08 = directScope('province', '08')
  const write = (s: Scope, level: string, year: number) =>
    withTenant(database.db, s, (trx) =>
      trx
        .insertInto('product_certificates')
        .values({
          product_id: productId,
          establishment_id: estId,
          province_code: '08',
          level,
          year,
          certificate_number: 'DIRECT',
          score: 90,
          issued_date: `${year}-02-01`,
        })
        .execute(),
    )
  await t.rejects(write(province08, 'region', 2027), { code: '42501' }, 'no regional insert by the province')
  await t.rejects(
    write(directScope('ministry', null), 'province', 2027),
    { code: '42501' },
    'nor provincial by the ministry',
  )
  const revokedBy = (s: Scope, id: string | undefined) =>
    withTenant(database.db, s, (trx) =>
      sql`update product_certificates set revoked = true, revoked_reason = 'DIRECT' where id = ${id} returning id`
        .execute(trx)
        .then((r) => r.rows.length),
    )
  await t.rejects(
    revokedBy(province08, regional?.id),
    { code: '42501' },
    'the province cannot revoke a regional one',
  )
  await t.rejects(
    revokedBy(directScope('ministry', null), provincial?.id),
    { code: '42501' },
    'nor the ministry a provincial one',
  )
  const after = (await app.inject({ url: productsUrl, headers: as.officer08 })).json().items[0].certificates
  t.same(after, certificates, 'nothing changed')
})

t.test('support received: the schemes that list the establishment as a beneficiary', async (t) => {
  const project = await post(as.officer08, '/v1/projects', {
    year: 2024,
    title: 'Hỗ trợ máy sao chè',
    funding_level: 'local',
    activity_contents: ['demonstration_technology'],
    implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
    beneficiary_establishment_ids: [estId],
  })
  t.equal(project.statusCode, 201, project.body)
  const stranger = await post(as.officer01, '/v1/projects', {
    year: 2024,
    title: 'Đề án của tỉnh khác',
    funding_level: 'local',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công Hà Nội',
    beneficiary_establishment_ids: [estId],
  })
  t.equal(stranger.statusCode, 400, "another province's establishment is not a beneficiary it can name")
  t.match(stranger.json(), { errors: [{ pointer: '/beneficiary_establishment_ids/0' }] })
  await post(as.officer08, '/v1/projects', {
    year: 2024,
    title: 'Đề án khác',
    funding_level: 'local',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
  })
  const url = `/v1/establishments/${estId}/projects`
  const res = await app.inject({ url, headers: as.officer08 })
  t.equal(res.statusCode, 200)
  t.match(res.json().items, [
    {
      id: project.json().id,
      title: 'Hỗ trợ máy sao chè',
      state: 'draft',
      activity_contents: ['demonstration_technology'],
    },
  ])
  t.equal(res.json().items.length, 1)
  t.equal((await app.inject({ url, headers: as.ministry })).json().items.length, 1)
  t.equal((await app.inject({ url, headers: as.officer01 })).statusCode, 404)
})

t.test('update and delete a product with If-Match; one with certificates is kept', async (t) => {
  const url = `${productsUrl}/${productId}`
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url, headers, payload })
  t.equal((await patch(as.officer08, { name: 'X' })).statusCode, 428)
  // Its certificates moved its version on: the ETag is the one read now, not the first.
  const now = (await app.inject({ url, headers: as.officer08 })).headers.etag as string
  const next = `"${Number(now.replaceAll('"', '')) + 1}"`
  t.equal(
    (await patch({ ...as.officer08, 'if-match': '"1"' }, { name: 'Y' })).statusCode,
    412,
    'a stale ETag',
  )
  const ok = await patch({ ...as.officer08, 'if-match': now }, { name: '  Chè Shan tuyết cổ thụ ' })
  t.equal(ok.statusCode, 200, ok.body)
  t.match(ok.json(), { name: 'Chè Shan tuyết cổ thụ', version: Number(next.replaceAll('"', '')) })
  t.equal(ok.json().certificates.length, 3)
  t.equal((await patch({ ...as.officer08, 'if-match': now }, { name: 'Y' })).statusCode, 412)
  t.equal((await patch({ ...as.officer01, 'if-match': next }, { name: 'INTRUDER' })).statusCode, 404)
  t.equal((await patch({ ...as.ministry, 'if-match': next }, { name: 'INTRUDER' })).statusCode, 403)
  const bad = await patch({ ...as.officer08, 'if-match': next }, { product_group: 'gems' })
  t.equal(bad.statusCode, 400)
  const del = (headers: Record<string, string>, target = url) =>
    app.inject({ method: 'DELETE', url: target, headers })
  t.equal((await del({ ...as.officer08, 'if-match': next })).statusCode, 409, 'certified products are kept')
  const spare = await post(as.officer08, productsUrl, { name: 'Chè xanh', product_group: 'agro_food' })
  const spareUrl = `${productsUrl}/${spare.json().id}`
  t.equal((await del(as.officer08, spareUrl)).statusCode, 428)
  t.equal((await del({ ...as.officer01, 'if-match': '"1"' }, spareUrl)).statusCode, 404)
  t.equal((await del({ ...as.officer08, 'if-match': '"1"' }, spareUrl)).statusCode, 204)
  const list = await app.inject({ url: productsUrl, headers: as.officer08 })
  t.same(
    list.json().items.map((p: { name: string }) => p.name),
    ['Chè Shan tuyết cổ thụ'],
  )
})
