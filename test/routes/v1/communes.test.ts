import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'

const { app } = await buildTestApp(t)

interface Commune {
  code: string
  name: string
  type: string
  province_code: string
}

t.test('pages through all 3,321 communes with no duplicate and no gap', async (t) => {
  const seen: string[] = []
  let url: string | undefined = '/v1/communes?limit=500&include_total=true'
  let pages = 0
  while (url) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200)
    const body = res.json()
    if (pages === 0) t.equal(body.total, 3321)
    seen.push(...body.items.map((c: Commune) => c.code))
    const link = res.headers.link as string | undefined
    if (body.next_cursor) {
      t.match(link, /^<\/v1\/communes\?limit=500&include_total=true&cursor=[\w-]+>; rel="next"$/)
      url = link?.slice(1, link.indexOf('>'))
    } else {
      t.equal(link, undefined, 'no next link on the last page')
      url = undefined
    }
    pages++
  }
  t.equal(pages, 7)
  t.equal(seen.length, 3321)
  t.equal(new Set(seen).size, 3321, 'no duplicates')
  t.same(seen, [...seen].sort(), 'sorted by code')
})

t.test('the communes of one province, by search and type', async (t) => {
  const res = await app.inject('/v1/provinces/01/communes?q=bat%20trang')
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    items: [
      {
        code: '00577',
        name: 'Bát Tràng',
        name_en: 'Bat Trang',
        type: 'xa',
        full_name: 'Xã Bát Tràng',
        province_code: '01',
      },
    ],
    next_cursor: null,
  })
  for (const q of ['BÁT TRÀNG', 'Bát Tràng', 'bat', 'trang']) {
    const codes = (await app.inject({ url: '/v1/provinces/01/communes', query: { q } }))
      .json()
      .items.map((c: Commune) => c.code)
    t.ok(codes.includes('00577'), `q=${q} finds Bát Tràng`)
  }

  const all = (await app.inject('/v1/provinces/01/communes?limit=500&include_total=true')).json()
  const wards = (
    await app.inject('/v1/provinces/01/communes?limit=500&type=phuong&include_total=true')
  ).json()
  t.ok(all.items.every((c: Commune) => c.province_code === '01'))
  t.equal(all.total, all.items.length)
  t.ok(wards.items.length > 0 && wards.items.every((c: Commune) => c.type === 'phuong'))
  t.ok(wards.total < all.total)

  const special = (await app.inject('/v1/communes?type=dac_khu&limit=500')).json().items
  t.equal(special.length, 13, '13 special zones nationwide')
})

t.test('a commune changes type on its date', async (t) => {
  const before = (await app.inject('/v1/communes/25270?as_of=2026-04-29')).json()
  t.match(before, { name: 'Lộc Ninh', type: 'xa', full_name: 'Xã Lộc Ninh', province: { code: '75' } })
  const after = (await app.inject('/v1/communes/25270?as_of=2026-04-30')).json()
  t.match(after, { type: 'phuong', full_name: 'Phường Lộc Ninh' })
  const wardsOn = async (date: string) =>
    (await app.inject(`/v1/provinces/75/communes?type=phuong&limit=500&as_of=${date}`)).json().items.length
  t.equal((await wardsOn('2026-04-30')) - (await wardsOn('2026-04-29')), 10, 'ten communes became wards')
})

t.test('a commune, and ETag revalidation', async (t) => {
  const res = await app.inject('/v1/communes/00577')
  t.equal(res.statusCode, 200)
  t.match(res.json(), { code: '00577', province: { code: '01', name: 'Hà Nội' }, changes: [] })
  const again = await app.inject({
    url: '/v1/communes/00577',
    headers: { 'if-none-match': res.headers.etag },
  })
  t.equal(again.statusCode, 304)
})

t.test('bad input never answers 500', async (t) => {
  const cases: [string, string, string][] = [
    ['/v1/communes/12', 'params', '/code'],
    ['/v1/communes/abcde', 'params', '/code'],
    ['/v1/communes?limit=0', 'query', '/limit'],
    ['/v1/communes?limit=100000', 'query', '/limit'],
    ['/v1/communes?limit=ten', 'query', '/limit'],
    ['/v1/communes?type=village', 'query', '/type'],
    ['/v1/communes?province_code=1', 'query', '/province_code'],
    ['/v1/communes?cursor=not-a-cursor', 'query', '/cursor'],
    ['/v1/communes?cursor=WyIwMDAwOCJ', 'query', '/cursor'], // truncated
    [`/v1/communes?cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'query', '/cursor'], // forged shape
    [`/v1/communes?cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'query', '/cursor'],
    ['/v1/provinces/01/communes?q=', 'query', '/q'],
  ]
  for (const [url, where, pointer] of cases) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: where, pointer }] }, url)
  }
  const typeError = (await app.inject('/v1/communes?type=village')).json()
  t.match(typeError.errors[0].detail, /xa, phuong, dac_khu/, 'enum errors list the allowed values')

  const multi = (await app.inject('/v1/communes?limit=0&type=x')).json()
  t.same(
    multi.errors.map((e: { pointer: string }) => e.pointer).sort(),
    ['/limit', '/type'],
    'every failing field',
  )

  t.equal((await app.inject('/v1/communes/99999')).statusCode, 404)
  t.equal((await app.inject('/v1/provinces/99/communes')).statusCode, 404)
  t.equal(
    (await app.inject('/v1/provinces/02/communes')).statusCode,
    404,
    'a former province has no communes now',
  )
})
