// Which province codes the token tool signs: the server refuses a token whose province claim is
// not a current province (plugins/auth.ts), so the tool refuses it first, naming the successor of
// a former province's code. Read from the reference data the migrations load, not a database.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'

const data = (file: string): Record<string, string>[] =>
  parse(readFileSync(new URL(`../migrations/data/${file}`, import.meta.url)), {
    columns: true,
    skip_empty_lines: true,
  })

const current = new Map(data('provinces.csv').map((p) => [p.code, p.name]))
const former = new Map(data('legacy_provinces.csv').map((p) => [p.code, p]))

/** Why a province token cannot name `code`, or undefined for a current province's code. */
export function provinceRefusal(code: string): string | undefined {
  if (current.has(code)) return undefined
  const was = former.get(code)
  if (!was?.successor_code) return `--province ${code} is no province's code (see GET /v1/provinces)`
  const successor = was.successor_code
  return (
    `--province ${code} is the former province ${was.name}'s code; since 1 July 2025 it is part of ` +
    `${current.get(successor)} (${successor}): use --province ${successor}`
  )
}
