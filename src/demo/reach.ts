// The second part of the demo dataset (loaded after index.ts, under its own name): what the
// seven asks of letter 3384/BCT-CTĐP measure beyond schemes and money, for the same five provinces
// and years — legal documents (with the approvals of the provincial programmes), an implementing
// unit per province (and the dissolved units of the former provinces merged into it) with staff and
// equipment, collaborators and the communes they cover, inspections of the schemes with their
// follow-ups, communication activities, and rural-industrial establishments with their products
// and typical-product certificates (some of them beneficiaries of the schemes).
//
// Each province has a profile, so that the scorecard shows every ask with figures, some provinces
// meeting a threshold, some partly, some not. Deterministic and written under each province's
// tenancy like the first part; every row obeys the API's rules (staff that add up, a region
// certificate only on a valid province one, follow-ups done with a date…). Figures and names are
// illustrative, not official.
import { sql } from 'kysely'
import type { Trx } from '../db/tenancy.js'
import { APPROVED_STATES } from '../lib/project-lifecycle.js'
import { actingIn, demoProvinces, json, lower, NOTE, PROVINCES, YEARS } from './common.js'
import { type Generator, generator } from './generator.js'

export const REACH = 'khuyen-cong-demo-reach-2021-2026'

/** A trade of the province: where it is, what it makes, and the former province it came from. */
interface Craft {
  trade: string
  products: string[]
  group: string
  industry: string
  vsic: string
  /** The commune's name (its first match in the province, else the province's first communes). */
  commune: string
  origin: string | null
}

interface Doc {
  kind: string
  subject: string
  number: string
  signed: string
  origin: string | null
  replacedBy: string | null
  expiry: string | null
  title: string
}

interface Profile {
  unit: {
    name: string
    model: string
    decision: [string, string]
    /** Headcount in 2021 and in 2025; qualified share in 2025; first year with the breakdown. */
    staff: [number, number]
    trained: number
    breakdownFrom: number
    area: number
  }
  /** Share of communes with an active collaborator at the end of 2025. */
  coverage: number
  /** Inspections a year (2021–2026), and the follow-ups of 2025 still open. */
  inspections: number[]
  open: number
  /** Communication activities a year (2021–2026), and the digital share in 2025. */
  activities: number[]
  digital: number
  establishments: number
  /** Products with a certificate valid in 2025. */
  certified: number
  crafts: Craft[]
  documents: Doc[]
}

/** Rows of text, one a line, fields apart by `|` (empty: null). */
const table = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.split('|').map((field) => field.trim()))

const KIND_OF_TRADE = {
  agro: { group: 'agro_food', industry: 'agro_food_processing' },
  craft: { group: 'handicrafts', industry: 'handicrafts' },
  tools: { group: 'machinery_tools', industry: 'mechanical_electrical_supporting' },
} as const

/** trade | its products (`;` apart) | agro, craft or tools | VSIC | commune | former province */
const crafts = (text: string): Craft[] =>
  table(text).map(([trade, products, kind, vsic, commune, origin]) => ({
    trade: trade as string,
    products: (products as string).split(';').map((p) => p.trim()),
    ...KIND_OF_TRADE[kind as keyof typeof KIND_OF_TRADE],
    vsic: vsic as string,
    commune: commune as string,
    origin: origin || null,
  }))

/** kind | subject | number | signed | former province | replaced by (its number) | expiry | title */
const documents = (text: string): Doc[] =>
  table(text).map(([kind, subject, number, signed, origin, replacedBy, expiry, title]) => ({
    kind: kind as string,
    subject: subject as string,
    number: number as string,
    signed: signed as string,
    origin: origin || null,
    replacedBy: replacedBy || null,
    expiry: expiry || null,
    title: title as string,
  }))

const PROFILES: Record<string, Profile> = {
  '08': {
    unit: {
      name: 'Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Tuyên Quang',
      model: 'merged_centre',
      decision: ['658/QĐ-UBND', '2009-06-18'],
      staff: [14, 26],
      trained: 0.62,
      breakdownFrom: 2021,
      area: 620,
    },
    coverage: 0.6,
    inspections: [1, 2, 2, 3, 3, 1],
    open: 1,
    activities: [3, 3, 4, 5, 6, 2],
    digital: 0.67,
    establishments: 34,
    certified: 12,
    crafts: crafts(`
      chè Shan tuyết   | Chè Shan tuyết cổ thụ; Hồng trà Shan tuyết | agro  | 1076 | Quang Bình | 02
      mật ong bạc hà   | Mật ong bạc hà; Rượu mật ong               | agro  | 1079 | Mèo Vạc    | 02
      thổ cẩm          | Vải lanh thổ cẩm; Túi thổ cẩm thêu tay     | craft | 1312 | Đồng Văn   | 02
      rượu ngô         | Rượu ngô men lá                            | agro  | 1101 | Quản Bạ    | 02
      miến dong        | Miến dong sạch; Bánh đa miến               | agro  | 1074 | Sơn Dương  | 08
      chè xanh         | Chè xanh Mỹ Bằng; Chè búp khô              | agro  | 1076 | Yên Sơn    | 08
      mây tre đan      | Giỏ mây tre đan; Đũa tre xuất khẩu         | craft | 1629 | Hàm Yên    | 08
      cơ khí nông cụ   | Máy tuốt lúa mini; Máy sao chè             | tools | 2821 | Sơn Dương  | 08`),
    documents: documents(`
      resolution | support_levels  | 09/2021/NQ-HĐND  | 2021-07-16 | 02 | 24/2025/NQ-HĐND | | Quy định nội dung, mức chi hỗ trợ hoạt động khuyến công trên địa bàn tỉnh Hà Giang
      resolution | support_levels  | 12/2021/NQ-HĐND  | 2021-08-20 | 08 | 24/2025/NQ-HĐND | | Quy định nội dung, mức chi hỗ trợ hoạt động khuyến công trên địa bàn tỉnh Tuyên Quang
      regulation | fund_management | 18/2022/QĐ-UBND  | 2022-06-10 | 02 | | | Quy chế quản lý, sử dụng kinh phí khuyến công địa phương tỉnh Hà Giang
      decision   | technical_norms | 26/2022/QĐ-UBND  | 2022-09-12 | 08 | | | Ban hành định mức kinh tế - kỹ thuật áp dụng cho hoạt động khuyến công trên địa bàn tỉnh Tuyên Quang
      decision   | technical_norms | 31/2023/QĐ-UBND  | 2023-11-02 | 02 | | | Ban hành định mức kinh tế - kỹ thuật các nội dung khuyến công tỉnh Hà Giang
      plan       | other           | 45/KH-UBND       | 2024-03-05 | 08 | | | Kế hoạch phát triển mạng lưới cộng tác viên khuyến công cấp xã giai đoạn 2024–2025
      plan       | other           | 28/KH-UBND       | 2025-02-20 | 08 | | | Kế hoạch thông tin, tuyên truyền về khuyến công năm 2025
      decision   | organisation    | 1125/QĐ-UBND     | 2025-08-14 | | | | Tổ chức lại Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Tuyên Quang trên cơ sở hợp nhất các trung tâm của hai tỉnh Hà Giang và Tuyên Quang
      resolution | support_levels  | 24/2025/NQ-HĐND  | 2025-12-10 | | | | Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn tỉnh Tuyên Quang
      plan       | other           | 12/KH-UBND       | 2026-01-22 | | | | Kế hoạch triển khai chương trình khuyến công năm 2026`),
  },
  '01': {
    unit: {
      name: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Nội',
      model: 'independent_centre',
      decision: ['2114/QĐ-UBND', '2008-11-07'],
      staff: [28, 32],
      trained: 0.88,
      breakdownFrom: 2021,
      area: 1450,
    },
    coverage: 0.31,
    inspections: [2, 2, 3, 2, 2, 1],
    open: 0,
    activities: [5, 6, 6, 7, 8, 3],
    digital: 0.62,
    establishments: 42,
    certified: 16,
    crafts: crafts(`
      gốm sứ Bát Tràng  | Gốm men rạn Bát Tràng; Bình hoa men lam; Bộ ấm chén men hỏa biến | craft | 2393 | Bát Tràng  |
      mây tre đan       | Khay mây tre đan; Đèn trang trí bằng tre                         | craft | 1629 | Chương Mỹ  |
      khảm trai         | Tranh khảm trai; Hộp sơn mài khảm trai                           | craft | 3290 | Chuyên Mỹ  |
      tượng gỗ Sơn Đồng | Tượng gỗ sơn son thếp vàng; Hoành phi câu đối                    | craft | 1629 | Sơn Đồng   |
      lụa tơ tằm        | Lụa tơ tằm Vạn Phúc; Khăn lụa vẽ tay                             | craft | 1311 | Hà Đông    |
      cơ khí            | Khuôn mẫu cơ khí chính xác; Máy ép viên nén                      | tools | 2592 | Thường Tín |
      bánh kẹo          | Bánh cốm; Kẹo lạc vừng                                           | agro  | 1073 | Phú Xuyên  |`),
    documents: documents(`
      resolution | support_levels  | 07/2021/NQ-HĐND | 2021-09-23 | | | | Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn thành phố Hà Nội
      decision   | technical_norms | 14/2021/QĐ-UBND | 2021-11-18 | | 05/2026/QĐ-UBND | 2024-12-31 | Ban hành định mức kinh tế - kỹ thuật đối với hoạt động khuyến công thành phố Hà Nội giai đoạn 2022–2024
      regulation | fund_management | 3150/QĐ-UBND    | 2022-06-28 | | | | Quy chế quản lý, sử dụng kinh phí khuyến công thành phố Hà Nội
      plan       | other           | 41/KH-UBND      | 2023-02-14 | | | | Kế hoạch phát triển sản phẩm công nghiệp nông thôn tiêu biểu giai đoạn 2023–2025
      plan       | other           | 36/KH-UBND      | 2025-02-10 | | | | Kế hoạch thực hiện công tác khuyến công năm 2025
      decision   | organisation    | 2210/QĐ-UBND    | 2025-05-15 | | | | Kiện toàn tổ chức bộ máy Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Nội
      decision   | technical_norms | 05/2026/QĐ-UBND | 2026-02-10 | | | | Ban hành định mức kinh tế - kỹ thuật đối với hoạt động khuyến công thành phố Hà Nội`),
  },
  '38': {
    unit: {
      name: 'Phòng Quản lý công nghiệp và Khuyến công — Sở Công Thương tỉnh Thanh Hóa',
      model: 'doit_division',
      decision: ['1587/QĐ-SCT', '2016-04-22'],
      staff: [7, 9],
      trained: 0.42,
      breakdownFrom: 2023,
      area: 180,
    },
    coverage: 0.07,
    inspections: [0, 1, 0, 1, 1, 0],
    open: 4,
    activities: [1, 1, 2, 2, 2, 1],
    digital: 0,
    establishments: 28,
    certified: 5,
    crafts: crafts(`
      nước mắm     | Nước mắm cá cơm truyền thống      | agro  | 1020 | Hoằng Hóa |
      chiếu cói    | Chiếu cói Nga Sơn; Thảm cói xuất khẩu | craft | 1629 | Nga Sơn   |
      nem chua     | Nem chua Thanh Hóa                | agro  | 1010 | Đông Sơn  |
      đá mỹ nghệ   | Tượng đá mỹ nghệ; Lư hương đá     | craft | 2396 | Đông Sơn  |
      bánh gai     | Bánh gai Tứ Trụ                   | agro  | 1071 | Vĩnh Lộc  |
      hải sản khô  | Mực khô; Tôm nõn                  | agro  | 1020 | Sầm Sơn   |`),
    documents: documents(`
      resolution | support_levels  | 150/2021/NQ-HĐND | 2021-12-10 | | | | Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn tỉnh Thanh Hóa
      decision   | other           | 2430/QĐ-UBND     | 2022-07-01 | | | | Phê duyệt Đề án phát triển sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Thanh Hóa
      plan       | other           | 52/KH-UBND       | 2024-03-05 | | | | Kế hoạch thực hiện công tác khuyến công năm 2024
      decision   | technical_norms | 08/2026/QĐ-UBND  | 2026-03-12 | | | | Ban hành định mức kinh tế - kỹ thuật áp dụng cho hoạt động khuyến công tỉnh Thanh Hóa`),
  },
  '48': {
    unit: {
      name: 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp thành phố Đà Nẵng',
      model: 'independent_centre',
      decision: ['4321/QĐ-UBND', '2010-07-02'],
      staff: [12, 21],
      trained: 0.72,
      breakdownFrom: 2021,
      area: 540,
    },
    coverage: 0.45,
    inspections: [1, 1, 1, 2, 1, 0],
    open: 2,
    activities: [2, 3, 3, 3, 3, 1],
    digital: 0.34,
    establishments: 30,
    certified: 8,
    crafts: crafts(`
      đá mỹ nghệ Non Nước | Tượng đá Non Nước; Đá phong thủy              | craft | 2396 | Ngũ Hành Sơn | 48
      nước mắm Nam Ô      | Nước mắm Nam Ô                                | agro  | 1020 | Hải Vân      | 48
      gốm Thanh Hà        | Gốm đất nung Thanh Hà; Tượng gốm trang trí    | craft | 2393 | Hội An Tây   | 49
      mộc Kim Bồng        | Đồ gỗ mỹ nghệ Kim Bồng; Thuyền gỗ mô hình     | craft | 3100 | Hội An       | 49
      dệt lụa             | Lụa Mã Châu                                   | craft | 1311 | Duy Xuyên    | 49
      sâm Ngọc Linh       | Rượu sâm Ngọc Linh; Trà sâm                   | agro  | 1079 | Trà Linh     | 49
      bánh tráng          | Bánh tráng Đại Lộc                            | agro  | 1079 | Điện Bàn     | 49`),
    documents: documents(`
      resolution | support_levels  | 42/2021/NQ-HĐND | 2021-12-08 | 49 | | | Quy định nội dung, mức chi hỗ trợ hoạt động khuyến công trên địa bàn tỉnh Quảng Nam
      resolution | support_levels  | 21/2022/NQ-HĐND | 2022-07-15 | 48 | | | Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn thành phố Đà Nẵng
      plan       | other           | 118/KH-UBND     | 2023-06-01 | 48 | | | Kế hoạch phát triển mạng lưới cộng tác viên khuyến công thành phố Đà Nẵng
      decision   | technical_norms | 19/2024/QĐ-UBND | 2024-06-20 | 49 | | | Ban hành định mức kinh tế - kỹ thuật đối với hoạt động khuyến công tỉnh Quảng Nam
      decision   | organisation    | 285/QĐ-UBND     | 2026-01-15 | | | | Tổ chức lại Trung tâm Khuyến công và Tư vấn phát triển công nghiệp thành phố Đà Nẵng sau hợp nhất`),
  },
  '79': {
    unit: {
      name: 'Trung tâm Xúc tiến thương mại và Khuyến công Thành phố Hồ Chí Minh',
      model: 'merged_centre',
      decision: ['3388/QĐ-UBND', '2012-08-15'],
      staff: [30, 40],
      trained: 0.9,
      breakdownFrom: 2021,
      area: 2100,
    },
    coverage: 0.04,
    inspections: [1, 2, 2, 2, 2, 1],
    open: 0,
    activities: [4, 4, 5, 5, 5, 2],
    digital: 0.4,
    establishments: 36,
    certified: 2,
    crafts: crafts(`
      sơn mài          | Tranh sơn mài; Bình sơn mài cẩn trứng          | craft | 3290 | Thủ Dầu Một  | 74
      gốm              | Gốm sứ mỹ nghệ; Chậu gốm sân vườn              | craft | 2393 | Tân Uyên     | 74
      nước mắm         | Nước mắm Phước Hải                             | agro  | 1020 | Phước Hải    | 77
      hải sản khô      | Khô cá dứa; Mực một nắng                       | agro  | 1020 | Long Hải     | 77
      bánh tráng       | Bánh tráng Phú Hòa Đông                        | agro  | 1079 | Phú Hòa Đông | 79
      cơ khí chính xác | Linh kiện cơ khí chính xác; Máy đóng gói       | tools | 2592 | Củ Chi       | 79
      muối             | Muối tinh Cần Giờ                              | agro  | 1079 | Cần Giờ      | 79`),
    documents: documents(`
      decision   | fund_management | 25/2021/QĐ-UBND | 2021-10-05 | 79 | | | Quy định quản lý và sử dụng kinh phí khuyến công trên địa bàn Thành phố Hồ Chí Minh
      resolution | support_levels  | 11/2021/NQ-HĐND | 2021-08-26 | 74 | | | Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn tỉnh Bình Dương
      resolution | support_levels  | 08/2022/NQ-HĐND | 2022-07-12 | 77 | | | Quy định nội dung, mức hỗ trợ hoạt động khuyến công trên địa bàn tỉnh Bà Rịa - Vũng Tàu
      decision   | organisation    | 3560/QĐ-UBND    | 2025-08-20 | | | | Hợp nhất các trung tâm khuyến công của Thành phố Hồ Chí Minh, tỉnh Bình Dương và tỉnh Bà Rịa - Vũng Tàu
      decision   | technical_norms | 4120/QĐ-UBND    | 2025-10-28 | | | | Ban hành định mức kinh tế - kỹ thuật áp dụng cho hoạt động khuyến công trên địa bàn Thành phố Hồ Chí Minh
      plan       | other           | 4501/KH-UBND    | 2025-11-20 | | | | Kế hoạch truyền thông về khuyến công giai đoạn 2025–2026`),
  },
}

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

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô', 'Dương', 'Lý']
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Ngọc', 'Quang', 'Thanh', 'Hữu', 'Kim']
const GIVEN = [
  'Hoa',
  'Lan',
  'Hùng',
  'Dũng',
  'Hương',
  'Tuấn',
  'Mai',
  'Nam',
  'Hải',
  'Linh',
  'Thảo',
  'Sơn',
  'Bình',
]
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

const inPlan = (state: string) => (APPROVED_STATES as readonly string[]).includes(state)
const person = (rnd: Generator) => `${rnd.pick(SURNAMES)} ${rnd.pick(MIDDLE)} ${rnd.pick(GIVEN)}`
const at = (date: string) => ({ created_at: `${date}T02:00:00.000Z`, updated_at: `${date}T02:00:00.000Z` })
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

    // Ask 1: the approvals of the provincial programmes, then the province's other documents.
    const programmes = await trx
      .selectFrom('programmes')
      .select([
        'id',
        'title',
        'origin_province_code',
        'decision_number',
        'decision_date',
        'decision_issuer',
        'end_year',
      ])
      .where('level', '=', 'provincial')
      .where('province_code', '=', code)
      .where('decision_number', 'is not', null)
      .orderBy('start_year')
      .orderBy('origin_province_code')
      .execute()
    const docs = [
      ...programmes.map((p) => ({
        number: p.decision_number as string,
        kind: 'decision',
        issuer: p.decision_issuer ?? `UBND ${province.name}`,
        title: `Phê duyệt ${lower(p.title)}`,
        signed_date: p.decision_date as string,
        subject: 'local_programme_approval',
        origin_province_code: p.origin_province_code,
        programme_id: p.id,
        expiry_date: `${p.end_year}-12-31` as string | null,
        replacedBy: null as string | null,
      })),
      ...profile.documents.map(({ kind, subject, number, signed, title, origin, replacedBy, expiry }) => ({
        number,
        kind,
        issuer: `${number.includes('HĐND') ? 'Hội đồng nhân dân' : 'Ủy ban nhân dân'} ${lower(nameOf(origin))}`,
        title,
        signed_date: signed,
        subject,
        origin_province_code: merged ? origin : null,
        programme_id: null,
        expiry_date: expiry ?? null,
        replacedBy,
      })),
    ]
    const documentIds: Record<string, string> = {}
    // Those that replace others first, so that the replaced ones can name them.
    for (const doc of [...docs.filter((d) => !d.replacedBy), ...docs.filter((d) => d.replacedBy)]) {
      const { replacedBy, ...values } = doc
      const successor = replacedBy ? docs.find((d) => d.number === replacedBy) : undefined
      const row = await trx
        .insertInto('legal_documents')
        .values({
          ...values,
          province_code: code,
          effective_date: doc.signed_date,
          expiry_date: values.expiry_date ?? successor?.signed_date ?? null,
          status: successor ? 'replaced' : 'in_force',
          changed_by_id: replacedBy ? (documentIds[replacedBy] ?? null) : null,
          notes: NOTE,
          ...at(doc.signed_date),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      documentIds[doc.number] = row.id
    }

    // Ask 5: the province's unit, and the dissolved units of the former provinces merged into it.
    const { unit } = profile
    const staff = (years: number[], from: number, to: number, trained: number, breakdownFrom: number) =>
      years.map((year, i) => {
        const headcount_total = Math.round(from + ((to - from) * i) / Math.max(1, years.length - 1))
        const full_time_khuyen_cong = Math.round(headcount_total * 0.65)
        const share = trained - (2025 - Math.min(year, 2025)) * 0.03
        const qualified = Math.min(headcount_total, Math.round(headcount_total * share))
        const postgraduate = Math.round(qualified * 0.15)
        const college = Math.round(qualified * 0.2)
        return {
          year,
          headcount_total,
          full_time_khuyen_cong,
          other_staff: headcount_total - full_time_khuyen_cong,
          ...(year >= breakdownFrom
            ? {
                by_qualification: {
                  postgraduate,
                  university: qualified - postgraduate - college,
                  college,
                  other: headcount_total - qualified,
                },
              }
            : {}),
        }
      })
    const equipment = (size: number) =>
      [
        { name: 'Xe ô tô bán tải', kind: 'vehicle', quantity: 1, condition: 'fair', year_acquired: 2015 },
        {
          name: 'Máy chiếu',
          kind: 'equipment',
          quantity: size > 20 ? 3 : 1,
          condition: 'good',
          year_acquired: 2022,
        },
        {
          name: 'Máy tính xách tay',
          kind: 'equipment',
          quantity: Math.ceil(size / 3),
          condition: 'good',
          year_acquired: 2023,
        },
        {
          name: 'Bộ thiết bị trình diễn kỹ thuật lưu động',
          kind: 'equipment',
          quantity: 1,
          condition: 'poor',
          year_acquired: 2012,
        },
      ].slice(0, size > 20 ? 4 : 3)
    const units = [
      {
        name: unit.name,
        unit_model: unit.model,
        status: 'active',
        origin_province_code: null as string | null,
        founding_decision_number: unit.decision[0],
        founding_decision_date: unit.decision[1],
        staff: staff(
          YEARS,
          unit.staff[0],
          Math.round(unit.staff[1] * 1.05),
          unit.trained,
          unit.breakdownFrom,
        ),
        size: unit.staff[1],
        area: unit.area,
      },
      ...olds
        .filter((f) => f.code !== code)
        .map((f, i) => ({
          name: `Trung tâm Khuyến công ${lower(f.full_name)}`,
          unit_model: i % 2 ? 'branch' : 'independent_centre',
          status: 'dissolved',
          origin_province_code: f.code,
          founding_decision_number: `${700 + Number(f.code)}/QĐ-UBND`,
          founding_decision_date: '2011-03-01',
          staff: staff([2021, 2022, 2023, 2024], 8, 10, unit.trained - 0.1, 2022),
          size: 10,
          area: 300,
        })),
    ]
    for (const u of units) {
      const issuer = `Ủy ban nhân dân ${lower(nameOf(u.origin_province_code))}`
      await trx
        .insertInto('implementing_units')
        .values({
          province_code: code,
          origin_province_code: u.origin_province_code,
          name: u.name,
          unit_model: u.unit_model,
          parent_body: `Sở Công Thương ${lower(nameOf(u.origin_province_code))}`,
          founding_decision_number: u.founding_decision_number,
          founding_decision_date: u.founding_decision_date,
          founding_decision_issuer: issuer,
          staff: json(u.staff),
          equipment: json(equipment(u.size)),
          premises_description: `Trụ sở làm việc và xưởng trình diễn kỹ thuật, ${u.area} m²`,
          premises_area_m2: u.area,
          status: u.status,
          ...at('2021-01-15'),
        })
        .execute()
    }

    // Collaborators: the communes covered at the end of 2025 (a share of the province's), grown
    // since 2021; some ended or suspended (their communes not counted), some appointed in 2026.
    const target = Math.round(communes.length * profile.coverage)
    let next = 0
    const appoint = async (
      status: 'active' | 'ended' | 'suspended',
      start: string,
      end: string | null,
      count: number,
    ) => {
      const covered = communes.slice(next, next + count)
      next += count
      if (covered.length === 0) return
      const origin = merged && start < '2025-07-01' ? (olds[next % olds.length]?.code ?? null) : null
      const decision = `${rnd.int(100, 999)}/QĐ-SCT`
      const { id } = await trx
        .insertInto('collaborators')
        .values({
          province_code: code,
          origin_province_code: origin,
          full_name: person(rnd),
          phone: `09${rnd.int(10_000_000, 99_999_999)}`,
          email: null,
          organisation: `Công chức kinh tế UBND ${lower((covered[0] as (typeof communes)[number]).full_name)}`,
          appointment_decision_number: decision,
          appointment_decision_date: start,
          start_date: start,
          end_date: end,
          status,
          fee_basis: 'Thù lao theo nghị quyết của Hội đồng nhân dân tỉnh về mức hỗ trợ khuyến công',
          training: json(
            Number(start.slice(0, 4)) < 2025
              ? [
                  {
                    year: Number(start.slice(0, 4)),
                    title: 'Tập huấn nghiệp vụ khuyến công cho cộng tác viên',
                    hours: 16,
                  },
                ]
              : [],
          ),
          ...at(start),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('collaborator_communes')
        .values(covered.map((c) => ({ collaborator_id: id, commune_code: c.code, province_code: code })))
        .execute()
    }
    for (let covered = 0, i = 0; covered < target; i++) {
      const count = Math.min(target - covered, 1 + (i % 3))
      await appoint('active', `${2021 + (i % 5)}-0${1 + (i % 9)}-15`, null, count)
      covered += count
    }
    for (let i = 0; i < Math.max(1, Math.round(target / 8)); i++) {
      await appoint('ended', `${2021 + (i % 2)}-04-01`, `${2023 + (i % 2)}-12-31`, 2)
      await appoint('suspended', '2022-05-01', null, 1)
    }
    for (let i = 0; i < Math.max(1, Math.round(target / 10)); i++)
      await appoint('active', '2026-02-01', null, 2)

    // Ask 3: establishments, their products and certificates.
    const establishments: { id: string; industry: string; products: string[] }[] = []
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
          phone:
            kind === 'household_business' ? null : `02${rnd.int(10, 99)}${rnd.int(1_000_000, 9_999_999)}`,
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
    let certificate = 0
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
          decision_number: `${rnd.int(1000, 4999)}/QĐ-${central ? 'BCT' : 'UBND'}`,
          decision_date: issued,
          issued_date: issued,
          revoked,
          revoked_reason: revoked ? 'Sản phẩm không còn đáp ứng tiêu chí bình chọn khi kiểm tra lại' : null,
          ...at(issued),
        })
        .execute()
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

    // Some schemes' beneficiaries: establishments of the same industry where there are any.
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

    // Ask 4: inspections of the year's schemes, each with its follow-ups.
    for (const [y, year] of YEARS.entries()) {
      const planned = schemes.filter((s) => s.year === year && inPlan(s.state))
      const count = profile.inspections[y] ?? 0
      let open = year === 2025 ? profile.open : 0
      for (let i = 0; i < count; i++) {
        const date = `${year}-${String(4 + i * 2).padStart(2, '0')}-${10 + i}`
        const kind = ['inspection', 'supervision', 'evaluation'][i % 3] as string
        const covered = kind === 'supervision' ? [] : planned.slice(i, i + 1 + (i % 2))
        const origin =
          merged && date < '2025-07-01'
            ? (covered[0]?.origin_province_code ?? olds[i % olds.length]?.code ?? null)
            : null
        const last = i === count - 1
        const actions = Math.max(rnd.int(0, 2), last ? open : 0)
        const followUps = Array.from({ length: actions }, (_, k) => {
          const due = `${year}-${String(6 + i * 2).padStart(2, '0')}-28`
          const pending = year >= 2026 || (year === 2025 && open > 0)
          if (pending) open--
          return pending
            ? {
                action: FOLLOW_UPS[(i + k) % FOLLOW_UPS.length] as string,
                due_date: due,
                status: k % 2 ? 'overdue' : 'open',
              }
            : {
                action: FOLLOW_UPS[(i + k) % FOLLOW_UPS.length] as string,
                due_date: due,
                status: 'done',
                done_date: `${year}-${String(6 + i * 2).padStart(2, '0')}-20`,
              }
        })
        const beneficiaries = establishments
          .slice(i * 2, i * 2 + (kind === 'inspection' ? 2 : 0))
          .map((e) => e.id)
        await trx
          .insertInto('inspections')
          .values({
            province_code: code,
            origin_province_code: origin,
            kind,
            inspection_date: date,
            inspecting_body: kind === 'evaluation' ? unit.name : `Sở Công Thương ${lower(nameOf(origin))}`,
            project_ids: covered.map((s) => s.id),
            establishment_ids: beneficiaries,
            findings:
              kind === 'supervision'
                ? 'Giám sát hoạt động của mạng lưới cộng tác viên khuyến công và việc triển khai kế hoạch năm.'
                : 'Đề án triển khai đúng nội dung được duyệt; hồ sơ thanh toán còn thiếu một số chứng từ.',
            conclusion: actions
              ? 'Đạt yêu cầu, đề nghị khắc phục các tồn tại theo kiến nghị.'
              : 'Đạt yêu cầu.',
            rating: ['good', 'fair', 'excellent', 'good', 'poor'][(i + y) % 5] as string,
            follow_ups: json(followUps),
            ...at(date),
          })
          .execute()
      }
    }

    // Ask 7: communication activities, more of them digital each year.
    for (const [y, year] of YEARS.entries()) {
      const count = profile.activities[y] ?? 0
      const digital = Math.min(count, Math.round(count * profile.digital * ((year - 2020) / 5)))
      const media = schemes.find((s) => s.year === year && s.project_type === 'media_programme')
      for (let i = 0; i < count; i++) {
        const channel = (
          i < digital ? DIGITAL[i % DIGITAL.length] : CLASSIC[(i + y) % CLASSIC.length]
        ) as Channel
        const date = `${year}-${String(2 + ((i * 3) % 10)).padStart(2, '0')}-${String(5 + i).padStart(2, '0')}`
        const origin = merged && date < '2025-07-01' ? (olds[(i + y) % olds.length]?.code ?? null) : null
        await trx
          .insertInto('communication_activities')
          .values({
            province_code: code,
            origin_province_code: origin,
            channel: channel.channel,
            is_digital: i < digital,
            date,
            title: channel.title(lower(nameOf(origin)), year),
            description: null,
            reach: rnd.int(channel.reach[0], channel.reach[1]),
            reach_unit: channel.unit,
            cost: channel.channel === 'social_media' ? null : rnd.millions(5, 80),
            project_id: i === 0 && media ? media.id : null,
            ...at(date),
          })
          .execute()
      }
    }
  }
}

const FOLLOW_UPS = [
  'Bổ sung hồ sơ nghiệm thu từng phần',
  'Hoàn thiện chứng từ thanh toán kinh phí hỗ trợ',
  'Báo cáo hiệu quả sử dụng máy móc thiết bị sau hỗ trợ',
  'Cập nhật danh sách cơ sở thụ hưởng',
]

interface Channel {
  channel: string
  unit: string
  reach: [number, number]
  title: (place: string, year: number) => string
}
const DIGITAL: Channel[] = [
  {
    channel: 'web_portal',
    unit: 'visits',
    reach: [3_000, 40_000],
    title: (p, y) => `Chuyên mục khuyến công trên cổng thông tin điện tử ${p} năm ${y}`,
  },
  {
    channel: 'social_media',
    unit: 'viewers',
    reach: [5_000, 120_000],
    title: (_p, y) => `Video giới thiệu sản phẩm công nghiệp nông thôn tiêu biểu trên mạng xã hội (${y})`,
  },
  {
    channel: 'television',
    unit: 'viewers',
    reach: [20_000, 200_000],
    title: (_p, y) => `Phóng sự “Khuyến công đồng hành cùng cơ sở nông thôn” phát trực tuyến (${y})`,
  },
]
const CLASSIC: Channel[] = [
  {
    channel: 'television',
    unit: 'viewers',
    reach: [30_000, 250_000],
    title: (p) => `Chuyên mục “Khuyến công ${p}” trên đài phát thanh và truyền hình`,
  },
  {
    channel: 'print',
    unit: 'copies',
    reach: [500, 5_000],
    title: (_p, y) => `Bản tin khuyến công số ${y - 2020}`,
  },
  {
    channel: 'event',
    unit: 'participants',
    reach: [80, 600],
    title: (p, y) => `Hội nghị phổ biến chính sách khuyến công ${p} năm ${y}`,
  },
  {
    channel: 'radio',
    unit: 'listeners',
    reach: [10_000, 80_000],
    title: () => 'Chương trình phát thanh về khuyến công trên đài truyền thanh cơ sở',
  },
]
