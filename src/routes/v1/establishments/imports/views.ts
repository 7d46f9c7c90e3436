// An import as the API shows it: its path, and its record without (list) or with its row errors.
import { fromStored, type Language, problemBody, type StoredProblem } from '../../../../lib/problems.ts'
import type { JobRow, SUMMARY_COLUMNS } from './repository.ts'

export const jobPath = (id: string) => `/v1/establishments/imports/${id}`

/** A job as the list of imports shows it; its problem in the request's language. */
export const summaryView = (row: Pick<JobRow, (typeof SUMMARY_COLUMNS)[number]>, lang: Language) => ({
  id: row.id,
  province_code: row.province_code,
  status: row.status,
  format: row.format,
  dry_run: row.dry_run,
  atomic: row.atomic,
  committed: row.status === 'committed',
  created: row.created,
  updated: row.updated,
  unchanged: row.unchanged,
  failed: row.failed,
  problem: (row.problem ? problemBody(fromStored(row.problem as StoredProblem), lang) : null) as never,
  actor_sub: row.actor_sub,
  started_at: row.started_at,
  finished_at: row.finished_at,
})

/** A job as the API shows it, with its row errors. */
export const jobView = (row: JobRow, lang: Language) => ({
  ...summaryView(row, lang),
  errors: row.errors as never[],
})
