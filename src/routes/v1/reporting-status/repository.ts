// Who has reported: a row per reporting unit of a period — the 63 former provinces for periods
// that ended before the merger, the 34 provinces after it — with its report, if any. Row-level
// security applies as everywhere: a province sees its own units and reports.
import { sql } from 'kysely'
import { effective } from '../../../db/administrative-changes.ts'
import { inScope, type Scope, type Trx } from '../../../db/tenancy.ts'
import { beforeMerger } from '../../../domain/reporting-units.ts'
import type { ReportingPeriodRow } from '../reporting-periods/repository.ts'

export interface UnitReport {
  unit_code: string
  unit_name: string
  province_code: string
  report_id: string | null
  status: string | null
  first_submitted_at: string | null
  submitted_at: string | null
  acknowledged_at: string | null
}

/** Every reporting unit of the period the caller sees, with its report (status null: none). */
export async function unitReports(trx: Trx, scope: Scope, period: ReportingPeriodRow): Promise<UnitReport[]> {
  const former = beforeMerger(period)
  const units = former
    ? sql`select code, name, successor_code as province from former_provinces`
    : sql`select code, name, code as province from provinces`
  const name = effective(former ? 'former_province' : 'province', 'name', period.ends_on, 'u')
  const { rows } = await sql<UnitReport>`
    select u.code as unit_code, ${name} as unit_name, u.province as province_code, r.id as report_id,
      r.status, r.first_submitted_at, r.submitted_at, r.acknowledged_at
    from (${units}) u
    left join periodic_reports r
      on r.period_code = ${period.code} and r.unit_code = u.code and r.province_code = u.province
    where ${inScope(scope, 'u.province')}
    order by u.code`.execute(trx)
  // Timestamps as the API writes them (pg and PGlite differ in what raw SQL returns).
  const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString())
  return rows.map((r) => ({
    ...r,
    first_submitted_at: iso(r.first_submitted_at),
    submitted_at: iso(r.submitted_at),
    acknowledged_at: iso(r.acknowledged_at),
  }))
}

/** The current provinces the caller sees, by code, with today's names. */
export const provinces = (trx: Trx, scope: Scope) =>
  trx
    .selectFrom('provinces')
    .select(['code', 'name'])
    .where(inScope(scope, 'provinces.code'))
    .orderBy('code')
    .execute()
