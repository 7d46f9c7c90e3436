// The seeded generator behind every figure of the demo dataset, so that every load is the same
// (the load-test generators in scripts/ use it too).

/** mulberry32: a small seeded generator, so every load is the same. */
export function generator(seed: number) {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    /** A number in [0, 1). */
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** Whole millions of VND between lo and hi million. */
    millions: (lo: number, hi: number) => (lo + Math.floor(next() * (hi - lo + 1))) * 1_000_000,
  }
}

export type Generator = ReturnType<typeof generator>
