// The official spreadsheets, opened with the library that wrote them: sheets, title rows, headings,
// cells as numbers and dates, frozen header rows, column widths.
import ExcelJS from 'exceljs'
import t from 'tap'
import { buildTestApp, caller } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const call = caller(app)

async function open(url: string, headers: Record<string, string>) {
  const res = await call('GET', url, { ...headers, accept: XLSX })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
  return { res, book }
}

/** The row whose first cell is `text`, in a sheet. */
const rowOf = (sheet: ExcelJS.Worksheet, column: number, text: string) => {
  let found: ExcelJS.Row | undefined
  sheet.eachRow((row) => {
    if (row.getCell(column).value === text) found = row
  })
  if (!found) throw new Error(`no row ${text} in ${sheet.name}`)
  return found
}

await call('POST', '/v1/budget-allocations', as.officer08, {
  year: 2025,
  funding_source: 'local',
  amount: 1_250_000_000,
})
const report = await call('POST', '/v1/periodic-reports', as.officer08, {
  period: '2025-Q4',
  results: 'Hoàn thành 3 đề án',
  proposals: 'Tăng kinh phí khuyến công quốc gia',
})
const reportId = report.json().id

t.test('a periodic report as the official spreadsheet', async (t) => {
  const { res, book } = await open(`/v1/periodic-reports/${reportId}`, as.officer08)
  t.match(res.headers['content-type'], XLSX)
  t.match(res.headers['content-disposition'], /attachment; filename="bao-cao-2025-Q4-08\.xlsx"/)
  t.same(
    book.worksheets.map((s) => s.name),
    [
      'Thông tin chung',
      '1. Văn bản, chương trình',
      '2. Kế hoạch, đề án',
      '6. Kinh phí',
      '3. SP CNNT tiêu biểu',
      '4. Kiểm tra, giám sát',
      '5. Tổ chức, CTV',
      '7. Thông tin tuyên truyền',
      'Đề án theo trạng thái',
    ],
  )
  const cover = book.getWorksheet('Thông tin chung') as ExcelJS.Worksheet
  t.equal(cover.getCell('A1').value, 'BÁO CÁO ĐỊNH KỲ CÔNG TÁC KHUYẾN CÔNG')
  t.equal(cover.getCell('A2').value, 'Đơn vị báo cáo: Tỉnh Tuyên Quang')
  t.match(
    String(cover.getCell('A3').value),
    'Kỳ báo cáo: Quý IV/2025 (01/10/2025 – 31/12/2025); hạn nộp 15/01/2026',
  )
  t.equal(rowOf(cover, 1, 'Kết quả thực hiện').getCell(2).value, 'Hoàn thành 3 đề án')
  t.equal(rowOf(cover, 1, 'Kiến nghị, đề xuất').getCell(2).value, 'Tăng kinh phí khuyến công quốc gia')

  const money = book.getWorksheet('6. Kinh phí') as ExcelJS.Worksheet
  t.match(money.views[0], { state: 'frozen', ySplit: 4 }, 'title and header rows frozen')
  const header = money.getRow(4)
  t.same(
    [1, 2, 3, 4].map((c) => header.getCell(c).value),
    ['Chỉ tiêu', 'Mã', 'Số liệu báo cáo', 'Số liệu hiện tại'],
  )
  t.equal(header.font?.bold, true)
  const local = rowOf(money, 2, 'local_allocation')
  t.equal(local.getCell(1).value, 'Kinh phí khuyến công địa phương được giao (đồng)')
  t.equal(local.getCell(3).value, 1_250_000_000, 'a number, not text')
  t.equal(local.getCell(3).numFmt, '#,##0', 'VND without decimals')
  t.equal(money.getColumn(1).width, 60)
})

t.test('the reporting status as the official spreadsheet', async (t) => {
  const { book } = await open('/v1/reporting-status?period=2025-Q4', as.ministry)
  const totals = book.getWorksheet('Tổng hợp') as ExcelJS.Worksheet
  t.match(String(totals.getCell('A2').value), 'Kỳ báo cáo: Quý IV/2025')
  t.equal(rowOf(totals, 1, 'Số báo cáo phải nộp').getCell(2).value, 34)
  const units = book.getWorksheet('Theo đơn vị') as ExcelJS.Worksheet
  t.equal(units.rowCount, 4 + 34)
  const tq = rowOf(units, 1, '08')
  t.equal(tq.getCell(4).value, 'Đang dự thảo')
  const due = tq.getCell(6).value as Date
  t.ok(due instanceof Date, 'a date cell')
  t.equal(due.toISOString().slice(0, 10), '2026-01-15')
})

t.test('the scorecard as the official spreadsheet: one sheet per ask', async (t) => {
  const { book } = await open('/v1/reports/scorecard?year=2025', as.ministry)
  t.equal(book.worksheets.length, 7)
  const money = book.worksheets[5] as ExcelJS.Worksheet
  t.equal(money.name, 'YC6 - Kinh phí')
  t.match(String(money.getCell('A1').value), 'THẺ ĐIỂM')
  const header = money.getRow(3)
  t.equal(header.getCell(1).value, 'Mã tỉnh')
  const tq = rowOf(money, 1, '08')
  const values = (tq.values as ExcelJS.CellValue[]).slice(3)
  t.ok(values.includes(1_250_000_000), 'the local allocation as a number')
  t.equal(book.worksheets[0]?.rowCount, 3 + 34)
  const own = await open('/v1/reports/scorecard?year=2025', as.officer01)
  t.equal(own.book.worksheets[0]?.rowCount, 3 + 1, 'a province gets its own row')
})

t.test('JSON stays the default; an unknown type is 406', async (t) => {
  const json = await call('GET', `/v1/periodic-reports/${reportId}`, { ...as.officer08, accept: '*/*' })
  t.match(json.headers['content-type'], 'application/json')
  const both = await call('GET', `/v1/periodic-reports/${reportId}`, {
    ...as.officer08,
    accept: `application/json, ${XLSX};q=0.5`,
  })
  t.match(both.headers['content-type'], 'application/json')
  const pdf = await call('GET', `/v1/periodic-reports/${reportId}`, {
    ...as.officer08,
    accept: 'application/pdf',
  })
  t.equal(pdf.statusCode, 406)
  const foreign = await call('GET', `/v1/periodic-reports/${reportId}`, { ...as.officer01, accept: XLSX })
  t.equal(foreign.statusCode, 404)
})
