// CSV text: RFC 4180 quoting, CRLF, and the spreadsheet-formula guard that the export adds and
// the import removes.

/**
 * A text cell starting like a formula would run in a spreadsheet: the export neutralises it with a
 * leading apostrophe (OWASP), but leaves numbers and phone numbers (+84 912 345 678, -5) as they
 * are. A text that already starts with an apostrophe is guarded too, so that the import can remove
 * exactly the one apostrophe the export added (unguard) and `'=x` survives the round trip.
 */
const needsGuard = (text: string) => /^['=+\-@\t\r]/.test(text) && !/^[+-][\d\s().]*$/.test(text)

/** Undoes the export's formula guard: removes a leading apostrophe only where the export put one. */
export const unguard = (text: string) =>
  text.startsWith("'") && needsGuard(text.slice(1)) ? text.slice(1) : text

function cell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text: string
  if (value instanceof Date) text = value.toISOString()
  else if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) text = value.join(';')
  else if (typeof value === 'object') text = JSON.stringify(value)
  else text = String(value)
  if (typeof value === 'string' && needsGuard(text)) text = `'${text}`
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export const csvLine = (values: unknown[]) => `${values.map(cell).join(',')}\r\n`
