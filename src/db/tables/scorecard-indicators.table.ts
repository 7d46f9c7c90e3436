import type { ColumnType } from 'kysely'

export interface ScorecardIndicatorsTable {
  code: string
  ask: number
  position: number
  label_vi: string
  label_en: string
  unit: string
  better: 'higher' | 'lower' | null
  met: ColumnType<string | null, never, number | null>
  partly_met: ColumnType<string | null, never, number | null>
  /** The indicator's parameter, if it has one (e.g. the acceptance period in days). */
  parameter: ColumnType<string | null, never, number | null>
  /** For a code indicator: the codes that meet it. */
  met_codes: string[] | null
  definition: string
  version: number
  updated_at: string
}
