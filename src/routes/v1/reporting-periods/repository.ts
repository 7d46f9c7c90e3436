import type { RowOf } from '../../../db/columns.ts'
import { nextVersion } from '../../../db/repository.ts'
import type { Trx } from '../../../db/tenancy.ts'
import type { SortKey } from '../../../lib/pagination.ts'

export const COLUMNS = [
  'code',
  'kind',
  'year',
  'starts_on',
  'ends_on',
  'due_date',
  'version',
  'updated_at',
] as const

/** Reporting periods are national reference data: everyone signed in reads every one. */
const select = (trx: Trx) => trx.selectFrom('reporting_periods').select(COLUMNS)

export type ReportingPeriodRow = RowOf<typeof select>

export interface PeriodFilters {
  year?: number | undefined
  kind?: string | undefined
}

export const SORT: SortKey<ReportingPeriodRow>[] = [
  { column: 'reporting_periods.starts_on', field: 'starts_on', type: 'date', direction: 'asc' },
  { column: 'reporting_periods.code', field: 'code', type: 'text', direction: 'asc' },
]

export function listQuery(trx: Trx, f: PeriodFilters) {
  let query = select(trx)
  if (f.year) query = query.where('year', '=', f.year)
  if (f.kind) query = query.where('kind', '=', f.kind)
  return query
}

/** One period; locked when it is about to change. */
export const findPeriod = (trx: Trx, code: string, lock = false) => {
  const query = select(trx).where('code', '=', code)
  return (lock ? query.forUpdate() : query).executeTakeFirst()
}

/** Changes a period's due date; answers it as it now is. */
export const updatePeriod = (trx: Trx, code: string, dueDate: string) =>
  trx
    .updateTable('reporting_periods')
    .set({ due_date: dueDate, ...nextVersion })
    .where('code', '=', code)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()

/** The periods of province reports (not months) in a year that ended before `day`, in time order. */
export const endedPeriods = (trx: Trx, year: number, day: string) =>
  select(trx)
    .where('year', '=', year)
    .where('kind', '!=', 'monthly')
    .where('ends_on', '<', day)
    .orderBy('ends_on')
    .orderBy('starts_on', 'desc')
    .execute()

/** The annual periods of the years `from`–`to`. */
export const annualPeriods = (trx: Trx, from: number, to: number) =>
  select(trx).where('kind', '=', 'annual').where('year', '>=', from).where('year', '<=', to).execute()
