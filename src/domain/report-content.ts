// What a submitted periodic report says, and the hash that identifies it: SHA-256 of the period,
// the reporting unit, the sections and the figures as JSON with its keys sorted at every depth, so
// anyone holding the content can recompute it.
import { createHash } from 'node:crypto'
import type { Figures } from '../db/tables/periodic-reports.table.ts'

/** What a submission says, and its hash is taken of. */
export interface Content {
  period_code: string
  unit_code: string
  results: string | null
  difficulties: string | null
  proposals: string | null
  figures: Figures
}

/** JSON with its keys sorted, at every depth: what the content hash is taken of. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )

/** SHA-256 of what a submission says: period, unit, sections and figures. */
export const contentHash = (r: Content) =>
  createHash('sha256')
    .update(
      canonical({
        period_code: r.period_code,
        unit_code: r.unit_code,
        results: r.results,
        difficulties: r.difficulties,
        proposals: r.proposals,
        figures: r.figures,
      }),
    )
    .digest('hex')
