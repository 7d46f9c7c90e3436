// Loading the demo dataset: once, the same every time, and in parts on a database that has only
// the first. Apart from demo-data.test.ts, which reads the loaded dataset through the API, so that
// the two run side by side and neither process holds more than two PGlite databases at a time.
import { sql } from 'kysely'
import t from 'tap'
import type { DatabaseHandle } from '../src/db/connect.ts'
import { ATTACHMENTS_PART } from '../src/demo/attachments.ts'
import { loadDemoData } from '../src/demo/index.ts'
import { MINISTRY_PART, REACH } from '../src/demo/parts.ts'
import { REPORTING_PART } from '../src/demo/reporting.ts'
import { computeFigures } from '../src/routes/v1/periodic-reports/figures.ts'
import { testDatabase } from './helpers/app.ts'
import { rowCounts } from './helpers/row-counts.ts'

const DEMO_SERVICES = { figuresOf: computeFigures }

/** What the dataset holds, independent of ids and load times. */
const fingerprint = async (db: DatabaseHandle['db']) =>
  (
    await sql<{ row: string }>`
      select concat_ws('|', code, title, state, province_code, origin_province_code, requested_central,
        approved_central, disbursed_central, disbursed_local, cardinality(beneficiary_establishment_ids)) as row
      from projects
      union all
      select concat_ws('|', e.province_code, e.name, e.tax_code, e.commune_code, c.level, c.year, c.score)
      from establishments e left join product_certificates c on c.establishment_id = e.id
      union all
      select concat_ws('|', province_code, full_name, start_date, status,
        (select string_agg(commune_code, ',' order by commune_code) from collaborator_communes
          where collaborator_id = collaborators.id))
      from collaborators
      union all
      select concat_ws('|', province_code, inspection_date, kind, cardinality(project_ids), open_follow_ups)
      from inspections
      union all
      select concat_ws('|', province_code, date, channel, is_digital, reach) from communication_activities
      union all
      select concat_ws('|', province_code, number, status, signed_date) from legal_documents
      union all
      select concat_ws('|', province_code, name, unit_model, staff::text) from implementing_units
      union all
      select concat_ws('|', period_code, unit_code, status, submission, submitted_at) from periodic_reports
      union all
      select concat_ws('|', p.code, r.month, r.percent_done, r.created_at)
        from progress_reports r join projects p on p.id = r.project_id
      order by 1`.execute(db)
  ).rows.map((r) => r.row)

const TABLES = [
  'programmes',
  'plans',
  'projects',
  'project_transitions',
  'budget_allocations',
  'disbursements',
  'legal_documents',
  'implementing_units',
  'collaborators',
  'collaborator_communes',
  'inspections',
  'communication_activities',
  'establishments',
  'establishment_products',
  'product_certificates',
  'periodic_reports',
  'periodic_report_versions',
  'periodic_report_transitions',
  'progress_reports',
] as const
/** Rows in each table of the demo dataset. */
const counts = (db: DatabaseHandle['db']) => rowCounts(db, TABLES)

const database = await testDatabase(t)

t.test('loaded once, and the same every time', async (t) => {
  t.equal(await loadDemoData(database.db, DEMO_SERVICES), 'loaded')
  const before = await fingerprint(database.db)
  const rows = await counts(database.db)
  for (const table of TABLES) t.ok((rows[table] ?? 0) > 0, `${table}: the demo has rows`)
  t.equal(await loadDemoData(database.db, DEMO_SERVICES), 'present', 'a restart does not load it again')
  t.same(await fingerprint(database.db), before)
  t.same(await counts(database.db), rows, 'the same rows')
  const empty = await testDatabase(t, { migrate: false })
  t.equal(await loadDemoData(empty.db, DEMO_SERVICES), 'unmigrated', 'an unmigrated database is left alone')
})

t.test('a database that loaded the first part gains the second on its next start', async (t) => {
  const old = await testDatabase(t)
  // The later parts build on the second part's legal documents: they come after it.
  const later = [REACH, MINISTRY_PART, ATTACHMENTS_PART, REPORTING_PART]
  await old.db
    .insertInto('demo_data_loads')
    .values(later.map((name) => ({ name })))
    .execute()
  t.equal(
    await loadDemoData(old.db, DEMO_SERVICES),
    'loaded',
    'the first part only, as before this part existed',
  )
  const first = await counts(old.db)
  t.equal(first.establishments, 0)
  await old.db.deleteFrom('demo_data_loads').where('name', 'in', later).execute()
  t.equal(await loadDemoData(old.db, DEMO_SERVICES), 'loaded', 'the next start loads the second part')
  t.same(await counts(old.db), await counts(database.db), 'as much as a fresh load')
  t.same(await fingerprint(old.db), await fingerprint(database.db), 'and the same: the load is deterministic')
})
