import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { createScheme } from '../../helpers/records.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()
const SCHEME = await createScheme(app, as.officer08)
const SCHEME_OF_01 = await createScheme(app, as.officer01)

const report = {
  channel: 'television',
  date: '2024-09-12',
  title: 'Phóng sự “Khuyến công đồng hành cùng doanh nghiệp nông thôn”, phát lúc 20h',
  reach: 25000,
  reach_unit: 'viewers',
  cost: 45_000_000,
}

const create = (headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/communication-activities',
    headers: { ...headers, ...extra },
    payload,
  })

let id = ''
let etag = ''

t.test('a province records an activity; it reads back with its ETag', async (t) => {
  const res = await create(as.officer08, {
    ...report,
    origin_province_code: '02',
    project_id: SCHEME,
  })
  t.equal(res.statusCode, 201, res.body)
  const activity = res.json()
  id = activity.id
  etag = res.headers.etag as string
  t.equal(res.headers.location, `/v1/communication-activities/${id}`)
  t.equal(etag, '"1"')
  t.match(activity, {
    ...report,
    province_code: '08',
    origin_province_code: '02',
    is_digital: false,
    description: null,
    project_id: SCHEME,
    version: 1,
  })
  t.equal(typeof activity.cost, 'number', 'money is a JSON number, not a string')

  const read = await app.inject({ url: `/v1/communication-activities/${id}`, headers: as.officer08 })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  t.same(read.json(), activity)
})

t.test('is_digital defaults from the channel and can be overridden', async (t) => {
  const portal = await create(as.officer08, {
    channel: 'web_portal',
    date: '2024-03-01',
    title: 'Tin bài trên Cổng thông tin',
  })
  t.equal(portal.statusCode, 201)
  t.match(portal.json(), { is_digital: true, reach: null, reach_unit: null, cost: null })
  const social = await create(as.officer08, {
    channel: 'social_media',
    date: '2023-11-20',
    title: 'Video trên Fanpage',
    reach: 120_000,
    reach_unit: 'views',
  })
  t.equal(social.statusCode, 400, 'views is not a reach unit')
  const fanpage = await create(as.officer08, {
    channel: 'social_media',
    date: '2023-11-20',
    title: 'Video trên Fanpage',
    reach: 120_000,
    reach_unit: 'visits',
  })
  t.equal(fanpage.json().is_digital, true)
  const streamed = await create(as.officer08, {
    channel: 'event',
    is_digital: true,
    date: '2024-10-05',
    title: 'Hội nghị trực tuyến',
    reach: 300,
    reach_unit: 'participants',
    cost: 0,
  })
  t.equal(streamed.statusCode, 201)
  t.match(streamed.json(), { is_digital: true, cost: 0 })
  const printed = await create(as.officer08, {
    channel: 'web_portal',
    is_digital: false,
    date: '2024-04-01',
    title: 'Bản tin in lại từ Cổng thông tin',
  })
  t.equal(printed.json().is_digital, false, 'an explicit false wins over the channel')

  const patch = (pid: string, version: string, payload: object) =>
    app.inject({
      method: 'PATCH',
      url: `/v1/communication-activities/${pid}`,
      headers: { ...as.officer08, 'if-match': version },
      payload,
    })
  const moved = await patch(portal.json().id, '"1"', { channel: 'print' })
  t.equal(moved.statusCode, 200)
  t.equal(moved.json().is_digital, false, 'a new channel derives is_digital again')
  const kept = await patch(portal.json().id, '"2"', { channel: 'social_media', is_digital: false })
  t.equal(kept.json().is_digital, false, 'unless the patch says otherwise')
  const sameChannel = await patch(printed.json().id, '"1"', { channel: 'web_portal', title: 'Bản tin' })
  t.equal(sameChannel.json().is_digital, false, 'the same channel keeps an override')
})

t.test('filters: year, channel, is_digital, province', async (t) => {
  const list = async (query: string) =>
    (await app.inject({ url: `/v1/communication-activities?${query}`, headers: as.officer08 }))
      .json()
      .items.map((a: { date: string }) => a.date)
  t.same(await list('year=2023'), ['2023-11-20'])
  t.same(await list('year=2024'), ['2024-10-05', '2024-09-12', '2024-04-01', '2024-03-01'], 'newest first')
  t.same(await list('channel=television'), ['2024-09-12'])
  t.same(await list('is_digital=true'), ['2024-10-05', '2023-11-20'])
  t.same(await list('is_digital=false&year=2024'), ['2024-09-12', '2024-04-01', '2024-03-01'])
  t.same(await list('province_code=01'), [])
  const first = await app.inject({ url: '/v1/communication-activities?limit=2', headers: as.officer08 })
  const second = await app.inject({
    url: `/v1/communication-activities?limit=2&cursor=${first.json().next_cursor}`,
    headers: as.officer08,
  })
  t.same(
    [...first.json().items, ...second.json().items].map((a: { date: string }) => a.date),
    ['2024-10-05', '2024-09-12', '2024-04-01', '2024-03-01'],
  )
  for (const bad of ['year=24', 'channel=tiktok', 'is_digital=maybe']) {
    const res = await app.inject({ url: `/v1/communication-activities?${bad}`, headers: as.officer08 })
    t.equal(res.statusCode, 400, bad)
    t.match(res.json(), { errors: [{ in: 'query', pointer: `/${bad.split('=')[0]}` }] })
  }
})

t.test('every validation failure names its field', async (t) => {
  const cases: [object, string][] = [
    [{ ...report, channel: 'tiktok' }, '/channel'],
    [{ ...report, channel: undefined }, '/channel'],
    [{ ...report, date: '2024-02-30' }, '/date'],
    [{ ...report, date: undefined }, '/date'],
    [{ ...report, title: '' }, '/title'],
    [{ ...report, reach: -1 }, '/reach'],
    [{ ...report, reach: 1.5 }, '/reach'],
    [{ ...report, reach_unit: 'likes' }, '/reach_unit'],
    [{ ...report, reach_unit: undefined }, '/reach_unit'],
    [{ ...report, reach: undefined }, '/reach'],
    [{ ...report, cost: -1 }, '/cost'],
    [{ ...report, cost: 1000.5 }, '/cost'],
    [{ ...report, cost: 2 ** 53 }, '/cost'],
    [{ ...report, is_digital: 'maybe' }, '/is_digital'],
    [{ ...report, project_id: 'DA-01' }, '/project_id'],
    [{ ...report, project_id: SCHEME_OF_01 }, '/project_id'],
    [{ ...report, province_code: '8' }, '/province_code'],
    [{ ...report, origin_province_code: '01' }, '/origin_province_code'],
    [{ ...report, colour: 'red' }, '/colour'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await create(as.officer08, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
})

t.test('Idempotency-Key: a retry returns the first result, never a duplicate', async (t) => {
  const key = { 'idempotency-key': 'comm-retry-1' }
  const payload = {
    channel: 'radio',
    date: '2022-06-15',
    title: 'Chuyên mục khuyến công',
    origin_province_code: '02',
  }
  const first = await create(as.officer08, payload, key)
  const second = await create(as.officer08, payload, key)
  t.equal(first.statusCode, 201)
  t.equal(second.statusCode, 201)
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.equal(second.headers.location, first.headers.location)
  t.same(second.json(), first.json())
  const list = await app.inject({ url: '/v1/communication-activities?channel=radio', headers: as.officer08 })
  t.equal(list.json().items.length, 1, 'one activity, not two')
  const other = await create(as.officer08, { ...payload, title: 'Khác' }, key)
  t.equal(other.statusCode, 422)
  t.match(other.json(), { errors: [{ in: 'headers', pointer: '/idempotency-key' }] })
})

t.test('updates need the current ETag', async (t) => {
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/communication-activities/${id}`, headers, payload })
  const missing = await patch(as.officer08, { reach: 1 })
  t.equal(missing.statusCode, 428)
  const ok = await patch(
    { ...as.officer08, 'if-match': etag },
    { reach: 31_000, description: 'Phát lại 2 lần' },
  )
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"2"')
  t.match(ok.json(), { reach: 31_000, reach_unit: 'viewers', description: 'Phát lại 2 lần', version: 2 })
  const stale = await patch({ ...as.officer08, 'if-match': etag }, { reach: 1 })
  t.equal(stale.statusCode, 412)
  t.equal(stale.headers.etag, '"2"')
  const same = await patch({ ...as.officer08, 'if-match': '"2"' }, { reach: 31_000 })
  t.equal(same.headers.etag, '"2"', 'a patch that changes nothing keeps the version')
  const orphan = await patch({ ...as.officer08, 'if-match': '"2"' }, { reach_unit: null })
  t.equal(orphan.statusCode, 400)
  t.match(orphan.json(), { errors: [{ pointer: '/reach_unit' }] })
  const cleared = await patch(
    { ...as.officer08, 'if-match': '"2"' },
    { reach: null, reach_unit: null, cost: null },
  )
  t.equal(cleared.statusCode, 200)
  t.match(cleared.json(), { reach: null, reach_unit: null, cost: null, version: 3 })
  const restored = await patch(
    { ...as.officer08, 'if-match': '"3"' },
    { reach: 31_000, reach_unit: 'viewers', cost: 45_000_000 },
  )
  t.equal(restored.statusCode, 200)
  etag = '"4"'
  const empty = await patch({ ...as.officer08, 'if-match': etag }, {})
  t.equal(empty.statusCode, 400)
})

t.test('not found', async (t) => {
  const res = await app.inject({
    url: '/v1/communication-activities/00000000-0000-4000-8000-000000000000',
    headers: as.officer08,
  })
  t.equal(res.statusCode, 404)
  const del = await app.inject({
    method: 'DELETE',
    url: '/v1/communication-activities/00000000-0000-4000-8000-000000000000',
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(del.statusCode, 404)
})

t.test('another province: 404 on read, refusal on write, nothing changed', async (t) => {
  const own = await create(as.officer01, { channel: 'print', date: '2024-05-05', title: 'Báo Hà Nội mới' })
  t.equal(own.statusCode, 201)
  const read = await app.inject({ url: `/v1/communication-activities/${id}`, headers: as.officer01 })
  t.equal(read.statusCode, 404)
  t.notMatch(read.body, /Phóng sự/)
  const list = await app.inject({ url: '/v1/communication-activities', headers: as.officer01 })
  t.same(
    list.json().items.map((a: { title: string }) => a.title),
    ['Báo Hà Nội mới'],
  )
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/communication-activities/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
    payload: { title: 'Hijacked' },
  })
  t.equal(patch.statusCode, 404)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/communication-activities/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
  })
  t.equal(del.statusCode, 404)
  const into = await create(as.officer01, { ...report, province_code: '08' })
  t.equal(into.statusCode, 403)
  const after = await app.inject({ url: `/v1/communication-activities/${id}`, headers: as.officer08 })
  t.equal(after.json().title, report.title)
  t.equal(after.headers.etag, etag)
})

t.test('the ministry reads every province but writes none', async (t) => {
  const all = await app.inject({
    url: '/v1/communication-activities?include_total=true',
    headers: as.ministry,
  })
  t.equal(all.json().total, 7)
  const provinces = new Set(all.json().items.map((a: { province_code: string }) => a.province_code))
  t.same([...provinces].sort(), ['01', '08'])
  const one = await app.inject({ url: `/v1/communication-activities/${id}`, headers: as.ministry })
  t.equal(one.statusCode, 200)
  const write = await create(as.ministry, { ...report, province_code: '08' })
  t.equal(write.statusCode, 403)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/communication-activities/${id}`,
    headers: { ...as.ministry, 'if-match': etag },
  })
  t.equal(del.statusCode, 403)
  const readOnly = await create(as.reader08, report)
  t.equal(readOnly.statusCode, 403)
})

t.test('CSV export streams every match', async (t) => {
  const res = await app.inject({
    url: '/v1/communication-activities?year=2024',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.match(res.headers['content-disposition'], /attachment; filename="communication-activities.csv"/)
  t.ok(res.body.startsWith('\uFEFFid,province_code,channel,is_digital,date,title,'))
  const lines = res.body.trimEnd().split('\r\n')
  t.equal(lines.length - 1, 4, 'every 2024 row of the province')
  t.match(res.body, /,45000000,/, 'cost as digits')
  t.match(res.body, /"Phóng sự “Khuyến công đồng hành cùng doanh nghiệp nông thôn”, phát lúc 20h"/)
  t.notMatch(res.body, /Hà Nội/)
})

t.test('deleting needs the ETag and leaves an audit trail', async (t) => {
  const noMatch = await app.inject({
    method: 'DELETE',
    url: `/v1/communication-activities/${id}`,
    headers: as.officer08,
  })
  t.equal(noMatch.statusCode, 428)
  const stale = await app.inject({
    method: 'DELETE',
    url: `/v1/communication-activities/${id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(stale.statusCode, 412)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/communication-activities/${id}`,
    headers: { ...as.officer08, 'if-match': etag },
  })
  t.equal(del.statusCode, 204)
  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=communication_activity&entity_id=${id}`,
    headers: as.officer08,
  })
  t.same(
    trail.json().items.map((e: { action: string }) => e.action),
    ['delete', 'update', 'update', 'update', 'create'],
  )
  t.match(trail.json().items[4], { after: { cost: 45_000_000 } }, 'money is a number in the trail too')
})
