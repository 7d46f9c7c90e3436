// A deterministic dataset for the scorecard benchmark (issue 7), loaded straight into PostgreSQL
// with INSERT … SELECT: everything the seven-ask scorecard reads, over the 34 current provinces
// (and the 63 former ones for records from before the 1 July 2025 merger) and the years 2021–2026.
//
//   DATABASE_URL=postgres://… npm run generate:scorecard-data -- \
//     [--establishments 1000000] [--schemes 100000] [--seed 1]
//
// Two parts:
//  - the base (loadBase): programmes and annual plans, legal documents, implementing units with
//    staff per year, collaborators and their communes, budget allocations with revisions,
//    inspections with follow-ups, communication activities. Their size does not depend on N.
//  - the growth (grow): establishments, their products and certificates, schemes with their
//    transitions and disbursements, and links from inspections to the new schemes — rows
//    [from, to) of each, so a database loaded at one size can be grown to the next.
//
// Every value comes from an md5 of (seed, table, row number): row i is the same whether it was
// loaded in one go or in steps, and the same seed always gives the same data (ids included).
// The rows are written as a superuser, which bypasses row-level security; every constraint and
// trigger applies except the disbursement trigger, skipped (session_replication_role = replica,
// for that one statement) because the schemes are written with their disbursed totals already
// equal to the sum of their disbursements.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { PATHS } from '../src/demo/schemes.ts'
import { LIFECYCLE, type ProjectState, partiesOf } from '../src/domain/project-lifecycle.ts'
import { GIVEN, SURNAMES, TRADES } from './generate-establishments.ts'

export interface Size {
  establishments: number
  schemes: number
}

/** Products and certificates grow with the establishments: 62,500 and 31,250 at a million. */
export const productsFor = (establishments: number) => Math.floor(establishments / 16)
export const certificatesFor = (establishments: number) => Math.floor(productsFor(establishments) / 2)

export const YEARS = [2021, 2022, 2023, 2024, 2025, 2026]

/** Every table the loader writes, in the order of the counts it reports. */
export const TABLES = [
  'establishments',
  'establishment_products',
  'product_certificates',
  'projects',
  'project_transitions',
  'disbursements',
  'programmes',
  'plans',
  'legal_documents',
  'implementing_units',
  'collaborators',
  'collaborator_communes',
  'budget_allocations',
  'inspections',
  'communication_activities',
] as const

// Twenty draws a year: old years closed, recent ones under way, 2026 mostly proposals.
const STATES_BY_YEAR: Record<number, [ProjectState, number][]> = {
  2021: [
    ['settled', 14],
    ['accepted', 2],
    ['rejected', 2],
    ['cancelled', 1],
    ['completed', 1],
  ],
  2022: [
    ['settled', 13],
    ['accepted', 3],
    ['rejected', 2],
    ['cancelled', 1],
    ['completed', 1],
  ],
  2023: [
    ['settled', 10],
    ['accepted', 5],
    ['completed', 2],
    ['rejected', 1],
    ['cancelled', 1],
    ['suspended', 1],
  ],
  2024: [
    ['settled', 6],
    ['accepted', 7],
    ['completed', 3],
    ['in_progress', 1],
    ['suspended', 1],
    ['rejected', 1],
    ['cancelled', 1],
  ],
  2025: [
    ['accepted', 5],
    ['completed', 4],
    ['in_progress', 5],
    ['approved', 2],
    ['suspended', 1],
    ['cancelled', 1],
    ['rejected', 1],
    ['returned', 1],
  ],
  2026: [
    ['draft', 3],
    ['submitted', 4],
    ['appraised', 3],
    ['returned', 1],
    ['approved', 4],
    ['in_progress', 3],
    ['rejected', 2],
  ],
}

const list = (values: readonly string[]) =>
  `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]`
/** One element of an SQL array literal, picked by a uniform draw u in [0, 1). */
const pick = (values: readonly string[], u: string) =>
  `(${list(values)})[1 + floor((${u}) * ${values.length})::int]`

/** The trades of generate-establishments.ts, a column at a time: name, industry, VSIC, products. */
const [TRADE_NAMES, INDUSTRIES, VSIC, MAIN_PRODUCTS] = [0, 1, 2, 3].map((k) =>
  TRADES.map((t) => t[k] as string),
) as [string[], string[], string[], string[]]
const AREAS = [
  'difficult_area',
  'very_difficult_area',
  'new_rural_commune',
  'highland_island_border',
  'ethnic_minority_area',
  'poor_area',
]
const PRIORITY_PRODUCTS = [
  'typical_product',
  'key_product',
  'export_product',
  'local_raw_materials',
  'labour_intensive',
]
const CONTENTS = [
  'training',
  'management_capacity',
  'demonstration_technology',
  'product_development',
  'advisory',
  'information',
  'linkage_clusters',
  'international_cooperation',
]
const CHANNELS = ['television', 'radio', 'print', 'event', 'other']
const DIGITAL_CHANNELS = ['web_portal', 'social_media']

/** The session's helpers: uniform draws and ids from (seed, key), and the reference data as arrays. */
async function prepare(client: pg.PoolClient, seed: number) {
  const { rows } = await client.query<{ ok: boolean }>(
    'select rolsuper as ok from pg_roles where rolname = current_user',
  )
  if (!rows[0]?.ok) throw new Error('load the scorecard data as a superuser (it bypasses row-level security)')
  await client.query(`
    set maintenance_work_mem = '256MB';
    create or replace function pg_temp.sc_u(k text) returns double precision language sql immutable
      return ('x' || substr(md5('${seed}:' || k), 1, 8))::bit(32)::bigint / 4294967296.0;
    create or replace function pg_temp.sc_id(k text) returns uuid language sql immutable
      return md5('${seed}:id:' || k)::uuid;
    drop table if exists pg_temp.sc_communes, pg_temp.sc_prov, pg_temp.sc_types, pg_temp.sc_states,
      pg_temp.sc_paths, pg_temp.sc_py;
    -- Communes numbered nationally (gi) and within their province (ci of n).
    create temp table sc_communes as
      select code, province_code, full_name,
             (row_number() over (order by code) - 1)::int as gi,
             (row_number() over (partition by province_code order by code) - 1)::int as ci,
             (count(*) over (partition by province_code))::int as n
      from communes;
    create index on sc_communes (gi);
    create index on sc_communes (province_code, ci);
    -- Current provinces with their former provinces (whose successor they are).
    create temp table sc_prov as
      select p.code, p.name, p.full_name,
             coalesce((select array_agg(f.code order by f.code) from former_provinces f
                       where f.successor_code = p.code), '{}') as formers,
             (select count(*) from communes c where c.province_code = p.code)::int as communes
      from provinces p;
    create temp table sc_types as
      select parent_code as content, array_agg(code order by code) as types
      from codelist_entries where list = 'project_type' group by parent_code;
    create temp table sc_states (year int, draw int, state text);
    create temp table sc_paths (state text, step int, action text, from_state text, to_state text,
                                by_owner boolean);
    -- How many inspections and communication activities each province has in each year.
    create temp table sc_py as
      select p.code as province_code, y as year,
             10 + floor(pg_temp.sc_u('py.insp:' || p.code || y) * 21)::int as inspections,
             30 + floor(pg_temp.sc_u('py.comm:' || p.code || y) * 41)::int as activities
      from provinces p cross join generate_series(2021, 2026) y;
  `)
  const states = Object.entries(STATES_BY_YEAR).flatMap(([year, weights]) =>
    weights.flatMap(([state, n]) => Array.from({ length: n }, () => [Number(year), state] as const)),
  )
  if (states.length !== 20 * Object.keys(STATES_BY_YEAR).length) throw new Error('twenty draws a year')
  const values = states.map(([year, state], k) => `(${year}, ${k % 20}, '${state}')`)
  await client.query(`insert into sc_states values ${values.join(', ')}`)
  const steps: string[] = []
  for (const [state, path] of Object.entries(PATHS)) {
    let from: ProjectState = 'draft'
    path.forEach((action, k) => {
      const step = LIFECYCLE[from][action]
      if (!step) throw new Error(`no step ${action} from ${from}`)
      steps.push(`('${state}', ${k + 1}, '${action}', '${from}', '${step.to}', ${step.by === 'owner'})`)
      from = step.to
    })
    if (from !== state) throw new Error(`the path to ${state} ends in ${from}`)
  }
  await client.query(`insert into sc_paths values ${steps.join(', ')}`)
  // The approver of a local scheme is the province, of a central one the ministry.
  const approver = (funding_level: string) => partiesOf({ funding_level, run_by: 'province' }).approver
  if (approver('local') !== 'province' || approver('central') !== 'ministry')
    throw new Error('the lifecycle actors changed: revise the transitions of the loader')
}

const u = (key: string) => `pg_temp.sc_u(${key})`
const id = (key: string) => `pg_temp.sc_id(${key})`
/** A former province of the current province `p` (a row of sc_prov), by draw. */
const former = (p: string, key: string) =>
  `case when cardinality(${p}.formers) > 0 then ${p}.formers[1 + floor(${u(key)} * cardinality(${p}.formers))::int] end`

// ---------------------------------------------------------------------------------------------
// The base: tables whose size does not depend on N.

const BASE: [string, string][] = [
  [
    'programmes',
    `
    insert into programmes (id, level, province_code, origin_province_code, title, start_year, end_year,
                            decision_number, decision_date, decision_issuer, objectives, status)
    values
      (${id("'prog:national:2021'")}, 'national', null, null, 'Chương trình khuyến công quốc gia giai đoạn 2021–2025',
       2021, 2025, '1881/QĐ-TTg', '2020-11-20', 'Thủ tướng Chính phủ', null, 'ended'),
      (${id("'prog:national:2026'")}, 'national', null, null, 'Chương trình khuyến công quốc gia giai đoạn 2026–2030',
       2026, 2030, '2135/QĐ-TTg', '2025-09-23', 'Thủ tướng Chính phủ', null, 'approved');
    -- 2021–2025: one programme for each former province (most approved), now under its successor.
    insert into programmes (id, level, province_code, origin_province_code, title, start_year, end_year,
                            decision_number, decision_date, decision_issuer, status)
    select ${id("'prog:' || f.code || ':2021'")}, 'provincial', f.successor_code, f.code,
           'Chương trình khuyến công ' || f.full_name || ' giai đoạn 2021–2025', 2021, 2025,
           case when d < 0.88 then (100 + floor(d * 900)::int) || '/QĐ-UBND-' || f.code end,
           case when d < 0.88 then date '2021-01-15' + floor(d * 400)::int end,
           case when d < 0.88 then 'UBND ' || f.full_name end,
           case when d >= 0.88 then 'draft' when d < 0.4 then 'ended' else 'approved' end
    from former_provinces f, lateral (select ${u("'prog.d:' || f.code")} as d) x
    where d < 0.95;
    -- 2026–2030: a new programme in about half of the current provinces, a draft in some others.
    insert into programmes (id, level, province_code, title, start_year, end_year,
                            decision_number, decision_date, decision_issuer, status)
    select ${id("'prog:' || p.code || ':2026'")}, 'provincial', p.code,
           'Chương trình khuyến công ' || p.full_name || ' giai đoạn 2026–2030', 2026, 2030,
           case when d < 0.55 then (10 + floor(d * 90)::int) || '/QĐ-UBND' end,
           case when d < 0.55 then date '2025-10-01' + floor(d * 300)::int end,
           case when d < 0.55 then 'UBND ' || p.full_name end,
           case when d < 0.55 then 'approved' else 'draft' end
    from provinces p, lateral (select ${u("'prog.d:' || p.code || ':2026'")} as d) x
    where d < 0.8`,
  ],
  [
    'plans',
    `
    insert into plans (id, programme_id, province_code, year, title, decision_number, decision_date,
                       decision_issuer, status)
    select ${id("'plan:' || g.id || ':' || y")}, g.id, g.province_code, y,
           'Kế hoạch khuyến công năm ' || y || coalesce(' — ' || g.origin_province_code, ''),
           (200 + y % 100) || '/QĐ-' || coalesce(g.province_code || coalesce('-' || g.origin_province_code, ''), 'BCT'),
           make_date(y - 1, 12, 15 + floor(${u("'plan.d:' || g.id || y")} * 14)::int),
           case when g.province_code is null then 'Bộ Công Thương' else 'UBND tỉnh' end,
           'approved'
    from programmes g cross join generate_series(2021, 2026) y
    where g.status in ('approved', 'ended') and y between g.start_year and g.end_year`,
  ],
  [
    'legal_documents',
    `
    -- The approval decision of every approved local programme …
    insert into legal_documents (id, province_code, origin_province_code, number, kind, issuer, title,
                                 signed_date, effective_date, subject, status, programme_id)
    select ${id("'doc:prog:' || g.id")}, g.province_code, g.origin_province_code, g.decision_number, 'decision',
           g.decision_issuer, 'Quyết định phê duyệt ' || g.title, g.decision_date, g.decision_date,
           'local_programme_approval', 'in_force', g.id
    from programmes g where g.level = 'provincial' and g.decision_number is not null;
    -- … and 20–45 other documents a province, a tenth of them norms where the province has any.
    insert into legal_documents (id, province_code, origin_province_code, number, kind, issuer, title,
                                 signed_date, effective_date, expiry_date, subject, status)
    select ${id("'doc:' || p.code || ':' || k")}, p.code,
           case when signed < date '2025-07-01' then ${former('p', "'doc.o:' || p.code || k")} end,
           (k + 1) || '/' || extract(year from signed) || '/' || kind_code, kind, 'UBND ' || p.full_name,
           case subject
             when 'technical_norms' then 'Định mức kinh tế – kỹ thuật áp dụng cho hoạt động khuyến công'
             when 'support_levels' then 'Quy định mức hỗ trợ cho các hoạt động khuyến công'
             when 'fund_management' then 'Quy chế quản lý kinh phí khuyến công địa phương'
             when 'organisation' then 'Quy định chức năng, nhiệm vụ của Trung tâm Khuyến công'
             else 'Văn bản về hoạt động khuyến công số ' || (k + 1) end,
           signed, signed + floor(${u("'doc.e:' || p.code || k")} * 15)::int,
           case when repealed then signed + 400 + floor(${u("'doc.x:' || p.code || k")} * 300)::int end,
           subject, case when repealed then 'repealed' else 'in_force' end
    from sc_prov p
    cross join lateral generate_series(0, 19 + floor(${u("'doc.n:' || p.code")} * 26)::int) k
    cross join lateral (select
      date '2021-01-04' + floor(${u("'doc.s:' || p.code || k")} * 2000)::int as signed,
      ${pick(['decision', 'decision', 'decision', 'resolution', 'directive', 'plan', 'regulation', 'other'], u("'doc.k:' || p.code || k"))} as kind,
      case when ${u("'doc.t:' || p.code || k")} < case when ${u("'doc.np:' || p.code")} < 0.3 then 0 else 0.1 end
             then 'technical_norms'
           else ${pick(['support_levels', 'fund_management', 'organisation', 'other', 'other'], u("'doc.j:' || p.code || k"))} end
        as subject,
      ${u("'doc.r:' || p.code || k")} < 0.12 as repealed) d
    cross join lateral (select case d.kind when 'resolution' then 'NQ-HĐND' when 'directive' then 'CT-UBND'
                                 when 'plan' then 'KH-UBND' else 'QĐ-UBND' end as kind_code) c`,
  ],
  [
    'implementing_units',
    `
    -- A khuyến công centre in every province, staffed year by year …
    insert into implementing_units (id, province_code, name, unit_model, parent_body, founding_decision_number,
                                    founding_decision_date, founding_decision_issuer, address, staff, equipment,
                                    premises_area_m2, status)
    select ${id("'unit:' || p.code")}, p.code, 'Trung tâm Khuyến công ' || p.full_name,
           ${pick(['independent_centre', 'independent_centre', 'merged_centre', 'doit_division', 'other'], u("'unit.m:' || p.code"))},
           'Sở Công Thương ' || p.full_name, floor(100 + ${u("'unit.f:' || p.code")} * 800)::int || '/QĐ-UBND',
           date '2005-01-01' + floor(${u("'unit.fd:' || p.code")} * 6000)::int, 'UBND ' || p.full_name,
           'Trung tâm hành chính ' || p.name, staff.list,
           jsonb_build_array(
             jsonb_build_object('name', 'Xe ô tô bán tải', 'kind', 'vehicle', 'quantity', 1, 'condition', 'fair',
                                'year_acquired', 2015),
             jsonb_build_object('name', 'Máy chiếu', 'kind', 'equipment',
                                'quantity', 1 + floor(${u("'unit.q:' || p.code")} * 4)::int, 'condition', 'good')),
           200 + floor(${u("'unit.a:' || p.code")} * 800)::int, 'active'
    from sc_prov p
    cross join lateral (select 6 + floor(${u("'unit.h:' || p.code")} * 25)::int as base) b
    cross join lateral (${staffList('p.code', 2021, 2026)}) staff;
    -- … and the centre of a merged former province in some, dissolved at the merger.
    insert into implementing_units (id, province_code, origin_province_code, name, unit_model, parent_body,
                                    staff, premises_area_m2, status)
    select ${id("'unit:' || p.code || ':' || p.formers[2]")}, p.code, p.formers[2],
           'Trung tâm Khuyến công (cũ) ' || f.full_name, 'independent_centre', 'Sở Công Thương ' || f.full_name,
           staff.list, 150 + floor(${u("'unit.a2:' || p.code")} * 300)::int, 'dissolved'
    from sc_prov p
    join former_provinces f on f.code = p.formers[2]
    cross join lateral (select 4 + floor(${u("'unit.h2:' || p.code")} * 10)::int as base) b
    cross join lateral (${staffList("p.code || ':2'", 2021, 2024)}) staff
    where cardinality(p.formers) >= 2 and ${u("'unit.2:' || p.code")} < 0.5`,
  ],
  [
    'collaborators',
    `
    -- From a tenth to over twice as many collaborators as communes, each covering 1–3 neighbouring
    -- communes of its province: commune coverage differs widely between provinces.
    insert into collaborators (id, province_code, origin_province_code, full_name, phone, organisation,
                               appointment_decision_number, appointment_decision_date, start_date, end_date,
                               status, fee_basis, training)
    select ${id("'collab:' || p.code || ':' || k")}, p.code,
           case when start < date '2025-07-01' then ${former('p', "'collab.o:' || p.code || k")} end,
           ${pick(SURNAMES, u("'collab.s:' || p.code || k"))} || ' ' || ${pick(GIVEN, u("'collab.g:' || p.code || k"))},
           '09' || lpad(floor(${u("'collab.p:' || p.code || k")} * 100000000)::int::text, 8, '0'),
           'Công chức kinh tế UBND xã',
           case when appointed then (k + 1) || '/QĐ-SCT' end, case when appointed then start end,
           start, case when status = 'ended' then start + 200 + floor(${u("'collab.e:' || p.code || k")} * 900)::int end,
           status, 'Thù lao theo quy định của tỉnh',
           case when ${u("'collab.t:' || p.code || k")} < 0.55 then jsonb_build_array(jsonb_build_object(
             'year', least(2026, extract(year from start)::int + 1), 'title', 'Tập huấn nghiệp vụ khuyến công',
             'hours', 16)) else '[]'::jsonb end
    from sc_prov p
    cross join lateral generate_series(0, floor(p.communes * (0.1 + 2.2 * ${u("'collab.n:' || p.code")}))::int) k
    cross join lateral (select date '2019-01-01' + floor(${u("'collab.d:' || p.code || k")} * 2700)::int as start,
                               ${u("'collab.a:' || p.code || k")} < 0.8 as appointed,
                               case when ${u("'collab.st:' || p.code || k")} < 0.75 then 'active'
                                    when ${u("'collab.st:' || p.code || k")} < 0.9 then 'ended'
                                    else 'suspended' end as status) x;
    insert into collaborator_communes (collaborator_id, commune_code, province_code)
    select ${id("'collab:' || p.code || ':' || k")}, c.code, p.code
    from sc_prov p
    cross join lateral generate_series(0, floor(p.communes * (0.1 + 2.2 * ${u("'collab.n:' || p.code")}))::int) k
    cross join lateral (select floor(${u("'collab.c:' || p.code || k")} * p.communes)::int as first,
                               1 + floor(${u("'collab.m:' || p.code || k")} * 3)::int as m) x
    cross join lateral generate_series(0, least(m, p.communes) - 1) t
    join sc_communes c on c.province_code = p.code and c.ci = (first + t) % p.communes`,
  ],
  [
    'budget_allocations',
    `
    -- Per former province for 2021–2025 (decided before the merger), per current province for
    -- 2026; central and local every year, other money in some; then revisions of a quarter.
    create temp table sc_keys as
      select f.successor_code as province_code, f.code as origin, y as year
      from former_provinces f cross join generate_series(2021, 2025) y
      union all
      select p.code, null, 2026 from provinces p;
    insert into budget_allocations (id, province_code, origin_province_code, year, funding_source, amount, type,
                                    decision_number, decision_date, decision_issuer, created_by)
    select ${id("'alloc:' || key")}, k.province_code, k.origin, k.year, s.source,
           (case s.source
              when 'central' then 500 + floor(${u("'alloc.c:' || key")} * 4500)
              when 'local' then (100 + floor(${u("'alloc.l:' || coalesce(k.origin, k.province_code)")} * 2500))
                                * (1 + 0.08 * (k.year - 2021)) * (0.85 + 0.3 * ${u("'alloc.l:' || key")})
              else 50 + floor(${u("'alloc.o:' || key")} * 450) end)::bigint * 1000000,
           'original', (300 + k.year % 100) || '/QĐ-UBND', make_date(k.year - 1, 12, 20), 'UBND tỉnh',
           'bench-scorecard'
    from sc_keys k
    cross join unnest(array['central', 'local', 'other']) s(source)
    cross join lateral (select k.province_code || ':' || coalesce(k.origin, '') || ':' || k.year || ':' || s.source as key) x
    where s.source <> 'other' or ${u("'alloc.has:' || key")} < 0.2
    order by k.year, k.province_code, k.origin, s.source;
    insert into budget_allocations (id, province_code, origin_province_code, year, funding_source, amount, type,
                                    decision_number, decision_date, decision_issuer, created_by)
    select ${id("'alloc.rev:' || a.id")}, a.province_code, a.origin_province_code, a.year, a.funding_source,
           (a.amount * (0.9 + 0.3 * ${u("'alloc.rv:' || a.id")}))::bigint / 1000000 * 1000000, 'revised',
           (500 + a.year % 100) || '/QĐ-UBND', make_date(a.year, 8, 15), 'UBND tỉnh', 'bench-scorecard'
    from budget_allocations a
    where a.type = 'original' and ${u("'alloc.r:' || a.id")} < 0.25
    order by a.seq;
    drop table sc_keys`,
  ],
  [
    'inspections',
    `
    -- 10–30 a province and year, with 0–3 follow-ups; the schemes they cover are added by grow().
    insert into inspections (id, province_code, origin_province_code, kind, inspection_date, inspecting_body,
                             findings, conclusion, rating, follow_ups)
    select ${id("'insp:' || py.province_code || ':' || py.year || ':' || k")}, py.province_code,
           case when day < date '2025-07-01' then ${former('p', "'insp.o:' || key")} end,
           ${pick(['inspection', 'inspection', 'supervision', 'evaluation'], u("'insp.k:' || key"))}, day,
           'Sở Công Thương ' || p.full_name, 'Đề án thực hiện đúng tiến độ; hồ sơ thanh toán còn thiếu.',
           'Đạt yêu cầu.',
           case when ${u("'insp.r:' || key")} < 0.85 then ${pick(['excellent', 'good', 'good', 'fair', 'poor'], u("'insp.rr:' || key"))} end,
           (select coalesce(jsonb_agg(jsonb_build_object('action', 'Kiến nghị ' || f, 'due_date', due, 'status', status)
                                      || case when status = 'done'
                                              then jsonb_build_object('done_date', day + 5 + floor(${u("'insp.dd:' || key || f")} * (due - day - 5))::int)
                                              else '{}' end
                                      order by f), '[]')
            from generate_series(1, floor(${u("'insp.f:' || key")} * 4)::int) f
            cross join lateral (select day + 30 + floor(${u("'insp.due:' || key || f")} * 60)::int as due) d
            cross join lateral (select case
              when due < date '2026-01-01' then case when ${u("'insp.fs:' || key || f")} < 0.85 then 'done'
                                                  when ${u("'insp.fs:' || key || f")} < 0.95 then 'overdue' else 'open' end
              else case when ${u("'insp.fs:' || key || f")} < 0.4 then 'done' else 'open' end end as status) s)
    from sc_py py
    join sc_prov p on p.code = py.province_code
    cross join lateral generate_series(0, py.inspections - 1) k
    cross join lateral (select py.province_code || ':' || py.year || ':' || k as key) x
    cross join lateral (select make_date(py.year, 1, 1)
                               + floor(${u("'insp.d:' || key")} * case when py.year = 2026 then 180 else 365 end)::int as day) d`,
  ],
  [
    'communication_activities',
    `
    -- 30–70 a province and year; each province has its own digital propensity.
    insert into communication_activities (id, province_code, origin_province_code, channel, is_digital, date, title,
                                          reach, reach_unit, cost)
    select ${id("'comm:' || key")}, py.province_code,
           case when day < date '2025-07-01' then ${former('p', "'comm.o:' || key")} end,
           channel, channel in ('web_portal', 'social_media'), day,
           'Tuyên truyền khuyến công ' || p.name || ' số ' || (k + 1) || '/' || py.year,
           case when has_reach then reach end,
           case when has_reach then case channel when 'television' then 'viewers' when 'radio' then 'listeners'
             when 'print' then 'copies' when 'event' then 'participants' when 'other' then 'other' else 'visits' end end,
           case when ${u("'comm.cost:' || key")} < 0.7 then (5 + floor(${u("'comm.c:' || key")} * 75))::bigint * 1000000 end
    from sc_py py
    join sc_prov p on p.code = py.province_code
    cross join lateral generate_series(0, py.activities - 1) k
    cross join lateral (select py.province_code || ':' || py.year || ':' || k as key) x
    cross join lateral (select
      make_date(py.year, 1, 1) + floor(${u("'comm.d:' || key")} * case when py.year = 2026 then 180 else 365 end)::int as day,
      case when ${u("'comm.dig:' || key")} < 0.15 + 0.6 * ${u("'comm.p:' || py.province_code")}
           then ${pick(DIGITAL_CHANNELS, u("'comm.ch:' || key"))} else ${pick(CHANNELS, u("'comm.ch:' || key"))} end as channel,
      ${u("'comm.r:' || key")} < 0.85 as has_reach,
      (100 + floor(${u("'comm.rc:' || key")} * 50000))::int as reach) d`,
  ],
]

/** The staff list of a unit, one entry a year, the counts adding up as the API requires. */
function staffList(key: string, from: number, to: number): string {
  return `select jsonb_agg(jsonb_build_object('year', y, 'headcount_total', total, 'full_time_khuyen_cong', full_time,
                                           'other_staff', total - full_time,
                                           'by_qualification', jsonb_build_object('postgraduate', pg, 'university', uni,
                                             'college', col, 'other', total - pg - uni - col)) order by y) as list
    from generate_series(${from}, ${to}) y
    cross join lateral (select greatest(2, b.base + floor(${u(`'staff.t:' || ${key} || y`)} * 5)::int - 2) as total) t
    cross join lateral (select floor(total * (0.5 + 0.3 * ${u(`'staff.f:' || ${key} || y`)}))::int as full_time,
                               floor(total * 0.15 * ${u(`'staff.pg:' || ${key} || y`)})::int as pg,
                               floor(total * (0.5 + 0.2 * ${u(`'staff.u:' || ${key} || y`)}))::int as uni) q
    cross join lateral (select (total - pg - uni) / 2 as col) c`
}

export interface Timed {
  table: string
  ms: number
}

/** The base tables (once, into a migrated database). */
export async function loadBase(pool: pg.Pool, seed = 1): Promise<Timed[]> {
  const client = await pool.connect()
  try {
    await prepare(client, seed)
    const times: Timed[] = []
    for (const [table, statements] of BASE) {
      const start = performance.now()
      await client.query(statements).catch((error: Error) => {
        throw new Error(`loading ${table}: ${error.message}`, { cause: error })
      })
      times.push({ table, ms: performance.now() - start })
    }
    return times
  } finally {
    client.release()
  }
}

// ---------------------------------------------------------------------------------------------
// The growth: rows [from, to) of the tables that grow with N.

const SCHEMES = `
  insert into projects (id, province_code, origin_province_code, plan_id, year, code, title, funding_level, kind,
    activity_contents, project_type, industry, priority_areas, priority_products, communes, location,
    implementing_unit, partner_unit, beneficiary_count, objectives, planned_start, planned_end, actual_start,
    actual_end, selection_method, requested_central, requested_local, requested_counterpart, requested_other,
    approved_central, approved_local, approved_counterpart, approved_other, disbursed_central, disbursed_local,
    disbursed_counterpart, disbursed_other, state, approval_decision, approval_date, version, created_at, updated_at)
  with s as (
    select i, c.code as commune, c.full_name as place, p.code as province_code, p.name as province_name, p.formers,
           case when y < 0.15 then 2021 when y < 0.32 then 2022 when y < 0.50 then 2023
                when y < 0.69 then 2024 when y < 0.88 then 2025 else 2026 end as year,
           case when ${u("'p.l:' || i")} < 0.35 then 'central' else 'local' end as level,
           ${u("'p.k:' || i")} as k,
           floor(${u("'p.a:' || i")} * ${CONTENTS.length})::int as content
    from generate_series($1::int, $2::int - 1) i
    cross join lateral (select ${u("'p.y:' || i")} as y) yy
    join sc_communes c on c.gi = floor(${u("'p.c:' || i")} * $3::int)
    join sc_prov p on p.code = c.province_code
  ), t as (
    select s.*, st.state,
           case when s.year < 2025 or (s.year = 2025 and ${u("'p.o2025:' || i")} < 0.5) then ${former('s', "'p.o:' || i")} end
             as origin,
           case when k < 0.06 then 'pilot' when k < 0.11 then 'group' else 'standard' end as kind,
           make_date(s.year, 2 + floor(${u("'p.ps:' || i")} * 3)::int, 1) as planned_start,
           make_date(s.year, 9 + floor(${u("'p.pe:' || i")} * 3)::int, 28) as planned_end,
           ${u("'p.late:' || i")} < 0.3 as late,
           (${list(CONTENTS)})[1 + content] as first_content,
           (${list(CONTENTS)})[1 + (content + 1 + floor(${u("'p.a2:' || i")} * ${CONTENTS.length - 1})::int) % ${CONTENTS.length}]
             as second_content
    from s join sc_states st on st.year = s.year and st.draw = floor(${u("'p.st:' || i")} * 20)
  ), m as (
    select t.*,
           state in ('approved', 'in_progress', 'suspended', 'completed', 'accepted', 'settled', 'cancelled') as has_approval,
           state in ('in_progress', 'suspended', 'completed', 'accepted', 'settled') as started,
           state in ('completed', 'accepted', 'settled') as done,
           case when level = 'central' then (200 + floor(${u("'p.rc:' || i")} * 800))::bigint * 1000000 else 0 end as r_central,
           case when level = 'local' then (50 + floor(${u("'p.rl:' || i")} * 350))::bigint * 1000000 else 0 end as r_local,
           (case when level = 'central' then 200 + floor(${u("'p.rp:' || i")} * 1300)
                 else 50 + floor(${u("'p.rp:' || i")} * 550) end)::bigint * 1000000 as r_counterpart,
           case when ${u("'p.ro:' || i")} < 0.1 then (10 + floor(${u("'p.rov:' || i")} * 90))::bigint * 1000000 else 0 end
             as r_other,
           case state when 'settled' then 0.9 + 0.1 * ${u("'p.sh:' || i")}
                      when 'accepted' then 0.8 + 0.2 * ${u("'p.sh:' || i")}
                      when 'completed' then 0.6 + 0.35 * ${u("'p.sh:' || i")}
                      when 'in_progress' then 0.2 + 0.4 * ${u("'p.sh:' || i")}
                      when 'suspended' then 0.1 + 0.3 * ${u("'p.sh:' || i")}
                      when 'approved' then 0.15 * ${u("'p.sh:' || i")}
                      else 0 end as share
    from t
  ), a as (
    select m.*,
           case when has_approval
                then r_central / 1000000 * floor(85 + 15 * ${u("'p.ac:' || i")})::bigint / 100 * 1000000 end
             as a_central,
           case when has_approval then r_local end as a_local,
           case when has_approval then r_counterpart end as a_counterpart,
           case when has_approval then r_other end as a_other,
           make_date(year - 1, 12, 10 + floor(${u("'p.ad:' || i")} * 19)::int) as approval_day,
           planned_start + floor(${u("'p.as:' || i")} * 30)::int as start_day,
           planned_end + case when late then floor(${u("'p.ae:' || i")} * 40)::int
                              else -30 + floor(${u("'p.ae:' || i")} * 15)::int end as end_day
    from m
  )
  select ${id("'project:' || i")}, province_code, origin,
         case when level = 'central' then ${id(`'plan:' || ${id("'prog:national:' || case when year < 2026 then 2021 else 2026 end")} || ':' || year`)}
              else (select pl.id from plans pl
                    where pl.id = ${id(`'plan:' || ${id("'prog:' || coalesce(a.origin, a.province_code) || ':' || case when a.year < 2026 then 2021 else 2026 end")} || ':' || a.year`)}) end,
         year, 'ĐA-' || case when level = 'central' then 'KCQG' else 'KCĐP' end || '-' || year || '-' || lpad(i::text, 6, '0'),
         'Hỗ trợ phát triển sản xuất ' || lower(${pick(TRADE_NAMES, u("'p.tr:' || i"))}) || ' tại ' || place,
         level, kind,
         case when kind = 'pilot' then array[first_content, second_content] else array[first_content] end,
         (select ty.types[1 + floor(${u("'p.ty:' || i")} * cardinality(ty.types))::int] from sc_types ty
          where ty.content = first_content),
         ${pick(INDUSTRIES, u("'p.in:' || i"))},
         case when ${u("'p.pa:' || i")} < 0.15 then array[${pick(AREAS, u("'p.pav:' || i"))}] else '{}' end,
         case when ${u("'p.pp:' || i")} < 0.15 then array[${pick(PRIORITY_PRODUCTS, u("'p.ppv:' || i"))}] else '{}' end,
         array[commune], place, 'Trung tâm Khuyến công ' || province_name,
         case when ${u("'p.pu:' || i")} < 0.3 then 'Hợp tác xã ' || place end,
         5 + floor(${u("'p.bc:' || i")} * 55)::int,
         'Nâng cao năng suất, chất lượng sản phẩm; tạo việc làm cho lao động nông thôn.',
         planned_start, planned_end,
         case when started then start_day end, case when done then end_day end,
         case when level = 'central' then 'selection' end,
         r_central, r_local, r_counterpart, r_other,
         a_central, a_local, a_counterpart, a_other,
         coalesce(floor(a_central * share)::bigint, 0), coalesce(floor(a_local * share)::bigint, 0),
         coalesce(floor(a_counterpart * share)::bigint, 0), coalesce(floor(a_other * share)::bigint, 0),
         state,
         case when has_approval then (100 + i % 900) || '/QĐ-' || case when level = 'central' then 'BCT' else 'UBND' end end,
         case when has_approval then approval_day end,
         1 + (select count(*) from sc_paths ps where ps.state = a.state)::int,
         make_date(year - 1, 9, 1)::timestamptz, make_date(year - 1, 9, 1)::timestamptz
  from a`

const TRANSITIONS = `
  insert into project_transitions (project_id, province_code, action, from_state, to_state, note, decision,
                                   decision_date, amounts_before, amounts_after, actor_sub, actor_role, occurred_at)
  select pr.id, pr.province_code, ps.action, ps.from_state, ps.to_state,
         case ps.action when 'return' then 'Đề nghị bổ sung dự toán chi tiết.'
                        when 'reject' then 'Đề án không đáp ứng tiêu chí ưu tiên.' end,
         case ps.action when 'approve' then pr.approval_decision
                        when 'accept' then (100 + i % 900) || '/QĐ-NT' end,
         case ps.action when 'approve' then pr.approval_date when 'accept' then accepted end,
         case when ps.action = 'approve'
              then '{"central": null, "local": null, "counterpart": null, "other": null}'::jsonb end,
         case when ps.action = 'approve'
              then jsonb_build_object('central', pr.approved_central, 'local', pr.approved_local,
                                      'counterpart', pr.approved_counterpart, 'other', pr.approved_other) end,
         case when role = 'ministry' then 'bench-ctdp' else 'bench-doit-' || pr.province_code end, role,
         (case ps.action
            when 'submit' then make_date(pr.year - 1, 10, 15)
            when 'appraise' then make_date(pr.year - 1, 11, 20)
            when 'approve' then pr.approval_date
            when 'return' then make_date(pr.year - 1, 12, 5)
            when 'reject' then make_date(pr.year - 1, 12, 20)
            when 'start' then pr.actual_start
            when 'complete' then pr.actual_end
            when 'accept' then accepted
            when 'settle' then accepted + 60 + floor(${u("'p.se:' || i")} * 40)::int
            when 'suspend' then make_date(pr.year, 7, 1)
            when 'cancel' then make_date(pr.year, 5, 10) end)::timestamptz + interval '3 hours'
  from generate_series($1::int, $2::int - 1) i
  join projects pr on pr.id = ${id("'project:' || i")}
  join sc_paths ps on ps.state = pr.state
  cross join lateral (select pr.actual_end + 3 + floor(${u("'p.acc:' || i")} * 10)::int as accepted,
                             case when ps.by_owner or pr.funding_level = 'local' then 'province' else 'ministry' end
                               as role) x
  order by i, ps.step`

const DISBURSEMENTS = `
  -- Up to two rows (an advance, then the payment) per source that has disbursed money; the totals
  -- are already on the scheme, so the trigger is off (session_replication_role = replica), and the
  -- day of the latest is set here as the trigger sets it (migration 0104). Dated as the demo dates
  -- them (src/demo/budgets.ts): a scheme under way was paid mid-year, never on a day still to come.
  with added as (
  insert into disbursements (project_id, province_code, date, funding_source, amount, kind, document, created_by)
  select pr.id, pr.province_code, d.date, s.source, d.amount, d.kind, 'Chứng từ ' || i || '/' || pr.year, 'bench-scorecard'
  from generate_series($1::int, $2::int - 1) i
  join projects pr on pr.id = ${id("'project:' || i")}
  cross join lateral (values ('central', pr.approved_central, pr.disbursed_central),
                             ('local', pr.approved_local, pr.disbursed_local),
                             ('counterpart', pr.approved_counterpart, pr.disbursed_counterpart),
                             ('other', pr.approved_other, pr.disbursed_other)) s(source, approved, disbursed)
  cross join lateral (select least(s.disbursed, s.approved * 3 / 10) as advance) v
  cross join lateral (values (make_date(pr.year, 4, 5), v.advance, 'advance'),
                             (make_date(pr.year, case when pr.state in ('in_progress', 'suspended') then 6 else 12 end,
                                        case when pr.state in ('in_progress', 'suspended') then 20 else 15 end),
                              s.disbursed - v.advance, 'payment')) d(date, amount, kind)
  where s.disbursed > 0 and d.amount > 0
  order by i
  returning project_id, date)
  update projects p set disbursed_until = a.until
  from (select project_id, max(date) as until from added group by project_id) a
  where p.id = a.project_id`

const INSPECTED = `
  -- Two in five schemes under way or done are covered by one inspection of their province and year.
  update inspections n set project_ids = n.project_ids || x.ids, updated_at = now()
  from (select ${id(`'insp:' || pr.province_code || ':' || pr.year || ':' || floor(${u("'p.insp:' || i")} * py.inspections)::int`)} as id,
               array_agg(pr.id order by i) as ids
        from generate_series($1::int, $2::int - 1) i
        join projects pr on pr.id = ${id("'project:' || i")}
        join sc_py py on py.province_code = pr.province_code and py.year = pr.year
        where pr.state in ('approved', 'in_progress', 'suspended', 'completed', 'accepted', 'settled')
          and ${u("'p.ins:' || i")} < 0.4
        group by 1) x
  where n.id = x.id`

const ESTABLISHMENTS = `
  insert into establishments (id, province_code, commune_code, name, kind, tax_code, industry, vsic_code, address,
                              year_founded, employees, main_products, priority_areas, priority_products, status,
                              external_id)
  select ${id("'est:' || g")}, c.province_code, c.code,
         case when kind = 'household_business' then 'Hộ kinh doanh ' || trade || ' ' || owner
              else case when kind = 'sme' then 'Công ty TNHH ' else 'Hợp tác xã ' end || trade || ' ' || owner || ' ' || g end,
         kind,
         case when kind = 'household_business' and ${u("'e.tax:' || g")} < 0.6 then null else (1000000000 + g * 7)::text end,
         (${list(INDUSTRIES)})[1 + t], (${list(VSIC)})[1 + t], 'Thôn ' || (1 + floor(${u("'e.ad:' || g")} * 20)::int),
         1990 + floor(${u("'e.yf:' || g")} * 36)::int,
         case when kind = 'household_business' then 1 + floor(${u("'e.em:' || g")} * 10)::int
              else 5 + floor(${u("'e.em:' || g")} * 300)::int end,
         (${list(MAIN_PRODUCTS)})[1 + t],
         case when ${u("'e.pa:' || g")} < 0.3 then array[${pick(AREAS, u("'e.pav:' || g"))}] else '{}' end,
         case when ${u("'e.pp:' || g")} < 0.2 then array[${pick(PRIORITY_PRODUCTS, u("'e.ppv:' || g"))}] else '{}' end,
         case when ${u("'e.st:' || g")} < 0.05 then 'closed' else 'active' end,
         'SC-' || g
  from generate_series($1::int, $2::int - 1) g
  join sc_communes c on c.gi = floor(${u("'e.c:' || g")} * $3::int)
  cross join lateral (select ${pick(['household_business', 'household_business', 'household_business', 'sme', 'cooperative', 'cooperative_group'], u("'e.k:' || g"))} as kind,
                             floor(${u("'e.t:' || g")} * ${TRADE_NAMES.length})::int as t,
                             ${pick(SURNAMES, u("'e.s:' || g"))} || ' ' || ${pick(GIVEN, u("'e.g:' || g"))} as owner) x
  cross join lateral (select (${list(TRADE_NAMES)})[1 + t] as trade) y`

const PRODUCTS = `
  -- Product j belongs to establishment 16j + (0…15).
  insert into establishment_products (id, establishment_id, province_code, name, product_group, description)
  select ${id("'product:' || j")}, e.id, e.province_code, e.main_products || ' loại ' || (1 + j % 5),
         case when e.industry = 'handicrafts' then 'handicrafts' when e.industry = 'agro_food_processing' then 'agro_food'
              when e.industry = 'mechanical_electrical_supporting' then 'machinery_tools' else 'other' end,
         null
  from generate_series($1::int, $2::int - 1) j
  join establishments e on e.id = ${id(`'est:' || (16 * j + floor(${u("'pr.e:' || j")} * 16)::int)`)}`

const CERTIFICATES = `
  -- Certificate k is of product 2k or 2k + 1, issued 2019–2026 (so valid in 2021–2028).
  insert into product_certificates (id, product_id, establishment_id, province_code, level, year, certificate_number,
                                    score, decision_number, decision_date, issued_date, revoked, revoked_reason)
  select ${id("'cert:' || k")}, pr.id, pr.establishment_id, pr.province_code, level, year,
         k || '/' || year || '/CN-' || upper(left(level, 1)),
         70 + floor(${u("'c.sc:' || k")} * 3000) / 100, (50 + k % 900) || '/QĐ-' || year, issued, issued,
         ${u("'c.rv:' || k")} < 0.02,
         case when ${u("'c.rv:' || k")} < 0.02 then 'Cơ sở ngừng sản xuất sản phẩm' end
  from generate_series($1::int, $2::int - 1) k
  join establishment_products pr on pr.id = ${id(`'product:' || (2 * k + floor(${u("'c.p:' || k")} * 2)::int)`)}
  cross join lateral (select 2019 + floor(${u("'c.y:' || k")} * 8)::int as year,
                             case when ${u("'c.l:' || k")} < 0.05 then 'district' when ${u("'c.l:' || k")} < 0.7 then 'province'
                                  when ${u("'c.l:' || k")} < 0.92 then 'region' else 'national' end as level) x
  cross join lateral (select make_date(year, 1 + floor(${u("'c.m:' || k")} * case when year = 2026 then 6 else 12 end)::int,
                                       1 + floor(${u("'c.d:' || k")} * 28)::int) as issued) y`

/** Rows [from, to) of the tables that grow with N (establishments and schemes). */
export async function grow(pool: pg.Pool, from: Size, to: Size, seed = 1): Promise<Timed[]> {
  const client = await pool.connect()
  try {
    await prepare(client, seed)
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from sc_communes')
    const communes = rows[0]?.n ?? 0
    const steps: [string, string, number[]][] = [
      ['establishments', ESTABLISHMENTS, [from.establishments, to.establishments, communes]],
      [
        'establishment_products',
        PRODUCTS,
        [productsFor(from.establishments), productsFor(to.establishments)],
      ],
      [
        'product_certificates',
        CERTIFICATES,
        [certificatesFor(from.establishments), certificatesFor(to.establishments)],
      ],
      ['projects', SCHEMES, [from.schemes, to.schemes, communes]],
      ['project_transitions', TRANSITIONS, [from.schemes, to.schemes]],
      ['disbursements', DISBURSEMENTS, [from.schemes, to.schemes]],
      ['inspections (links to schemes)', INSPECTED, [from.schemes, to.schemes]],
    ]
    const times: Timed[] = []
    for (const [table, statement, parameters] of steps) {
      const start = performance.now()
      if (parameters[1] !== undefined && parameters[0] !== undefined && parameters[1] > parameters[0]) {
        // Only the disbursements skip triggers (and with them foreign-key checks): see DISBURSEMENTS.
        if (statement === DISBURSEMENTS) await client.query('set session_replication_role = replica')
        await client.query(statement, parameters).catch((error: Error) => {
          throw new Error(`loading ${table}: ${error.message}`, { cause: error })
        })
        await client.query('reset session_replication_role')
      }
      times.push({ table, ms: performance.now() - start })
    }
    return times
  } finally {
    client.release()
  }
}

/** Row counts of every table the loader writes. */
export async function counts(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ t: string; n: number }>(
    TABLES.map((t) => `select '${t}' as t, count(*)::int as n from ${t}`).join(' union all '),
  )
  return new Map(rows.map((r) => [r.t, r.n]))
}

/** What a database already holds of this dataset: the size to grow from. */
export async function loadedSize(pool: pg.Pool): Promise<Size & { base: boolean }> {
  const { rows } = await pool.query<{ base: boolean; establishments: number; schemes: number }>(`
    select exists (select from programmes where level = 'national' and decision_number = '1881/QĐ-TTg') as base,
           (select count(*) from establishments where external_id like 'SC-%')::int as establishments,
           (select count(*) from projects where code ~ '^ĐA-KC(QG|ĐP)-[0-9]{4}-[0-9]{6}$')::int as schemes`)
  const row = rows[0]
  if (!row) throw new Error('no answer')
  return row
}

async function main() {
  const { values } = parseArgs({
    options: {
      establishments: { type: 'string', default: '1000000' },
      schemes: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
    },
    strict: true,
  })
  const url = process.env.DATABASE_URL
  if (!url)
    throw new Error('DATABASE_URL must name a migrated PostgreSQL database (npm run migrate -- latest)')
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  const seed = Number(values.seed)
  try {
    const loaded = await loadedSize(pool)
    const times: Timed[] = []
    if (!loaded.base) times.push(...(await loadBase(pool, seed)))
    const target = { establishments: Number(values.establishments), schemes: Number(values.schemes) }
    times.push(...(await grow(pool, loaded, target, seed)))
    await pool.query('vacuum analyze')
    for (const t of times) console.log(`${t.table.padEnd(32)} ${(t.ms / 1000).toFixed(1)} s`)
    for (const [t, n] of await counts(pool)) console.log(`${t.padEnd(32)} ${n.toLocaleString('en')}`)
  } finally {
    await pool.end()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
