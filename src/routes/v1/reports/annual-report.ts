// Whether a scorecard row's figures were reported (issue #16): the province's annual periodic
// report for the year — its status and timeliness — where the row is that year's reporting unit:
// a province (as_of=current) for years ending after the merger, a former province (as_of=former)
// for years before it; null otherwise (the units do not match).
import { beforeMerger } from '../../../domain/reporting-units.ts'
import { type Timeliness, timeliness } from '../../../domain/timeliness.ts'
import type { annualReports } from '../periodic-reports/repository.ts'
import type { ReportingPeriodRow } from '../reporting-periods/repository.ts'
import type { AsOf } from './repository.ts'

export interface AnnualReport {
  report_id: string | null
  status: string
  timeliness: Timeliness | null
}

type Reports = Awaited<ReturnType<typeof annualReports>>

/** The annual report of each (unit, year), as a function of a row's key and year. */
export function annualReportOf(asOf: AsOf, periods: ReportingPeriodRow[], reports: Reports, today: string) {
  return (key: string, year: number): AnnualReport | null => {
    const period = periods.find((p) => p.year === year)
    if (!period || beforeMerger(period) !== (asOf === 'former')) return null
    const report = reports.find((r) => r.year === year && r.unit_code === key)
    return {
      report_id: report?.id ?? null,
      status: report?.status ?? 'not_started',
      timeliness: timeliness(period.due_date, report?.first_submitted_at ?? null, today),
    }
  }
}
