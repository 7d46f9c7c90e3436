// Coverage computed exactly on a hand-built network in province 08 (124 communes), on one date.
import t from 'tap'
import { todayInVietnam } from '../../../src/lib/schemas.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

const DATE = '2025-03-01'
// Communes of province 08 and what covers them on DATE.
const ONE = '00691' // one active collaborator
const SEVERAL = '00694' // three active collaborators
const ENDED = '00700' // only a collaborator who ended the day before
const LATER = '00706' // only a collaborator who starts the day after
const SUSPENDED = '00715' // only a suspended collaborator
const STARTS_ON = '00721' // only a collaborator who starts on DATE
const ENDS_ON = '00733' // only a collaborator who ends on DATE
const COVERED = [ONE, SEVERAL, STARTS_ON, ENDS_ON]

async function collaborator(headers: Record<string, string>, full_name: string, body: object) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/collaborators',
    headers,
    payload: { full_name, ...body },
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

await collaborator(as.officer08, 'Một', { start_date: '2024-01-01', communes: [ONE, SEVERAL] })
await collaborator(as.officer08, 'Hai', {
  start_date: '2023-01-01',
  end_date: '2025-12-31',
  communes: [SEVERAL],
})
await collaborator(as.officer08, 'Ba', { start_date: '2025-01-01', communes: [SEVERAL] })
await collaborator(as.officer08, 'Đã nghỉ', {
  start_date: '2022-01-01',
  end_date: '2025-02-28',
  status: 'ended',
  communes: [ENDED, SEVERAL],
})
await collaborator(as.officer08, 'Sắp tới', { start_date: '2025-03-02', communes: [LATER] })
await collaborator(as.officer08, 'Tạm dừng', {
  start_date: '2020-01-01',
  status: 'suspended',
  communes: [SUSPENDED],
})
await collaborator(as.officer08, 'Bắt đầu', { start_date: DATE, communes: [STARTS_ON] })
await collaborator(as.officer08, 'Kết thúc', {
  start_date: '2020-01-01',
  end_date: DATE,
  status: 'ended',
  communes: [ENDS_ON],
})
await collaborator(as.officer08, 'Không địa bàn', { start_date: '2020-01-01' })
await collaborator(as.officer01, 'Hà Nội', { start_date: '2020-01-01', communes: ['00004'] })

const all08 = (await app.inject('/v1/provinces/08/communes?limit=500'))
  .json()
  .items.map((c: { code: string }) => c.code) as string[]

const coverage = (headers: Record<string, string>, query: string, province = '08') =>
  app.inject({ url: `/v1/provinces/${province}/collaborator-coverage${query}`, headers })

t.test('every figure of a province on a date, exactly', async (t) => {
  t.equal(all08.length, 124)
  const res = await coverage(as.officer08, `?date=${DATE}&limit=50`)
  t.equal(res.statusCode, 200)
  const first = res.json()
  t.match(first, {
    province_code: '08',
    province_name: 'Tuyên Quang',
    date: DATE,
    commune_count: 124,
    covered_count: 4,
    uncovered_count: 120,
    share: 0.0323, // 4 / 124 = 0.032258…
  })
  t.equal(first.items.length, 50)
  t.match(res.headers.link, /rel="next"/)

  const uncovered: string[] = first.items.map((c: { code: string }) => c.code)
  let cursor = first.next_cursor
  while (cursor) {
    const page = (await coverage(as.officer08, `?date=${DATE}&limit=50&cursor=${cursor}`)).json()
    t.equal(page.covered_count, 4, 'the figures on every page')
    uncovered.push(...page.items.map((c: { code: string }) => c.code))
    cursor = page.next_cursor
  }
  t.same(uncovered, all08.filter((code) => !COVERED.includes(code)).sort(), 'the 120 uncovered, by code')
  for (const code of [ENDED, LATER, SUSPENDED]) t.ok(uncovered.includes(code), `${code} is uncovered`)
  t.match(first.items[0], {
    code: String,
    name: String,
    full_name: String,
    type: String,
    province_code: '08',
  })
})

t.test('the same network on other dates', async (t) => {
  const dayBefore = (await coverage(as.officer08, '?date=2025-02-28&limit=500')).json()
  // ONE and SEVERAL (Một, Hai, Đã nghỉ), ENDED (Đã nghỉ's last day), ENDS_ON; not STARTS_ON.
  t.match(dayBefore, { covered_count: 4, uncovered_count: 120, share: 0.0323 })
  const uncovered = dayBefore.items.map((c: { code: string }) => c.code)
  t.ok(uncovered.includes(STARTS_ON))
  t.notOk(uncovered.includes(ENDED))

  const dayAfter = (await coverage(as.officer08, '?date=2025-03-02&limit=500')).json()
  // ONE, SEVERAL, LATER (Sắp tới starts), STARTS_ON; ENDS_ON has ended.
  t.match(dayAfter, { covered_count: 4 })
  t.same(
    all08.filter((c) => !dayAfter.items.some((u: { code: string }) => u.code === c)),
    [ONE, SEVERAL, LATER, STARTS_ON].sort(),
  )

  const longAgo = (await coverage(as.officer08, '?date=2019-12-31&limit=1')).json()
  t.match(longAgo, { covered_count: 0, uncovered_count: 124, share: 0 })

  const today = (await coverage(as.officer08, '?limit=1')).json()
  t.equal(today.date, todayInVietnam(), 'the date defaults to today in Vietnam')
})

t.test('a province reads only its own coverage; the ministry any', async (t) => {
  const foreign = await coverage(as.officer01, `?date=${DATE}`)
  t.equal(foreign.statusCode, 404)
  t.notMatch(foreign.body, /Tuyên Quang|00691/)
  const own = (await coverage(as.officer01, `?date=${DATE}&limit=1`, '01')).json()
  t.match(own, { province_code: '01', commune_count: 126, covered_count: 1, share: 0.0079 })
  const ministry = (await coverage(as.ministry, `?date=${DATE}&limit=1`)).json()
  t.match(ministry, { province_code: '08', covered_count: 4, share: 0.0323 })
  t.equal((await coverage(as.reader08, `?date=${DATE}`)).statusCode, 200, 'reading needs no write scope')
  t.equal((await coverage(as.ministry, '', '99')).statusCode, 404, 'no such province')
  const bad = await coverage(as.officer08, '?date=2025-13-01')
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ in: 'query', pointer: '/date' }] })
  t.equal((await coverage({}, '')).statusCode, 401)
})

t.test('national coverage: one row per province, sortable by share', async (t) => {
  const res = await app.inject({ url: `/v1/collaborator-coverage?date=${DATE}`, headers: as.ministry })
  t.equal(res.statusCode, 200)
  const { date, items } = res.json()
  t.equal(date, DATE)
  t.equal(items.length, 34)
  t.equal(
    items.reduce((n: number, r: { commune_count: number }) => n + r.commune_count, 0),
    3321,
    'every commune once',
  )
  t.same(
    items.map((r: { province_code: string }) => r.province_code),
    [...items.map((r: { province_code: string }) => r.province_code)].sort(),
    'by province code by default',
  )
  const row08 = items.find((r: { province_code: string }) => r.province_code === '08')
  t.same(row08, {
    province_code: '08',
    province_name: 'Tuyên Quang',
    commune_count: 124,
    covered_count: 4,
    uncovered_count: 120,
    share: 0.0323,
  })
  const others = items.filter((r: { province_code: string }) => !['01', '08'].includes(r.province_code))
  t.ok(others.every((r: { covered_count: number; share: number }) => r.covered_count === 0 && r.share === 0))

  const ranked = (
    await app.inject({ url: `/v1/collaborator-coverage?date=${DATE}&sort=-share`, headers: as.ministry })
  ).json().items
  t.same(
    ranked.slice(0, 3).map((r: { province_code: string }) => r.province_code),
    ['08', '01', '04'],
  )
  const ascending = (
    await app.inject({ url: `/v1/collaborator-coverage?date=${DATE}&sort=share`, headers: as.ministry })
  ).json().items
  t.same(
    ascending.slice(-2).map((r: { province_code: string }) => r.province_code),
    ['01', '08'],
  )
  const bad = await app.inject({ url: '/v1/collaborator-coverage?sort=name', headers: as.ministry })
  t.match(bad.json(), { errors: [{ in: 'query', pointer: '/sort' }] })
})

t.test('a province officer gets only their own row', async (t) => {
  const own = (
    await app.inject({ url: `/v1/collaborator-coverage?date=${DATE}`, headers: as.officer08 })
  ).json()
  t.same(
    own.items.map((r: { province_code: string }) => r.province_code),
    ['08'],
  )
  const other = (
    await app.inject({ url: `/v1/collaborator-coverage?date=${DATE}`, headers: as.officer01 })
  ).json()
  t.same(other.items, [
    {
      province_code: '01',
      province_name: 'Hà Nội',
      commune_count: 126,
      covered_count: 1,
      uncovered_count: 125,
      share: 0.0079,
    },
  ])
})

t.test('coverage follows the network: ending the last collaborator uncovers the commune', async (t) => {
  const list = await app.inject({
    url: `/v1/collaborators?commune_code=${STARTS_ON}`,
    headers: as.officer08,
  })
  const [starter] = list.json().items
  const ended = await app.inject({
    method: 'PATCH',
    url: `/v1/collaborators/${starter.id}`,
    headers: { ...as.officer08, 'if-match': `"${starter.version}"` },
    payload: { status: 'suspended' },
  })
  t.equal(ended.statusCode, 200)
  const after = (await coverage(as.officer08, `?date=${DATE}&limit=1`)).json()
  t.match(after, { covered_count: 3, uncovered_count: 121, share: 0.0242 })
})

t.test('a former province’s code answers 404 naming its successor', async (t) => {
  const res = await app.inject({ url: '/v1/provinces/02/collaborator-coverage', headers: as.ministry })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { successor: { code: '08', href: '/v1/provinces/08' }, former: { code: '02' } })
  const unknown = await app.inject({ url: '/v1/provinces/99/collaborator-coverage', headers: as.ministry })
  t.equal(unknown.statusCode, 404)
  t.notOk('successor' in unknown.json())
})
