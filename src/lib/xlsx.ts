// Official spreadsheets (.xlsx), written once: a workbook of sheets laid out as an official reads
// them — title rows (what, which province, which period), a bold header row frozen with them,
// numbers as numbers (VND with thousands separators and no decimals, rates as percentages),
// dates as dates, column widths set. Streamed (exceljs' WorkbookWriter) so a large sheet never
// sits whole in memory.
import type { Writable } from 'node:stream'
import type ExcelJS from 'exceljs'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** How a column's values are written: text, whole VND, a count, a decimal, a share (0–1), a day, an instant. */
export type CellKind = 'text' | 'vnd' | 'count' | 'decimal' | 'rate' | 'date' | 'datetime'

export interface Column {
  header: string
  key: string
  width: number
  kind: CellKind
}

export interface Sheet {
  /** At most 31 characters, without : \ / ? * [ ] (Excel's rule). */
  name: string
  /** The title rows above the table: the first bold. */
  title: string[]
  columns: Column[]
  rows: Record<string, unknown>[]
}

const FORMAT: Record<CellKind, string | undefined> = {
  text: undefined,
  vnd: '#,##0',
  count: '#,##0',
  decimal: '#,##0.00',
  rate: '0.0%',
  date: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy hh:mm',
}

const HOURS_7 = 7 * 3_600_000

/** A value as its cell holds it: a number, a date (instants as the clock in Vietnam shows them), text. */
function cell(kind: CellKind, value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null
  switch (kind) {
    case 'vnd':
    case 'count':
    case 'decimal':
    case 'rate':
      return typeof value === 'number'
        ? value
        : Number.isFinite(Number(value))
          ? Number(value)
          : String(value)
    case 'date':
      return new Date(`${String(value)}T00:00:00Z`)
    case 'datetime':
      return new Date(Date.parse(String(value)) + HOURS_7)
    default:
      if (typeof value === 'boolean') return value ? 'Có' : 'Không'
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
}

/** Writes the workbook to `out` and ends it. */
export async function writeWorkbook(sheets: Sheet[], out: Writable): Promise<void> {
  // Loaded on the first workbook: exceljs costs a quarter of a second of CPU to load, paid by
  // every start (and every test process) that never writes one.
  const { default: excel } = await import('exceljs')
  const book = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  for (const sheet of sheets) {
    const top = sheet.title.length + 1
    const ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: top, xSplit: 0 }] })
    ws.columns = sheet.columns.map((c) => ({ key: c.key, width: c.width, style: { numFmt: FORMAT[c.kind] } }))
    sheet.title.forEach((text, i) => {
      const row = ws.addRow([text])
      row.font = { bold: i === 0, size: i === 0 ? 13 : 11 }
      ws.mergeCells(i + 1, 1, i + 1, Math.max(1, sheet.columns.length))
      row.commit()
    })
    const header = ws.addRow(sheet.columns.map((c) => c.header))
    header.font = { bold: true }
    header.alignment = { wrapText: true, vertical: 'middle' }
    header.commit()
    for (const row of sheet.rows) ws.addRow(sheet.columns.map((c) => cell(c.kind, row[c.key]))).commit()
    ws.commit()
  }
  await book.commit()
}
