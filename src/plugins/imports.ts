// app.imports: the imports this instance runs. A bounded number of slots (IMPORT_CONCURRENCY, per
// instance: several instances each run their own), each held from before the upload is read until
// the import has ended, so that more uploads than that are refused before they cost anything.
// On close, running imports get the shutdown grace to finish; then every slot left is aborted (its
// upload cut, its import rolled back and marked interrupted) and close waits for them to let go,
// so that shutting down never hangs on an import.

import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import fp from 'fastify-plugin'

export class Slot {
  private readonly controller = new AbortController()
  /** True while the import holds its transaction (on PGlite, the only connection). */
  importing = false
  private done!: () => void
  readonly released = new Promise<void>((resolve) => {
    this.done = resolve
  })

  private readonly onRelease: (slot: Slot) => void
  constructor(onRelease: (slot: Slot) => void) {
    this.onRelease = onRelease
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  abort(reason: Error) {
    this.controller.abort(reason)
  }

  /** Idempotent: the first call frees the slot. */
  release() {
    this.importing = false
    this.onRelease(this)
    this.done()
  }
}

/** The reason an import stops when its server shuts down. */
export class ShuttingDown extends Error {
  constructor() {
    super('the server is shutting down')
  }
}

export class Imports {
  /** Names this process in the import records it writes (lease holder). */
  readonly instanceId = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`
  private readonly slots = new Set<Slot>()
  private closing = false

  readonly concurrency: number
  constructor(concurrency: number) {
    this.concurrency = concurrency
  }

  /** A free slot, or undefined when the instance already runs `concurrency` imports. */
  acquire(): Slot | undefined {
    if (this.closing || this.slots.size >= this.concurrency) return undefined
    const slot = new Slot((s) => this.slots.delete(s))
    this.slots.add(slot)
    return slot
  }

  /** Imports holding their transaction now. */
  get importing(): number {
    let n = 0
    for (const slot of this.slots) if (slot.importing) n++
    return n
  }

  /**
   * No new imports; those running get `graceMs` to finish (as in-flight requests do, see
   * server.ts), then the rest are aborted and waited for: they unwind within a row.
   */
  async close(graceMs: number) {
    this.closing = true
    const held = [...this.slots]
    const released = Promise.all(held.map((slot) => slot.released))
    let timer: NodeJS.Timeout | undefined
    await Promise.race([released, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))])
    clearTimeout(timer)
    for (const slot of held) slot.abort(new ShuttingDown())
    await released
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    imports: Imports
  }
}

export default fp(
  async (app) => {
    const imports = new Imports(app.config.imports.concurrency)
    app.decorate('imports', imports)
    // preClose runs before the server stops and the database closes: the aborted imports can
    // still roll back, mark their records and answer their clients.
    app.addHook('preClose', () => imports.close(app.config.shutdownGraceMs))
  },
  { name: 'imports' },
)
