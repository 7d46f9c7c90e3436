// What a batch's rows are matched against: the establishments their ids, tax codes and external
// ids name, as every earlier row of the file left them. The database shows a batch what earlier
// batches wrote, but for those whose writes were sent after its reads: these are replayed. This
// shows each row what the earlier rows of its own batch will write, exactly as the database will
// show it to the next batch, so that a file's report and data do not depend on where its batches
// split.
import type { EstablishmentRow } from '../repository.ts'

/** What matching reads of an establishment. */
export type Keys = Pick<EstablishmentRow, 'id' | 'status' | 'tax_code' | 'external_id'>

const activeTax = (e: Keys) => (e.status === 'active' ? e.tax_code : null)

export class Known {
  readonly byId = new Map<string, Keys>()
  /** The province's active establishments by tax code (a closed one's code is free). */
  readonly byTax = new Map<string, Keys>()
  readonly byExternal = new Map<string, Keys>()

  /**
   * `stored`: the province's establishments the batch's keys name; `taken`: of the tax codes the
   * batch may end with, those of an active establishment anywhere (another province's included).
   */
  readonly taken: Set<string>
  constructor(stored: Keys[], taken: Set<string>) {
    this.taken = taken
    for (const e of stored) this.put(e)
  }

  /** The rows' writes, in order: what a batch read before they were sent replays. */
  readonly writes: [before: Keys | undefined, after: Keys][] = []

  /** A row's write: `after` in place of `before` (none for a creation). */
  write(before: Keys | undefined, after: Keys) {
    this.writes.push([before, after])
    this.apply(before, after)
  }

  /**
   * Another batch's writes, in order. Over reads that saw some of them already, each key ends as the
   * last write left it, as it does in the database.
   */
  replay(writes: Known['writes']) {
    for (const [before, after] of writes) this.apply(before, after)
  }

  private apply(before: Keys | undefined, after: Keys) {
    if (before) this.remove(before)
    this.put(after)
  }

  private put(e: Keys) {
    this.byId.set(e.id, e)
    const tax = activeTax(e)
    if (tax) {
      this.byTax.set(tax, e)
      this.taken.add(tax)
    }
    if (e.external_id) this.byExternal.set(e.external_id, e)
  }

  /** An active tax code and an external id are each held by one establishment at most (unique indexes). */
  private remove(e: Keys) {
    this.byId.delete(e.id)
    const tax = activeTax(e)
    if (tax) {
      this.byTax.delete(tax)
      this.taken.delete(tax)
    }
    if (e.external_id) this.byExternal.delete(e.external_id)
  }
}
