// The named parts of the demo dataset and the order of their steps. Each part draws every figure
// from one seeded generator, so the order of the steps is part of the data: moving a step changes
// every figure after it.
import type { Trx } from '../db/tenancy.ts'
import { allocations } from './budgets.ts'
import { actingIn, demoProvinces, PROVINCES } from './common.ts'
import { communication } from './communication.ts'
import { generator } from './generator.ts'
import { inspections } from './inspections.ts'
import { legalDocuments } from './legal.ts'
import { nationalUnits } from './national-units.ts'
import { collaborators, implementingUnits } from './network.ts'
import { beneficiaries, certificates, establishmentsAndProducts } from './products.ts'
import { PROFILES } from './profiles.ts'
import { nationalProgrammes, provincialProgrammes } from './programmes.ts'
import { schemes } from './schemes.ts'
import { supportLevels } from './support-levels.ts'

export const SCHEMES_PART = 'khuyen-cong-demo-2021-2026'

/**
 * The first part: the national programmes and plans (the ministry's), then in each province its
 * programmes and plans, its allocations and its schemes.
 */
export async function loadSchemesPart(trx: Trx) {
  const rnd = generator(20250701)
  const actAs = actingIn(trx)
  await actAs('ministry', null)
  const nationalPlan = await nationalProgrammes(trx)
  const { provinces, formers } = await demoProvinces(trx)
  const communes = await trx
    .selectFrom('communes')
    .select(['code', 'full_name', 'province_code'])
    .where('province_code', 'in', PROVINCES)
    .where('type', '=', 'xa')
    .orderBy('code')
    .execute()
  let n = 0
  for (const code of PROVINCES) {
    const province = provinces.find((p) => p.code === code)
    if (!province) continue
    await actAs('province', code)
    const olds = formers.filter((f) => f.successor_code === code)
    const places = communes.filter((c) => c.province_code === code).slice(0, 40)
    const localPlan = await provincialProgrammes(trx, province, olds)
    await allocations(trx, rnd, province, olds)
    n = await schemes(trx, rnd, { province, olds, places, nationalPlan, localPlan }, n)
  }
}

export const REACH = 'khuyen-cong-demo-reach-2021-2026'

/**
 * The second part: what the seven asks of letter 3384/BCT-CTĐP measure beyond schemes and money,
 * for the same provinces and years, each province after its profile (profiles.ts). Every row obeys
 * the API's rules (staff that add up, a region certificate only on a valid province one, follow-ups
 * done with a date…).
 */
export async function loadReach(trx: Trx) {
  const rnd = generator(20220615)
  const actAs = actingIn(trx)
  const { provinces, formers } = await demoProvinces(trx)
  const taxCodes = new Set<string>()

  for (const code of PROVINCES) {
    const province = provinces.find((p) => p.code === code)
    const profile = PROFILES[code]
    if (!province || !profile) continue
    await actAs('province', code)
    const olds = formers.filter((f) => f.successor_code === code)
    const merged = olds.length > 1
    const nameOf = (origin: string | null) =>
      (origin && merged ? olds.find((f) => f.code === origin)?.full_name : null) ?? province.full_name
    const communes = await trx
      .selectFrom('communes')
      .select(['code', 'name', 'full_name', 'type'])
      .where('province_code', '=', code)
      .orderBy('type', 'desc') // xã before phường: the network starts in the countryside
      .orderBy('code')
      .execute()
    const schemes = await trx
      .selectFrom('projects')
      .select(['id', 'year', 'state', 'origin_province_code', 'industry', 'project_type'])
      .where('province_code', '=', code)
      .orderBy('code')
      .execute()
    const site = { province, profile, olds, merged, nameOf, communes, schemes }

    await legalDocuments(trx, site)
    await implementingUnits(trx, site)
    await collaborators(trx, rnd, site)
    const establishments = await establishmentsAndProducts(trx, rnd, site, taxCodes)
    await certificates(trx, rnd, site, establishments)
    await beneficiaries(trx, site, establishments)
    await inspections(trx, rnd, site, establishments)
    await communication(trx, rnd, site)
  }
}

/** The third part (key-products.ts): each province's key products and the schemes that support them. */
export const KEY_PRODUCTS_PART = 'khuyen-cong-demo-key-products-2021-2030'

export const MINISTRY_PART = 'khuyen-cong-demo-ministry-2021-2026'

/**
 * The fourth part (issue #15): the ministry's regional centres — their central allocations and the
 * national schemes they run in the provinces — and the provinces' own support levels.
 */
export async function loadMinistryPart(trx: Trx) {
  await nationalUnits(trx)
  await supportLevels(trx)
}
