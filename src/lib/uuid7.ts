// Time-ordered ids (UUID version 7, RFC 9562): 48 bits of Unix time in milliseconds, then random
// bits. Rows written together get neighbouring ids, so each index on the id takes them on the same
// few pages at its right edge instead of at random pages all over it: the bulk import's ids (issue
// #18). The time is when the row was decided, close to the created_at the API already shows.
import { randomUUID } from 'node:crypto'

let lastMs = -1
let timePart = ''

export function uuid7(now = Date.now()): string {
  if (now !== lastMs) {
    // 48 bits of milliseconds cover 1970 to the year 10889.
    if (!Number.isInteger(now) || now < 0 || now >= 2 ** 48) throw new RangeError(`uuid7: no time ${now}`)
    const time = now.toString(16).padStart(12, '0')
    timePart = `${time.slice(0, 8)}-${time.slice(8)}-7`
    lastMs = now
  }
  // A version 4 id's random bits after its version digit, variant 10 included.
  return timePart + randomUUID().slice(15)
}
