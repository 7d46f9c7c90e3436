import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, logText } = await buildTestApp(t)
const as = await cast()

const PHONE = '0912345678'
const EMAIL = 'lienhe@gombattrang.vn'

const htx = {
  commune_code: '00691',
  name: 'Hợp tác xã Chè Shan tuyết Hồng Thái',
  kind: 'cooperative',
  tax_code: '5000123456',
  industry: 'agro_food_processing',
  vsic_code: '1076',
  address: 'Thôn Hồng Thái',
  year_founded: 2015,
  employees: 32,
  main_products: 'Chè Shan tuyết',
  phone: PHONE,
  email: EMAIL,
  priority_areas: ['highland_island_border'],
  priority_products: ['key_product'],
}

const create = (headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/establishments', headers: { ...headers, ...extra }, payload })
const list = (headers: Record<string, string>, query = '') =>
  app.inject({ url: `/v1/establishments${query}`, headers })
const names = (res: { json(): { items: { name: string }[] } }) => res.json().items.map((e) => e.name)

let id = ''
let etag = ''

t.test('a province records an establishment; it reads back with its ETag', async (t) => {
  const res = await create(as.officer08, { ...htx, origin_province_code: '02' })
  t.equal(res.statusCode, 201, res.body)
  const body = res.json()
  id = body.id
  etag = res.headers.etag as string
  t.equal(etag, '"1"')
  t.equal(res.headers.location, `/v1/establishments/${id}`)
  t.match(body, { ...htx, province_code: '08', origin_province_code: '02', status: 'active', version: 1 })
  const read = await app.inject({ url: `/v1/establishments/${id}`, headers: as.officer08 })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  t.same(read.json(), body)
})

t.test('names are stored NFC and trimmed', async (t) => {
  const nfd = '  Cơ sở Mây tre đan   Ngọc Đường '.normalize('NFD')
  const res = await create(as.officer08, {
    commune_code: '00700',
    name: nfd,
    kind: 'household_business',
    industry: 'handicrafts',
  })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.json().name, 'Cơ sở Mây tre đan Ngọc Đường')
  t.equal(res.json().tax_code, null)
})

t.test('validation failures name the field', async (t) => {
  const cases: [object, string][] = [
    [{ ...htx, tax_code: '12345' }, '/tax_code'],
    [{ ...htx, tax_code: '5000123456-12' }, '/tax_code'],
    [{ ...htx, kind: 'corporation' }, '/kind'],
    [{ ...htx, employees: -1 }, '/employees'],
    [{ ...htx, vsic_code: '123456' }, '/vsic_code'],
    [{ ...htx, phone: '12' }, '/phone'],
    [{ ...htx, priority_areas: ['nowhere'] }, '/priority_areas/0'],
    [{ ...htx, name: undefined }, '/name'],
    [{ ...htx, unknown: 1 }, '/unknown'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await create(as.officer08, {
      ...payload,
      tax_code: (payload as { tax_code?: string }).tax_code,
    })
    t.equal(res.statusCode, 400, pointer)
    t.ok(
      res.json().errors.some((e: { pointer: string }) => e.pointer.startsWith(pointer)),
      `names ${pointer}: ${res.body}`,
    )
  }
  const foreign = await create(as.officer08, { ...htx, tax_code: null, commune_code: '00004' })
  t.equal(foreign.statusCode, 400)
  t.match(foreign.json().errors, [{ pointer: '/commune_code' }])
  const origin = await create(as.officer08, { ...htx, tax_code: null, origin_province_code: '01' })
  t.equal(origin.statusCode, 400)
  t.match(origin.json().errors, [{ pointer: '/origin_province_code' }])
})

t.test('a tax code is unique among active establishments, nationwide', async (t) => {
  const twice = await create(as.officer08, { ...htx, name: 'Trùng mã số thuế' })
  t.equal(twice.statusCode, 409)
  t.match(twice.json().errors, [{ pointer: '/tax_code' }])
  // Another province cannot see it, and still cannot take the code.
  const elsewhere = await create(as.officer01, { ...htx, commune_code: '00004', name: 'Nơi khác' })
  t.equal(elsewhere.statusCode, 409)
  t.notMatch(elsewhere.body, 'Hồng Thái')
  // A closed establishment frees it.
  const closed = await create(as.officer08, {
    ...htx,
    name: 'Cơ sở đã đóng',
    tax_code: '5000999999',
    status: 'closed',
  })
  t.equal(closed.statusCode, 201)
  const again = await create(as.officer08, { ...htx, name: 'Cơ sở mới', tax_code: '5000999999' })
  t.equal(again.statusCode, 201)
  const branch = await create(as.officer08, { ...htx, name: 'Chi nhánh', tax_code: '5000123456-001' })
  t.equal(branch.statusCode, 201)
  const ext = await create(as.officer08, { ...htx, name: 'Có mã ngoài', tax_code: null, external_id: 'TQ-1' })
  t.equal(ext.statusCode, 201)
  const extTwice = await create(as.officer08, {
    ...htx,
    name: 'Có mã ngoài 2',
    tax_code: null,
    external_id: 'TQ-1',
  })
  t.equal(extTwice.statusCode, 409)
  t.match(extTwice.json().errors, [{ pointer: '/external_id' }])
})

t.test('idempotent create', async (t) => {
  const key = { 'idempotency-key': 'est-key-1' }
  const payload = { ...htx, tax_code: '5000111111', name: 'Cơ sở idempotent' }
  const first = await create(as.officer08, payload, key)
  t.equal(first.statusCode, 201)
  const replay = await create(as.officer08, payload, key)
  t.equal(replay.statusCode, 201)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.same(replay.json(), first.json())
  const other = await create(as.officer08, { ...payload, name: 'Khác' }, key)
  t.equal(other.statusCode, 422)
  const found = await list(as.officer08, '?q=idempotent&include_total=true')
  t.equal(found.json().total, 1)
})

t.test('search ignores case and diacritics, partial words, best match first', async (t) => {
  await create(as.officer08, {
    commune_code: '00694',
    name: 'Cơ sở Gốm Bát Tràng',
    kind: 'household_business',
  })
  await create(as.officer08, {
    commune_code: '00694',
    name: 'Công ty TNHH Gốm sứ Bát Tràng Hà Giang xuất khẩu',
    kind: 'sme',
  })
  for (const q of ['Bát Tràng', 'bat trang', 'BAT TRANG', 'trang', 'Bát Tràng'.normalize('NFD')]) {
    const res = await list(as.officer08, `?q=${encodeURIComponent(q)}`)
    t.equal(res.statusCode, 200)
    t.same(names(res).filter((n) => n.includes('Bát Tràng')).length, 2, `finds both with q=${q}`)
    t.equal(res.json().next_cursor, null)
  }
  const best = await list(as.officer08, '?q=gom%20bat%20trang')
  t.equal(names(best)[0], 'Cơ sở Gốm Bát Tràng', 'the closest name first')
  const withCursor = await list(as.officer08, '?q=gom&cursor=abc')
  t.equal(withCursor.statusCode, 400)
  t.match(withCursor.json().errors, [{ pointer: '/cursor' }])
  t.same(names(await list(as.officer01, '?q=bat%20trang')), [], 'another province finds none')
})

t.test('filters and keyset paging', async (t) => {
  const all = await list(as.officer08, '?include_total=true')
  const total = all.json().total
  t.ok(total >= 8)
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const res = await list(as.officer08, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
    seen.push(...res.json().items.map((e: { id: string }) => e.id))
    cursor = res.json().next_cursor
  } while (cursor)
  t.equal(seen.length, total)
  t.same([...seen].sort(), seen, 'in id order')
  t.ok(names(await list(as.officer08, '?kind=household_business')).every((n) => !n.startsWith('Hợp tác xã')))
  t.ok(names(await list(as.officer08, '?commune_code=00700')).includes('Cơ sở Mây tre đan Ngọc Đường'))
  t.ok(names(await list(as.officer08, '?industry=handicrafts')).includes('Cơ sở Mây tre đan Ngọc Đường'))
  t.equal(names(await list(as.officer08, '?status=closed')).length, 1)
  t.ok(names(await list(as.officer08, '?priority_product=key_product')).includes(htx.name))
  t.notOk(names(await list(as.officer08, '?priority_area=poor_area')).includes(htx.name))
  t.equal((await list(as.officer08, '?priority_area=nowhere')).statusCode, 400)
})

t.test('only the CNNT kinds count as CNNT establishments (Decree 45/2012 Art. 1.2)', async (t) => {
  const provider = await create(as.officer08, {
    commune_code: '00691',
    name: 'Trung tâm Tư vấn Khuyến công Hồng Thái',
    kind: 'service_provider',
  })
  t.equal(provider.statusCode, 201, provider.body)
  const cnnt = names(await list(as.officer08, '?cnnt=true&limit=500'))
  t.ok(cnnt.includes(htx.name))
  t.notOk(cnnt.includes('Trung tâm Tư vấn Khuyến công Hồng Thái'))
  t.same(names(await list(as.officer08, '?cnnt=false&limit=500')), ['Trung tâm Tư vấn Khuyến công Hồng Thái'])
  t.same(names(await list(as.officer08, '?cnnt=true&q=khuyen+cong')), [])
  const total = async (query: string) =>
    (await list(as.officer08, `?include_total=true${query}`)).json().total
  t.equal((await total('&cnnt=true')) + (await total('&cnnt=false')), await total(''))
  t.equal((await list(as.officer08, '?cnnt=maybe')).statusCode, 400)
  await app.inject({
    method: 'DELETE',
    url: `/v1/establishments/${provider.json().id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
})

t.test('update with If-Match; stale 412, missing 428', async (t) => {
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/establishments/${id}`, headers, payload })
  t.equal((await patch(as.officer08, { employees: 40 })).statusCode, 428)
  const ok = await patch(
    { ...as.officer08, 'if-match': etag },
    { employees: 40, name: '  HTX Chè Shan tuyết Hồng Thái ' },
  )
  t.equal(ok.statusCode, 200, ok.body)
  t.equal(ok.json().employees, 40)
  t.equal(ok.json().name, 'HTX Chè Shan tuyết Hồng Thái')
  t.equal(ok.headers.etag, '"2"')
  t.equal((await patch({ ...as.officer08, 'if-match': etag }, { employees: 41 })).statusCode, 412)
  const same = await patch({ ...as.officer08, 'if-match': '"2"' }, { employees: 40 })
  t.equal(same.headers.etag, '"2"', 'a no-op keeps the version')
  const badCommune = await patch({ ...as.officer08, 'if-match': '"2"' }, { commune_code: '00004' })
  t.equal(badCommune.statusCode, 400)
  t.match(badCommune.json().errors, [{ pointer: '/commune_code' }])
  const clash = await patch({ ...as.officer08, 'if-match': '"2"' }, { tax_code: '5000111111' })
  t.equal(clash.statusCode, 409)
  etag = '"2"'
})

t.test(
  'another province: 404 on read, nothing listed, writes refused; the ministry reads all, writes none',
  async (t) => {
    t.equal((await app.inject({ url: `/v1/establishments/${id}`, headers: as.officer01 })).statusCode, 404)
    t.equal(
      (
        await app.inject({
          url: '/v1/establishments/00000000-0000-4000-8000-000000000000',
          headers: as.officer08,
        })
      ).statusCode,
      404,
    )
    t.same(names(await list(as.officer01)), [])
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/establishments/${id}`,
      headers: { ...as.officer01, 'if-match': etag },
      payload: { name: 'INTRUDER' },
    })
    t.equal(patch.statusCode, 404)
    t.equal((await create(as.officer01, { ...htx, province_code: '08', tax_code: null })).statusCode, 403)
    t.ok(names(await list(as.ministry, '?province_code=08')).length >= 8)
    t.equal((await app.inject({ url: `/v1/establishments/${id}`, headers: as.ministry })).statusCode, 200)
    t.equal((await create(as.ministry, { ...htx, province_code: '08', tax_code: null })).statusCode, 403)
    const read = await app.inject({ url: `/v1/establishments/${id}`, headers: as.officer08 })
    t.equal(read.json().name, 'HTX Chè Shan tuyết Hồng Thái')
  },
)

t.test('CSV export streams every match with a BOM', async (t) => {
  const res = await list({ ...as.officer08, accept: 'text/csv' }, '?kind=cooperative')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/csv/)
  t.ok(res.body.startsWith('\uFEFFid,province_code,commune_code,name,kind,tax_code'))
  t.match(res.body, 'HTX Chè Shan tuyết Hồng Thái')
  t.match(res.body, 'highland_island_border')
  const searched = await list({ ...as.officer08, accept: 'text/csv' }, '?q=bat%20trang')
  t.equal(searched.body.trim().split('\r\n').length, 3, 'header and the two matches')
})

t.test('delete with If-Match', async (t) => {
  const del = (headers: Record<string, string>) =>
    app.inject({ method: 'DELETE', url: `/v1/establishments/${id}`, headers })
  t.equal((await del(as.officer08)).statusCode, 428)
  t.equal((await del({ ...as.officer08, 'if-match': '"1"' })).statusCode, 412)
  t.equal((await del({ ...as.officer01, 'if-match': etag })).statusCode, 404)
  t.equal((await del({ ...as.officer08, 'if-match': etag })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/establishments/${id}`, headers: as.officer08 })).statusCode, 404)
})

t.test(
  'an establishment with products is kept (409): its certificates, the ministry’s too, with it',
  async (t) => {
    const created = await create(as.officer08, {
      commune_code: '00691',
      name: 'Cơ sở có sản phẩm',
      kind: 'household_business',
    })
    t.equal(created.statusCode, 201)
    const url = created.headers.location as string
    const product = await app.inject({
      method: 'POST',
      url: `${url}/products`,
      headers: as.officer08,
      payload: { name: 'Chè búp', product_group: 'agro_food' },
    })
    t.equal(product.statusCode, 201)
    const refused = await app.inject({
      method: 'DELETE',
      url,
      headers: { ...as.officer08, 'if-match': created.headers.etag as string },
    })
    t.equal(refused.statusCode, 409, refused.body.slice(0, 200))
    t.equal(
      (await app.inject({ url: `${url}/products`, headers: as.officer08 })).json().items.length,
      1,
      'kept',
    )
    const gone = await app.inject({
      method: 'DELETE',
      url: product.headers.location as string,
      headers: { ...as.officer08, 'if-match': product.headers.etag as string },
    })
    t.equal(gone.statusCode, 204)
    const deleted = await app.inject({
      method: 'DELETE',
      url,
      headers: { ...as.officer08, 'if-match': created.headers.etag as string },
    })
    t.equal(deleted.statusCode, 204, 'without its products it goes')
  },
)

t.test('an establishment a scheme of the ministry’s own units names is kept (409)', async (t) => {
  const created = await create(as.officer08, {
    commune_code: '00691',
    name: 'Cơ sở thụ hưởng đề án của Bộ',
    kind: 'household_business',
  })
  t.equal(created.statusCode, 201)
  const scheme = await app.inject({
    method: 'POST',
    url: '/v1/projects',
    headers: { ...as.ministry, 'idempotency-key': 'kept-by-national' },
    payload: {
      run_by: 'ministry',
      province_code: '08',
      year: 2026,
      title: 'Đề án do Trung tâm Khuyến công vùng thực hiện',
      funding_level: 'central',
      activity_contents: ['training'],
      implementing_unit: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I',
      beneficiary_establishment_ids: [created.json().id],
    },
  })
  t.equal(scheme.statusCode, 201, scheme.body)
  const refused = await app.inject({
    method: 'DELETE',
    url: created.headers.location as string,
    headers: { ...as.officer08, 'if-match': created.headers.etag as string },
  })
  t.equal(refused.statusCode, 409, 'the province sees the scheme run in it, and keeps its beneficiary')
})

t.test('personal data never reaches the log, nor the audit trail', async (t) => {
  t.notMatch(logText(), PHONE)
  t.notMatch(logText(), EMAIL)
  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=establishment&entity_id=${id}`,
    headers: as.ministry,
  })
  const actions = trail.json().items.map((e: { action: string }) => e.action)
  t.same(actions.slice(0, 1), ['delete'])
  t.ok(actions.includes('create'))
  t.notMatch(trail.body, PHONE)
  t.notMatch(trail.body, EMAIL)
  t.match(trail.json().items.at(-1), {
    action: 'create',
    after: { phone: { changed: true }, email: { changed: true } },
  })
})
