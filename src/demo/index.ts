// The demo dataset of the embedded default (DEMO_DATA), for five provinces (with the former provinces
// merged into them) over 2021–2026: the programmes, plans, schemes and money (parts.ts), then what
// the other asks of the ministry's letter measure — legal documents, units, collaborators,
// inspections, communication, establishments (one module per ask, run in order by parts.ts).
//
// Deterministic (a seeded generator, fixed dates) and loaded once: each named part is one
// transaction that first claims its name in demo_data_loads, so a restart — or a second instance
// starting at the same time — never loads it twice. Rows are written under the tenancy of whoever
// would write them (the ministry, each province), so the row-level policies hold for them too.
// Figures are illustrative, not official.
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Trx } from '../db/tenancy.ts'
import { ATTACHMENTS_PART, demoAttachments } from './attachments.ts'
import { keyProducts } from './key-products.ts'
import {
  KEY_PRODUCTS_PART,
  loadMinistryPart,
  loadReach,
  loadSchemesPart,
  MINISTRY_PART,
  REACH,
  SCHEMES_PART,
} from './parts.ts'
import { type FiguresOf, REPORTING_PART, reporting } from './reporting.ts'

/** What the demo needs from the layers above it: the periodic report's figure function. */
export interface DemoServices {
  figuresOf: FiguresOf
}

/** The named loads, in order: each one transaction, claimed once (a later one may build on earlier ones). */
const loads = (services: DemoServices): { name: string; load: (trx: Trx) => Promise<void> }[] => [
  { name: SCHEMES_PART, load: loadSchemesPart },
  { name: REACH, load: loadReach },
  { name: KEY_PRODUCTS_PART, load: keyProducts },
  { name: MINISTRY_PART, load: loadMinistryPart },
  { name: ATTACHMENTS_PART, load: demoAttachments },
  { name: REPORTING_PART, load: reporting(services.figuresOf) },
]

/**
 * Loads each part of the demo dataset that was not loaded before: `loaded` when one was loaded now,
 * `present` when all were there, or `unmigrated` when the schema is not there (MIGRATE_ON_START=false
 * before `npm run migrate`). A database that loaded an earlier part gains the later ones on its next start.
 */
export async function loadDemoData(
  db: Kysely<Database>,
  services: DemoServices,
): Promise<'loaded' | 'present' | 'unmigrated'> {
  const { rows } = await sql<{
    ready: boolean
  }>`select to_regclass('demo_data_loads') is not null as ready`.execute(db)
  if (!rows[0]?.ready) return 'unmigrated'
  let loaded = false
  for (const part of loads(services)) {
    const claimed = await db.transaction().execute(async (trx) => {
      const claim = await trx
        .insertInto('demo_data_loads')
        .values({ name: part.name })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst()
      if (claim) await part.load(trx)
      return Boolean(claim)
    })
    loaded ||= claimed
  }
  return loaded ? 'loaded' : 'present'
}
