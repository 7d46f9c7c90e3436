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
  definition: string
  version: number
  updated_at: string
}
