// A JSON array read item by item from a byte stream, so that a large upload is never held whole.
// This only finds where each item starts and ends (outside strings, at depth 0: a `,` or the
// closing `]`) and checks what lies between items; each item's bytes are then parsed by the
// caller with JSON.parse (exact, and iterative in V8: deep nesting cannot overflow the stack). The
// whole is valid JSON exactly when every item is and the text around them is `[`, `,`, `]` and
// whitespace (RFC 8259), so nothing malformed passes.

export class JsonArrayError extends Error {
  /** The index of the item at fault, or null for the array itself. */
  readonly index: number | null
  constructor(index: number | null, message: string) {
    super(message)
    this.index = index
  }
}

/**
 * start: before the `[` (a UTF-8 BOM and whitespace allowed); first: after the `[` (an item or
 * `]`); item: after a `,` (an item); in: inside an item; end: after the `]` (whitespace only).
 */
type State = 'start' | 'first' | 'item' | 'in' | 'end'

const BOM = [0xef, 0xbb, 0xbf]
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09

/** The items of the JSON array in `chunks`, each as its bytes (at most `maxItem` of them). */
export async function* jsonArrayItems(
  chunks: AsyncIterable<Uint8Array>,
  maxItem: number,
): AsyncGenerator<Buffer> {
  let state = 'start' as State
  let offset = 0 // bytes read before the current chunk
  let bom = 0 // BOM bytes seen at the start
  let depth = 0
  let inString = false
  let escaped = false
  let index = 0
  let parts: Uint8Array[] = []
  let size = 0
  const keep = (part: Uint8Array) => {
    size += part.length
    if (size > maxItem) throw new JsonArrayError(index, `is longer than ${maxItem} bytes`)
    parts.push(part)
  }
  const take = () => {
    const item = Buffer.concat(parts)
    parts = []
    size = 0
    index += 1
    return item
  }
  for await (const chunk of chunks) {
    let start = 0 // where the current item starts in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number
      switch (state) {
        case 'start':
          if (bom < 3 && offset + i === bom && b === BOM[bom]) bom++
          else if (bom === 1 || bom === 2) throw new JsonArrayError(null, 'must be a JSON array')
          else if (b === 0x5b) state = 'first'
          else if (!isSpace(b)) throw new JsonArrayError(null, 'must be a JSON array')
          break
        case 'first':
        case 'item':
          if (isSpace(b)) break
          if (b === 0x5d && state === 'first') {
            state = 'end'
            break
          }
          state = 'in'
          start = i
          i-- // read this byte again as part of the item
          break
        case 'in':
          if (inString) {
            if (escaped) escaped = false
            else if (b === 0x5c) escaped = true
            else if (b === 0x22) inString = false
          } else if (b === 0x22) inString = true
          else if (b === 0x7b || b === 0x5b) depth++
          else if ((b === 0x7d || b === 0x5d) && depth > 0) depth--
          else if (depth === 0 && (b === 0x2c || b === 0x5d)) {
            keep(chunk.subarray(start, i))
            yield take()
            state = b === 0x2c ? 'item' : 'end'
          }
          break
        case 'end':
          if (!isSpace(b))
            throw new JsonArrayError(null, 'is not valid JSON: there is text after the closing "]"')
      }
    }
    if (state === 'in') keep(chunk.subarray(start))
    offset += chunk.length
  }
  if (state === 'start') throw new JsonArrayError(null, 'must be a JSON array')
  if (state !== 'end') throw new JsonArrayError(null, 'is not valid JSON: it ends before the closing "]"')
}
