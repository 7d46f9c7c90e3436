// A deterministic generator of establishments for load tests: N rows spread over the 34 provinces
// and their communes, as import-ready CSV files (one per province, the columns of
// GET /v1/establishments/imports/template). The same count and seed always give the same files.
//
//   npm run generate:establishments -- --count 1000000 [--seed 1] --out /tmp/establishments
//
// Each file is imported with the province's officer token:
//   curl -H "authorization: Bearer $TOKEN" -H 'content-type: text/csv' \
//        --data-binary @/tmp/establishments/08.csv http://localhost:3000/v1/establishments/imports
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import { generator } from '../src/demo/generator.ts'
import { csvLine } from '../src/lib/csv.ts'

export const HEADER = [
  'external_id',
  'province_code',
  'commune_code',
  'name',
  'kind',
  'tax_code',
  'industry',
  'vsic_code',
  'address',
  'year_founded',
  'employees',
  'main_products',
  'priority_areas',
  'priority_products',
  'status',
] as const

const KINDS = [
  'household_business',
  'household_business',
  'household_business',
  'sme',
  'cooperative',
  'cooperative_group',
]
export const TRADES: [string, string, string, string][] = [
  // [trade in a name, industry, VSIC, main products]
  ['Gốm sứ', 'handicrafts', '2393', 'Bình gốm, bát đĩa men rạn'],
  ['Mây tre đan', 'handicrafts', '1629', 'Giỏ, làn, bàn ghế mây tre'],
  ['Dệt thổ cẩm', 'consumer_export_goods', '1392', 'Vải, khăn, túi thổ cẩm'],
  ['Chế biến chè', 'agro_food_processing', '1076', 'Chè búp khô, chè Shan tuyết'],
  ['Bún bánh', 'agro_food_processing', '1074', 'Bún, bánh phở, bánh đa'],
  ['Cơ khí', 'mechanical_electrical_supporting', '2592', 'Máy tuốt lúa, nông cụ'],
  ['Gạch không nung', 'agro_chemicals_building_materials', '2395', 'Gạch block, gạch terrazzo'],
  ['Mộc mỹ nghệ', 'handicrafts', '1623', 'Đồ gỗ mỹ nghệ, tượng gỗ'],
  ['Nước mắm', 'agro_food_processing', '1079', 'Nước mắm truyền thống'],
  ['Rượu men lá', 'agro_food_processing', '1101', 'Rượu men lá, rượu ngô'],
]
export const SURNAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
]
export const GIVEN = [
  'Văn An',
  'Thị Bình',
  'Văn Cường',
  'Thị Dung',
  'Minh Đức',
  'Thị Hà',
  'Quang Hải',
  'Thu Hằng',
  'Văn Hùng',
]
const AREAS = ['difficult_area', 'new_rural_commune', 'highland_island_border', 'ethnic_minority_area']
const PRODUCTS = ['typical_product', 'key_product', 'export_product', 'local_raw_materials']

/** Communes by current province, from the reference data the migrations load. */
export function communesByProvince(): Map<string, string[]> {
  const rows: { code: string; province_code: string }[] = parse(
    readFileSync(new URL('../migrations/data/communes.csv', import.meta.url)),
    { columns: true, skip_empty_lines: true },
  )
  const out = new Map<string, string[]>()
  for (const r of rows) out.set(r.province_code, [...(out.get(r.province_code) ?? []), r.code])
  return out
}

export type GeneratedRow = Record<(typeof HEADER)[number], string | number>

/** The rows, in order; row i (0-based) of a given count and seed is always the same. */
export function* establishments(count: number, seed = 1): Generator<GeneratedRow> {
  const { next, pick } = generator(seed)
  const communes = communesByProvince()
  const provinces = [...communes.keys()].sort()
  for (let i = 0; i < count; i++) {
    const province = provinces[i % provinces.length] as string
    const commune = pick(communes.get(province) ?? [])
    const kind = pick(KINDS)
    const [trade, industry, vsic, products] = pick(TRADES)
    const household = kind === 'household_business'
    const owner = `${pick(SURNAMES)} ${pick(GIVEN)}`
    const name = household
      ? `Hộ kinh doanh ${trade} ${owner}`
      : `${kind === 'sme' ? 'Công ty TNHH' : 'Hợp tác xã'} ${trade} ${owner} ${i}`
    yield {
      external_id: `GEN-${seed}-${i}`,
      province_code: province,
      commune_code: commune,
      name,
      kind,
      // Unique per row; household businesses often have none.
      tax_code: household && next() < 0.6 ? '' : String(1_000_000_000 + i * 7),
      industry,
      vsic_code: vsic,
      address: `Thôn ${1 + Math.floor(next() * 20)}`,
      year_founded: 1990 + Math.floor(next() * 36),
      employees: household ? 1 + Math.floor(next() * 10) : 5 + Math.floor(next() * 300),
      main_products: products,
      priority_areas: next() < 0.3 ? pick(AREAS) : '',
      priority_products: next() < 0.2 ? pick(PRODUCTS) : '',
      status: next() < 0.05 ? 'closed' : 'active',
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
  })
  if (!values.out) throw new Error('usage: generate-establishments.ts --count N [--seed S] --out DIR')
  mkdirSync(values.out, { recursive: true })
  const files = new Map<string, ReturnType<typeof createWriteStream>>()
  for (const row of establishments(Number(values.count), Number(values.seed))) {
    const province = String(row.province_code)
    let file = files.get(province)
    if (!file) {
      file = createWriteStream(join(values.out, `${province}.csv`))
      file.write(`\uFEFF${csvLine([...HEADER])}`)
      files.set(province, file)
    }
    const line = csvLine(HEADER.map((h) => row[h]))
    if (!file.write(line)) await new Promise<void>((resolve) => file?.once('drain', () => resolve()))
  }
  await Promise.all([...files.values()].map((f) => new Promise<void>((resolve) => f.end(() => resolve()))))
  console.log(`wrote ${values.count} establishments into ${files.size} files in ${values.out}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
