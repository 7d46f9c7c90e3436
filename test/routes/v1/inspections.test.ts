import { sql } from 'kysely'
import t from 'tap'
import { withTenant } from '../../../src/db/tenancy.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { createEstablishment, createScheme } from '../../helpers/records.ts'
import { directScope } from '../../helpers/scopes.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()

const SCHEME = await createScheme(app, as.officer08, 'Đề án máy chế biến chè')
const OTHER_SCHEME = await createScheme(app, as.officer08, 'Đề án hội chợ')
const SCHEME_OF_01 = await createScheme(app, as.officer01, 'Đề án của Hà Nội')
const SHOP = await createEstablishment(app, as.officer08, '00691', 'Hợp tác xã Chè Hồng Thái')
const SHOP_OF_01 = await createEstablishment(app, as.officer01, '00577', 'Hộ gốm Bát Tràng')

const visit = {
  kind: 'inspection',
  inspection_date: '2024-09-10',
  inspecting_body: 'Sở Công Thương tỉnh Tuyên Quang',
  project_ids: [SCHEME],
  establishment_ids: [SHOP],
  findings: 'Đề án đúng tiến độ, hồ sơ thanh toán còn thiếu biên bản nghiệm thu từng phần.',
  conclusion: 'Đạt yêu cầu',
  rating: 'good',
  follow_ups: [
    { action: 'Bổ sung hồ sơ nghiệm thu', due_date: '2024-09-30', status: 'open' },
    { action: 'Báo cáo kết quả', due_date: '2024-10-15', status: 'done', done_date: '2024-10-01' },
  ],
}

const create = (headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/inspections', headers: { ...headers, ...extra }, payload })
const list = (headers: Record<string, string>, query = '') =>
  app.inject({ url: `/v1/inspections${query}`, headers })
const bodies = (res: { json(): { items: { inspecting_body: string }[] } }) =>
  res
    .json()
    .items.map((i) => i.inspecting_body)
    .sort()

let id = ''
let etag = ''

t.test('a province records an inspection; it reads back with its ETag', async (t) => {
  const res = await create(as.officer08, { ...visit, origin_province_code: '02' })
  t.equal(res.statusCode, 201)
  const body = res.json()
  id = body.id
  etag = res.headers.etag as string
  t.equal(etag, '"1"')
  t.equal(res.headers.location, `/v1/inspections/${id}`)
  t.match(body, { ...visit, province_code: '08', origin_province_code: '02', open_follow_ups: 1, version: 1 })
  const read = await app.inject({ url: `/v1/inspections/${id}`, headers: as.officer08 })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  t.same(read.json(), { ...body, attachment_count: 0 }, 'as created, with how many files it keeps')

  const minimal = await create(as.officer08, {
    kind: 'evaluation',
    inspection_date: '2023-05-02',
    inspecting_body: 'Trung tâm Khuyến công Tuyên Quang',
  })
  t.equal(minimal.statusCode, 201)
  t.match(minimal.json(), {
    project_ids: [],
    establishment_ids: [],
    follow_ups: [],
    open_follow_ups: 0,
    rating: null,
    findings: null,
  })
})

t.test('every validation failure names its field', async (t) => {
  const up = (changes: object) => ({ ...visit.follow_ups[0], ...changes })
  const cases: [object, string][] = [
    [{ ...visit, kind: 'audit' }, '/kind'],
    [{ ...visit, kind: undefined }, '/kind'],
    [{ ...visit, inspection_date: '2024-02-30' }, '/inspection_date'],
    [{ ...visit, inspecting_body: '' }, '/inspecting_body'],
    [{ ...visit, rating: 'superb' }, '/rating'],
    [{ ...visit, project_ids: ['not-a-uuid'] }, '/project_ids/0'],
    [{ ...visit, project_ids: [SCHEME, SCHEME] }, '/project_ids'],
    [{ ...visit, project_ids: [SCHEME, SCHEME_OF_01] }, '/project_ids/1'],
    [{ ...visit, project_ids: ['00000000-0000-4000-8000-000000000000'] }, '/project_ids/0'],
    [{ ...visit, establishment_ids: [SHOP, 'x'] }, '/establishment_ids/1'],
    [{ ...visit, establishment_ids: [SHOP_OF_01] }, '/establishment_ids/0'],
    [{ ...visit, follow_ups: [up({ status: 'closed' })] }, '/follow_ups/0/status'],
    [{ ...visit, follow_ups: [up({ action: undefined })] }, '/follow_ups/0/action'],
    [{ ...visit, follow_ups: [up({ due_date: 'soon' })] }, '/follow_ups/0/due_date'],
    [{ ...visit, follow_ups: [up({}), up({ status: 'done' })] }, '/follow_ups/1/done_date'],
    [{ ...visit, follow_ups: [up({ done_date: '2024-09-20' })] }, '/follow_ups/0/done_date'],
    [{ ...visit, follow_ups: [up({ due_date: '2024-09-09' })] }, '/follow_ups/0/due_date'],
    [{ ...visit, follow_ups: [up({ status: 'done', done_date: '2024-09-01' })] }, '/follow_ups/0/done_date'],
    [{ ...visit, follow_ups: [up({ owner: 'x' })] }, '/follow_ups/0/owner'],
    [{ ...visit, origin_province_code: '01' }, '/origin_province_code'],
    [{ ...visit, province_code: 'AB' }, '/province_code'],
    [{ ...visit, colour: 'red' }, '/colour'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await create(as.officer08, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
})

t.test('every failing link and rule of one request is listed, in order', async (t) => {
  const up = (changes: object) => ({ ...visit.follow_ups[0], ...changes })
  const res = await create(as.officer08, {
    ...visit,
    project_ids: [SCHEME_OF_01, SCHEME, '00000000-0000-4000-8000-000000000000'],
    establishment_ids: [SHOP_OF_01],
    follow_ups: [up({ due_date: '2024-09-09' }), up({ status: 'done' })],
    origin_province_code: '01',
  })
  t.equal(res.statusCode, 400)
  t.same(
    res.json().errors.map((e: { pointer: string }) => e.pointer),
    [
      '/project_ids/0',
      '/project_ids/2',
      '/establishment_ids/0',
      '/follow_ups/0/due_date',
      '/follow_ups/1/done_date',
      '/origin_province_code',
    ],
  )
})

t.test('Idempotency-Key: a retry returns the first result, never a duplicate', async (t) => {
  const key = { 'idempotency-key': 'insp-1' }
  const payload = { ...visit, kind: 'supervision', inspecting_body: 'Đoàn giám sát HĐND tỉnh' }
  const first = await create(as.officer08, payload, key)
  const second = await create(as.officer08, payload, key)
  t.equal(first.statusCode, 201)
  t.equal(second.statusCode, 201)
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.same(second.json(), first.json())
  t.same(bodies(await list(as.officer08, '?kind=supervision')), ['Đoàn giám sát HĐND tỉnh'])
  const other = await create(as.officer08, { ...payload, conclusion: 'Khác' }, key)
  t.equal(other.statusCode, 422)
  t.match(other.json(), { errors: [{ in: 'headers', pointer: '/idempotency-key' }] })
})

t.test('updates need the current ETag; closing the last follow-up clears the flag', async (t) => {
  const patch = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/inspections/${id}`, headers, payload })
  t.equal((await patch(as.officer08, { rating: 'fair' })).statusCode, 428)
  t.equal((await patch({ ...as.officer08, 'if-match': 'W/"x"' }, { rating: 'fair' })).statusCode, 412)

  const done = visit.follow_ups.map((f) => ({ ...f, status: 'done', done_date: '2024-10-01' }))
  const ok = await patch(
    { ...as.officer08, 'if-match': etag },
    { follow_ups: done, project_ids: [SCHEME, OTHER_SCHEME] },
  )
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"2"')
  t.match(ok.json(), { open_follow_ups: 0, project_ids: [SCHEME, OTHER_SCHEME], version: 2 })

  const stale = await patch({ ...as.officer08, 'if-match': etag }, { rating: 'poor' })
  t.equal(stale.statusCode, 412)
  t.equal(stale.headers.etag, '"2"')
  const read = await app.inject({ url: `/v1/inspections/${id}`, headers: as.officer08 })
  t.equal(read.json().rating, 'good', 'the stale write changed nothing')

  const same = await patch({ ...as.officer08, 'if-match': '"2"' }, { rating: 'good' })
  t.equal(same.headers.etag, '"2"', 'a patch that changes nothing keeps the version')

  const cases: [object, string][] = [
    [{ inspection_date: '2024-10-02' }, '/follow_ups/0/due_date'],
    [{ follow_ups: [{ action: 'x', due_date: '2024-12-01', status: 'done' }] }, '/follow_ups/0/done_date'],
    [{ rating: 'ok' }, '/rating'],
    [{ kind: null }, '/kind'],
  ]
  for (const [payload, pointer] of cases) {
    const res = await patch({ ...as.officer08, 'if-match': '"2"' }, payload)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { errors: [{ in: 'body', pointer }] }, pointer)
  }
  const cleared = await patch({ ...as.officer08, 'if-match': '"2"' }, { rating: null, findings: null })
  t.match(cleared.json(), { rating: null, findings: null, version: 3 })
  etag = '"3"'
})

t.test('filters: province, year, kind, open follow-ups, scheme', async (t) => {
  await create(as.officer08, {
    kind: 'evaluation',
    inspection_date: '2024-12-31',
    inspecting_body: 'Đánh giá cuối năm',
    follow_ups: [{ action: 'Khắc phục', due_date: '2025-03-01', status: 'overdue' }],
  })
  t.same(bodies(await list(as.officer08, '?year=2024&kind=evaluation')), ['Đánh giá cuối năm'])
  t.same(bodies(await list(as.officer08, '?year=2023')), ['Trung tâm Khuyến công Tuyên Quang'])
  t.same(bodies(await list(as.officer08, '?has_open_follow_ups=true')), [
    'Đoàn giám sát HĐND tỉnh',
    'Đánh giá cuối năm',
  ])
  t.same(bodies(await list(as.officer08, '?has_open_follow_ups=false&year=2024')), [
    'Sở Công Thương tỉnh Tuyên Quang',
  ])
  t.same(bodies(await list(as.officer08, `?project_id=${OTHER_SCHEME}`)), ['Sở Công Thương tỉnh Tuyên Quang'])
  t.same(bodies(await list(as.officer08, '?province_code=08&year=2025')), [])
  const newest = (await list(as.officer08, '?limit=1')).json()
  t.equal(newest.items[0].inspection_date, '2024-12-31', 'newest first')
  t.ok(newest.next_cursor)
  const bad = await list(as.officer08, '?year=24')
  t.match(bad.json(), { errors: [{ in: 'query', pointer: '/year' }] })
})

t.test('another province: 404 on read, nothing listed, refusal on write', async (t) => {
  await create(as.officer01, {
    ...visit,
    inspecting_body: 'Sở Công Thương Hà Nội',
    project_ids: [SCHEME_OF_01],
    establishment_ids: [SHOP_OF_01],
  })
  t.equal((await app.inject({ url: `/v1/inspections/${id}`, headers: as.officer01 })).statusCode, 404)
  t.same(bodies(await list(as.officer01, '?province_code=08')), [])
  t.same(bodies(await list(as.officer01)), ['Sở Công Thương Hà Nội'])
  const csv = await list({ ...as.officer01, accept: 'text/csv' })
  t.notMatch(csv.body, /Tuyên Quang/)
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/inspections/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
    payload: { conclusion: 'Hijacked' },
  })
  t.equal(patch.statusCode, 404)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/inspections/${id}`,
    headers: { ...as.officer01, 'if-match': etag },
  })
  t.equal(del.statusCode, 404)
  t.equal((await create(as.officer01, { ...visit, province_code: '08' })).statusCode, 403)
  const after = await app.inject({ url: `/v1/inspections/${id}`, headers: as.officer08 })
  t.equal(after.json().conclusion, visit.conclusion)
  t.equal(after.headers.etag, etag)
})

t.test('the ministry reads every province but writes none of their inspections', async (t) => {
  const all = await list(as.ministry, '?limit=500')
  const provinces = new Set(all.json().items.map((i: { province_code: string }) => i.province_code))
  t.same([...provinces].sort(), ['01', '08'])
  t.equal((await app.inject({ url: `/v1/inspections/${id}`, headers: as.ministry })).statusCode, 200)
  t.equal((await create(as.reader08, visit)).statusCode, 403)
  const patched = await app.inject({
    method: 'PATCH',
    url: `/v1/inspections/${id}`,
    headers: { ...as.ministry, 'if-match': etag },
    payload: { conclusion: 'INTRUDER' },
  })
  t.equal(patched.statusCode, 403)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/inspections/${id}`,
    headers: { ...as.ministry, 'if-match': etag },
  })
  t.equal(del.statusCode, 403)
})

t.test('CSV export streams every match', async (t) => {
  const res = await list({ ...as.officer08, accept: 'text/csv' }, `?project_id=${OTHER_SCHEME}`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-disposition'], /filename="inspections.csv"/)
  t.ok(res.body.startsWith('\uFEFFid,province_code,kind,inspection_date,inspecting_body,project_ids,'))
  const lines = res.body.trimEnd().split('\r\n')
  t.equal(lines.length, 2)
  t.match(lines[1], `,${SCHEME};${OTHER_SCHEME},`)
  t.match(lines[1], /"\[\{""action"":""Bổ sung hồ sơ nghiệm thu""/, 'follow-ups as JSON')
  const all = await list({ ...as.officer08, accept: 'text/csv' })
  const json = await list(as.officer08, '?include_total=true')
  t.equal(all.body.trimEnd().split('\r\n').length - 1, json.json().total)
})

t.test('deleting needs the ETag and leaves an audit trail', async (t) => {
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/inspections/${id}`, headers: as.officer08 })).statusCode,
    428,
  )
  const stale = await app.inject({
    method: 'DELETE',
    url: `/v1/inspections/${id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
  })
  t.equal(stale.statusCode, 412)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/inspections/${id}`,
    headers: { ...as.officer08, 'if-match': etag },
  })
  t.equal(del.statusCode, 204)
  t.equal((await app.inject({ url: `/v1/inspections/${id}`, headers: as.officer08 })).statusCode, 404)
  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=inspection&entity_id=${id}`,
    headers: as.officer08,
  })
  t.same(
    trail.json().items.map((e: { action: string }) => e.action),
    ['delete', 'update', 'update', 'create'],
  )
  t.match(trail.json().items[3], { after: { rating: 'good', open_follow_ups: 1 } })
})

t.test(
  'the ministry records its own inspection of a province; the province answers its follow-ups',
  async (t) => {
    const ministryVisit = {
      ...visit,
      province_code: '08',
      inspecting_body: 'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công — Bộ Công Thương',
      origin_province_code: undefined,
    }
    const unnamed = await create(as.ministry, { ...ministryVisit, province_code: undefined })
    t.equal(unnamed.statusCode, 400, 'the ministry names the province it inspected')
    t.match(unnamed.json(), { errors: [{ pointer: '/province_code' }] })
    const res = await create(as.ministry, ministryVisit)
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), { province_code: '08', inspected_by: 'ministry', open_follow_ups: 1 })
    const mid = res.json().id as string
    const url = `/v1/inspections/${mid}`
    const read = await app.inject({ url, headers: as.officer08 })
    t.equal(read.statusCode, 200, 'the province reads it')
    t.equal((await app.inject({ url, headers: as.officer01 })).statusCode, 404)
    const mine = await list(as.officer08, '?inspected_by=ministry')
    t.same(
      mine.json().items.map((i: { id: string }) => i.id),
      [mid],
    )
    const patch = (headers: Record<string, string>, tag: string, payload: object) =>
      app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': tag }, payload })
    const [first, second] = ministryVisit.follow_ups as [object, object]
    const findings = await patch(as.officer08, '"1"', { findings: 'Sửa kết luận' })
    t.equal(findings.statusCode, 403, 'not the findings')
    const actions = await patch(as.officer08, '"1"', {
      follow_ups: [{ ...first, action: 'Việc khác' }, second],
    })
    t.equal(actions.statusCode, 403, 'not the actions')
    const dropped = await patch(as.officer08, '"1"', { follow_ups: [second] })
    t.equal(dropped.statusCode, 403, 'nor drop one')
    t.equal(
      (
        await patch(as.officer08, '"0"', {
          follow_ups: [{ ...first, status: 'done', done_date: '2024-09-28' }, second],
        })
      ).statusCode,
      412,
      'If-Match as any update',
    )
    const done = await patch(as.officer08, '"1"', {
      follow_ups: [{ ...first, status: 'done', done_date: '2024-09-28' }, second],
    })
    t.equal(done.statusCode, 200, done.body)
    t.match(done.json(), { version: 2, open_follow_ups: 0, inspected_by: 'ministry' })
    const del = await app.inject({ method: 'DELETE', url, headers: { ...as.officer08, 'if-match': '"2"' } })
    t.equal(del.statusCode, 403, 'the province does not delete it')
    const byMinistry = await patch(as.ministry, '"2"', { conclusion: 'Đạt yêu cầu; đã khắc phục' })
    t.equal(byMinistry.statusCode, 200, 'the ministry updates its own')

    // The database refuses too, under the province's settings: no ministry inspection inserted, no
    // change beyond the follow-ups' status and dates, no change of who inspected.
    const asProvince = <T>(work: Parameters<typeof withTenant<T>>[2]) =>
      withTenant(database.db, directScope('province', '08'), work)
    await t.rejects(
      asProvince((trx) =>
        trx
          .insertInto('inspections')
          .values({
            province_code: '08',
            kind: 'inspection',
            inspection_date: '2024-01-01',
            inspecting_body: 'DIRECT',
            inspected_by: 'ministry',
          } as never)
          .execute(),
      ),
      { code: '42501' },
    )
    await t.rejects(
      asProvince((trx) => sql`update inspections set findings = 'DIRECT' where id = ${mid}`.execute(trx)),
      { code: '42501' },
    )
    await t.rejects(
      asProvince((trx) =>
        sql`update inspections set follow_ups = jsonb_set(follow_ups, '{0,action}', '"DIRECT"') where id = ${mid}`.execute(
          trx,
        ),
      ),
      { code: '42501' },
    )
    await t.rejects(
      asProvince((trx) =>
        sql`update inspections set inspected_by = 'province' where id = ${mid}`.execute(trx),
      ),
      { code: '42501' },
    )
    const deleted = await asProvince((trx) => sql`delete from inspections where id = ${mid}`.execute(trx))
    t.equal(Number(deleted.numAffectedRows ?? 0), 0, 'nor deleted')
    const allowed = await asProvince((trx) =>
      sql`update inspections set follow_ups = jsonb_set(follow_ups, '{1,status}', '"overdue"') where id = ${mid}`.execute(
        trx,
      ),
    )
    t.ok(allowed, 'a status change passes the database')
    await t.rejects(
      withTenant(database.db, directScope('ministry', null), (trx) =>
        trx
          .insertInto('inspections')
          .values({
            province_code: '08',
            kind: 'inspection',
            inspection_date: '2024-01-01',
            inspecting_body: 'DIRECT',
          })
          .execute(),
      ),
      { code: '42501' },
      "the ministry does not insert the province's own",
    )
  },
)
