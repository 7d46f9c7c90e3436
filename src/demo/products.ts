// Ask 3 of the letter (support focused on key products, typical products): each province's
// rural-industrial establishments in its trades, their products, the typical-product certificates
// of some of them (province, region, national; some lapsed or revoked), and the establishments
// that benefited from its schemes.
import { sql } from 'kysely'
import type { Trx } from '../db/tenancy.ts'
import { productChanged } from '../domain/products.ts'
import { actingIn, at, inPlan, person } from './common.ts'
import type { Generator } from './generator.ts'
import type { Craft, ReachSite } from './profiles.ts'

/** The first two digits of tax codes registered in each (former) province. */
const TAX_PREFIX: Record<string, string> = {
  '01': '01',
  '02': '51',
  '08': '50',
  '38': '28',
  '48': '04',
  '49': '40',
  '74': '37',
  '77': '35',
  '79': '03',
}

const BRANDS = [
  'Hưng Thịnh',
  'Phúc Lộc',
  'Minh Long',
  'An Phát',
  'Thành Đạt',
  'Tân Tiến',
  'Việt Hưng',
  'Đại Phát',
]
/** Kinds in turn: many household businesses, then cooperatives and small firms. */
const KINDS = ['household_business', 'cooperative', 'sme', 'household_business', 'cooperative_group', 'sme']
/** Certificate histories in turn; the first `certified` of them have one valid in 2025. */
const CHAINS = [
  'p24',
  'p23',
  'r',
  'p25',
  're',
  'n',
  'p23',
  'p24',
  'p25',
  'r',
  'p24',
  'p23',
  'n',
  'p25',
  'p24',
  'r',
]
const LAPSED = ['old', 'district', 'revoked']

/**
 * Whose decision a certificate follows (TT 26/2014): a region's, the ministry's department
 * (Cục Công Thương địa phương, CTĐP); a national one, the Minister (BCT); else the People's Committee.
 */
const DECIDED_BY: Record<string, string> = { region: 'CTĐP', national: 'BCT' }

/** A selection score from `lo` to 98, to two decimals. */
const score = (rnd: Generator, lo: number) => rnd.int(lo * 100, 9800) / 100

/** A valid 10-digit tax code (MST): province prefix, 7 digits, and the check digit. */
function taxCode(rnd: Generator, prefix: string, taken: Set<string>): string {
  for (;;) {
    const body = `${prefix}${rnd.int(1_000_000, 9_999_999)}`
    const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
    const check = 10 - (weights.reduce((sum, w, i) => sum + w * Number(body[i]), 0) % 11)
    const code = `${body}${check}`
    if (check < 10 && !taken.has(code)) {
      taken.add(code)
      return code
    }
  }
}

/** An establishment as the later steps need it: its id, its industry and its products' ids. */
export interface Establishment {
  id: string
  industry: string
  products: string[]
}

/** The province's establishments and their products (as the province); tax codes unique across provinces. */
export async function establishmentsAndProducts(
  trx: Trx,
  rnd: Generator,
  { province, profile, merged, communes }: ReachSite,
  taxCodes: Set<string>,
): Promise<Establishment[]> {
  const code = province.code
  const establishments: Establishment[] = []
  const names = new Set<string>()
  for (let i = 0; i < profile.establishments; i++) {
    const trade = profile.crafts[i % profile.crafts.length] as Craft
    const kind = KINDS[i % KINDS.length] as string
    const commune =
      communes.find((c) => c.name === trade.commune) ?? (communes[i] as (typeof communes)[number])
    const owner = person(rnd)
    const round = Math.floor(i / profile.crafts.length)
    const Trade = trade.trade.charAt(0).toUpperCase() + trade.trade.slice(1)
    const place = trade.trade.includes(commune.name) ? '' : ` ${commune.name}`
    const candidates = {
      household_business: [`Hộ kinh doanh ${owner} (${trade.trade})`],
      cooperative: [`Hợp tác xã ${Trade}${place}`, `Hợp tác xã ${Trade}${place} số ${round + 1}`],
      cooperative_group: [`Tổ hợp tác ${trade.trade} thôn ${round + 2}`],
      sme: BRANDS.map((_, k) => `Công ty TNHH ${Trade} ${BRANDS[(i + k) % BRANDS.length]}`),
    }[kind] as string[]
    const name = candidates.find((c) => !names.has(c)) ?? `${candidates[0]} ${i}`
    names.add(name)
    const founded = rnd.int(1995, 2023)
    const origin = merged ? trade.origin : null
    const { id } = await trx
      .insertInto('establishments')
      .values({
        province_code: code,
        commune_code: commune.code,
        origin_province_code: origin,
        name,
        kind,
        tax_code:
          kind === 'household_business' && i % 4 !== 3
            ? null
            : taxCode(rnd, TAX_PREFIX[origin ?? code] ?? '99', taxCodes),
        industry: trade.industry,
        vsic_code: trade.vsic,
        address: `${commune.type === 'phuong' ? 'Tổ dân phố' : 'Thôn'} ${rnd.int(1, 12)}, ${commune.full_name}`,
        year_founded: founded,
        employees:
          {
            household_business: rnd.int(2, 9),
            cooperative_group: rnd.int(6, 20),
            cooperative: rnd.int(12, 60),
            sme: rnd.int(20, 180),
          }[kind] ?? 5,
        main_products: trade.products.join(', '),
        phone: kind === 'household_business' ? null : `02${rnd.int(10, 99)}${rnd.int(1_000_000, 9_999_999)}`,
        email: null,
        priority_areas:
          origin === '02'
            ? ['ethnic_minority_area', 'highland_island_border']
            : i % 3 === 0
              ? ['new_rural_commune']
              : [],
        priority_products:
          i < profile.certified
            ? ['typical_product']
            : trade.group === 'agro_food'
              ? ['local_raw_materials']
              : [],
        ...at(`${Math.max(2021, Math.min(founded, 2024))}-02-0${1 + (i % 9)}`),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const products: string[] = []
    for (const [n, product] of trade.products.slice(0, i % 3 === 1 ? 2 : 1).entries()) {
      const row = await trx
        .insertInto('establishment_products')
        .values({
          establishment_id: id,
          province_code: code,
          name:
            n === 0 && kind !== 'household_business' ? `${product} ${BRANDS[i % BRANDS.length]}` : product,
          product_group: trade.group,
          description: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      products.push(row.id)
    }
    establishments.push({ id, industry: trade.industry, products })
  }
  return establishments
}

/**
 * The certificates of the first establishments' first products, in the histories of CHAINS: the
 * province records its provincial and district ones, the ministry the regional and national ones
 * (the decisions are the ministry's department's and the Minister's).
 */
export async function certificates(
  trx: Trx,
  rnd: Generator,
  site: ReachSite,
  establishments: Establishment[],
) {
  const { profile } = site
  const code = site.province.code
  let certificate = 0
  const actAs = actingIn(trx)
  const certify = async (
    product: string,
    establishment: string,
    level: string,
    year: number,
    issued: string,
    revoked = false,
  ) => {
    certificate++
    const central = level === 'region' || level === 'national'
    if (central) await actAs('ministry', null)
    await trx
      .insertInto('product_certificates')
      .values({
        product_id: product,
        establishment_id: establishment,
        province_code: code,
        level,
        year,
        certificate_number: `${certificate}/${year}/GCN-${central ? 'BCT' : level === 'district' ? 'UBNDH' : 'UBND'}`,
        score: score(rnd, { province: 70, district: 70, region: 75, national: 80 }[level] ?? 70),
        decision_number: `${rnd.int(1000, 4999)}/QĐ-${DECIDED_BY[level] ?? 'UBND'}`,
        decision_date: issued,
        issued_date: issued,
        revoked,
        revoked_reason: revoked ? 'Sản phẩm không còn đáp ứng tiêu chí bình chọn khi kiểm tra lại' : null,
        ...at(issued),
      })
      .execute()
    await productChanged(trx, product)
    if (central) await actAs('province', code)
  }
  const chains = [...CHAINS.slice(0, profile.certified), ...LAPSED]
  for (const [i, chain] of chains.entries()) {
    const e = establishments[i]
    const product = e?.products[0]
    if (!e || !product) break
    const province = (year: number, revoked = false) =>
      certify(product, e.id, 'province', year, `${year}-10-20`, revoked)
    if (chain === 'p23' || chain === 'p24' || chain === 'p25') await province(Number(`20${chain.slice(1)}`))
    if (chain === 'r' || chain === 'n') {
      await province(chain === 'r' ? 2022 : 2023)
      await certify(product, e.id, 'region', 2024, '2024-08-15')
    }
    if (chain === 'n') await certify(product, e.id, 'national', 2025, '2025-11-05')
    if (chain === 're' || chain === 'old') await province(2021)
    if (chain === 're') await province(2024)
    if (chain === 'district') await certify(product, e.id, 'district', 2022, '2022-09-10')
    if (chain === 'revoked') await province(2024, true)
  }
}

/** Some schemes' beneficiaries: establishments of the same industry where there are any. */
export async function beneficiaries(trx: Trx, { schemes }: ReachSite, establishments: Establishment[]) {
  let b = 0
  for (const scheme of schemes.filter((s) => inPlan(s.state))) {
    const same = establishments.filter((e) => e.industry === scheme.industry)
    const pool = same.length ? same : establishments
    const ids = [
      ...new Set(
        [0, 1, 2]
          .slice(0, 1 + (b % 3))
          .map((k) => (pool[(b + k * 5) % pool.length] as (typeof pool)[number]).id),
      ),
    ]
    b++
    await trx
      .updateTable('projects')
      .set({ beneficiary_establishment_ids: ids, version: sql<number>`version + 1` })
      .where('id', '=', scheme.id)
      .execute()
  }
}
