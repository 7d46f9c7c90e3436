// File names in Content-Disposition (RFC 6266), both ways: `filename*=UTF-8''…` (RFC 8187)
// carries a Vietnamese name exactly; `filename="…"` is the ASCII fallback for old clients.
import type { Localized } from './problems.ts'

/** RFC 8187 attr-char: everything else is percent-encoded. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/

const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b)
      return b < 0x80 && ATTR_CHAR.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')

/** The name without diacritics (đ → d), other characters as `_`: for `filename="…"`. */
const asciiFallback = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_')

/** `attachment; filename="…"; filename*=UTF-8''…` for a download of `name`. */
export const contentDisposition = (name: string) =>
  `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encode(name)}`

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The parameters of a header value `type; a=b; c="d"` (names lower-cased), or undefined if malformed. */
function parameters(header: string): Map<string, string> | undefined {
  const out = new Map<string, string>()
  const param = /;\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)\s*/y
  const type = /^\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+\s*/.exec(header)
  if (!type) return undefined
  param.lastIndex = type[0].length
  while (param.lastIndex < header.length) {
    const m = param.exec(header)
    if (!m?.[1] || m[2] === undefined) return undefined
    const value = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2]
    out.set(m[1].toLowerCase(), value)
  }
  return out
}

/** RFC 8187 ext-value `UTF-8''pct-encoded` (the language ignored), or undefined. */
function extValue(value: string): string | undefined {
  const m = /^([^']*)'[^']*'(.*)$/.exec(value)
  if (m?.[1]?.toLowerCase() !== 'utf-8' || m[2] === undefined) return undefined
  const bytes: number[] = []
  // Lenient in what is read: encodeURIComponent() leaves ' ( ) * ! as they are.
  for (let i = 0; i < m[2].length; i++) {
    const c = m[2][i] as string
    if (c === '%') {
      const hex = m[2].slice(i + 1, i + 3)
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else if (/[\x21-\x7e]/.test(c) && !'"\\;,'.includes(c)) bytes.push(c.charCodeAt(0))
    else return undefined
  }
  try {
    return utf8.decode(new Uint8Array(bytes))
  } catch {
    return undefined
  }
}

/**
 * The file name a request's Content-Disposition gives: `filename*` (UTF-8) first, else an ASCII
 * `filename`. A string saying what is wrong when there is none usable.
 */
export function filenameOf(header: string | undefined): { name: string } | { error: Localized } {
  if (!header)
    return {
      error: {
        vi: "là bắt buộc: attachment; filename*=UTF-8''<tên tệp, mã hóa phần trăm>",
        en: "is required: attachment; filename*=UTF-8''<the file's name, percent-encoded>",
      },
    }
  const params = parameters(header)
  if (!params) {
    return {
      error: {
        vi: 'không phải là Content-Disposition hợp lệ (RFC 6266)',
        en: 'is not a valid Content-Disposition (RFC 6266)',
      },
    }
  }
  const extended = params.get('filename*')
  let name: string | undefined
  if (extended !== undefined) {
    name = extValue(extended)
    if (name === undefined) {
      return {
        error: {
          vi: "có filename* không ở dạng UTF-8''<UTF-8 mã hóa phần trăm>",
          en: "has a filename* that is not UTF-8''<percent-encoded UTF-8>",
        },
      }
    }
  } else {
    name = params.get('filename')
    if (name !== undefined && !/^[\x20-\x7e]*$/.test(name)) {
      return {
        error: {
          vi: "có filename chứa ký tự ngoài ASCII: hãy gửi dưới dạng filename*=UTF-8''<mã hóa phần trăm>",
          en: "has a non-ASCII filename: send it as filename*=UTF-8''<percent-encoded>",
        },
      }
    }
  }
  if (!name) {
    return {
      error: {
        vi: "không nêu tên tệp: hãy gửi filename*=UTF-8''<tên tệp, mã hóa phần trăm>",
        en: "names no file: send filename*=UTF-8''<the file's name, percent-encoded>",
      },
    }
  }
  // Text is kept in NFC (BRIEF): a name typed on macOS (NFD) is the same name.
  return checkName(name.normalize('NFC'))
}

/** A file name as kept: 1–255 characters, no control characters, no path. */
export function checkName(name: string): { name: string } | { error: Localized } {
  if ([...name].length > 255) {
    return { error: { vi: 'có tên tệp dài quá 255 ký tự', en: 'has a file name longer than 255 characters' } }
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u001f\u007f/\\]/.test(name)) {
    return {
      error: {
        vi: 'có tên tệp chứa ký tự điều khiển hoặc dấu phân cách đường dẫn',
        en: 'has a file name with a control character or a path separator',
      },
    }
  }
  if (name.trim() === '' || name === '.' || name === '..') {
    return { error: { vi: 'có tên tệp rỗng', en: 'has an empty file name' } }
  }
  return { name }
}
