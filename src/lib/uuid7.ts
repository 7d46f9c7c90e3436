// Time-ordered ids (UUID version 7, RFC 9562): 48 bits of Unix time in milliseconds, then random
// bits. Rows written together get neighbouring ids, so an index on the id takes them at its right
// edge (PostgreSQL's fast path for the rightmost leaf) instead of at random pages all over it: the
// bulk import's ids (issue #18). The time they carry is the created_at the record shows anyway.
import { randomUUID } from 'node:crypto'

let lastMs = -1
let timePart = ''

export function uuid7(now = Date.now()): string {
  if (now !== lastMs) {
    const time = now.toString(16).padStart(12, '0')
    timePart = `${time.slice(0, 8)}-${time.slice(8)}-7`
    lastMs = now
  }
  // A version 4 id's random bits after its version digit, variant 10 included.
  return timePart + randomUUID().slice(15)
}
