// Sources of rows: a CSV file or a JSON array, both streamed (never held whole) and counted
// against the body limit as they are read.
import { isUtf8 } from 'node:buffer'
import { Readable } from 'node:stream'
import { CsvError, parse } from 'csv-parse'
import { unguard } from '../../../../lib/csv.ts'
import { JsonArrayError, jsonArrayItems } from '../../../../lib/json-array.ts'
import { FieldErrors, invalidField, type Localized, problem } from '../../../../lib/problems.ts'
import { BadCell, IGNORED, isColumn } from './cells.ts'

export const BODY_LIMIT = 200 * 1024 * 1024
/** A row (a CSV field, a JSON array item) this long is no establishment: refused before it fills the heap. */
const MAX_ROW_BYTES = 1024 * 1024
/**
 * Fields a CSV line may have: the template has a few dozen columns. The parser makes an object of
 * every field, and a line of 600,000 empty ones (600 KB of commas) exhausted the capped heap.
 */
export const MAX_FIELDS = 1000

export interface SourceRow {
  row: number
  /** A whole-row problem (wrong column count, not an object). */
  problem?: string
  record: Record<string, unknown>
}

function checkColumns(columns: string[]) {
  const fails = new FieldErrors()
  for (const [i, column] of columns.entries()) {
    fails.check(!isColumn(column) && !IGNORED.has(column), 'body', `columns/${i}`, {
      vi: `"${column}" không phải là cột của mẫu`,
      en: `"${column}" is not a column of the template`,
    })
    fails.check(columns.indexOf(column) !== i, 'body', `columns/${i}`, {
      vi: `"${column}" xuất hiện hai lần`,
      en: `"${column}" appears twice`,
    })
  }
  fails.throwIfAny()
}

/** The body's chunks, counted as they stream: past `limit` bytes, 413. */
async function* limited(body: Readable, limit: number, what: Localized): AsyncGenerator<Buffer> {
  let bytes = 0
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    bytes += buffer.length
    if (bytes > limit) {
      throw problem('payload_too_large', {
        vi: `${what.vi} vượt quá ${limit} byte.`,
        en: `The ${what.en} exceeds ${limit} bytes.`,
      })
    }
    yield buffer
  }
}

const MAX_HEADER = 64 * 1024
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])
const NOT_UTF8 = {
  vi: 'không phải văn bản UTF-8 hợp lệ: hãy lưu tệp ở mã UTF-8',
  en: 'is not valid UTF-8 text: save the file as UTF-8',
}

/** A cell's bytes as text, or null when they are not UTF-8 (never replaced by U+FFFD). */
const utf8 = (bytes: Uint8Array) =>
  isUtf8(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : null

/**
 * The chunks as they are, counting each line's delimiters outside quotes (a `"` toggles them; a
 * doubled one inside a quoted field toggles twice): a line with more than MAX_FIELDS fields is
 * refused before the parser builds them.
 */
async function* fieldsBounded(chunks: AsyncIterable<Buffer>, delimiter: number): AsyncGenerator<Buffer> {
  let line = 1
  let fields = 1
  let quoted = false
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]
      if (byte === 0x22) quoted = !quoted
      else if (quoted) continue
      else if (byte === 0x0a) {
        line += 1
        fields = 1
      } else if (byte === delimiter && ++fields > MAX_FIELDS) {
        throw invalidField('body', 'csv', {
          vi: `có dòng ${line} nhiều hơn ${MAX_FIELDS} trường`,
          en: `has more than ${MAX_FIELDS} fields on line ${line}`,
        })
      }
    }
    yield chunk
  }
}

/**
 * CSV rows: the delimiter (`,` or `;`) from the header line, BOM, CRLF or LF, quoted fields. The
 * body is counted as it streams: past `limit` bytes the import stops with 413. Cells are read as
 * bytes and each checked to be UTF-8, so that a bad cell is reported by row and column.
 */
export async function* csvRows(body: Readable, limit = BODY_LIMIT): AsyncGenerator<SourceRow> {
  const chunks = limited(body, limit, { vi: 'Tệp CSV', en: 'CSV file' })
  let head = Buffer.alloc(0)
  let done = false
  while (!head.includes(0x0a)) {
    if (head.length > MAX_HEADER) {
      throw invalidField('body', 'csv', {
        vi: 'có dòng tiêu đề dài quá 64 KB',
        en: 'has a header line longer than 64 KB',
      })
    }
    const next = await chunks.next()
    if (next.done) {
      done = true
      break
    }
    head = Buffer.concat([head, next.value])
  }
  // The BOM is dropped here: csv-parse's own detection would switch it to decoding text itself.
  if (head.subarray(0, 3).equals(UTF8_BOM)) head = head.subarray(3)
  const firstLine = head.subarray(0, head.includes(0x0a) ? head.indexOf(0x0a) : head.length).toString('utf8')
  const count = (c: string) => firstLine.split(c).length - 1
  const delimiter = count(';') > count(',') ? ';' : ','
  const source = Readable.from(
    fieldsBounded(
      (async function* () {
        yield head
        if (!done) yield* chunks
      })(),
      delimiter.charCodeAt(0),
    ),
  )
  const parser = parse({
    delimiter,
    encoding: null,
    max_record_size: MAX_ROW_BYTES,
    relax_column_count: true,
    skip_empty_lines: true,
  })
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  let columns: string[] | undefined
  let row = 0
  try {
    for await (const cells of parser as AsyncIterable<Uint8Array[]>) {
      if (!columns) {
        columns = cells.map((c, i) => {
          const name = utf8(c)
          if (name === null) throw invalidField('body', `columns/${i}`, NOT_UTF8)
          return name.normalize('NFC').trim()
        })
        checkColumns(columns)
        continue
      }
      row += 1
      const record: Record<string, unknown> = {}
      columns.forEach((c, i) => {
        const cell = cells[i]
        if (cell === undefined) return
        const text = utf8(cell)
        record[c] = text === null ? new BadCell(NOT_UTF8.en) : unguard(text)
      })
      yield cells.length === columns.length
        ? { row, record }
        : { row, record, problem: `has ${cells.length} fields; the header has ${columns.length}` }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // The parser's own words are English and may quote the bytes: the line is what helps.
      const line = (error as CsvError & { lines?: number }).lines
      const where = line ? { vi: ` ở dòng ${line}`, en: ` on line ${line}` } : { vi: '', en: '' }
      throw invalidField(
        'body',
        'csv',
        error.code === 'CSV_MAX_RECORD_SIZE'
          ? { vi: `có một trường dài quá 1 MB${where.vi}`, en: `has a field longer than 1 MB${where.en}` }
          : {
              vi: `không đọc được${where.vi}: một dấu ngoặc kép (") không đúng quy tắc CSV (RFC 4180)`,
              en: `cannot be read${where.en}: a quote (") breaks the CSV rules (RFC 4180)`,
            },
      )
    }
    throw error
  }
  if (!columns) {
    throw invalidField('body', 'csv', {
      vi: 'rỗng: dòng đầu tiên phải là dòng tiêu đề',
      en: 'is empty: the first line must be the header',
    })
  }
}

/**
 * JSON rows, from the array streamed item by item (see jsonArrayItems). Malformed JSON, text that
 * is not UTF-8 (RFC 8259) or a body that is no array → 400 naming the place; an item that is no
 * object → that row's error.
 */
export async function* jsonRows(body: Readable, limit = BODY_LIMIT): AsyncGenerator<SourceRow> {
  let row = 0
  try {
    for await (const item of jsonArrayItems(
      limited(body, limit, { vi: 'Nội dung JSON', en: 'JSON body' }),
      MAX_ROW_BYTES,
    )) {
      row += 1
      if (!isUtf8(item))
        throw invalidField('body', String(row - 1), {
          vi: 'không phải UTF-8 hợp lệ (JSON phải ở mã UTF-8)',
          en: 'is not valid UTF-8 (JSON must be UTF-8)',
        })
      let value: unknown
      try {
        value = JSON.parse(item.toString('utf8'))
      } catch {
        throw invalidField('body', String(row - 1), { vi: 'không phải JSON hợp lệ', en: 'is not valid JSON' })
      }
      yield typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { row, record: value as Record<string, unknown> }
        : { row, record: {}, problem: 'must be an object' }
    }
  } catch (error) {
    if (!(error instanceof JsonArrayError)) throw error
    throw invalidField('body', error.index === null ? '' : String(error.index), {
      vi: `không đọc được dưới dạng mảng JSON (${error.message})`,
      en: error.message,
    })
  }
}
