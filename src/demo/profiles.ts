// Each demo province's profile for the second part of the dataset (parts.ts): what its unit looks
// like, how far its collaborators reach, how often it inspects and communicates, its establishments,
// trades and legal documents — chosen so that the scorecard shows every ask with figures, some
// provinces meeting a threshold, some partly, some not. And the province as each step of that part
// sees it.
import type { CommuneType } from '../db/schema.ts'
import type { FormerProvince, Province } from './common.ts'

/** A trade of the province: where it is, what it makes, and the former province it came from. */
export interface Craft {
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

export interface Profile {
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

export const PROFILES: Record<string, Profile> = {
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

/** A province as each step of the second part sees it. */
export interface ReachSite {
  province: Province
  profile: Profile
  /** The former provinces merged into it (itself among them when it kept its code). */
  olds: FormerProvince[]
  /** Whether it was formed by a merger. */
  merged: boolean
  /** The full name of a former province (when merged), else of the province. */
  nameOf: (origin: string | null) => string
  /** Its communes, xã before phường: the network starts in the countryside. */
  communes: { code: string; name: string; full_name: string; type: CommuneType }[]
  /** Its schemes (of the first part), by code. */
  schemes: {
    id: string
    year: number
    state: string
    origin_province_code: string | null
    industry: string | null
    project_type: string | null
  }[]
}
