// Code list values for request validation, read once from the data file the reference-data
// migration loads, so the schema enums, the contract and /v1/codelists always agree.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { Type } from 'typebox'

const rows: { list: string; code: string }[] = parse(
  readFileSync(new URL('../../migrations/data/codelists.csv', import.meta.url)),
  { columns: true, skip_empty_lines: true },
)

export function codes(list: string): string[] {
  const found = rows.filter((r) => r.list === list).map((r) => r.code)
  if (found.length === 0) throw new Error(`no code list named ${list}`)
  return found
}

/** A schema accepting the codes of one list; the description names the list to look it up. */
export const CodeOf = (list: string, description: string) =>
  Type.Enum(codes(list), { description: `${description} Danh mục \`${list}\` (GET /v1/codelists/${list}).` })
