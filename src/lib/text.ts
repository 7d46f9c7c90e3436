// Vietnamese text arrives in NFC or NFD, with stray spaces; it is stored NFC and trimmed.
export const normalizeText = (value: string) => value.normalize('NFC').trim().replace(/\s+/g, ' ')

/**
 * A LIKE pattern for "contains", to compare with `kc_fold(column)`: the caller wraps the
 * pattern in kc_fold() in SQL, so folding lives in one place (the database function).
 */
export const containsPattern = (q: string) => `%${normalizeText(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** The text with its first letter in upper case, as a sentence starts. */
export const capitalize = (text: string) => text.charAt(0).toLocaleUpperCase('vi') + text.slice(1)
