import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'

const { app } = await buildTestApp(t)

t.test('lists the 34 current provinces, and the 63 former ones on request', async (t) => {
  const current = await app.inject('/v1/provinces')
  t.equal(current.statusCode, 200)
  const items = current.json().items
  t.equal(items.length, 34)
  t.ok(
    items.every(
      (p: { status: string; successor_code: null }) => p.status === 'current' && p.successor_code === null,
    ),
  )
  t.same(items[0], {
    code: '01',
    name: 'Hà Nội',
    name_en: 'Ha Noi',
    type: 'thanh_pho',
    full_name: 'Thành phố Hà Nội',
    status: 'current',
    successor_code: null,
  })

  const all = (await app.inject('/v1/provinces?include_former=true')).json().items
  t.equal(all.length, 97)
  const former = all.filter((p: { status: string }) => p.status === 'former')
  t.equal(former.length, 63)
  t.match(
    former.find((p: { code: string }) => p.code === '02'),
    { name: 'Hà Giang', successor_code: '08' },
  )
})

t.test('search ignores case and diacritics', async (t) => {
  for (const q of ['ha giang', 'Hà Giang', 'HA GIANG', 'hà GIANG', 'Ha\u0300 Giang' /* NFD */]) {
    const res = await app.inject({ url: '/v1/provinces', query: { q, include_former: 'true' } })
    t.equal(res.statusCode, 200, q)
    t.same(
      res.json().items.map((p: { code: string; status: string }) => `${p.status}:${p.code}`),
      ['former:02'],
      `q=${q}`,
    )
  }
  const dong = (await app.inject('/v1/provinces?q=dong')).json().items.map((p: { name: string }) => p.name)
  t.same(dong.sort(), ['Lâm Đồng', 'Đồng Nai', 'Đồng Tháp'].sort(), 'đ folds to d')
  const none = await app.inject('/v1/provinces?q=%25')
  t.same(none.json().items, [], 'LIKE wildcards are literal')
})

t.test('a current province lists the former provinces merged into it', async (t) => {
  const res = await app.inject('/v1/provinces/08')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.name, 'Tuyên Quang')
  t.equal(body.full_name_en, 'Tuyen Quang Province')
  t.same(
    body.former_provinces.map((p: { code: string }) => p.code),
    ['02', '08'],
  )
  t.equal(body.successor, null)

  const hcm = (await app.inject('/v1/provinces/79')).json()
  t.same(
    hcm.former_provinces.map((p: { code: string }) => p.code),
    ['74', '77', '79'],
  )
})

t.test('a former province names its successor; reused codes resolve by status', async (t) => {
  const bacGiang = (await app.inject('/v1/provinces/24?former=true')).json()
  t.match(bacGiang, { code: '24', name: 'Bắc Giang', status: 'former', successor_code: '24' })
  t.match(bacGiang.successor, { code: '24', name: 'Bắc Ninh' })
  const bacNinh = (await app.inject('/v1/provinces/24')).json()
  t.match(bacNinh, { code: '24', name: 'Bắc Ninh', status: 'current' })
  t.same(
    bacNinh.former_provinces.map((p: { name: string }) => p.name),
    ['Bắc Giang', 'Bắc Ninh'],
  )
})

t.test('dated administrative changes apply on their date', async (t) => {
  const before = (await app.inject('/v1/provinces/75?as_of=2026-04-29')).json()
  t.equal(before.type, 'tinh')
  t.equal(before.full_name, 'Tỉnh Đồng Nai')
  const after = (await app.inject('/v1/provinces/75?as_of=2026-04-30')).json()
  t.equal(after.type, 'thanh_pho')
  t.equal(after.full_name, 'Thành phố Đồng Nai')
  t.match(after.changes, [
    { field: 'type', old_value: 'tinh', new_value: 'thanh_pho', effective_date: '2026-04-30' },
    { field: 'full_name', new_value: 'Thành phố Đồng Nai' },
  ])
  const list = (await app.inject('/v1/provinces?as_of=2026-05-01')).json().items
  t.equal(list.find((p: { code: string }) => p.code === '75').type, 'thanh_pho')
  // A change whose date is unknown is listed but never applied.
  const bacNinh = (await app.inject('/v1/provinces/24?as_of=2030-01-01')).json()
  t.equal(bacNinh.type, 'tinh')
  t.match(bacNinh.changes, [{ field: 'type', new_value: 'thanh_pho', effective_date: null }])
})

t.test('names are dated: Huế was Tỉnh Thừa Thiên Huế until 31 December 2024', async (t) => {
  const hue = async (query: string) => (await app.inject(`/v1/provinces/46${query}`)).json()
  t.match(await hue('?as_of=2024-12-31'), {
    name: 'Thừa Thiên Huế',
    name_en: 'Thua Thien Hue',
    type: 'tinh',
    full_name: 'Tỉnh Thừa Thiên Huế',
    full_name_en: 'Thua Thien Hue Province',
    former_provinces: [{ code: '46', name: 'Thừa Thiên Huế', full_name: 'Tỉnh Thừa Thiên Huế' }],
  })
  const city = await hue('?as_of=2025-01-01')
  t.match(city, { name: 'Huế', type: 'thanh_pho', full_name: 'Thành phố Huế', full_name_en: 'Hue City' })
  t.match(city.changes, [
    { field: 'name', old_value: 'Thừa Thiên Huế', new_value: 'Huế', effective_date: '2025-01-01' },
  ])
  t.ok(city.changes.every((c: { legal_basis: string }) => c.legal_basis === 'Nghị quyết 175/2024/QH15'))
  t.equal((await hue('')).full_name, 'Thành phố Huế', 'today')
  t.match(await hue('?former=true&as_of=2024-06-30'), {
    status: 'former',
    name: 'Thừa Thiên Huế',
    type: 'tinh',
    successor: { code: '46', name: 'Thừa Thiên Huế', full_name: 'Tỉnh Thừa Thiên Huế' },
    changes: [{ field: 'name', old_value: 'Thừa Thiên Huế' }],
  })
  t.equal((await hue('?former=true&as_of=2025-03-01')).full_name, 'Thành phố Huế')

  const list = async (query: string) =>
    (await app.inject(`/v1/provinces?include_former=true&${query}`)).json().items as {
      code: string
      status: string
      full_name: string
    }[]
  t.same(
    (await list('as_of=2024-01-01&q=thua+thien')).map((p) => [p.status, p.full_name]),
    [
      ['current', 'Tỉnh Thừa Thiên Huế'],
      ['former', 'Tỉnh Thừa Thiên Huế'],
    ],
  )
  t.same(await list('q=thua+thien'), [], 'today the name is Huế')
  // Reused codes keep their own history: former 24 is Bắc Giang, whatever happens to current 24.
  const bacGiang = (await app.inject('/v1/provinces/24?former=true&as_of=2024-01-01')).json()
  t.match(bacGiang, { name: 'Bắc Giang', changes: [] })
})

t.test('ETag and conditional reads', async (t) => {
  const first = await app.inject('/v1/provinces/01')
  const etag = first.headers.etag as string
  t.match(etag, /^"[\w-]+"$/)
  const again = await app.inject({ url: '/v1/provinces/01', headers: { 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  const weak = await app.inject({ url: '/v1/provinces/01', headers: { 'if-none-match': `"x", W/${etag}` } })
  t.equal(weak.statusCode, 304, 'weak comparison in a list')
  const other = await app.inject({ url: '/v1/provinces/08', headers: { 'if-none-match': etag } })
  t.equal(other.statusCode, 200)
  t.not(other.headers.etag, etag)
})

t.test('bad input', async (t) => {
  const cases: [string, number, string, string][] = [
    ['/v1/provinces/abc', 400, 'params', '/code'],
    ['/v1/provinces/1', 400, 'params', '/code'],
    ['/v1/provinces?include_former=maybe', 400, 'query', '/include_former'],
    ['/v1/provinces?as_of=2026-13-01', 400, 'query', '/as_of'],
    ['/v1/provinces?colour=red', 400, 'query', '/colour'],
  ]
  for (const [url, status, where, pointer] of cases) {
    const res = await app.inject(url)
    t.equal(res.statusCode, status, url)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', url)
    t.match(
      res.json(),
      { type: '/problems/validation_failed', status, errors: [{ in: where, pointer }] },
      url,
    )
  }
  const unknown = await app.inject('/v1/provinces/99')
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { type: '/problems/not_found', code: 'not_found', detail: /99/ })
  const formerOnly = await app.inject('/v1/provinces/02')
  t.equal(formerOnly.statusCode, 404, '02 is only a former province')
  t.equal((await app.inject('/v1/provinces/79?former=true')).statusCode, 200)
  t.equal((await app.inject('/v1/provinces/05?former=true')).statusCode, 404)
})

t.test('a former province’s code answers 404 naming its successor and the former record', async (t) => {
  const haGiang = await app.inject('/v1/provinces/02')
  t.equal(haGiang.statusCode, 404)
  t.match(haGiang.json(), {
    type: '/problems/not_found',
    code: 'not_found',
    detail: /Hà Giang.*Tuyên Quang \(mã 08\)/,
    successor: { code: '08', name: 'Tuyên Quang', href: '/v1/provinces/08' },
    former: { code: '02', name: 'Hà Giang', href: '/v1/provinces/02?former=true' },
  })
  const english = await app.inject({ url: '/v1/provinces/02', headers: { 'accept-language': 'en' } })
  t.match(english.json().detail, /former province Hà Giang's, merged into Tuyên Quang \(code 08\)/)
  const { successor, former } = haGiang.json()
  t.match(
    (await app.inject(successor.href)).json(),
    { code: '08', status: 'current' },
    'the successor’s link',
  )
  t.match(
    (await app.inject(former.href)).json(),
    { code: '02', status: 'former' },
    'the former record’s link',
  )
  const communes = await app.inject('/v1/provinces/02/communes')
  t.equal(communes.statusCode, 404)
  t.match(communes.json(), { successor: { code: '08' }, former: { code: '02' } }, 'its communes too')
  const unknown = (await app.inject('/v1/provinces/99')).json()
  t.notOk('successor' in unknown || 'former' in unknown, 'a code no province had names none')
})

t.test('a current province whose code was another former province’s says so', async (t) => {
  const bacNinh = (await app.inject('/v1/provinces/24')).json()
  t.match(bacNinh, {
    code: '24',
    name: 'Bắc Ninh',
    code_reused_from: { code: '24', name: 'Bắc Giang', href: '/v1/provinces/24?former=true' },
  })
  t.equal((await app.inject('/v1/provinces/01')).json().code_reused_from, null, 'Hà Nội kept its own code')
  t.equal((await app.inject('/v1/provinces/24?former=true')).json().code_reused_from, null)
})
