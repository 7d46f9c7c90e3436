// Support levels as dated rules (issue #15): the resource, who writes it, and the checks of a
// scheme's money on submit, approve and adjust and of advances — through HTTP on a real database.

import { sql } from 'kysely'
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()
type Headers = Record<string, string>

const post = (url: string, headers: Headers, payload: object) =>
  app.inject({ method: 'POST', url, headers, payload })
const get = (url: string, headers: Headers = as.officer08) => app.inject({ url, headers })
/** A merge patch of a scheme by province 08, whatever its version. */
const patch = (id: string, payload: object) =>
  app.inject({
    method: 'PATCH',
    url: `/v1/projects/${id}`,
    headers: { ...as.officer08, 'if-match': '*' },
    payload,
  })
const act = (id: string, headers: Headers, payload: object) =>
  post(`/v1/projects/${id}/transitions`, { ...headers, 'if-match': '*' }, payload)

/** A machinery scheme (the seeded national rule: ≤ 50 % of the cost, ≤ 300 m VND per establishment). */
async function machinery(money: object, extra: object = {}, level = 'central') {
  const res = await post('/v1/projects', as.officer08, {
    year: 2024,
    title: 'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến',
    funding_level: level,
    activity_contents: ['demonstration_technology'],
    project_type: 'machinery_line',
    implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
    ...money,
    ...extra,
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().id as string
}
const submit = (id: string) => act(id, as.officer08, { action: 'submit', decision_date: '2024-03-01' })
const approve = (id: string, extra: object = {}) =>
  act(id, as.ministry, { action: 'approve', decision: '1/QĐ-BCT', decision_date: '2024-03-15', ...extra })

t.test('the national rules are seeded, served and filtered', async (t) => {
  const list = await get('/v1/support-rules?level=national&date=2024-06-01&include_total=true')
  t.equal(list.statusCode, 200)
  const titles = list
    .json()
    .items.map((r: { title: string }) => r.title)
    .join('\n')
  t.match(titles, /300 million VND per establishment/)
  t.match(titles, /1,000 million VND per model/)
  t.match(titles, /70 %/)
  const machineryRule = list
    .json()
    .items.find((r: { project_type: string }) => r.project_type === 'machinery_line')
  t.match(machineryRule, {
    level: 'national',
    province_code: null,
    activity_content: 'demonstration_technology',
    max_share_percent: 50,
    max_amount: 300_000_000,
    amount_basis: 'per_establishment',
    priority_uplift: 1.5,
    counterpart_required: true,
    source: /NOT confirmed/,
  })
  const before = await get('/v1/support-rules?date=2017-01-01')
  t.equal(before.json().items.length, 0, 'none in force before TT 28/2018')
  const training = await get('/v1/support-rules?activity_content=training')
  t.same(
    training.json().items.map((r: { activity_content: string | null }) => r.activity_content),
    [null],
    'a content filter keeps the rules of every content (the advance cap)',
  )
  const one = await get(`/v1/support-rules/${machineryRule.id}`)
  t.equal(one.statusCode, 200)
  t.equal(one.headers.etag, '"2"', 'corrected once by migration 0067')
  t.match(one.json(), { valid_from: '2018-05-11', legal_basis: /Art\. 8\.4/ })
})

t.test('a whole technology line: 1.5 times the machinery cap (TT 28/2018 Art. 8.4)', async (t) => {
  const line = (central: number, type: string) =>
    machinery({ requested_central: central, requested_counterpart: central }, { project_type: type })
  t.equal((await submit(await line(450_000_000, 'technology_line'))).statusCode, 200, '450 m VND for a line')
  const over = await submit(await line(450_000_001, 'technology_line'))
  t.equal(over.statusCode, 422)
  t.match(over.json(), { cap: 450_000_000, detail: /technology line/ })
  const machine = await submit(await line(450_000_000, 'machinery_line'))
  t.match(machine.json(), { cap: 300_000_000 }, 'machinery alone keeps its 300 m VND')
})

t.test('the ministry writes national rules, a province its own', async (t) => {
  const national = {
    level: 'national',
    legal_basis: 'TT 99/2030/TT-BTC',
    title: 'Thử',
    valid_from: '2030-01-01',
  }
  const refused = await post('/v1/support-rules', { ...as.officer08, 'idempotency-key': 'r1' }, national)
  t.equal(refused.statusCode, 403, 'a province does not write a national rule')
  const created = await post('/v1/support-rules', { ...as.ministry, 'idempotency-key': 'r2' }, national)
  t.equal(created.statusCode, 201)
  const id = created.json().id
  const byProvince = await app.inject({
    method: 'PATCH',
    url: `/v1/support-rules/${id}`,
    headers: { ...as.officer08, 'if-match': '"1"' },
    payload: { title: 'x' },
  })
  t.equal(byProvince.statusCode, 403)
  const ended = await app.inject({
    method: 'PATCH',
    url: `/v1/support-rules/${id}`,
    headers: { ...as.ministry, 'if-match': '"1"' },
    payload: { valid_to: '2029-12-31' },
  })
  t.equal(ended.statusCode, 400, 'valid_to not before valid_from')
  t.match(ended.json(), { errors: [{ pointer: '/valid_to' }] })
  const removed = await app.inject({
    method: 'DELETE',
    url: `/v1/support-rules/${id}`,
    headers: { ...as.ministry, 'if-match': '"1"' },
  })
  t.equal(removed.statusCode, 204)
  const audit = await get(`/v1/audit-events?entity_type=support_rule&entity_id=${id}`, as.ministry)
  t.same(
    audit
      .json()
      .items.map((e: { action: string }) => e.action)
      .sort(),
    ['create', 'delete'],
    'audited',
  )
  const provincial = await post('/v1/support-rules', as.officer08, {
    level: 'national',
    province_code: '08',
    legal_basis: 'x',
    title: 'x',
    valid_from: '2024-01-01',
  })
  t.equal(provincial.statusCode, 403)
  const other = await post('/v1/support-rules', as.officer08, {
    level: 'provincial',
    province_code: '01',
    legal_basis: 'x',
    title: 'x',
    valid_from: '2024-01-01',
  })
  t.equal(other.statusCode, 403, 'not another province’s')
  const noBasis = await post('/v1/support-rules', as.officer08, {
    level: 'provincial',
    legal_basis: 'x',
    title: 'x',
    valid_from: '2024-01-01',
    max_amount: 1,
  })
  t.equal(noBasis.statusCode, 400)
  t.match(noBasis.json(), { errors: [{ pointer: '/amount_basis' }] })
})

t.test('the issue’s example: a central machinery scheme asking 5 bn VND with no counterpart', async (t) => {
  const id = await machinery({ requested_central: 5_000_000_000, requested_counterpart: 0 })
  const res = await submit(id)
  t.equal(res.statusCode, 422)
  t.match(res.json(), {
    code: 'unprocessable',
    detail: /Vốn đối ứng.*TT 28\/2018\/TT-BTC/,
    rule: { legal_basis: /TT 28\/2018\/TT-BTC/, title: /machinery/ },
    errors: [{ pointer: '/requested_counterpart' }],
  })
  t.equal((await get(`/v1/projects/${id}`)).json().state, 'draft', 'not submitted')
  // With counterpart funds the amount is still far above 300 m VND for its one establishment.
  const funded = await machinery({ requested_central: 5_000_000_000, requested_counterpart: 6_000_000_000 })
  const over = await submit(funded)
  t.equal(over.statusCode, 422)
  t.match(over.json(), { cap: 300_000_000, amount: 5_000_000_000, detail: /cho mỗi cơ sở/ })
})

t.test('under, at and over the per-establishment cap; divided by the beneficiaries', async (t) => {
  const at = await machinery({ requested_central: 300_000_000, requested_counterpart: 400_000_000 })
  t.equal((await submit(at)).statusCode, 200, 'at the cap')
  const approved = await approve(at)
  t.equal(approved.statusCode, 200)
  t.match(approved.json().checked_rules, [
    { action: 'approve', date: '2024-03-15', legal_basis: /TT 28\/2018/, title: /machinery/ },
  ])
  const under = await machinery({ requested_central: 299_999_999, requested_counterpart: 400_000_000 })
  t.equal((await submit(under)).statusCode, 200, 'under the cap')
  t.match((await get(`/v1/projects/${under}`)).json().checked_rules, [{ action: 'submit' }])
  const over = await machinery({ requested_central: 300_000_001, requested_counterpart: 400_000_000 })
  const refused = await submit(over)
  t.equal(refused.statusCode, 422, 'one đồng over')
  t.match(refused.json(), {
    cap: 300_000_000,
    amount: 300_000_001,
    rule: { legal_basis: /TT 28\/2018/ },
    errors: [{ pointer: '/requested_central' }],
  })
  // Central and local money add up: the support is the public money.
  const mixed = await machinery(
    { requested_central: 200_000_000, requested_local: 100_000_001, requested_counterpart: 400_000_000 },
    {},
  )
  t.equal((await submit(mixed)).statusCode, 422)
  const two = await machinery(
    { requested_central: 600_000_000, requested_counterpart: 600_000_000 },
    { beneficiary_count: 2 },
  )
  t.equal((await submit(two)).statusCode, 200, '600 m VND for two establishments is 300 m each')
  const adjust = await act(two, as.ministry, {
    action: 'approve',
    decision: '2/QĐ-BCT',
    decision_date: '2024-03-15',
    approved: { central: 600_000_002, counterpart: 700_000_000 },
  })
  t.equal(adjust.statusCode, 422, 'approved money is checked too')
  t.match(adjust.json(), { amount: 300_000_001, errors: [{ pointer: '/approved/central' }] })
  t.equal((await approve(two)).statusCode, 200)
  const up = await act(two, as.ministry, {
    action: 'adjust',
    decision: '3/QĐ-BCT',
    decision_date: '2024-06-01',
    approved: { central: 700_000_000, counterpart: 800_000_000 },
  })
  t.equal(up.statusCode, 422, 'and so is an adjustment')
  t.match(up.json(), { cap: 300_000_000, amount: 350_000_000 })
})

t.test('the share of the cost, and the priority uplift (×1.5)', async (t) => {
  const share = await machinery({ requested_central: 200_000_000, requested_counterpart: 199_999_999 })
  const refused = await submit(share)
  t.equal(refused.statusCode, 422, 'more than half of the cost')
  t.match(refused.json(), { detail: /vượt quá 50 % tổng kinh phí/, amount: 200_000_000 })
  const half = await machinery({ requested_central: 200_000_000, requested_counterpart: 200_000_000 })
  t.equal((await submit(half)).statusCode, 200, 'exactly half')
  const priority = { priority_areas: ['difficult_area'] }
  const lifted = await machinery(
    { requested_central: 450_000_000, requested_counterpart: 150_000_000 },
    priority,
  )
  t.equal((await submit(lifted)).statusCode, 200, '450 m VND and 75 % in a priority area')
  const beyond = await machinery(
    { requested_central: 450_000_001, requested_counterpart: 500_000_000 },
    priority,
  )
  const no = await submit(beyond)
  t.equal(no.statusCode, 422)
  t.match(no.json(), { cap: 450_000_000, amount: 450_000_001 })
  const plain = await machinery({ requested_central: 450_000_000, requested_counterpart: 500_000_000 })
  t.equal((await submit(plain)).statusCode, 422, 'no uplift without a priority area')
})

t.test('after approval, what the caps read changes only within them', async (t) => {
  // 600 m VND for two establishments in a priority area: 300 m each, under the 450 m uplifted cap.
  const two = await machinery(
    { requested_central: 600_000_000, requested_counterpart: 600_000_000 },
    { beneficiary_count: 2, priority_areas: ['difficult_area'] },
  )
  t.equal((await submit(two)).statusCode, 200)
  const content = await patch(two, { activity_contents: ['training'], project_type: null })
  t.equal(content.statusCode, 409, 'content and type are locked once submitted, like the money')
  t.match(content.json(), { errors: [{ pointer: '/activity_contents' }, { pointer: '/project_type' }] })
  t.equal((await approve(two)).statusCode, 200)
  const retyped = await patch(two, { project_type: 'technology_line' })
  t.equal(retyped.statusCode, 409, 'approved: a technology line would lift the cap to 450 m')
  t.equal(
    (await patch(two, { activity_contents: ['demonstration_technology'] })).statusCode,
    200,
    'unchanged',
  )
  const one = await patch(two, { beneficiary_count: 1 })
  t.equal(one.statusCode, 422, 'one establishment would get 600 m VND, above 450 m')
  t.match(one.json(), {
    cap: 450_000_000,
    amount: 600_000_000,
    rule: { legal_basis: /TT 28\/2018/ },
    errors: [{ pointer: '/beneficiary_count' }],
  })
  const both = await patch(two, { beneficiary_count: 3, priority_areas: [] })
  t.equal(both.statusCode, 200, '200 m VND each for three, within the plain cap')
  const bare = await patch(two, { beneficiary_count: 1 })
  t.equal(bare.statusCode, 422, 'without the priority area the cap is 300 m')
  t.match(bare.json(), { cap: 300_000_000, errors: [{ pointer: '/beneficiary_count' }] })
  const listed = await patch(two, {
    beneficiary_count: 1,
    priority_areas: ['difficult_area', 'ethnic_minority_area'],
  })
  t.equal(listed.statusCode, 422, 'both fields changed are named')
  t.match(listed.json(), { errors: [{ pointer: '/priority_areas' }, { pointer: '/beneficiary_count' }] })
  const row = (await get(`/v1/projects/${two}`)).json()
  t.match(row, { beneficiary_count: 3, priority_areas: [], activity_contents: ['demonstration_technology'] })
})

t.test(
  'after approval, a change towards a rule recorded since is not refused; one away from it is',
  async (t) => {
    const establishment = async (name: string) => {
      const res = await post('/v1/establishments', as.officer08, {
        commune_code: '00691',
        name,
        kind: 'household_business',
      })
      if (res.statusCode !== 201) throw new Error(res.body)
      return res.json().id as string
    }
    const [a, b] = [await establishment('Cơ sở A'), await establishment('Cơ sở B')]
    const id = await machinery(
      { requested_central: 600_000_000, requested_counterpart: 600_000_000 },
      { beneficiary_count: 2, beneficiary_establishment_ids: [a, b], priority_areas: ['difficult_area'] },
    )
    t.equal((await submit(id)).statusCode, 200)
    t.equal((await approve(id)).statusCode, 200)
    t.equal(
      (await patch(id, { beneficiary_establishment_ids: [b, a] })).statusCode,
      200,
      'the same two, reordered',
    )
    // A provincial rule entered late, in force before the approval: 100 m VND per establishment.
    const rule = await post(
      '/v1/support-rules',
      { ...as.officer08, 'idempotency-key': 'late-rule' },
      {
        level: 'provincial',
        province_code: '08',
        legal_basis: 'NQ 99/2023/NQ-HĐND',
        title: 'Máy móc: tối đa 100 triệu đồng mỗi cơ sở',
        valid_from: '2024-01-01',
        activity_content: 'demonstration_technology',
        project_type: 'machinery_line',
        max_amount: 100_000_000,
        amount_basis: 'per_establishment',
      },
    )
    t.equal(rule.statusCode, 201, rule.body)
    const local = await machinery(
      { requested_local: 600_000_000, requested_counterpart: 600_000_000 },
      { beneficiary_count: 6 },
      'local',
    )
    t.equal((await submit(local)).statusCode, 200)
    const approved = await act(local, as.officer08, {
      action: 'approve',
      decision: '5/QĐ-UBND',
      decision_date: '2024-03-15',
    })
    t.equal(approved.statusCode, 200, '100 m VND each for six')
    // Recorded by hand as six, the rule now finds 200 m each for three; nearer is allowed, further not.
    await sql`update projects set beneficiary_count = 3 where id = ${local}`.execute(database.db)
    t.equal((await patch(local, { beneficiary_count: 4 })).statusCode, 200, '150 m each: nearer the cap')
    const further = await patch(local, { beneficiary_count: 2 })
    t.equal(further.statusCode, 422, '300 m each: further above it')
    t.match(further.json(), {
      rule: { legal_basis: 'NQ 99/2023/NQ-HĐND' },
      errors: [{ pointer: '/beneficiary_count' }],
    })
    t.equal((await patch(local, { beneficiary_count: 6 })).statusCode, 200, 'within it again')
    const removed = await app.inject({
      method: 'DELETE',
      url: `/v1/support-rules/${rule.json().id}`,
      headers: { ...as.officer08, 'if-match': '"1"' },
    })
    t.equal(removed.statusCode, 204, 'the late rule goes, for the tests after')
  },
)

t.test('nearer or further is judged on every cap of a rule, not on the first it breaks', async (t) => {
  // 700 m of 1,000 m for two in a priority area: 70 % (cap 75 %), 350 m each (cap 450 m).
  const approvedMachinery = async () => {
    const id = await machinery(
      { requested_central: 700_000_000, requested_counterpart: 300_000_000 },
      { beneficiary_count: 2, priority_areas: ['difficult_area'] },
    )
    t.equal((await submit(id)).statusCode, 200)
    t.equal((await approve(id)).statusCode, 200)
    return id
  }
  // Recorded since by hand as one establishment: 700 m for one, 1.56 times the 450 m.
  const one = await approvedMachinery()
  await sql`update projects set beneficiary_count = 1 where id = ${one}`.execute(database.db)
  const plain = await patch(one, { priority_areas: [] })
  t.equal(plain.statusCode, 422, 'no uplift: 2.33 times 300 m each, heavier than 1.56 times 450 m')
  t.match(plain.json(), { errors: [{ pointer: '/priority_areas' }] })
  const bare = await approvedMachinery()
  await sql`update projects set beneficiary_count = 1, priority_areas = '{}' where id = ${bare}`.execute(
    database.db,
  )
  const lifted = await patch(bare, { priority_areas: ['difficult_area'] })
  t.equal(lifted.statusCode, 200, 'an area only raises the caps: nearer them')
})

t.test('a recast pilot keeps two contents', async (t) => {
  const pilot = await machinery(
    { requested_central: 300_000_000, requested_counterpart: 400_000_000 },
    {
      kind: 'pilot',
      activity_contents: ['demonstration_technology', 'training'],
      planned_start: '2024-03-01',
      planned_end: '2025-06-30',
    },
  )
  t.equal((await submit(pilot)).statusCode, 200)
  t.equal((await approve(pilot)).statusCode, 200)
  const one = await act(pilot, as.ministry, {
    action: 'adjust',
    decision: '8/QĐ-BCT',
    decision_date: '2024-06-01',
    activity_contents: ['demonstration_technology'],
  })
  t.equal(one.statusCode, 400, 'a pilot links two or more contents')
  t.match(one.json(), { errors: [{ pointer: '/activity_contents' }] })
})

t.test('an adjustment may recast the type; the rules of what the scheme becomes cap it', async (t) => {
  const id = await machinery({ requested_central: 300_000_000, requested_counterpart: 400_000_000 })
  t.equal((await submit(id)).statusCode, 200)
  const early = await approve(id, { project_type: 'technology_line' })
  t.equal(early.statusCode, 400, 'approve takes the proposal as it was submitted')
  t.match(early.json(), { errors: [{ pointer: '/project_type' }] })
  t.equal((await approve(id)).statusCode, 200)
  const adjust = (extra: object) =>
    act(id, as.ministry, { action: 'adjust', decision: '7/QĐ-BCT', decision_date: '2024-06-01', ...extra })
  const line = await adjust({
    project_type: 'technology_line',
    approved: { central: 450_000_000, counterpart: 450_000_000 },
  })
  t.equal(line.statusCode, 200, 'a whole technology line: 450 m VND')
  t.match(line.json(), { project_type: 'technology_line', approved_central: 450_000_000 })
  const back = await adjust({ project_type: 'machinery_line' })
  t.equal(back.statusCode, 422, 'machinery alone caps the 450 m at 300 m')
  t.match(back.json(), { cap: 300_000_000, errors: [{ pointer: '/approved/central' }] })
  const stray = await adjust({ project_type: 'workshop' })
  t.equal(stray.statusCode, 400, 'a type of a content the scheme does not have')
  t.match(stray.json(), { errors: [{ pointer: '/project_type' }] })
  const trail = await get(`/v1/audit-events?entity_type=project&entity_id=${id}`, as.ministry)
  t.match(
    trail.json().items.find((e: { action: string }) => e.action === 'adjust'),
    {
      before: { project_type: 'machinery_line' },
      after: { project_type: 'technology_line', approved: { central: 450_000_000 } },
    },
    'the audit trail keeps what the adjustment recast',
  )
  const history = (await get(`/v1/projects/${id}/history`)).json().items
  t.same(
    history.map((step: { action: string; recast: unknown }) => [step.action, step.recast]),
    [
      ['submit', null],
      ['approve', null],
      [
        'adjust',
        {
          before: { activity_contents: ['demonstration_technology'], project_type: 'machinery_line' },
          after: { activity_contents: ['demonstration_technology'], project_type: 'technology_line' },
        },
      ],
    ],
    'so does the history, which the province reads',
  )
})

t.test('a decision dated decades away finds no rule in force: refused, not approved uncapped', async (t) => {
  const id = await machinery({ requested_central: 200_000_000, requested_counterpart: 200_000_000 })
  t.equal((await submit(id)).statusCode, 200)
  const over = { approved: { central: 900_000_000 } }
  const capped = await approve(id, over)
  t.equal(capped.statusCode, 422, 'the 50 % cap on the decision’s date')
  for (const decision_date of ['1900-01-01', '2022-12-31', '2099-01-01']) {
    const res = await approve(id, { ...over, decision_date })
    t.equal(res.statusCode, 400, `${decision_date}: ${res.body.slice(0, 160)}`)
    t.match(res.json(), { errors: [{ in: 'body', pointer: '/decision_date' }] })
  }
  t.equal((await get(`/v1/projects/${id}`)).json().state, 'submitted', 'nothing approved')
})

t.test('validity dates either side of a change of a provincial rule', async (t) => {
  const doc = await post('/v1/legal-documents', as.officer08, {
    number: '12/2024/NQ-HĐND',
    kind: 'resolution',
    issuer: 'HĐND tỉnh Tuyên Quang',
    title: 'Nghị quyết quy định mức hỗ trợ khuyến công',
    signed_date: '2024-06-15',
    subject: 'support_levels',
    is_normative: true,
  })
  t.equal(doc.statusCode, 201, doc.body)
  const rule = (valid_from: string, valid_to: string | null, max_amount: number) =>
    post('/v1/support-rules', as.officer08, {
      level: 'provincial',
      legal_document_id: doc.json().id,
      legal_basis: '12/2024/NQ-HĐND',
      title: `Đào tạo nghề: ≤ ${max_amount} đồng/đề án`,
      valid_from,
      valid_to,
      activity_content: 'training',
      max_amount,
      amount_basis: 'per_scheme',
    })
  const old = await rule('2024-01-01', '2024-06-30', 100_000_000)
  t.equal(old.statusCode, 201, old.body)
  t.equal(old.json().province_code, '08')
  t.equal((await rule('2024-07-01', null, 200_000_000)).statusCode, 201)
  const inForce = await get('/v1/support-rules?province_code=08&date=2024-06-30')
  t.same(
    inForce.json().items.map((r: { max_amount: number }) => r.max_amount),
    [100_000_000],
  )
  t.equal((await get('/v1/support-rules?province_code=08', as.officer01)).json().items.length, 0)
  const res = await post('/v1/projects', as.officer08, {
    year: 2024,
    title: 'Đào tạo nghề',
    funding_level: 'local',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
    requested_local: 150_000_000,
  })
  const id = res.json().id
  t.equal((await act(id, as.officer08, { action: 'submit', decision_date: '2024-07-10' })).statusCode, 200)
  const early = await act(id, as.officer08, {
    action: 'approve',
    decision: '5/QĐ-UBND',
    decision_date: '2024-06-30',
  })
  t.equal(early.statusCode, 422, 'the last day of the old rule: 100 m VND')
  t.match(early.json(), { cap: 100_000_000, amount: 150_000_000, rule: { legal_basis: '12/2024/NQ-HĐND' } })
  const late = await act(id, as.officer08, {
    action: 'approve',
    decision: '5/QĐ-UBND',
    decision_date: '2024-07-01',
  })
  t.equal(late.statusCode, 200, 'the first day of the new one: 200 m VND')
  t.match(late.json().checked_rules, [{ legal_basis: '12/2024/NQ-HĐND', date: '2024-07-01' }])
  // A province's rule does not govern a central scheme.
  const central = await post('/v1/projects', as.officer08, {
    year: 2024,
    title: 'Đào tạo nghề (KCQG)',
    funding_level: 'central',
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
    requested_central: 150_000_000,
  })
  const c = await act(central.json().id, as.officer08, { action: 'submit', decision_date: '2024-03-01' })
  t.equal(c.statusCode, 200)
  t.same(c.json().checked_rules, [])
})

t.test('advances above 70 % of the approved amount are refused', async (t) => {
  const id = await machinery({ requested_central: 300_000_000, requested_counterpart: 300_000_000 })
  await submit(id)
  await approve(id)
  // Central money is disbursed by the ministry (TTLT 26/2014 Art. 8.1.a).
  const pay = (amount: number, kind = 'advance') =>
    post(`/v1/projects/${id}/disbursements`, as.ministry, {
      date: '2024-04-01',
      funding_source: 'central',
      amount,
      kind,
    })
  t.equal((await pay(200_000_000)).statusCode, 201)
  t.equal((await pay(10_000_000)).statusCode, 201, 'exactly 70 %')
  const over = await pay(1)
  t.equal(over.statusCode, 422)
  t.match(over.json(), {
    cap: 210_000_000,
    amount: 210_000_001,
    rule: { legal_basis: /TTLT 26\/2014/ },
    errors: [{ pointer: '/amount' }],
  })
  t.equal((await pay(90_000_000, 'payment')).statusCode, 201, 'payments are not advances')
})
