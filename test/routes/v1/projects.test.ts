import t from 'tap'
import { withTenant } from '../../../src/db/tenancy.ts'
import { PROJECT_ACTIONS, PROJECT_STATES } from '../../../src/domain/project-lifecycle.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { directScope } from '../../helpers/scopes.ts'
import { cast } from '../../helpers/tokens.ts'

// The matrix makes thousands of calls: no rate limit here.
const { app, database } = await buildTestApp(t, { rateLimit: { max: 0, windowMs: 60_000 } })
const as = await cast()
type Headers = Record<string, string>

const post = (url: string, headers: Headers, payload: object) =>
  app.inject({ method: 'POST', url, headers, payload })

// Plans: a national one (central schemes) and one of province 08 (local schemes).
const kcqg = await post('/v1/programmes', as.ministry, {
  level: 'national',
  title: 'KCQG 2021–2025',
  start_year: 2021,
  end_year: 2025,
})
const nationalPlan = (
  await post('/v1/plans', as.ministry, { programme_id: kcqg.json().id, year: 2024, title: 'KH 2024' })
).json().id
const local = await post('/v1/programmes', as.officer08, {
  level: 'provincial',
  title: 'CT KC Tuyên Quang',
  start_year: 2021,
  end_year: 2025,
})
const localPlan = (
  await post('/v1/plans', as.officer08, { programme_id: local.json().id, year: 2024, title: 'KH 2024' })
).json().id

const scheme = {
  year: 2024,
  title: 'Hỗ trợ ứng dụng máy chế biến chè tại xã Minh Tân',
  activity_contents: ['demonstration_technology'],
  project_type: 'machinery_line',
  industry: 'agro_food_processing',
  implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
  communes: ['00691'],
  planned_start: '2024-04-01',
  planned_end: '2024-11-30',
  requested_central: 300_000_000,
  requested_local: 100_000_000,
  requested_counterpart: 500_000_000,
  // Two establishments: 200 m VND of support each, within the machinery rule (≤ 300 m, ≤ 50 %).
  beneficiary_count: 2,
}
const planOf = (level: string) => (level === 'local' ? localPlan : nationalPlan)
/** A national scheme one of the ministry's units runs in province 08: the ministry proposes it. */
const MINISTRY_RUN = {
  run_by: 'ministry',
  province_code: '08',
  implementing_unit: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I',
  requested_local: 0,
}
type Level = 'central' | 'local' | 'ministry_run'
const createScheme = (level: Level | string, extra: object = {}, headers?: Headers) =>
  level === 'ministry_run'
    ? post('/v1/projects', headers ?? as.ministry, {
        ...scheme,
        funding_level: 'central',
        plan_id: nationalPlan,
        ...MINISTRY_RUN,
        ...extra,
      })
    : post('/v1/projects', headers ?? as.officer08, {
        ...scheme,
        funding_level: level,
        plan_id: planOf(level),
        ...extra,
      })

// ---------------------------------------------------------------------------------------------
// The expectation, written out by hand from DOMAIN.md — not derived from lifecycle.ts: for each
// funding level, state and action, who may take it and the state it leads to. Anything not listed
// is impossible from that state (409).
type Role = 'ministry' | 'province'
type Expect = Record<string, Record<string, [Role, string]>>
const EXPECTED: Record<'central' | 'local', Expect> & Partial<Record<Level, Expect>> = {
  central: {
    draft: { submit: ['province', 'submitted'], cancel: ['province', 'cancelled'] },
    returned: { submit: ['province', 'submitted'], cancel: ['province', 'cancelled'] },
    submitted: {
      appraise: ['province', 'appraised'],
      approve: ['ministry', 'approved'],
      return: ['ministry', 'returned'],
      reject: ['ministry', 'rejected'],
      cancel: ['province', 'cancelled'],
    },
    appraised: {
      approve: ['ministry', 'approved'],
      return: ['ministry', 'returned'],
      reject: ['ministry', 'rejected'],
      cancel: ['province', 'cancelled'],
    },
    approved: {
      start: ['province', 'in_progress'],
      adjust: ['ministry', 'approved'],
      cancel: ['ministry', 'cancelled'],
    },
    in_progress: {
      complete: ['province', 'completed'],
      suspend: ['ministry', 'suspended'],
      adjust: ['ministry', 'in_progress'],
      cancel: ['ministry', 'cancelled'],
    },
    suspended: {
      resume: ['ministry', 'in_progress'],
      adjust: ['ministry', 'suspended'],
      cancel: ['ministry', 'cancelled'],
    },
    completed: { accept: ['province', 'accepted'] },
    accepted: { settle: ['ministry', 'settled'] },
    settled: {},
    rejected: {},
    cancelled: {},
  },
  local: {
    draft: { submit: ['province', 'submitted'], cancel: ['province', 'cancelled'] },
    returned: { submit: ['province', 'submitted'], cancel: ['province', 'cancelled'] },
    submitted: {
      appraise: ['province', 'appraised'],
      approve: ['province', 'approved'],
      return: ['province', 'returned'],
      reject: ['province', 'rejected'],
      cancel: ['province', 'cancelled'],
    },
    appraised: {
      approve: ['province', 'approved'],
      return: ['province', 'returned'],
      reject: ['province', 'rejected'],
      cancel: ['province', 'cancelled'],
    },
    approved: {
      start: ['province', 'in_progress'],
      adjust: ['province', 'approved'],
      cancel: ['province', 'cancelled'],
    },
    in_progress: {
      complete: ['province', 'completed'],
      suspend: ['province', 'suspended'],
      adjust: ['province', 'in_progress'],
      cancel: ['province', 'cancelled'],
    },
    suspended: {
      resume: ['province', 'in_progress'],
      adjust: ['province', 'suspended'],
      cancel: ['province', 'cancelled'],
    },
    completed: { accept: ['province', 'accepted'] },
    accepted: { settle: ['province', 'settled'] },
    settled: {},
    rejected: {},
    cancelled: {},
  },
}

// A scheme run by the ministry's own units: the central table, every step the ministry's.
EXPECTED.ministry_run = Object.fromEntries(
  Object.entries(EXPECTED.central).map(([state, steps]) => [
    state,
    Object.fromEntries(Object.entries(steps).map(([action, [, to]]) => [action, ['ministry', to]])),
  ]),
) as Expect

/** How to reach each state from draft. */
const PATHS: Record<string, string[]> = {
  draft: [],
  submitted: ['submit'],
  appraised: ['submit', 'appraise'],
  approved: ['submit', 'approve'],
  in_progress: ['submit', 'approve', 'start'],
  completed: ['submit', 'approve', 'start', 'complete'],
  accepted: ['submit', 'approve', 'start', 'complete', 'accept'],
  settled: ['submit', 'approve', 'start', 'complete', 'accept', 'settle'],
  returned: ['submit', 'return'],
  rejected: ['submit', 'reject'],
  suspended: ['submit', 'approve', 'start', 'suspend'],
  cancelled: ['cancel'],
}

const ROLES: Record<Role, Headers> = { ministry: as.ministry, province: as.officer08 }

const stepBody = (action: string, level?: Level) => ({
  action,
  note: 'Ghi chú',
  decision: '101/QĐ-BCT',
  decision_date: '2024-03-15',
  ...(action === 'adjust'
    ? { approved: { central: 280_000_000, ...(level === 'ministry_run' ? {} : { local: 90_000_000 }) } }
    : {}),
})
const step = (id: string, headers: Headers, action: string, level?: Level) =>
  post(`/v1/projects/${id}/transitions`, { ...headers, 'if-match': '*' }, stepBody(action, level))

async function schemeIn(level: Level, state: string): Promise<string> {
  const created = await createScheme(level)
  if (created.statusCode !== 201) throw new Error(created.body)
  const id = created.json().id
  let at = 'draft'
  for (const action of PATHS[state] ?? []) {
    const [role, to] = EXPECTED[level]?.[at]?.[action] ?? []
    if (!role || !to) throw new Error(`no expected step ${action} from ${at}`)
    const res = await step(id, ROLES[role], action, level)
    if (res.statusCode !== 200) throw new Error(`${level} ${at} ${action}: ${res.body}`)
    at = to
  }
  return id
}

t.test('the whole lifecycle matrix: state × action × role × who runs it and how it is funded', async (t) => {
  t.same(Object.keys(PATHS).sort(), [...PROJECT_STATES].sort(), 'every state is covered')
  t.equal(PROJECT_ACTIONS.length, 13)
  for (const level of ['central', 'local', 'ministry_run'] as const) {
    for (const state of PROJECT_STATES) {
      const expected = EXPECTED[level]?.[state] ?? {}
      // One scheme in the state takes every refusal (a refusal changes nothing) …
      const id = await schemeIn(level, state)
      for (const [role, headers] of Object.entries(ROLES) as [Role, Headers][]) {
        const read = await app.inject({ url: `/v1/projects/${id}`, headers })
        t.equal(read.json().state, state)
        t.same(
          read.json().allowed_actions,
          PROJECT_ACTIONS.filter((a) => expected[a]?.[0] === role),
          `${level} ${state}: allowed_actions for the ${role}`,
        )
      }
      for (const action of PROJECT_ACTIONS) {
        for (const [role, headers] of Object.entries(ROLES) as [Role, Headers][]) {
          const who = expected[action]?.[0]
          if (who === role) continue
          const res = await step(id, headers, action, level)
          const label = `${level} ${state} ${action} by the ${role}`
          if (!who) {
            t.equal(res.statusCode, 409, `${label}: 409`)
            t.match(res.json(), { code: 'conflict', state, allowed_actions: Array })
            t.match(res.json().detail, state)
          } else {
            t.equal(res.statusCode, 403, `${label}: 403 (the ${who}'s step)`)
          }
        }
      }
      const after = await app.inject({ url: `/v1/projects/${id}`, headers: as.officer08 })
      t.equal(after.json().state, state, `${level} ${state}: refusals changed nothing`)
      t.equal(after.json().version, (PATHS[state]?.length ?? 0) + 1)
      // … and each allowed step gets a fresh scheme.
      for (const [action, [role, to]] of Object.entries(expected)) {
        const fresh = await schemeIn(level, state)
        const res = await step(fresh, ROLES[role], action, level)
        t.equal(res.statusCode, 200, `${level} ${state} ${action} by the ${role}: 200`)
        t.equal(res.json().state, to, `${level} ${state} ${action} → ${to}`)
      }
    }
  }
})

t.test('a read-only token sees no actions and takes none', async (t) => {
  const id = await schemeIn('local', 'draft')
  const read = await app.inject({ url: `/v1/projects/${id}`, headers: as.reader08 })
  t.same(read.json().allowed_actions, [])
  t.equal((await step(id, as.reader08, 'submit')).statusCode, 403)
})

t.test('history: every step with who, when, why', async (t) => {
  const id = await schemeIn('central', 'draft')
  await step(id, as.officer08, 'submit')
  const ret = await post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    { action: 'return' },
  )
  t.equal(ret.statusCode, 400, 'returning needs the reasons')
  t.match(ret.json(), { errors: [{ in: 'body', pointer: '/note' }] })
  await post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    { action: 'return', note: 'Thiếu dự toán' },
  )
  await step(id, as.officer08, 'submit')
  const noDecision = await post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    { action: 'approve' },
  )
  t.match(noDecision.json(), { errors: [{ pointer: '/decision' }] })
  const approve = await post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    {
      action: 'approve',
      decision: '2233/QĐ-BCT',
      decision_date: '2024-03-15',
      approved: { central: 250_000_000 },
    },
  )
  t.equal(approve.statusCode, 200)
  t.match(approve.json(), {
    state: 'approved',
    approved_central: 250_000_000,
    approved_local: 100_000_000,
    approved_counterpart: 500_000_000,
    approved_other: 0,
    approval_decision: '2233/QĐ-BCT',
    approval_date: '2024-03-15',
  })
  const history = await app.inject({ url: `/v1/projects/${id}/history`, headers: as.officer08 })
  t.equal(history.statusCode, 200)
  const items = history.json().items
  t.same(
    items.map((s: { action: string; from_state: string; to_state: string; actor_role: string }) => [
      s.action,
      s.from_state,
      s.to_state,
      s.actor_role,
    ]),
    [
      ['submit', 'draft', 'submitted', 'province'],
      ['return', 'submitted', 'returned', 'ministry'],
      ['submit', 'returned', 'submitted', 'province'],
      ['approve', 'submitted', 'approved', 'ministry'],
    ],
  )
  t.match(items[1], { note: 'Thiếu dự toán', actor_sub: 'ministry-1' })
  t.match(items[3], {
    decision: '2233/QĐ-BCT',
    amounts_before: { central: null },
    amounts_after: { central: 250_000_000, local: 100_000_000, counterpart: 500_000_000, other: 0 },
  })
  t.match(items[0].occurred_at, /^\d{4}-\d\d-\d\dT/)
  const paged = await app.inject({ url: `/v1/projects/${id}/history?limit=3`, headers: as.officer08 })
  const next = await app.inject({
    url: `/v1/projects/${id}/history?limit=3&cursor=${paged.json().next_cursor}`,
    headers: as.officer08,
  })
  t.same(
    next.json().items.map((s: { action: string }) => s.action),
    ['approve'],
  )
  const trail = await app.inject({
    url: `/v1/audit-events?entity_type=project&entity_id=${id}`,
    headers: as.ministry,
  })
  t.same(
    trail.json().items.map((e: { action: string }) => e.action),
    ['approve', 'submit', 'return', 'submit', 'create'],
  )
  t.equal((await app.inject({ url: `/v1/projects/${id}/history`, headers: as.officer01 })).statusCode, 404)

  // Approved money is locked: only the approver's adjust changes it, never below the disbursed.
  const etag = approve.headers.etag as string
  const patchApproved = await app.inject({
    method: 'PATCH',
    url: `/v1/projects/${id}`,
    headers: { ...as.officer08, 'if-match': etag },
    payload: { approved_central: 1 },
  })
  t.equal(patchApproved.statusCode, 400)
  t.match(patchApproved.json(), { errors: [{ pointer: '/approved_central' }] })
  const patchRequested = await app.inject({
    method: 'PATCH',
    url: `/v1/projects/${id}`,
    headers: { ...as.officer08, 'if-match': etag },
    payload: { requested_central: 1 },
  })
  t.equal(patchRequested.statusCode, 409)
  t.match(patchRequested.json(), { errors: [{ pointer: '/requested_central' }] })
  const byProvince = await post(
    `/v1/projects/${id}/transitions`,
    { ...as.officer08, 'if-match': '*' },
    {
      action: 'adjust',
      decision: 'x',
      approved: { central: 1 },
    },
  )
  t.equal(byProvince.statusCode, 403, 'the province does not adjust a central scheme')
  const noAmounts = await post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    {
      action: 'adjust',
      decision: 'x',
    },
  )
  t.match(noAmounts.json(), { errors: [{ pointer: '/approved' }] })
  // Amounts beyond 2^32, kept lawful: 500 establishments (≤ 300 m VND each), counterpart ≥ support.
  const widen = await app.inject({
    method: 'PATCH',
    url: `/v1/projects/${id}`,
    headers: { ...as.officer08, 'if-match': '*' },
    payload: { beneficiary_count: 500 },
  })
  t.equal(widen.statusCode, 200, widen.body)
  const adjust = await post(
    `/v1/projects/${id}/transitions`,
    { ...as.ministry, 'if-match': '*' },
    {
      action: 'adjust',
      decision: '3001/QĐ-BCT',
      note: 'Điều chỉnh giảm',
      approved: { central: 123_456_789_012, counterpart: 130_000_000_000 },
    },
  )
  t.equal(adjust.statusCode, 200)
  t.match(adjust.json(), {
    state: 'approved',
    approved_central: 123_456_789_012,
    approved_local: 100_000_000,
  })
  const stale = await app.inject({
    method: 'POST',
    url: `/v1/projects/${id}/transitions`,
    headers: { ...as.officer08, 'if-match': etag },
    payload: { action: 'start' },
  })
  t.equal(stale.statusCode, 412, 'a stale If-Match on a transition')
})

t.test('every validation failure names its field', async (t) => {
  const cases: [object, string][] = [
    [{ funding_level: 'regional' }, '/funding_level'],
    [{ activity_contents: [] }, '/activity_contents'],
    [{ activity_contents: ['poetry'] }, '/activity_contents/0'],
    [{ project_type: 'workshop' }, '/project_type'],
    [{ kind: 'pilot' }, '/activity_contents'],
    [{ industry: 'banking' }, '/industry'],
    [{ requested_central: -1 }, '/requested_central'],
    [{ requested_local: 1.5 }, '/requested_local'],
    [{ planned_end: '2024-01-01' }, '/planned_end'],
    [{ actual_start: '2024-05-01', actual_end: '2024-04-01' }, '/actual_end'],
    [{ communes: ['00004'] }, '/communes/0'],
    [{ communes: ['00691', 'x'] }, '/communes/1'],
    [{ origin_province_code: '01' }, '/origin_province_code'],
    [{ plan_id: localPlan }, '/plan_id'],
    [{ year: 2023 }, '/year'],
    [{ selection_method: 'lottery' }, '/selection_method'],
    [{ title: '' }, '/title'],
    [{ colour: 'red' }, '/colour'],
  ]
  for (const [extra, pointer] of cases) {
    const res = await createScheme('central', extra)
    t.equal(res.statusCode, 400, pointer)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer }] }, pointer)
  }
  const wrongPlan = await createScheme('local', { plan_id: nationalPlan })
  t.match(wrongPlan.json(), { errors: [{ pointer: '/plan_id' }] })
  const pilot = await createScheme('central', {
    kind: 'pilot',
    activity_contents: ['demonstration_technology', 'product_development'],
    planned_end: '2025-06-30', // a pilot lasts more than a year
    origin_province_code: '02',
  })
  t.equal(pilot.statusCode, 201)
  t.match(pilot.json(), { kind: 'pilot', origin_province_code: '02', state: 'draft' })
  const bad = await post(
    `/v1/projects/${pilot.json().id}/transitions`,
    { ...as.officer08, 'if-match': '*' },
    { action: 'fly' },
  )
  t.match(bad.json(), { errors: [{ pointer: '/action' }] })
  const notAllowed = await post(
    `/v1/projects/${pilot.json().id}/transitions`,
    { ...as.officer08, 'if-match': '*' },
    {
      action: 'submit',
      approved: { central: 1 },
    },
  )
  t.match(notAllowed.json(), { errors: [{ pointer: '/approved' }] })
})

t.test('tenancy: another province, the ministry', async (t) => {
  const res = await createScheme('local', { title: 'Đề án riêng của Tuyên Quang' })
  const { id } = res.json()
  t.equal((await app.inject({ url: `/v1/projects/${id}`, headers: as.officer01 })).statusCode, 404)
  t.equal((await step(id, as.officer01, 'submit')).statusCode, 404)
  const patch01 = await app.inject({
    method: 'PATCH',
    url: `/v1/projects/${id}`,
    headers: { ...as.officer01, 'if-match': '"1"' },
    payload: { title: 'x' },
  })
  t.equal(patch01.statusCode, 404)
  const list01 = await app.inject({ url: '/v1/projects?province_code=08', headers: as.officer01 })
  t.same(list01.json().items, [])
  t.equal((await createScheme('local', { province_code: '08' }, as.officer01)).statusCode, 403)
  t.equal((await createScheme('local', {}, as.ministry)).statusCode, 403, 'the ministry does not propose')
  const patchM = await app.inject({
    method: 'PATCH',
    url: `/v1/projects/${id}`,
    headers: { ...as.ministry, 'if-match': '"1"' },
    payload: { title: 'x' },
  })
  t.equal(patchM.statusCode, 403, 'the ministry does not edit a province’s scheme')
  const read = await app.inject({ url: `/v1/projects/${id}`, headers: as.ministry })
  t.equal(read.statusCode, 200)
  t.equal(read.json().title, 'Đề án riêng của Tuyên Quang')
  const all = await app.inject({ url: '/v1/projects?limit=500', headers: as.ministry })
  t.ok(all.json().items.length > 70, 'the ministry lists every scheme')
})

t.test(
  'a scheme run by the ministry’s own units: the ministry’s, read by the province of its site',
  async (t) => {
    const refused = async (payload: object, headers: Headers, code: number, pointer?: string) => {
      const res = await createScheme('ministry_run', payload, headers)
      t.equal(res.statusCode, code, JSON.stringify(payload))
      if (pointer) t.match(res.json(), { errors: [{ in: 'body', pointer }] })
    }
    await refused({}, as.officer08, 403)
    await refused({ province_code: undefined }, as.ministry, 400, '/province_code')
    await refused({ funding_level: 'local', plan_id: localPlan }, as.ministry, 400, '/funding_level')
    await refused({ requested_local: 5_000_000 }, as.ministry, 400, '/requested_local')

    const created = await createScheme('ministry_run', { title: 'Trình diễn máy sao chè của Trung tâm I' })
    t.equal(created.statusCode, 201)
    const { id } = created.json()
    t.match(created.json(), { run_by: 'ministry', province_code: '08', state: 'draft' })
    t.same(created.json().allowed_actions, ['submit', 'cancel'], 'the ministry proposes')
    const read = await app.inject({ url: `/v1/projects/${id}`, headers: as.officer08 })
    t.equal(read.statusCode, 200, 'the province of the site reads it')
    t.same(read.json().allowed_actions, [], 'and takes no step')
    t.equal((await app.inject({ url: `/v1/projects/${id}`, headers: as.officer01 })).statusCode, 404)
    const listed = await app.inject({ url: '/v1/projects?run_by=ministry&limit=500', headers: as.officer08 })
    t.ok(
      listed.json().items.some((p: { id: string }) => p.id === id),
      'listed under run_by=ministry',
    )
    t.ok(listed.json().items.every((p: { run_by: string }) => p.run_by === 'ministry'))

    const patch = (headers: Headers, payload: object) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/projects/${id}`,
        headers: { ...headers, 'if-match': '*' },
        payload,
      })
    t.equal((await patch(as.officer08, { title: 'x' })).statusCode, 403, 'the province does not edit it')
    t.equal((await patch(as.ministry, { beneficiary_count: 3 })).statusCode, 200, 'the ministry does')
    const local = await patch(as.ministry, { requested_local: 1 })
    t.match(local.json(), { errors: [{ pointer: '/requested_local' }] }, 'never the province’s money')
    const { run_by, ...unchanged } = read.json()
    t.equal(run_by, 'ministry')
    t.equal((await patch(as.ministry, { run_by: 'province' })).statusCode, 400, 'run_by never changes')
    t.ok(unchanged)

    // The database refuses a province's write even without the application.
    const province = directScope('province', '08')
    await t.rejects(
      withTenant(database.db, province, (trx) =>
        trx.updateTable('projects').set({ title: 'sửa trái phép' }).where('id', '=', id).execute(),
      ),
      { code: '42501' },
      'no update under the province',
    )
    await t.rejects(
      withTenant(database.db, province, (trx) =>
        trx
          .insertInto('projects')
          .values({
            province_code: '08',
            year: 2024,
            title: 'giả danh',
            funding_level: 'central',
            run_by: 'ministry',
            activity_contents: ['training'],
            implementing_unit: 'x',
            requested_central: 1,
            requested_local: 0,
            requested_counterpart: 0,
            requested_other: 0,
            disbursed_central: 0,
            disbursed_local: 0,
            disbursed_counterpart: 0,
            disbursed_other: 0,
            checked_rules: '[]',
          })
          .execute(),
      ),
      { code: '42501' },
      'no ministry-run scheme proposed under the province',
    )

    // Approved, it counts in the province's figures as central support.
    const centralApproved = async () => {
      const summary = await app.inject({
        url: '/v1/budget-allocations/summary?group_by=funding_source&year=2024&province=08',
        headers: as.officer08,
      })
      return summary.json().items.find((i: { funding_source: string }) => i.funding_source === 'central')
        ?.approved as number
    }
    const before = (await centralApproved()) ?? 0
    for (const action of ['submit', 'approve']) {
      t.equal((await step(id, as.ministry, action, 'ministry_run')).statusCode, 200, action)
    }
    t.equal((await centralApproved()) - before, 300_000_000, 'its central money is approved to province 08')
    const adjust = await post(
      `/v1/projects/${id}/transitions`,
      { ...as.ministry, 'if-match': '*' },
      { action: 'adjust', decision: '9/QĐ-BCT', approved: { central: 250_000_000, local: 1 } },
    )
    t.match(adjust.json(), { errors: [{ pointer: '/approved/local' }] }, 'no local money approved either')
  },
)

t.test('updates: If-Match, proposals editable while draft, exact money', async (t) => {
  const { id } = (await createScheme('central')).json()
  const patch = (headers: Headers, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/projects/${id}`, headers, payload })
  t.equal((await patch(as.officer08, { title: 'x' })).statusCode, 428)
  const ok = await patch({ ...as.officer08, 'if-match': '"1"' }, { requested_other: 9_007_199_254_740_991 })
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().requested_other, 9_007_199_254_740_991, 'money is exact to the đồng')
  t.same(ok.json().allowed_actions, ['submit', 'cancel'])
  t.equal((await patch({ ...as.officer08, 'if-match': '"1"' }, { title: 'y' })).statusCode, 412)
  const bad = await patch({ ...as.officer08, 'if-match': '"2"' }, { planned_start: '2025-01-01' })
  t.match(bad.json(), { errors: [{ pointer: '/planned_end' }] })
  await step(id, as.officer08, 'cancel')
  const final = await patch({ ...as.officer08, 'if-match': '"3"' }, { title: 'z' })
  t.equal(final.statusCode, 409, 'a cancelled scheme no longer changes')
})

t.test('a khuyến công service provider is not a beneficiary (Decree 45/2012 Art. 1.2)', async (t) => {
  const establishment = async (name: string, kind: string) =>
    (await post('/v1/establishments', as.officer08, { commune_code: '00691', name, kind })).json()
      .id as string
  const coop = await establishment('HTX Chè Minh Tân', 'cooperative')
  const provider = await establishment('Công ty Tư vấn Khuyến công Minh Tân', 'service_provider')
  const refused = await createScheme('local', { beneficiary_establishment_ids: [coop, provider] })
  t.equal(refused.statusCode, 400)
  t.match(refused.json(), {
    errors: [
      { in: 'body', pointer: '/beneficiary_establishment_ids/1', detail: /cơ sở dịch vụ khuyến công/ },
    ],
  })

  const created = await createScheme('local', { beneficiary_establishment_ids: [coop] })
  t.equal(created.statusCode, 201, created.body)
  const patched = await app.inject({
    method: 'PATCH',
    url: `/v1/projects/${created.json().id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
    payload: { beneficiary_establishment_ids: [provider] },
  })
  t.equal(patched.statusCode, 400)
  t.match(patched.json(), { errors: [{ pointer: '/beneficiary_establishment_ids/0' }] })
})

t.test('Idempotency-Key, filters and CSV', async (t) => {
  const key = { ...as.officer08, 'idempotency-key': 'scheme-1' }
  const first = await createScheme('local', { title: 'Idempotent' }, key)
  const again = await createScheme('local', { title: 'Idempotent' }, key)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json(), first.json())
  t.equal((await createScheme('local', { title: 'Other' }, key)).statusCode, 422)

  const list = await app.inject({
    url: '/v1/projects?funding_level=local&state=draft&q=idempotent&include_total=true',
    headers: as.officer08,
  })
  t.equal(list.json().total, 1)
  const pilots = await app.inject({ url: '/v1/projects?pilot=true', headers: as.officer08 })
  t.ok(pilots.json().items.every((p: { kind: string }) => p.kind === 'pilot'))
  t.ok(pilots.json().items.length >= 1)
  const byContent = await app.inject({
    url: '/v1/projects?activity_content=product_development',
    headers: as.officer08,
  })
  t.equal(byContent.json().items.length, 1)
  const bySource = await app.inject({ url: '/v1/projects?funding_source=other', headers: as.officer08 })
  t.equal(bySource.json().items.length, 1)
  const origin = await app.inject({ url: '/v1/projects?origin_province_code=02', headers: as.officer08 })
  t.equal(origin.json().items.length, 1)

  const csv = await app.inject({
    url: '/v1/projects?q=idempotent',
    headers: { ...as.officer08, accept: 'text/csv' },
  })
  t.equal(csv.statusCode, 200)
  t.ok(csv.body.startsWith('\uFEFFid,province_code,year,code,title,'))
  t.match(csv.body, /,100000000,/, 'money as whole numbers')
  t.equal(csv.body.trimEnd().split('\r\n').length, 2)
  const csv01 = await app.inject({ url: '/v1/projects', headers: { ...as.officer01, accept: 'text/csv' } })
  t.notMatch(csv01.body, /Tuyên Quang/)
})
