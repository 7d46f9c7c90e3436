import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { withTenant } from '../src/db/tenancy.ts'
import { lower } from '../src/demo/common.ts'
import { PROJECT_STATES } from '../src/domain/project-lifecycle.ts'
import { checkSupport, governs, type Rule } from '../src/domain/support-rules.ts'
import { computeFigures } from '../src/routes/v1/periodic-reports/figures.ts'
import { buildTestApp } from './helpers/app.ts'
import { contractValidator, segment } from './helpers/contract-validator.ts'
import { cast } from './helpers/tokens.ts'

t.test('DEMO_DATA defaults: on for the embedded database, off with DATABASE_URL or in tests', async (t) => {
  t.equal(loadConfig({}).demoData, true)
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demoData, false)
  t.equal(loadConfig({ NODE_ENV: 'test' }).demoData, false)
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO_DATA: 'true' }).demoData, true)
  t.throws(() => loadConfig({ DEMO_DATA: 'maybe' }), /DEMO_DATA/)
})

const { app, database } = await buildTestApp(t, { demoData: true })
const as = await cast()

const DEMO = ['08', '01', '38', '48', '79']

t.test('the demo dataset is loaded at start', async (t) => {
  const programmes = await app.inject({ url: '/v1/programmes?level=national', headers: as.officer01 })
  t.same(
    programmes
      .json()
      .items.map((p: { decision_number: string; start_year: number }) => [p.decision_number, p.start_year]),
    [
      ['2646/QĐ-BCT', 2026],
      ['1881/QĐ-TTg', 2021],
    ],
  )
  const plans = await app.inject({ url: '/v1/plans?level=national&include_total=true', headers: as.ministry })
  t.equal(plans.json().total, 6, 'a national plan a year, 2021–2026')
  const provincial = await app.inject({
    url: '/v1/programmes?level=provincial&include_total=true',
    headers: as.ministry,
  })
  t.ok(provincial.json().total >= 5, 'provincial programmes of several provinces')

  const projects = await app.inject({ url: '/v1/projects?limit=500', headers: as.ministry })
  const items = projects.json().items as {
    state: string
    funding_level: string
    run_by: string
    province_code: string
    id: string
    version: number
  }[]
  t.equal(items.length, 105, 'a hundred schemes of the provinces, five of the ministry’s centres')
  const run = items.filter((p) => p.run_by === 'ministry')
  t.same([...new Set(run.map((p) => p.province_code))].sort(), ['08', '38', '48', '79'])
  for (const p of run) {
    const history = await app.inject({ url: `/v1/projects/${p.id}/history`, headers: as.ministry })
    const roles = (history.json().items as { actor_role: string }[]).map((s) => s.actor_role)
    t.ok(roles.length > 0 && roles.every((r) => r === 'ministry'), 'every step of it the ministry’s')
  }
  t.same([...new Set(items.map((p) => p.state))].sort(), [...PROJECT_STATES].sort(), 'in every state')
  t.same([...new Set(items.map((p) => p.funding_level))].sort(), ['central', 'local'])
  for (const p of items.slice(0, 12)) {
    const history = await app.inject({ url: `/v1/projects/${p.id}/history`, headers: as.ministry })
    const steps = history.json().items as { from_state: string; to_state: string }[]
    t.equal(steps.at(0)?.from_state ?? 'draft', 'draft', 'the history starts from the draft')
    t.equal(steps.at(-1)?.to_state ?? 'draft', p.state, 'and ends in the scheme’s state')
  }

  const summary = await app.inject({
    url: '/v1/budget-allocations/summary?group_by=year',
    headers: as.ministry,
  })
  const years = summary.json().items as { year: number; allocated: number; disbursed: number }[]
  t.same(
    years.map((y) => y.year),
    [2021, 2022, 2023, 2024, 2025, 2026],
  )
  t.ok(years.every((y) => y.allocated > 0))
  t.ok(years.some((y) => y.disbursed > 0))
  const sources = await app.inject({
    url: '/v1/budget-allocations/summary?group_by=funding_source',
    headers: as.ministry,
  })
  t.same(
    sources.json().items.map((r: { funding_source: string }) => r.funding_source),
    ['central', 'counterpart', 'local'],
  )
  const haGiang = await app.inject({
    url: '/v1/budget-allocations/summary?province=02&year=2023',
    headers: as.officer08,
  })
  t.equal(haGiang.json().items.length, 1, 'Hà Giang’s figures before the merger, under Tuyên Quang')
  const mine = await app.inject({ url: '/v1/projects?limit=500', headers: as.officer08 })
  t.equal(mine.json().items.length, 22, 'a province sees its own schemes and the two the ministry runs there')
  const units = await app.inject({ url: '/v1/budget-allocations?limit=500', headers: as.ministry })
  const toUnits = units.json().items.filter((a: { province_code: string | null }) => a.province_code === null)
  t.equal(toUnits.length, 18, 'three centres’ central allocations a year, 2021–2026')
  const rules = await app.inject({
    url: '/v1/support-rules?level=provincial&limit=500',
    headers: as.ministry,
  })
  t.equal(rules.json().items.length, 5, 'the provinces’ own support levels')
})

type Indicator = { code: string; ask: number; value: unknown; status: string | null }
type ScorecardRow = {
  province_code: string
  summary: { met: number; partly_met: number; not_met: number }
  indicators: Indicator[]
}

t.test(
  'every ask of the 2025 scorecard has figures in the five demo provinces, and they differ',
  async (t) => {
    const res = await app.inject({ url: '/v1/reports/scorecard?year=2025', headers: as.ministry })
    t.equal(res.statusCode, 200)
    t.match(res.json().data_notice, /demo dataset/, 'a report on demo data says so')
    const national = await app.inject({ url: '/v1/reports/national?year=2025', headers: as.ministry })
    t.match(national.json().data_notice, /demo dataset/)
    const rows = (res.json().items as ScorecardRow[]).filter((r) => DEMO.includes(r.province_code))
    t.equal(rows.length, 5)
    for (const row of rows) {
      for (let ask = 1; ask <= 7; ask++) {
        const figures = row.indicators.filter(
          (i) => i.ask === ask && i.value !== null && i.value !== 0 && i.value !== false,
        )
        t.ok(figures.length > 0, `province ${row.province_code}, ask ${ask}: a figure`)
      }
    }
    const status = (code: string) => rows.map((r) => r.indicators.find((i) => i.code === code)?.status).sort()
    // Typical products have no threshold (a count depends on size) and open follow-ups only `met` at 0.
    for (const code of ['collaborator_coverage', 'staff_trained_share', 'communication_digital_share']) {
      t.same(new Set(status(code)), new Set(['met', 'not_met', 'partly_met']), `${code}: met, partly and not`)
    }
    // Two provinces may happen to meet, partly meet and miss as many indicators; not more.
    t.ok(new Set(rows.map((r) => JSON.stringify(r.summary))).size >= 4, 'different summaries')
    const value = (province: string, code: string) =>
      rows.find((r) => r.province_code === province)?.indicators.find((i) => i.code === code)?.value
    t.equal(value('08', 'inspections'), 3, 'Tuyên Quang: three inspections in 2025')
    t.equal(value('08', 'collaborator_coverage'), 0.5968, '74 of its 124 communes covered')
    t.equal(value('79', 'implementing_unit_model'), 'merged_centre')
  },
)

t.test('the rest of the demo through the API', async (t) => {
  const all = await app.inject({ url: '/v1/establishments?include_total=true&limit=1', headers: as.ministry })
  t.equal(all.json().total, 170, 'establishments of the five provinces')
  const search = await app.inject({ url: '/v1/establishments?q=bat%20trang', headers: as.ministry })
  const found = search.json().items as { name: string; province_code: string; tax_code: string | null }[]
  t.ok(found.length >= 5, 'a name search without diacritics finds Bát Tràng')
  t.ok(found.every((e) => e.name.includes('Bát Tràng') && e.province_code === '01'))
  const typical = await app.inject({
    url: '/v1/typical-products?level=national&include_total=true',
    headers: as.ministry,
  })
  t.ok(typical.json().total > 0, 'national typical products')
  const mine = await app.inject({ url: '/v1/inspections?year=2025', headers: as.officer08 })
  t.equal(mine.json().items.length, 3, 'a province sees its own inspections')
  const units = await app.inject({ url: '/v1/implementing-units?limit=50', headers: as.ministry })
  const list = units.json().items as {
    status: string
    staff: {
      headcount_total: number
      full_time_khuyen_cong: number
      other_staff: number
      by_qualification?: Record<string, number>
    }[]
  }[]
  t.equal(list.filter((u) => u.status === 'active').length, 5, 'an active unit a province')
  for (const s of list.flatMap((u) => u.staff)) {
    t.equal(s.full_time_khuyen_cong + s.other_staff, s.headcount_total)
    if (s.by_qualification) {
      t.equal(
        Object.values(s.by_qualification).reduce((a, b) => a + b, 0),
        s.headcount_total,
      )
    }
  }
  for (const path of ['legal-documents', 'collaborators', 'communication-activities']) {
    const res = await app.inject({ url: `/v1/${path}?include_total=true&limit=1`, headers: as.officer01 })
    t.ok(res.json().total > 0, `${path} of Hà Nội`)
  }
})

t.test('the demo decisions carry a small PDF, readable through the API', async (t) => {
  const programmes = await app.inject({
    url: '/v1/programmes?level=provincial&province_code=08',
    headers: as.officer08,
  })
  const approved = (programmes.json().items as { id: string; decision_number: string | null }[]).find(
    (p) => p.decision_number,
  )
  if (!approved) throw new Error('no approved programme in 08')
  const list = await app.inject({ url: `/v1/programmes/${approved.id}/attachments`, headers: as.officer08 })
  const [file] = list.json().items as { id: string; filename: string; media_type: string; sha256: string }[]
  if (!file) throw new Error('no demo attachment')
  t.equal(file.media_type, 'application/pdf')
  t.match(file.filename, /^Quyết định .*\(bản demo\)\.pdf$/)
  const content = await app.inject({ url: `/v1/attachments/${file.id}/content`, headers: as.officer08 })
  t.equal(content.statusCode, 200)
  t.equal(createHash('sha256').update(content.rawPayload).digest('hex'), file.sha256)
  const again = await app.inject({
    method: 'POST',
    url: `/v1/programmes/${approved.id}/attachments?role=other`,
    headers: {
      ...as.officer08,
      'content-type': 'application/pdf',
      'content-disposition': 'attachment; filename="demo.pdf"',
    },
    payload: content.rawPayload,
  })
  t.equal(again.statusCode, 201, 'a PDF by its content')
  const national = await app.inject({ url: '/v1/programmes?level=national', headers: as.officer01 })
  const kcqg = (national.json().items as { id: string; decision_number: string | null }[]).find(
    (p) => p.decision_number === '1881/QĐ-TTg',
  )
  const its = await app.inject({ url: `/v1/programmes/${kcqg?.id}/attachments`, headers: as.officer01 })
  t.equal(its.json().items.length, 1, 'every province reads the national programme’s decision')
})

t.test('the rows obey the rules the API enforces', async (t) => {
  const broken = await sql<{ rule: string; n: number }>`
    select 'region or national certificate without a valid one of the level below' as rule, count(*)::int as n
    from product_certificates c
    where c.level in ('region', 'national') and not exists (
      select from product_certificates b where b.product_id = c.product_id and not b.revoked
        and b.level = case c.level when 'region' then 'province' else 'region' end
        and b.issued_date <= c.issued_date and b.valid_until >= c.issued_date)
    union all
    select 'district certificate after the districts', count(*)::int from product_certificates
    where level = 'district' and issued_date >= '2025-07-01'
    union all
    select 'follow-up done without a date, or due before the inspection', count(*)::int
    from inspections i cross join jsonb_array_elements(i.follow_ups) f
    where ((f ->> 'status') = 'done') <> (f ? 'done_date') or (f ->> 'due_date')::date < i.inspection_date
    union all
    select 'inspected scheme of another province', count(*)::int
    from inspections i cross join unnest(i.project_ids) p
    where not exists (select from projects where id = p and province_code = i.province_code)
    union all
    select 'beneficiary of another province', count(*)::int
    from projects p cross join unnest(p.beneficiary_establishment_ids) e
    where not exists (select from establishments where id = e and province_code = p.province_code)
    union all
    select 'disbursement before its scheme''s approval or after today', count(*)::int from disbursements d
    where d.date > (now() at time zone 'Asia/Ho_Chi_Minh')::date or d.date < (select min(decision_date)
      from project_transitions where project_id = d.project_id and action = 'approve')
    union all
    select 'a scheme''s step dated after today', count(*)::int from project_transitions
    where occurred_at > now() or decision_date > (now() at time zone 'Asia/Ho_Chi_Minh')::date
    union all
    select 'a source''s running total below zero or above the approved amount on some day', count(*)::int
    from (select d.date, p.approved_central, p.approved_local, p.approved_counterpart, p.approved_other,
            d.funding_source, sum(case d.kind when 'refund' then -d.amount else d.amount end)
              over (partition by d.project_id, d.funding_source order by d.date) as total
          from disbursements d join projects p on p.id = d.project_id) r
    where r.total < 0 or r.total > coalesce(case r.funding_source when 'central' then r.approved_central
      when 'local' then r.approved_local when 'counterpart' then r.approved_counterpart else r.approved_other end, 0)
    union all
    select 'tax code twice', count(*)::int - count(distinct tax_code)::int from establishments
    where tax_code is not null
    union all
    select 'origin not merged into the province', count(*)::int
    from (select province_code, origin_province_code from establishments union all
          select province_code, origin_province_code from legal_documents union all
          select province_code, origin_province_code from inspections union all
          select province_code, origin_province_code from collaborators union all
          select province_code, origin_province_code from communication_activities) r
    where origin_province_code is not null and not exists (select from former_provinces
      where code = r.origin_province_code and successor_code = r.province_code)`.execute(database.db)
  for (const { rule, n } of broken.rows) t.equal(n, 0, rule)
})

t.test(
  'the schemes’ money obeys the support rules in force when it was asked for and approved',
  async (t) => {
    const rules = (await app.inject({ url: '/v1/support-rules?limit=500', headers: as.ministry })).json()
      .items as (Rule & { valid_from: string; valid_to: string | null })[]
    const inForce = (date: string) =>
      rules.filter((r) => r.valid_from <= date && (r.valid_to === null || r.valid_to >= date))
    let checked = 0
    const broken: string[] = []
    let cursor: string | null = null
    do {
      const query = new URLSearchParams({ limit: '500', activity_content: 'demonstration_technology' })
      if (cursor) query.set('cursor', cursor)
      const page = (await app.inject({ url: `/v1/projects?${query}`, headers: as.ministry })).json()
      for (const p of page.items) {
        const money = (kind: string) => ({
          central: p[`${kind}_central`] ?? 0,
          local: p[`${kind}_local`] ?? 0,
          counterpart: p[`${kind}_counterpart`] ?? 0,
          other: p[`${kind}_other`] ?? 0,
        })
        const asks: [string, ReturnType<typeof money>][] = [[`${p.year}-03-01`, money('requested')]]
        if (p.approval_date) asks.push([p.approval_date, money('approved')])
        for (const [date, amounts] of asks) {
          try {
            checked++
            checkSupport(
              inForce(date).filter((r) => governs(r, p)),
              p,
              amounts,
              (s) => s,
            )
          } catch (e) {
            broken.push(`${p.code}: ${(e as Error).message}`)
          }
        }
      }
      cursor = page.next_cursor ?? null
    } while (cursor)
    t.ok(checked > 20, `${checked} amounts checked`)
    t.same(broken.slice(0, 5), [], 'no scheme above a cap or without counterpart funds')
  },
)

t.test('finished schemes: some on time, some late, in every year 2021–2025', async (t) => {
  const { rows } = await sql<{ year: number; finished: number; on_time: number }>`
    select year, count(*)::int as finished, count(*) filter (where actual_end <= planned_end)::int as on_time
    from projects where state in ('completed', 'accepted', 'settled') and year between 2021 and 2025
    group by year order by year`.execute(database.db)
  t.same(
    rows.map((r) => r.year),
    [2021, 2022, 2023, 2024, 2025],
  )
  for (const { year, finished, on_time } of rows) {
    t.ok(on_time > 0 && on_time < finished, `${year}: ${on_time} of ${finished} completed on time`)
  }
  const broken = await sql<{ rule: string; n: number }>`
    select 'finished without a completion on its actual end' as rule, count(*)::int as n from projects p
    where state in ('completed', 'accepted', 'settled') and not exists (select from project_transitions s
      where s.project_id = p.id and s.action = 'complete' and (s.occurred_at at time zone 'UTC')::date = p.actual_end)
    union all
    select 'accepted or settled on or before its actual end', count(*)::int from projects p
    join project_transitions s on s.project_id = p.id and s.action in ('accept', 'settle')
    where (s.occurred_at at time zone 'UTC')::date <= p.actual_end
    union all
    select 'a step after today', count(*)::int from project_transitions where occurred_at >= '2026-12-01'
    union all
    select 'a pilot of a year or less', count(*)::int from projects
    where kind = 'pilot' and planned_end <= planned_start + interval '1 year'`.execute(database.db)
  for (const { rule, n } of broken.rows) t.equal(n, 0, rule)
})

t.test('the facts an official would check first', async (t) => {
  const names = new Map(
    (
      await sql<{ code: string; full_name: string }>`
        select code, full_name from former_provinces union select code, full_name from provinces`.execute(
        database.db,
      )
    ).rows.map((r) => [r.code, r.full_name]),
  )
  type Decided = {
    id: string
    programme_id?: string
    title: string
    decision_number: string
    decision_issuer: string
    province_code: string
    origin_province_code: string | null
  }
  // A plan belongs to the province, or former province, of its programme.
  const ownerOf = new Map<string, string>()
  for (const path of ['programmes', 'plans']) {
    const res = await app.inject({ url: `/v1/${path}?level=provincial&limit=500`, headers: as.ministry })
    const items = res.json().items as Decided[]
    t.ok(items.length >= 10, `provincial ${path}`)
    for (const item of items) {
      const code = ownerOf.get(item.programme_id ?? '') ?? item.origin_province_code ?? item.province_code
      if (item.id) ownerOf.set(item.id, code)
      const owner = lower(names.get(code) ?? '?')
      t.match(item.decision_number, /\/QĐ-UBND$/, `${item.title}: a decision of the People's Committee`)
      t.equal(item.decision_issuer, `Chủ tịch UBND ${owner}`, 'signed by its Chairman')
      t.ok(item.title.includes(`khuyến công ${owner} `), `${item.title}: named for ${owner}`)
    }
    const cities = items.filter((i) =>
      ['01', '48', '79'].includes(
        ownerOf.get(i.programme_id ?? '') ?? i.origin_province_code ?? i.province_code,
      ),
    )
    t.ok(cities.length > 0)
    t.ok(
      cities.every((i) => /khuyến công [Tt]hành phố /.test(i.title) && !i.title.includes('tỉnh')),
      `${path} of Hà Nội, Đà Nẵng and Hồ Chí Minh: "thành phố", not "tỉnh"`,
    )
  }
  const national = await app.inject({ url: '/v1/programmes?level=national', headers: as.ministry })
  const kcqg = (national.json().items as { decision_number: string; targets: unknown[] }[]).find(
    (p) => p.decision_number === '1881/QĐ-TTg',
  )
  t.same(kcqg?.targets, [], '1881/QĐ-TTg: no invented targets')

  const facts = await sql<{ rule: string; n: number }>`
    select 'a typical-product round paid from the central budget' as rule, count(*)::int as n from projects
    where project_type = 'typical_product_selection' and funding_level <> 'local'
    union all
    select 'a region certificate not decided by the ministry''s department', count(*)::int
    from product_certificates where level = 'region' and decision_number not like '%/QĐ-CTĐP'
    union all
    select 'a national certificate not decided by the Minister', count(*)::int
    from product_certificates where level = 'national' and decision_number not like '%/QĐ-BCT'
    union all
    select 'a city called tỉnh', count(*)::int from (
      select title as text from programmes union all select decision_issuer from programmes
      union all select title from plans union all select decision_issuer from plans
      union all select issuer from legal_documents union all select title from legal_documents
      union all select decision_issuer from budget_allocations union all select fee_basis from collaborators
      union all select implementing_unit from projects) r
    where r.text ~* 'tỉnh (Hà Nội|Đà Nẵng|Hồ Chí Minh)'
    union all
    select 'a city''s collaborator paid under a resolution of a "tỉnh"', count(*)::int from collaborators
    where coalesce(origin_province_code, province_code) in ('01', '48', '79') and fee_basis not ilike '%thành phố%'
    union all
    select 'a local budget under 1 bn VND a year in a city', count(*)::int from (
      select year, origin_province_code from budget_allocations
      where funding_source = 'local' and type = 'original' and province_code in ('01', '48', '79')
      group by year, origin_province_code, province_code
      having sum(amount) < 1000000000 and coalesce(origin_province_code, province_code) in ('01', '48', '79')) c`.execute(
    database.db,
  )
  for (const { rule, n } of facts.rows) t.equal(n, 0, rule)
  const normative = await sql<{ yes: number; wrong: number }>`select
      count(*) filter (where is_normative)::int as yes,
      count(*) filter (where is_normative <> (number ~ '^[0-9]+/[0-9]{4}/'))::int as wrong
    from legal_documents`.execute(database.db)
  t.ok((normative.rows[0]?.yes ?? 0) > 0, 'some documents are legal normative documents (ask 1)')
  t.equal(normative.rows[0]?.wrong, 0, 'exactly those whose number carries the year (15/2022/NQ-HĐND)')
})

interface Operation {
  parameters?: { in: string; name: string; required?: boolean }[]
  requestBody?: unknown
}

t.test('every demo record read by the ministry passes the contract and the write rules', async (t) => {
  const spec = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> }
  const errorsOf = contractValidator(spec)
  const JSON_BODY = `content/${segment('application/json')}/schema`
  /** The body schemas a record of this list is written with: its create and its update. */
  const writeSchemas = (list: string) =>
    [
      spec.paths[list]?.post?.requestBody && `/paths/${segment(list)}/post/requestBody/${JSON_BODY}`,
      ...Object.keys(spec.paths)
        .filter((p) => /^\/\{[a-z_]+\}$/.test(p.slice(list.length)) && p.startsWith(list))
        .filter((p) => spec.paths[p]?.patch?.requestBody)
        .map((p) => `/paths/${segment(p)}/patch/requestBody/${JSON_BODY}`),
    ].filter((p): p is string => Boolean(p))
  /** The node of the contract at a JSON pointer, following a $ref. */
  const at = (pointer: string): { properties?: object; $ref?: string } => {
    const node = pointer
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<Record<string, unknown>>((n, k) => n[k] as Record<string, unknown>, spec as never)
    return node.$ref ? at(String(node.$ref).slice(1)) : node
  }
  // Only the fields a write may send, and no complaint about those a write needs but a record
  // shows otherwise (`required`): every rule of every field the record holds.
  const writeErrors = (pointer: string, record: Record<string, unknown>) => {
    const fields = Object.keys(at(pointer).properties ?? {})
    const sent = Object.fromEntries(Object.entries(record).filter(([k]) => fields.includes(k)))
    return errorsOf(pointer, sent).filter((e) => e.keyword !== 'required' && e.keyword !== 'minProperties')
  }

  let records = 0
  for (const [path, item] of Object.entries(spec.paths)) {
    const op = item.get
    if (!op || path.includes('{') || path.startsWith('/v1/') === false) continue
    if ((op.parameters ?? []).some((p) => p.required)) continue
    const hasLimit = (op.parameters ?? []).some((p) => p.name === 'limit')
    const responseSchema = `/paths/${segment(path)}/get/responses/200/${JSON_BODY}`
    const writes = writeSchemas(path)
    let cursor: string | null = null
    for (let page = 0; page < 20; page++) {
      const query = new URLSearchParams(hasLimit ? { limit: '500' } : {})
      if (cursor) query.set('cursor', cursor)
      const res = await app.inject({ url: `${path}?${query}`, headers: as.ministry })
      t.equal(res.statusCode, 200, `GET ${path}`)
      // Operations that only answer CSV (an import template) have no JSON to check.
      if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('application/json')) break
      const body = res.json()
      t.same(errorsOf(responseSchema, body), [], `GET ${path} page ${page + 1} matches the contract`)
      for (const record of Array.isArray(body.items) ? body.items : []) {
        records++
        for (const pointer of writes) {
          const errors = writeErrors(pointer, record)
          if (errors.length > 0) t.fail(`${path} ${record.id}: ${JSON.stringify(errors)} (${pointer})`)
        }
      }
      cursor = body.next_cursor ?? null
      if (!cursor) break
    }
  }
  t.ok(records > 500, `${records} records checked`)
})

t.test('periodic reports over 2024–2026 in every status, some late, some overdue', async (t) => {
  const list = await app.inject({ url: '/v1/periodic-reports?limit=500', headers: as.ministry })
  const reports = list.json().items as {
    status: string
    period_code: string
    origin_province_code: string | null
  }[]
  t.same([...new Set(reports.map((r) => r.status))].sort(), [
    'acknowledged',
    'draft',
    'returned',
    'submitted',
  ])
  t.ok(
    reports.some((r) => r.period_code === '2024-Q1' && r.origin_province_code === '02'),
    'Hà Giang before the merger',
  )
  const seen = new Set<string>()
  for (const period of ['2024-Q2', '2025-H1', '2025-Q4', '2026-Q2', '2026-Q3']) {
    const status = await app.inject({ url: `/v1/reporting-status?period=${period}`, headers: as.ministry })
    t.equal(status.statusCode, 200)
    for (const row of status.json().items as { province_code: string; timeliness: string | null }[]) {
      if (DEMO.includes(row.province_code) && row.timeliness) seen.add(row.timeliness)
    }
  }
  t.same([...seen].sort(), ['late', 'on_time', 'overdue'])
  const summary = await app.inject({ url: '/v1/reporting-status/summary?year=2024', headers: as.officer08 })
  t.ok(summary.json().actual > 0)
  const resubmitted = reports.find(
    (r) => r.status === 'acknowledged' && (r as { submission?: number }).submission === 2,
  )
  t.ok(resubmitted, 'a report returned and resubmitted')
  const versions = await app.inject({
    url: `/v1/periodic-reports/${(resubmitted as unknown as { id: string }).id}/versions`,
    headers: as.ministry,
  })
  t.equal(versions.json().items.length, 2)
  const late = await app.inject({ url: '/v1/progress-reports?month=2025-03&late=true', headers: as.ministry })
  t.equal(late.statusCode, 200)
  const months = await app.inject({ url: '/v1/progress-reports?month=2025-03', headers: as.ministry })
  t.ok(
    months.json().items.some((i: { report_id: string | null }) => i.report_id),
    'national schemes report progress',
  )
})

t.test(
  'a report’s figures are those of the day it was sent, not of the day the demo was loaded',
  async (t) => {
    // What is overdue (schemes past their deadline, acceptances past their period) depends on that
    // day: the API freezes a report's figures when it is submitted, so the demo's must be those of
    // its own submission, or every load (and the dump a first start unpacks) would differ.
    const list = await app.inject({ url: '/v1/periodic-reports?limit=500', headers: as.ministry })
    const reports = list.json().items as { id: string; submission: number }[]
    const sent = reports.filter((r) => r.submission > 0)
    t.ok(sent.length > 50)
    const periods = new Map<string, { year: number; ends_on: string }>()
    let differsFromToday = 0
    for (const { id } of sent) {
      const report = (await app.inject({ url: `/v1/periodic-reports/${id}`, headers: as.ministry })).json()
      const versions = (
        await app.inject({ url: `/v1/periodic-reports/${id}/versions`, headers: as.ministry })
      ).json().items as { figures: unknown; submitted_at: string }[]
      let period = periods.get(report.period_code)
      if (!period) {
        period = (
          await app.inject({ url: `/v1/reporting-periods/${report.period_code}`, headers: as.ministry })
        ).json() as { year: number; ends_on: string }
        periods.set(report.period_code, period)
      }
      const { year, ends_on } = period
      const scope = {
        sub: 'test',
        role: 'province' as const,
        province: report.province_code,
        requestId: 'test',
      }
      const unit = { province: report.province_code, origin: report.origin_province_code }
      // Computed once per day: a report's last version was sent the day its figures are of.
      const taken = new Map<string | undefined, Promise<unknown>>()
      const on = (day: string | undefined) => {
        let figures = taken.get(day)
        if (!figures) {
          figures = withTenant(
            database.db,
            scope,
            (trx) => computeFigures(trx, scope, unit, year, ends_on, day),
            { readOnly: true },
          )
          taken.set(day, figures)
        }
        return figures
      }
      t.same(report.figures, await on(report.figures_as_of.slice(0, 10)), `${id}: as of its last submission`)
      for (const version of versions)
        t.same(
          version.figures,
          await on(version.submitted_at.slice(0, 10)),
          `${id}: each version as of its own day`,
        )
      // One report whose figures of today differ is enough to show the day matters.
      if (!differsFromToday && JSON.stringify(report.figures) !== JSON.stringify(await on(undefined)))
        differsFromToday++
    }
    t.ok(differsFromToday > 0, 'for some reports, the figures of today would differ')
  },
)
