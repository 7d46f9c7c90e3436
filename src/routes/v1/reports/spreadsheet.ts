// The scorecard as the official spreadsheet: one sheet per ask of letter 3384/BCT-CTĐP, a row per
// province, for each indicator its value (a number in its unit) and its assessment.
import type { CellKind, Column, Sheet } from '../../../lib/xlsx.ts'
import type { ScorecardRow } from './scorecard.ts'

/** Sheet names: at most 31 characters (Excel's limit). */
const ASKS = [
  'YC1 - Văn bản',
  'YC2 - Kế hoạch, đề án',
  'YC3 - Sản phẩm, đề án điểm',
  'YC4 - Kiểm tra, giám sát',
  'YC5 - Tổ chức, CTV',
  'YC6 - Kinh phí',
  'YC7 - Tuyên truyền',
]

const KIND: Record<string, CellKind> = {
  vnd: 'vnd',
  share: 'rate',
  count: 'count',
  people: 'count',
  ratio: 'decimal',
  boolean: 'text',
  code: 'text',
}

export const STATUS_VI: Record<string, string> = {
  met: 'Đạt',
  partly_met: 'Đạt một phần',
  not_met: 'Chưa đạt',
  no_data: 'Chưa có số liệu',
}

export function scorecardSheets(year: number, formerProvinces: boolean, rows: ScorecardRow[]): Sheet[] {
  const first = rows[0]?.indicators ?? []
  return ASKS.map((name, i): Sheet => {
    const ask = i + 1
    const indicators = first.filter((x) => x.ask === ask)
    const columns: Column[] = [
      { header: 'Mã tỉnh', key: 'code', width: 9, kind: 'text' },
      {
        header: formerProvinces ? 'Tỉnh (trước sáp nhập)' : 'Tỉnh, thành phố',
        key: 'name',
        width: 24,
        kind: 'text',
      },
      ...indicators.flatMap((x): Column[] => [
        { header: x.label_vi, key: x.code, width: 22, kind: KIND[x.unit] ?? 'text' },
        { header: 'Đánh giá', key: `${x.code}.status`, width: 14, kind: 'text' },
      ]),
    ]
    return {
      name,
      title: [
        `THẺ ĐIỂM THỰC HIỆN CÔNG VĂN 3384/BCT-CTĐP — YÊU CẦU ${ask}`,
        `Năm ${year}; ${rows.length} ${formerProvinces ? 'tỉnh cũ' : 'tỉnh, thành phố'}; số liệu tính từ dữ liệu tại thời điểm xuất`,
      ],
      columns,
      rows: rows.map((row) => ({
        code: row.province_code,
        name: row.province_name,
        ...Object.fromEntries(
          row.indicators
            .filter((x) => x.ask === ask)
            .flatMap((x) => [
              [x.code, x.value],
              [`${x.code}.status`, x.status ? STATUS_VI[x.status] : null],
            ]),
        ),
      })),
    }
  })
}
