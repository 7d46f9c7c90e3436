// The scorecard on a hand-built dataset, every value worked out in advance (comments give the
// arithmetic): province 08 (Tuyên Quang, which Hà Giang 02 merged into) in 2024 and 2026, and a
// little of province 01 to show each province gets its own figures. All data goes in through the API.
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { createEstablishment } from '../../helpers/records.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()
type Headers = Record<string, string>

async function send(method: 'POST' | 'PATCH', url: string, headers: Headers, payload: object) {
  const res = await app.inject({ method, url, headers, payload })
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}
const post = (url: string, payload: object, headers: Headers = as.officer08) =>
  send('POST', url, headers, payload)
const get = (url: string, headers: Headers = as.officer08) => app.inject({ url, headers })

/** A scheme walked through the lifecycle to `until`; its approver is the ministry when central. */
async function scheme(payload: object, until: string[] = [], headers: Headers = as.officer08) {
  const body = {
    year: 2024,
    title: 'Đề án',
    funding_level: 'local',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công',
    ...payload,
  }
  const { id } = await post('/v1/projects', body, headers)
  const approver = body.funding_level === 'central' ? as.ministry : headers
  for (const step of until) {
    const decided = { action: step, decision: '1/QĐ', decision_date: `${body.year - 1}-12-20` }
    await post(`/v1/projects/${id}/transitions`, step === 'approve' ? decided : { action: step }, {
      ...(step === 'approve' ? approver : headers),
      'if-match': '*',
    })
  }
  return id as string
}
const steps = async (id: string, list: string[]) => {
  for (const step of list) {
    const [action, decision_date] = step.split('@')
    await post(
      `/v1/projects/${id}/transitions`,
      { action, decision_date },
      { ...as.officer08, 'if-match': '*' },
    )
  }
}
/** Central money is recorded by the ministry (for province 08), the rest by the province. */
const payer = (funding_source: string) => (funding_source === 'central' ? as.ministry : as.officer08)
const pay = (id: string, funding_source: string, amount: number, date = '2024-07-01') =>
  post(
    `/v1/projects/${id}/disbursements`,
    { date, funding_source, kind: 'payment', amount },
    payer(funding_source),
  )

// Ask 1 — legal frame. Programme 2021–2025, approved 2021: in force in 2024, not in 2026.
await post('/v1/programmes', {
  level: 'provincial',
  title: 'Chương trình khuyến công tỉnh Tuyên Quang 2021–2025',
  start_year: 2021,
  end_year: 2025,
  decision_number: '88/QĐ-UBND',
  decision_date: '2021-03-01',
  status: 'approved',
})
const doc = (number: string, signed_date: string, subject: string, extra: object = {}) =>
  post('/v1/legal-documents', {
    number,
    kind: 'decision',
    issuer: 'UBND tỉnh',
    title: `Văn bản ${number}`,
    signed_date,
    subject,
    ...extra,
  })
await doc('1/QĐ', '2023-05-10', 'technical_norms') // norms from 2023 on, never expires
await doc('2/QĐ', '2024-02-01', 'other', { origin_province_code: '02' }) // 2024: from Hà Giang
await doc('3/QĐ', '2024-06-01', 'support_levels', { is_normative: true }) // 2024, a legal normative document
await doc('4/QĐ', '2026-01-15', 'fund_management') // 2026

// Ask 2 and 3 — schemes of 2024. Planned: S1, S2, S3, S6 (approved or later); S4 is a draft.
// S1 and S6 support the province's key product (ask 3); S6's Art. 6 area flag does not count there.
const keyProduct = (
  await post('/v1/key-products', {
    name: 'Chè Shan tuyết',
    kind: 'product',
    industry: 'agro_food_processing',
    valid_from: '2021-01-01',
  })
).id
const run = ['submit', 'approve', 'start']
const s1 = await scheme(
  {
    requested_local: 100_000_000,
    planned_end: '2024-12-15',
    priority_products: ['typical_product'],
    key_product_ids: [keyProduct],
  },
  run,
)
await pay(s1, 'local', 80_000_000)
// Completed 2024-11-20, planned end 2024-12-15: on time; accepted 10 days after completion.
await steps(s1, ['complete@2024-11-20', 'accept@2024-11-30'])
const s2 = await scheme(
  {
    requested_local: 50_000_000,
    planned_start: '2023-06-01', // a pilot lasts more than a year
    planned_end: '2024-06-30',
    kind: 'pilot',
    activity_contents: ['training', 'demonstration_technology'],
    origin_province_code: '02',
  },
  run,
)
await pay(s2, 'local', 50_000_000)
// Completed 2024-08-15, planned end 2024-06-30: late; accepted 127 days after completion.
await steps(s2, ['complete@2024-08-15', 'accept@2024-12-20'])
const s3 = await scheme({ requested_local: 50_000_000 }, ['submit', 'approve'])
await scheme({ requested_local: 70_000_000 }) // S4: a draft, not in the plan
const s6 = await scheme(
  {
    funding_level: 'central',
    requested_central: 200_000_000,
    priority_areas: ['difficult_area'],
    key_product_ids: [keyProduct],
  },
  ['submit', 'approve', 'start'],
)
await pay(s6, 'central', 100_000_000)
await pay(s6, 'central', 50_000_000, '2026-01-05') // paid in 2026: not in 2024's rates
// Province 01: one planned scheme in 2024.
await scheme({ requested_local: 10_000_000 }, ['submit', 'approve'], as.officer01)

// Ask 3 — typical products. P1: provincial 2023 (valid to 2025-12-31) and regional 2024 (to
// 2026-12-31); P2: revoked; P3 (from Hà Giang): provincial 2022, valid to 2024-12-31.
const e1 = await createEstablishment(app, as.officer08, '00691', 'Hợp tác xã Chè Shan tuyết')
const e2 = (
  await post('/v1/establishments', {
    commune_code: '00694',
    name: 'Hợp tác xã Mây tre',
    kind: 'cooperative',
    origin_province_code: '02',
  })
).id
const product = async (establishment: string, name: string) =>
  (await post(`/v1/establishments/${establishment}/products`, { name, product_group: 'handicrafts' })).id
/** Regional and national certificates are the ministry's to record, provincial ones the province's. */
const certify = (establishment: string, productId: string, level: string, issued_date: string) =>
  post(
    `/v1/establishments/${establishment}/products/${productId}/certificates`,
    {
      level,
      year: Number(issued_date.slice(0, 4)),
      certificate_number: `${level}-${issued_date}`,
      score: 85,
      issued_date,
    },
    level === 'region' || level === 'national' ? as.ministry : as.officer08,
  )
const p1 = await product(e1, 'Chè Shan tuyết')
await certify(e1, p1, 'province', '2023-06-01')
await certify(e1, p1, 'region', '2024-09-01')
const p2 = await product(e2, 'Giỏ mây')
const revoked = await certify(e2, p2, 'province', '2024-03-01')
await send(
  'PATCH',
  `/v1/establishments/${e2}/products/${p2}/certificates/${revoked.id}`,
  { ...as.officer08, 'if-match': '"1"' },
  { revoked: true, revoked_reason: 'Không còn đạt tiêu chí' },
)
const p3 = await product(e2, 'Làn mây')
await certify(e2, p3, 'province', '2022-05-01')

// Ask 4 — inspections of 2024: two (one from Hà Giang), covering S1 and S3; one open follow-up.
const inspection = (inspection_date: string, project_ids: string[], extra: object = {}) =>
  post('/v1/inspections', {
    kind: 'inspection',
    inspection_date,
    inspecting_body: 'Sở Công Thương',
    project_ids,
    ...extra,
  })
await inspection('2024-08-10', [s1, s3], {
  follow_ups: [
    { action: 'Bổ sung hồ sơ', due_date: '2024-09-30', status: 'open' },
    { action: 'Sửa báo cáo', due_date: '2024-09-30', status: 'done', done_date: '2024-09-15' },
  ],
})
await inspection('2024-10-01', [s1], { origin_province_code: '02' })
await inspection('2023-12-01', [s2]) // the year before: not counted

// Ask 5 — organisation. 2024: 10 staff, 8 with a college degree or higher; 2026: 12, no breakdown.
await post('/v1/implementing-units', {
  name: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp',
  unit_model: 'merged_centre',
  staff: [
    {
      year: 2024,
      headcount_total: 10,
      full_time_khuyen_cong: 6,
      other_staff: 4,
      by_qualification: { postgraduate: 1, university: 6, college: 1, other: 2 },
    },
    { year: 2026, headcount_total: 12, full_time_khuyen_cong: 8, other_staff: 4 },
  ],
})
// Collaborators on 31 December: 2024 covers 00691 and 00694; 2026 also 00700.
await post('/v1/collaborators', {
  full_name: 'Nguyễn Văn An',
  start_date: '2023-01-01',
  communes: ['00691', '00694'],
})
await post('/v1/collaborators', {
  full_name: 'Trần Thị Bình',
  start_date: '2024-03-01',
  end_date: '2024-06-30',
  status: 'ended',
  communes: ['00700'],
})
await post('/v1/collaborators', { full_name: 'Lê Văn Cường', start_date: '2025-01-01', communes: ['00700'] })

// Ask 6 — money. 2023 local 400M; 2024 local 500M revised to 600M, plus 100M from Hà Giang; central 300M.
const allocate = (year: number, funding_source: string, amount: number, extra: object = {}) =>
  post(
    '/v1/budget-allocations',
    { province_code: '08', year, funding_source, amount, type: 'original', ...extra },
    payer(funding_source),
  )
await allocate(2023, 'local', 400_000_000)
await allocate(2024, 'local', 500_000_000)
await allocate(2024, 'local', 600_000_000, { type: 'revised' })
await allocate(2024, 'local', 100_000_000, { origin_province_code: '02' })
await allocate(2024, 'central', 300_000_000)
await allocate(2026, 'local', 350_000_000)

// Ask 7 — communication in 2024: 3 activities, 2 digital, reach 1,200; 2026: one, reach 50.
const activity = (date: string, channel: string, reach?: [number, string]) =>
  post('/v1/communication-activities', {
    date,
    channel,
    title: `Tuyên truyền ${channel}`,
    ...(reach ? { reach: reach[0], reach_unit: reach[1] } : {}),
  })
await activity('2024-03-01', 'social_media', [1000, 'viewers'])
await activity('2024-04-01', 'print', [200, 'copies'])
await activity('2024-05-01', 'web_portal')
await activity('2026-02-01', 'event', [50, 'participants'])

type Expected = Record<string, [value: unknown, status: string | null]>

/** Province 08 in 2024, by today's provinces. */
const TUYEN_QUANG_2024: Expected = {
  local_programme_in_force: [true, 'met'],
  technical_norms_issued: [true, 'met'],
  normative_documents_issued: [1, null], // 3/QĐ; 2/QĐ is not a legal normative document
  schemes_planned: [4, null], // S1, S2, S3, S6
  schemes_accepted: [2, null], // S1, S2
  schemes_completed_on_time: [1, null], // S1
  completed_on_time_share: [0.25, 'not_met'], // S1 of S1, S2, S3 and S6, all past their deadline
  accepted_within_period_share: [0.5, 'partly_met'], // S1 within 90 days, S2 not
  disbursed_to_approved_central: [0.5, 'not_met'], // 100M paid in 2024 ÷ 200M (the 50M of 2026 not)
  disbursed_to_approved_local: [0.65, 'not_met'], // (80M + 50M) ÷ (100M + 50M + 50M)
  disbursed_to_allocated_central: [0.3333, 'not_met'], // 100M ÷ 300M
  disbursed_to_allocated_local: [0.1857, 'not_met'], // 130M ÷ 700M
  typical_products: [2, null], // P1, P3 (P2 revoked)
  typical_products_per_100_communes: [1.6129, null], // 2 × 100 ÷ 124 communes
  typical_products_province: [2, null],
  typical_products_region: [1, null],
  typical_products_national: [0, null],
  pilot_schemes: [1, 'met'], // S2
  key_product_money_share: [0.75, 'met'], // (S1 100M + S6 200M) ÷ 400M
  inspections: [2, null],
  schemes_inspected_share: [0.5, 'met'], // S1, S3 of 4
  open_follow_ups: [1, 'not_met'],
  implementing_unit_model: ['merged_centre', 'met'], // a public-service unit under the DOIT
  staff_headcount: [10, null],
  staff_trained_share: [0.8, 'met'], // (1 + 6 + 1) ÷ 10
  collaborator_coverage: [0.0161, 'not_met'], // 2 ÷ 124 communes
  local_allocation: [700_000_000, null], // 600M (revised) + 100M (Hà Giang)
  central_allocation: [300_000_000, null],
  local_share_of_total: [0.7, null], // 700M ÷ 1,000M
  local_allocation_change: [0.75, 'met'], // (700M − 400M) ÷ 400M
  local_support_rules_in_force: [null, 'no_data'], // no provincial support rule recorded
  local_support_levels_raised: [null, 'no_data'],
  communication_activities: [3, null],
  communication_digital_share: [0.6667, 'met'], // social media and web portal of 3
  communication_reach_viewers: [1000, null],
  communication_reach_listeners: [null, 'no_data'],
  communication_reach_copies: [200, null],
  communication_reach_visits: [null, 'no_data'],
  communication_reach_participants: [null, 'no_data'],
}

const TUYEN_QUANG_2026: Expected = {
  local_programme_in_force: [false, 'not_met'], // the programme ended in 2025
  technical_norms_issued: [true, 'met'],
  normative_documents_issued: [0, null], // 4/QĐ is not one: a real zero, documents are recorded
  schemes_planned: [null, 'no_data'], // no scheme of 2026 at all
  schemes_accepted: [null, 'no_data'],
  schemes_completed_on_time: [null, 'no_data'],
  completed_on_time_share: [null, 'no_data'],
  accepted_within_period_share: [null, 'no_data'],
  disbursed_to_approved_central: [null, 'no_data'],
  disbursed_to_approved_local: [null, 'no_data'],
  disbursed_to_allocated_central: [null, 'no_data'], // no central allocation
  disbursed_to_allocated_local: [0, 'not_met'], // 350M allocated, nothing paid
  typical_products: [1, null], // P1's regional certificate runs to 2026-12-31
  typical_products_per_100_communes: [0.8065, null],
  typical_products_province: [0, null],
  typical_products_region: [1, null],
  typical_products_national: [0, null],
  pilot_schemes: [null, 'no_data'],
  key_product_money_share: [null, 'no_data'],
  inspections: [null, 'no_data'],
  schemes_inspected_share: [null, 'no_data'],
  open_follow_ups: [null, 'no_data'],
  implementing_unit_model: ['merged_centre', 'met'],
  staff_headcount: [12, null],
  staff_trained_share: [null, 'no_data'], // no breakdown by qualification for 2026
  collaborator_coverage: [0.0242, 'not_met'], // 3 ÷ 124
  local_allocation: [350_000_000, null],
  central_allocation: [0, null],
  local_share_of_total: [1, null],
  local_allocation_change: [null, 'no_data'], // nothing in 2025
  local_support_rules_in_force: [null, 'no_data'],
  local_support_levels_raised: [null, 'no_data'],
  communication_activities: [1, null],
  communication_digital_share: [0, 'not_met'],
  communication_reach_viewers: [null, 'no_data'],
  communication_reach_listeners: [null, 'no_data'],
  communication_reach_copies: [null, 'no_data'],
  communication_reach_visits: [null, 'no_data'],
  communication_reach_participants: [50, null],
}

interface Row {
  province_code: string
  province_name: string
  year: number
  summary: { met: number; partly_met: number; not_met: number; no_data: number }
  indicators: { code: string; ask: number; unit: string; value: unknown; status: string | null }[]
}
const values = (row: Row | undefined) =>
  Object.fromEntries((row?.indicators ?? []).map((i) => [i.code, [i.value, i.status]]))
const byCode = (rows: Row[], code: string) => rows.find((r) => r.province_code === code)

t.test('a province sees its own scorecard, every indicator as worked out', async (t) => {
  const res = await get('/v1/reports/scorecard?year=2024')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.year, 2024)
  t.notOk('data_notice' in body, 'no demo notice on a database without the demo dataset')
  t.equal(body.as_of, 'current')
  t.same(
    body.items.map((r: Row) => r.province_code),
    ['08'],
    'only its own row',
  )
  const [row] = body.items as Row[]
  t.same(values(row), TUYEN_QUANG_2024)
  t.same(row?.summary, { met: 9, partly_met: 1, not_met: 7, no_data: 5 })
  t.same(
    row?.indicators.map((i) => i.ask),
    [
      1,
      1,
      1,
      ...Array(9).fill(2),
      ...Array(7).fill(3),
      4,
      4,
      4,
      5,
      5,
      5,
      5,
      ...Array(6).fill(6),
      ...Array(7).fill(7),
    ],
    'in the order of the seven asks',
  )
  t.equal(row?.indicators[0]?.unit, 'boolean')
})

t.test('the ministry sees all 34 provinces, sortable', async (t) => {
  const res = await get('/v1/reports/scorecard?year=2024', as.ministry)
  const rows = res.json().items as Row[]
  t.equal(rows.length, 34)
  t.same(values(byCode(rows, '08')), TUYEN_QUANG_2024, 'the same row as the province sees')
  t.same(values(byCode(rows, '01')).schemes_planned, [1, null], "province 01's own scheme")
  t.same(values(byCode(rows, '01')).disbursed_to_approved_local, [0, 'not_met'])
  t.same(values(byCode(rows, '04')).schemes_planned, [null, 'no_data'], 'a province with no data')
  t.same(values(byCode(rows, '04')).inspections, [null, 'no_data'])
  // Names of their time: Huế became a city on 1 January 2025 (Resolution 175/2024/QH15).
  t.equal(byCode(rows, '46')?.province_name, 'Thừa Thiên Huế')
  const later = (await get('/v1/reports/scorecard?year=2025', as.ministry)).json().items as Row[]
  t.equal(byCode(later, '46')?.province_name, 'Huế')
  const former = (await get('/v1/reports/scorecard?year=2024&as_of=former', as.ministry)).json()
    .items as Row[]
  t.equal(byCode(former, '46')?.province_name, 'Thừa Thiên Huế', 'by former province too')

  const sorted = (
    await get('/v1/reports/scorecard?year=2024&sort=-disbursed_to_approved_local', as.ministry)
  ).json().items as Row[]
  t.same(
    sorted.slice(0, 3).map((r) => r.province_code),
    ['08', '01', '04'],
    'highest first (0.65, 0), then the provinces without a value by code',
  )
  const byMet = (await get('/v1/reports/scorecard?year=2024&sort=-met', as.ministry)).json().items as Row[]
  t.equal(byMet[0]?.province_code, '08', 'most indicators met first')
  const bad = await get('/v1/reports/scorecard?year=2024&sort=nonsense', as.ministry)
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().errors[0].pointer, '/sort')
})

t.test('years before the merger: under today’s province, or by former province', async (t) => {
  const res = await get('/v1/reports/scorecard?year=2024&as_of=former')
  t.equal(res.statusCode, 200)
  const rows = res.json().items as Row[]
  t.same(
    rows.map((r) => [r.province_code, r.province_name]),
    [
      ['02', 'Hà Giang'],
      ['08', 'Tuyên Quang'],
    ],
    'the former provinces merged into 08',
  )
  const haGiang = values(byCode(rows, '02'))
  const tuyenQuang = values(byCode(rows, '08'))
  const pick = (v: Record<string, unknown>, codes: string[]) => codes.map((c) => v[c])
  const split = [
    'local_programme_in_force',
    'normative_documents_issued',
    'schemes_planned',
    'schemes_completed_on_time',
    'pilot_schemes',
    'disbursed_to_approved_local',
    'key_product_money_share',
    'typical_products',
    'inspections',
    'schemes_inspected_share',
    'open_follow_ups',
    'implementing_unit_model',
    'staff_headcount',
    'collaborator_coverage',
    'local_allocation',
    'local_share_of_total',
    'local_allocation_change',
    'communication_activities',
  ]
  t.same(pick(haGiang, split), [
    [null, 'no_data'], // Hà Giang recorded no programme
    [0, null], // 2/QĐ is not a legal normative document
    [1, null], // S2
    [0, null],
    [1, 'met'],
    [1, 'met'], // 50M ÷ 50M
    [0, 'not_met'],
    [1, null], // P3
    [1, null], // the inspection from Hà Giang
    [0, 'not_met'], // S2 was inspected in 2023 only
    [0, 'met'],
    [null, 'no_data'], // no unit of its own
    [null, 'no_data'], // no staff entry
    [null, 'no_data'], // communes exist only in today's map
    [100_000_000, null],
    [1, null], // 100M local, no central
    [null, 'no_data'], // nothing in 2023
    [null, 'no_data'], // no activity
  ])
  t.same(pick(tuyenQuang, split), [
    [true, 'met'],
    [1, null], // 3/QĐ
    [3, null], // S1, S3, S6
    [1, null],
    [0, 'not_met'],
    [0.5333, 'not_met'], // 80M ÷ 150M
    [0.8571, 'met'], // 300M ÷ 350M
    [1, null], // P1
    [1, null],
    [0.6667, 'met'], // S1, S3 of 3
    [1, 'not_met'],
    ['merged_centre', 'met'],
    [10, null],
    [null, 'no_data'],
    [600_000_000, null],
    [0.6667, null], // 600M ÷ (600M + 300M)
    [0.5, 'met'], // (600M − 400M) ÷ 400M
    [3, null],
  ])
  const other = await get('/v1/reports/scorecard?year=2024&as_of=former', as.officer01)
  t.same(
    other.json().items.map((r: Row) => r.province_code),
    ['01'],
    "province 01 sees its own former province (Hà Nội merged with none), none of 08's",
  )
  t.notOk(other.body.includes('"02"') || other.body.includes('Tuyên Quang'))
})

t.test('a province over the years', async (t) => {
  const res = await get('/v1/reports/provinces/08/scorecard?from=2024&to=2026')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(
    { code: body.province_code, name: body.province_name, from: body.from, to: body.to, as_of: body.as_of },
    { code: '08', name: 'Tuyên Quang', from: 2024, to: 2026, as_of: 'current' },
  )
  const rows = body.items as Row[]
  t.same(
    rows.map((r) => r.year),
    [2024, 2025, 2026],
  )
  t.same(values(rows[0]), TUYEN_QUANG_2024)
  t.same(values(rows[2]), TUYEN_QUANG_2026)
  t.same(rows[2]?.summary, { met: 2, partly_met: 0, not_met: 4, no_data: 21 })
  t.same(values(rows[1]).local_programme_in_force, [true, 'met'], '2025 is the programme’s last year')
  t.same(values(rows[1]).typical_products, [1, null], 'P1 still valid in 2025, P3 no longer')

  const former = await get('/v1/reports/provinces/02/scorecard?from=2024&to=2024&as_of=former')
  t.equal(former.statusCode, 200, 'a former province merged into 08')
  t.same(values(former.json().items[0]).technical_norms_issued, [false, 'not_met'], 'only 08 has norms')

  const cases: [string, Headers, number, string?][] = [
    ['/v1/reports/provinces/01/scorecard', as.officer08, 404],
    ['/v1/reports/provinces/02/scorecard', as.ministry, 404], // not a current province
    ['/v1/reports/provinces/99/scorecard', as.ministry, 404],
    ['/v1/reports/provinces/02/scorecard?as_of=former', as.officer01, 404],
    ['/v1/reports/provinces/08/scorecard?from=2026&to=2024', as.ministry, 400, '/from'],
    ['/v1/reports/provinces/08/scorecard?from=2000&to=2040', as.ministry, 400, '/to'],
    ['/v1/reports/provinces/08/scorecard?to=2101', as.ministry, 400, '/to'],
    ['/v1/reports/provinces/08/scorecard?as_of=yesterday', as.ministry, 400, '/as_of'],
  ]
  for (const [url, headers, status, pointer] of cases) {
    const res = await get(url, headers)
    t.equal(res.statusCode, status, url)
    t.match(res.headers['content-type'], /application\/problem\+json/)
    if (pointer) t.equal(res.json().errors[0].pointer, pointer, `${url} names ${pointer}`)
  }
})

t.test('the national roll-up', async (t) => {
  const res = await get('/v1/reports/national?year=2024', as.ministry)
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.provinces, 34)
  const national = Object.fromEntries(body.indicators.map((i: { code: string }) => [i.code, i])) as Record<
    string,
    Record<string, unknown>
  >
  t.equal(national.schemes_planned?.value, 5, '4 in 08 and 1 in 01')
  t.equal(national.disbursed_to_approved_local?.value, 0.619, '130M ÷ 210M, not a mean of rates')
  t.same(national.disbursed_to_approved_local?.best, { value: 0.65, province_codes: ['08'] })
  t.same(national.disbursed_to_approved_local?.worst, { value: 0, province_codes: ['01'] })
  t.same(
    national.disbursed_to_approved_local?.provinces_by_status,
    { met: 0, partly_met: 0, not_met: 2, no_data: 32 },
    'the 32 provinces with no money approved are counted apart',
  )
  t.equal(national.local_programme_in_force?.value, 1, 'yes/no: the number of provinces where it holds')
  t.same(national.local_programme_in_force?.provinces_by_status, {
    met: 1,
    partly_met: 0,
    not_met: 0,
    no_data: 33,
  })
  t.same(national.open_follow_ups?.provinces_by_status, { met: 0, partly_met: 0, not_met: 1, no_data: 33 })
  t.equal(national.open_follow_ups?.best, null, 'one province with inspections: none best or worst')
  t.same(national.implementing_unit_model?.breakdown, { merged_centre: 1 })
  t.same(national.implementing_unit_model?.provinces_by_status, {
    met: 1,
    partly_met: 0,
    not_met: 0,
    no_data: 33,
  })
  t.equal(national.implementing_unit_model?.value, null)
  t.equal(national.communication_reach_viewers?.value, 1000, 'reach per unit, never summed across units')
  t.equal(national.communication_reach_copies?.value, 200)
  t.equal(national.communication_reach_visits?.value, null)
  t.equal(national.typical_products_province?.provinces_by_status, null, 'no thresholds')
  t.equal(national.typical_products_national?.best, null, 'all 34 at 0: nobody is best…')
  t.equal(national.typical_products_national?.worst, null, '…or worst')

  const own = (await get('/v1/reports/national?year=2024')).json()
  t.equal(own.provinces, 1, "a province's roll-up is its own")
  t.equal(own.indicators.find((i: { code: string }) => i.code === 'schemes_planned').value, 4)
})

t.test('every report as CSV', async (t) => {
  const res = await get('/v1/reports/scorecard?year=2024', { ...as.officer08, accept: 'text/csv' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.match(res.headers['content-disposition'], /scorecard-2024\.csv/)
  const lines = res.body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
  t.equal(lines[0], 'province_code,province_name,year,ask,code,label_vi,label_en,unit,value,status')
  t.equal(lines.length, 1 + 39, 'one line per indicator')
  t.ok(
    lines.includes(
      '08,Tuyên Quang,2024,2,disbursed_to_approved_local,Tỷ lệ giải ngân so với kinh phí địa phương được duyệt,local money disbursed ÷ approved,share,0.65,not_met',
    ),
  )
  t.ok(
    lines.some(
      (l) => l.startsWith('08,Tuyên Quang,2024,7,communication_reach_visits,') && l.endsWith(',,no_data'),
    ),
  )

  const trend = await get('/v1/reports/provinces/08/scorecard?from=2024&to=2026', {
    ...as.officer08,
    accept: 'text/csv',
  })
  t.equal(trend.body.trimEnd().split('\r\n').length, 1 + 3 * 39)

  const national = await get('/v1/reports/national?year=2024', { ...as.ministry, accept: 'text/csv' })
  const rows = national.body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
  t.equal(rows.length, 1 + 39)
  t.equal(
    rows[0],
    'year,ask,code,label_vi,label_en,unit,better,value,best_value,best_provinces,worst_value,worst_provinces,' +
      'provinces_met,provinces_partly_met,provinces_not_met,provinces_no_data,breakdown',
  )
  t.ok(rows.some((l) => l.startsWith('2024,4,open_follow_ups,') && l.includes(',lower,1,,,,,0,0,1,33,')))
})

/** A PATCH of an indicator by the ministry (or `headers`) with an ETag. */
const patchIndicator = (code: string, body: object, etag: string, headers: Headers = as.ministry) =>
  app.inject({
    method: 'PATCH',
    url: `/v1/reports/indicators/${code}`,
    headers: { ...headers, 'if-match': etag },
    payload: body,
  })

t.test('thresholds are data the ministry changes', async (t) => {
  const code = 'schemes_inspected_share'
  const list = (await get('/v1/reports/indicators')).json().items
  t.equal(list.length, 39)
  t.same(
    list.find((i: { code: string }) => i.code === code),
    {
      ...list.find((i: { code: string }) => i.code === code),
      ask: 4,
      unit: 'share',
      better: 'higher',
      met: 0.3,
      partly_met: 0.1,
      parameter: null,
      met_codes: null,
      version: 1,
    },
  )
  t.ok(
    list.every((i: { definition: string }) => i.definition.length > 40),
    'every indicator says how it is computed',
  )
  const current = await get(`/v1/reports/indicators/${code}`)
  t.equal(current.headers.etag, '"1"')

  const patch = (body: object, headers: Headers = as.ministry, etag = '"1"') =>
    patchIndicator(code, body, etag, headers)
  t.equal((await patch({ met: 0.6 }, as.officer08)).statusCode, 403, 'a province may not')
  const inverted = await patch({ met: 0.3, partly_met: 0.4 })
  t.equal(inverted.statusCode, 400)
  t.equal(inverted.json().errors[0].pointer, '/partly_met')
  const noMet = await patch({ met: null })
  t.equal(noMet.statusCode, 400, 'partly_met without met')
  const model = await patchIndicator('implementing_unit_model', { met: 1 }, '"1"')
  t.equal(model.statusCode, 400, 'a code indicator has no thresholds')
  const missing = await app.inject({
    method: 'PATCH',
    url: `/v1/reports/indicators/${code}`,
    headers: as.ministry,
    payload: { met: 0.6 },
  })
  t.equal(missing.statusCode, 428)

  const ok = await patch({ met: 0.6 })
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().met, 0.6)
  t.equal(ok.headers.etag, '"2"')
  t.equal((await patch({ met: 0.7 })).statusCode, 412, 'a stale ETag')
  const after = (await get('/v1/reports/scorecard?year=2024')).json().items[0]
  t.same(values(after)[code], [0.5, 'partly_met'], 'the next report uses the new threshold')
  const events = (await get('/v1/audit-events?entity_type=scorecard_indicator', as.ministry)).json().items
  t.same(events[0]?.after, { met: 0.6 }, 'audited')
  await patch({ met: 0.3 }, as.ministry, '"2"')
})

t.test('the acceptance period is a parameter the ministry changes', async (t) => {
  const code = 'accepted_within_period_share'
  const indicator = (await get(`/v1/reports/indicators/${code}`)).json()
  t.equal(indicator.parameter, 90, 'default: 90 days')
  t.match(indicator.definition, /Default 90 days/)
  const longer = await patchIndicator(code, { parameter: 150 }, '"1"')
  t.equal(longer.statusCode, 200)
  t.same(
    values((await get('/v1/reports/scorecard?year=2024')).json().items[0])[code],
    [1, 'met'],
    'S2, accepted 127 days after completion, is now within the period',
  )
  const none = await patchIndicator(code, { parameter: null }, '"2"')
  t.equal(none.statusCode, 400, 'the definition needs one')
  t.equal(none.json().errors[0].pointer, '/parameter')
  const elsewhere = await patchIndicator('inspections', { parameter: 5 }, '"1"')
  t.equal(elsewhere.statusCode, 400, 'an indicator without a parameter gets none')
  t.equal(elsewhere.json().errors[0].pointer, '/parameter')
  t.equal((await patchIndicator(code, { parameter: 90 }, '"2"')).statusCode, 200)
  t.same(values((await get('/v1/reports/scorecard?year=2024')).json().items[0])[code], [0.5, 'partly_met'])
})

t.test('ask 5: the recorded model meets Decree 45 Art. 8.1 or not', async (t) => {
  await post(
    '/v1/implementing-units',
    { name: 'Phòng Kinh tế – Sở Công Thương', unit_model: 'doit_division' },
    as.officer01,
  )
  const rows = (await get('/v1/reports/scorecard?year=2024', as.ministry)).json().items as Row[]
  t.same(
    values(byCode(rows, '01')).implementing_unit_model,
    ['doit_division', 'not_met'],
    'not a public-service unit',
  )
  t.same(values(byCode(rows, '08')).implementing_unit_model, ['merged_centre', 'met'])
  t.same(values(byCode(rows, '04')).implementing_unit_model, [null, 'no_data'], 'none recorded')
  const codes = await patchIndicator('implementing_unit_model', { met_codes: ['doit_division'] }, '"1"')
  t.equal(codes.statusCode, 200, 'the codes that meet are data')
  t.same(codes.json().met_codes, ['doit_division'])
  const after = (await get('/v1/reports/scorecard?year=2024', as.ministry)).json().items as Row[]
  t.same(values(byCode(after, '01')).implementing_unit_model, ['doit_division', 'met'])
  const bad = await patchIndicator('implementing_unit_model', { met_codes: ['ministry'] }, '"2"')
  t.equal(bad.statusCode, 400, 'only unit_model codes')
  const numeric = await patchIndicator('inspections', { met_codes: ['merged_centre'] }, '"1"')
  t.equal(numeric.statusCode, 400)
  t.equal(numeric.json().errors[0].pointer, '/met_codes')
  await patchIndicator(
    'implementing_unit_model',
    { met_codes: ['independent_centre', 'merged_centre'] },
    '"2"',
  )
})

t.test('completion on time: actual end against planned end, only once due', async (t) => {
  const base = { year: 2025, requested_local: 10_000_000 }
  const onTime = await scheme({ ...base, planned_end: '2025-06-30' }, run, as.officer01)
  const late = await scheme({ ...base, planned_end: '2025-03-31' }, run, as.officer01)
  await scheme({ ...base, planned_end: '2027-06-30' }, run, as.officer01) // not due yet
  for (const [id, actual_end] of [
    [onTime, '2025-06-30'],
    [late, '2025-04-01'],
  ] as const) {
    await send('PATCH', `/v1/projects/${id}`, { ...as.officer01, 'if-match': '*' }, { actual_end })
  }
  const row = values((await get('/v1/reports/scorecard?year=2025', as.officer01)).json().items[0])
  t.same(row.schemes_planned, [3, null])
  t.same(row.schemes_completed_on_time, [1, null], 'the day itself is on time, a day after is late')
  t.same(row.completed_on_time_share, [0.5, 'partly_met'], 'the scheme running to 2027 is not yet due')
})

t.test('money is counted by its date: a later payment leaves a past year alone', async (t) => {
  const project = (await get(`/v1/projects/${s6}`)).json()
  t.equal(project.disbursed_central, 150_000_000, 'the scheme has 150M paid today…')
  const row = values((await get('/v1/reports/scorecard?year=2024')).json().items[0])
  t.same(row.disbursed_to_approved_central, [0.5, 'not_met'], '…2024 counts the 100M paid in 2024')
  t.same(row.disbursed_to_allocated_central, [0.3333, 'not_met'], 'the same 100M ÷ 300M allocated')
})

t.test('no data is not zero', async (t) => {
  const rows = (await get('/v1/reports/scorecard?year=2024', as.ministry)).json().items as Row[]
  const empty = byCode(rows, '04')
  t.same(empty?.summary, { met: 0, partly_met: 0, not_met: 0, no_data: 39 }, 'nothing recorded: no data')
  t.ok(empty?.indicators.every((i) => i.value === null))
  const later = values((await get('/v1/reports/scorecard?year=2026')).json().items[0])
  t.same(later.normative_documents_issued, [0, null], 'documents recorded, none normative in 2026: zero')
  t.same(later.disbursed_to_allocated_local, [0, 'not_met'], 'money allocated, none paid: zero')
  t.same(later.inspections, [null, 'no_data'], 'no inspection recorded in 2026')
})

t.test('a write is in the next report', async (t) => {
  const before = values((await get('/v1/reports/scorecard?year=2024')).json().items[0])
  await activity('2024-12-31', 'web_portal', [10, 'visits'])
  const after = values((await get('/v1/reports/scorecard?year=2024')).json().items[0])
  t.same(before.communication_activities, [3, null])
  t.same(after.communication_activities, [4, null])
  t.same(before.communication_reach_visits, [null, 'no_data'])
  t.same(after.communication_reach_visits, [10, null], 'visits apart from viewers and copies')
  t.same(after.communication_reach_viewers, [1000, null])
})

t.test('bad queries name the parameter', async (t) => {
  for (const [url, pointer] of [
    ['/v1/reports/scorecard?year=1999', '/year'],
    ['/v1/reports/scorecard?year=abc', '/year'],
    ['/v1/reports/national?as_of=old', '/as_of'],
    ['/v1/reports/scorecard?extra=1', '/extra'],
  ] as const) {
    const res = await get(url, as.ministry)
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().errors[0].pointer, pointer, url)
  }
  t.equal((await app.inject({ url: '/v1/reports/scorecard' })).statusCode, 401)
})

t.test('ask 6 reads the local support rules: in force, and raised in the year', async (t) => {
  const ask6 = async (year: number) => {
    const v = values((await get(`/v1/reports/scorecard?year=${year}`, as.officer01)).json().items[0])
    return [v.local_support_rules_in_force, v.local_support_levels_raised]
  }
  t.same(
    await ask6(2024),
    [
      [null, 'no_data'],
      [null, 'no_data'],
    ],
    'no local rule recorded: no data',
  )
  const doc = await post(
    '/v1/legal-documents',
    {
      number: '05/2024/NQ-HĐND',
      kind: 'resolution',
      issuer: 'HĐND thành phố Hà Nội',
      title: 'Nghị quyết quy định mức hỗ trợ khuyến công địa phương',
      signed_date: '2024-03-01',
      subject: 'support_levels',
      is_normative: true,
    },
    as.officer01,
  )
  const rule = (valid_from: string, extra: object) =>
    post(
      '/v1/support-rules',
      {
        level: 'provincial',
        legal_document_id: doc.id,
        legal_basis: '05/2024/NQ-HĐND',
        title: 'Mức hỗ trợ',
        valid_from,
        activity_content: 'demonstration_technology',
        ...extra,
      },
      as.officer01,
    )
  // 2023: machinery at 300 m VND per establishment, as the national rule: in force, not raised.
  await rule('2023-05-01', {
    project_type: 'machinery_line',
    max_share_percent: 50,
    max_amount: 300_000_000,
    amount_basis: 'per_establishment',
  })
  t.same(
    await ask6(2023),
    [
      [true, 'met'],
      [false, null],
    ],
    'the national level kept',
  )
  // 2024: 400 m VND per establishment, above the province's own earlier 300 m.
  await rule('2024-04-01', {
    project_type: 'machinery_line',
    max_share_percent: 50,
    max_amount: 400_000_000,
    amount_basis: 'per_establishment',
  })
  t.same(
    await ask6(2024),
    [
      [true, 'met'],
      [true, null],
    ],
    'raised in 2024',
  )
  t.same(
    await ask6(2025),
    [
      [true, 'met'],
      [false, null],
    ],
    'nothing new in 2025',
  )
  const former = await get('/v1/reports/scorecard?year=2024&as_of=former', as.ministry)
  const hanoi = values(byCode(former.json().items, '01'))
  t.same(hanoi.local_support_levels_raised, [null, 'no_data'], 'by former province: no data')
})

t.test('a former province’s code in the trend answers 404 naming its successor', async (t) => {
  const res = await app.inject({ url: '/v1/reports/provinces/02/scorecard', headers: as.ministry })
  t.equal(res.statusCode, 404)
  t.match(res.json(), {
    successor: { code: '08', name: 'Tuyên Quang' },
    former: { code: '02', name: 'Hà Giang' },
  })
  const asFormer = await app.inject({
    url: '/v1/reports/provinces/02/scorecard?as_of=former',
    headers: as.ministry,
  })
  t.not(asFormer.statusCode, 500)
  t.notOk('successor' in asFormer.json(), 'as_of=former reads the former province itself')
})

t.test(
  'by former province, a certificate counts where its establishment came from, and moves with it',
  async (t) => {
    const typical = async (asOf: string) => {
      const res = await get(`/v1/reports/scorecard?year=2024&as_of=${asOf}`, as.ministry)
      const rows = (res.json().items as Row[]).filter((r) => ['02', '08'].includes(r.province_code))
      return Object.fromEntries(rows.map((r) => [r.province_code, values(r).typical_products]))
    }
    // P4, certified by the province and then by the ministry for the region: the province may not
    // change the ministry's certificate, but it corrects where its establishment came from.
    const e3 = await createEstablishment(app, as.officer08, '00691', 'Hộ kinh doanh Chè Bản Hòn')
    const p4 = await product(e3, 'Chè Bản Hòn')
    await certify(e3, p4, 'province', '2024-03-01')
    await certify(e3, p4, 'region', '2024-10-01')
    t.same(await typical('former'), { '02': [1, null], '08': [2, null] }, 'P3 from Hà Giang; P1 and P4 not')
    t.same(await typical('current'), { '08': [3, null] }, 'all three in Tuyên Quang')

    const cameFrom = (origin_province_code: string | null) =>
      send(
        'PATCH',
        `/v1/establishments/${e3}`,
        { ...as.officer08, 'if-match': '*' },
        { origin_province_code },
      )
    await cameFrom('02')
    t.same(await typical('former'), { '02': [2, null], '08': [1, null] }, 'P4 moved with its establishment')
    t.same(await typical('current'), { '08': [3, null] }, 'today’s province unchanged')

    await cameFrom(null)
    t.same(await typical('former'), { '02': [1, null], '08': [2, null] }, 'and back')
  },
)
