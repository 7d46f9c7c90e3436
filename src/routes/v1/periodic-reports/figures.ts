// A periodic report's figures: the scorecard's facts (reports/repository.ts factsQuery) of the
// reporting unit for the period's year, counted up to the period's end (year to date, as the
// official forms report "lũy kế từ đầu năm"), grouped by the seven asks of letter 3384/BCT-CTĐP,
// with the year's schemes by state.

import type { Figures } from '../../../db/tables/periodic-reports.table.ts'
import type { Scope, Trx } from '../../../db/tenancy.ts'
import type { Unit } from '../../../domain/reporting-units.ts'
import { type Facts, factsQuery } from '../reports/repository.ts'
import { schemesByState } from './repository.ts'

export type { Figures }

/** Which facts each section shows, in the order of the asks. */
export const SECTIONS = {
  legal: [
    'programmes_recorded',
    'programme_in_force',
    'documents_recorded',
    'norms_issued',
    'normative_issued',
  ],
  plans: [
    'schemes_recorded',
    'schemes_planned',
    'schemes_accepted',
    'schemes_due',
    'schemes_completed_on_time',
    'pilot_schemes',
  ],
  money: [
    'central_allocation',
    'local_allocation',
    'approved_central',
    'paid_central',
    'approved_local',
    'paid_local',
    'approved_total',
    'approved_key_products',
  ],
  typical_products: [
    'certificates_recorded',
    'typical_products',
    'typical_products_province',
    'typical_products_region',
    'typical_products_national',
  ],
  oversight: ['inspections', 'open_follow_ups', 'schemes_inspected'],
  organisation: [
    'unit_model',
    'staff_headcount',
    'staff_qualified',
    'communes',
    'collaborators_recorded',
    'communes_covered',
  ],
  communication: [
    'activities',
    'digital_activities',
    'reach_viewers',
    'reach_listeners',
    'reach_copies',
    'reach_visits',
    'reach_participants',
  ],
} as const satisfies Record<string, readonly (keyof Facts)[]>

export type Section = keyof typeof SECTIONS | 'schemes_by_state'

/** The live figures of a unit for the year up to `until`, taken today (or on `today`: see FactsFilter). */
export async function computeFigures(
  trx: Trx,
  scope: Scope,
  unit: Unit,
  year: number,
  until: string,
  today?: string,
): Promise<Figures> {
  const [facts, byState] = await Promise.all([
    factsQuery(trx, scope, {
      asOf: unit.origin ? 'former' : 'current',
      code: unit.origin ?? unit.province,
      from: year,
      to: year,
      until,
      today,
    }),
    schemesByState(trx, unit, year),
  ])
  const row = facts.rows[0] as Facts | undefined
  const figures: Figures = {}
  for (const [section, keys] of Object.entries(SECTIONS)) {
    figures[section] = Object.fromEntries(keys.map((k) => [k, row ? (row[k] ?? null) : null]))
  }
  figures.schemes_by_state = byState
  return figures
}
