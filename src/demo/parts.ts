// The named parts of the demo dataset and the order of their steps. Each part draws every figure
// from one seeded generator, so the order of the steps is part of the data: moving a step changes
// every figure after it.
import type { Trx } from '../db/tenancy.js'
import { allocations } from './budgets.js'
import { actingIn, demoProvinces, PROVINCES } from './common.js'
import { generator } from './generator.js'
import { nationalProgrammes, provincialProgrammes } from './programmes.js'
import { schemes } from './schemes.js'

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
