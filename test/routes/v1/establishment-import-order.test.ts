// A row of an import sees the effect of every earlier row of the file, whether that row is in its
// batch or in an earlier one: the same rows give the same report and the same data wherever the
// batches split (PGlite and PostgreSQL use different batch sizes). Each case is imported twice,
// under keys of its own: (a) its rows together, in one batch; (b) with a batch of filler rows
// between each group of rows, so that each group falls in a batch of its own.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { sql } from 'kysely'
import t from 'tap'
import { type Scope, withTenant } from '../../../src/db/tenancy.ts'
import { Importer } from '../../../src/routes/v1/establishments/imports/importer.ts'
import { transactionTime } from '../../../src/routes/v1/establishments/imports/repository.ts'
import { BATCH } from '../../../src/routes/v1/establishments/imports/run.ts'
import { communesOf, originsOf } from '../../../src/routes/v1/establishments/repository.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()
const FILLERS = BATCH[app.database.kind]

type Row = Record<string, unknown>
interface Report {
  created: number
  updated: number
  unchanged: number
  failed: number
  errors: { row: number; column: string | null; message: string }[]
}

const importRows = async (rows: Row[], query: string) => {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/establishments/imports${query}`,
    headers: as.officer08,
    payload: rows,
  })
  const { created, updated, unchanged, failed, errors } = res.json()
  return { status: res.statusCode, report: { created, updated, unchanged, failed, errors } as Report }
}

/** The keys of one case in one variant: tax codes, external ids and names of their own. */
const keysOf = (variant: number, scenario: number) => {
  // Ended by a letter: a search for one tag does not find another that starts with it (S1, S12).
  const tag = `V${variant}S${scenario}Z`
  return {
    tag,
    tax: (n: number) => `7${variant}${String(scenario).padStart(3, '0')}${String(n).padStart(5, '0')}`,
    ext: (n: number) => `${tag}-X${n}`,
    name: (n: number) => `${tag} cơ sở ${n}`,
    /** A new establishment's cells. */
    make: (n: number, more: Row = {}) => ({
      commune_code: '00691',
      name: `${tag} cơ sở ${n}`,
      kind: 'sme',
      ...more,
    }),
    ids: new Map<string, string>(),
  }
}
type Keys = ReturnType<typeof keysOf>

/** The case's establishments as stored, its keys made the variant's own. */
async function storedOf(k: Keys) {
  const res = await app.inject({ url: `/v1/establishments?q=${k.tag}&limit=500`, headers: as.officer08 })
  const items = res.json().items as Row[]
  k.ids = new Map(items.map((e) => [e.external_id as string, e.id as string]))
  return items
    .map(({ name, tax_code, status, external_id, commune_code, kind, employees }) =>
      JSON.stringify({ name, tax_code, status, external_id, commune_code, kind, employees })
        .replaceAll(k.tag, 'TAG')
        .replace(/"7\d(\d{8})"/, '"7_$1"'),
    )
    .sort()
}

const filler = (i: number) => ({ commune_code: '00694', name: `Hàng đệm ${i}`, kind: 'household_business' })

/**
 * The file of a variant: its groups of rows together (a), or a batch of fillers between each two
 * (b); and where each of its rows came from (null: a filler).
 */
function fileOf(groups: Row[][], apart: boolean) {
  const rows: Row[] = []
  const origin: (number | null)[] = []
  let n = 0
  groups.forEach((group, g) => {
    if (apart && g > 0) {
      for (let i = 0; i < FILLERS; i++) {
        rows.push(filler(i))
        origin.push(null)
      }
    }
    for (const row of group) {
      rows.push(row)
      origin.push(++n)
    }
  })
  return { rows, origin, fillers: origin.filter((o) => o === null).length }
}

/** A variant's report as the rows of the case number it: fillers taken out. */
const unfilled = (report: Report, origin: (number | null)[], fillers: number): Report => ({
  ...report,
  created: report.created - fillers,
  errors: report.errors.map((e) => ({
    ...e,
    row: origin[e.row - 1] as number,
    message: e.message.replace(/row (\d+)$/, (_, n) => `row ${origin[Number(n) - 1]}`),
  })),
})

interface Case {
  name: string
  /** Stored before the import (keys and ids the rows name). */
  seed?: (k: Keys) => Row[]
  groups: (k: Keys) => Row[][]
  /** The report of an import that writes the good rows (`atomic=false`). */
  report: Report
  /** The report of an all-or-nothing import, when it differs (a row after the first failure). */
  atomic?: Report
}

let scenario = 0

/**
 * Imports a case in both variants, each under keys of its own: as a dry run (all-or-nothing), then
 * writing the good rows (`atomic=false`); its reports and stored data, as the case numbers its rows.
 */
async function bothWays(c: Pick<Case, 'seed' | 'groups'>) {
  const s = ++scenario
  const results = []
  for (const apart of [false, true]) {
    const k = keysOf(apart ? 2 : 1, s)
    if (c.seed) {
      const seeded = await importRows(c.seed(k), '')
      assert.equal(seeded.status, 200, JSON.stringify(seeded.report))
      await storedOf(k)
    }
    const { rows, origin, fillers } = fileOf(c.groups(k), apart)
    const dry = await importRows(rows, '?dry_run=true')
    const partial = await importRows(rows, '?atomic=false')
    assert.equal(partial.status, 200, JSON.stringify(partial.report))
    results.push({
      atomic: unfilled(dry.report, origin, fillers),
      partial: unfilled(partial.report, origin, fillers),
      stored: await storedOf(k),
    })
  }
  return results as [(typeof results)[0], (typeof results)[0]]
}

function check(c: Case) {
  t.test(c.name, async (t) => {
    const [together, apart] = await bothWays(c)
    t.same(together.partial, c.report, 'the report, rows together')
    t.same(together.atomic, c.atomic ?? c.report, 'all-or-nothing (dry run), rows together')
    t.same(apart.partial, together.partial, 'the same report, rows in batches apart')
    t.same(apart.atomic, together.atomic, 'the same all-or-nothing report, rows in batches apart')
    t.same(apart.stored, together.stored, 'the same data, rows in batches apart')
  })
}

const none = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] }
/** A row that fails its own check, and its error. */
const bad = (k: Keys, n: number) => k.make(n, { commune_code: '99999' })
const badError = (row: number) => ({
  row,
  column: 'commune_code',
  message: 'must be a commune of province 08',
})
const sameAs = (row: number, first: number) => ({
  row,
  column: null,
  message: `is the same establishment as row ${first}`,
})

check({
  name: 'a row with the tax code of an establishment an earlier row created finds it',
  groups: (k) => [[k.make(1, { tax_code: k.tax(1) })], [k.make(2, { tax_code: k.tax(1), status: 'closed' })]],
  report: {
    ...none,
    created: 1,
    failed: 1,
    errors: [sameAs(2, 1)],
  },
})

check({
  name: 'an establishment an earlier row made active with a tax code is found by it',
  seed: (k) => [
    k.make(1, { external_id: k.ext(1), tax_code: k.tax(1), status: 'closed' }),
    k.make(2, { external_id: k.ext(2) }),
  ],
  groups: (k) => [
    [
      { external_id: k.ext(1), status: 'active' }, // reopened: now the active one with tax(1)
      { external_id: k.ext(2), tax_code: k.tax(2) }, // given tax(2)
    ],
    [
      k.make(3, { tax_code: k.tax(1), status: 'closed' }),
      k.make(4, { tax_code: k.tax(2), status: 'closed' }),
    ],
  ],
  report: {
    ...none,
    updated: 2,
    failed: 2,
    errors: [sameAs(3, 1), sameAs(4, 2)],
  },
})

check({
  name: 'a tax code an earlier row closed or changed is free: found no more, taken no more',
  seed: (k) => [
    k.make(1, { external_id: k.ext(1), tax_code: k.tax(1) }),
    k.make(2, { external_id: k.ext(2), tax_code: k.tax(2) }),
    k.make(3, { external_id: k.ext(3) }),
  ],
  groups: (k) => [
    [
      { external_id: k.ext(1), status: 'closed' },
      { external_id: k.ext(2), tax_code: k.tax(20) },
    ],
    [
      k.make(4, { tax_code: k.tax(1) }), // a new establishment with the closed one's code
      { external_id: k.ext(3), tax_code: k.tax(2), employees: 7 }, // another takes the changed code
    ],
  ],
  report: { ...none, created: 1, updated: 3 },
})

check({
  name: 'an external id of one establishment with the tax code of another an earlier row created',
  seed: (k) => [k.make(1, { external_id: k.ext(1) })],
  groups: (k) => [[k.make(2, { tax_code: k.tax(1) })], [{ external_id: k.ext(1), tax_code: k.tax(1) }]],
  report: {
    ...none,
    created: 1,
    failed: 1,
    errors: [{ row: 2, column: 'external_id', message: 'belongs to another establishment of this province' }],
  },
})

check({
  name: 'an external id an earlier row changed is free; the new one is that row’s',
  seed: (k) => [k.make(1, { external_id: k.ext(1) }), k.make(2, { external_id: k.ext(2) })],
  groups: (k) => [
    [
      { id: k.ids.get(k.ext(1)), external_id: k.ext(10) },
      { id: k.ids.get(k.ext(2)), external_id: k.ext(20) },
    ],
    [
      k.make(3, { external_id: k.ext(1) }), // created with the freed external id
      { external_id: k.ext(2), employees: 3 }, // freed too: a new establishment, so its columns are required
      { external_id: k.ext(10), employees: 5 }, // row 1's
    ],
  ],
  report: {
    ...none,
    created: 1,
    updated: 2,
    failed: 2,
    errors: [
      { row: 4, column: 'commune_code', message: 'is required' },
      { row: 5, column: 'external_id', message: 'is also on row 1' },
    ],
  },
})

check({
  name: 'a row without a tax code that finds an earlier row’s establishment is told so, not of the code',
  seed: (k) => [k.make(1, { external_id: k.ext(1), tax_code: k.tax(1) })],
  groups: (k) => [
    [{ id: k.ids.get(k.ext(1)), employees: 7 }], // names it by id only
    [{ external_id: k.ext(1), employees: 9 }], // finds it by external id; keeps tax(1)
  ],
  report: { ...none, updated: 1, failed: 1, errors: [sameAs(2, 1)] },
})

check({
  name: 'all-or-nothing: the rows after the first failure see the rows before it',
  groups: (k) => [
    [k.make(1, { tax_code: k.tax(1) })],
    [bad(k, 2)],
    [k.make(3, { tax_code: k.tax(1), status: 'closed' })],
  ],
  report: { ...none, created: 1, failed: 2, errors: [badError(2), sameAs(3, 1)] },
})

check({
  name: 'all-or-nothing: the rows after the first failure do not see each other’s writes',
  groups: (k) => [
    [bad(k, 1)],
    [k.make(2, { tax_code: k.tax(1) })],
    [k.make(3, { tax_code: k.tax(1), status: 'closed' })],
  ],
  report: { ...none, created: 1, failed: 2, errors: [badError(1), sameAs(3, 2)] },
  // Nothing after row 1 is written: row 3 finds no establishment with the tax code, and creates one.
  atomic: { ...none, created: 2, failed: 1, errors: [badError(1)] },
})

t.test(
  'a batch is written and audited in row order: an update frees the tax code a creation takes',
  async (t) => {
    const k = keysOf(3, 0)
    t.equal((await importRows([k.make(1, { external_id: k.ext(1), tax_code: k.tax(1) })], '')).status, 200)
    await storedOf(k)
    const rows = [
      k.make(2, { external_id: k.ext(2) }),
      { external_id: k.ext(1), status: 'closed' },
      k.make(3, { external_id: k.ext(3), tax_code: k.tax(1) }),
    ]
    const res = await importRows(rows, '')
    t.same(res, { status: 200, report: { ...none, created: 2, updated: 1 } })
    const stored = await storedOf(k)
    t.equal(stored.length, 3)
    const events = (
      await app.inject({ url: '/v1/audit-events?entity_type=establishment&limit=3', headers: as.officer08 })
    ).json().items as Record<string, unknown>[]
    t.same(
      events.map((e) => [e.action, e.entity_id]),
      [
        ['create', k.ids.get(k.ext(3))],
        ['update', k.ids.get(k.ext(1))],
        ['create', k.ids.get(k.ext(2))],
      ],
      'newest first: rows 3, 2, 1',
    )
  },
)

t.test('any rows over a few keys: the same reports and data, together or in batches apart', async (t) => {
  let files = 0
  // Three stored establishments (one closed with a tax code, one without) and rows over four tax
  // codes and external ids, naming them or not, some failing their checks, split in two anywhere.
  const spec = fc.record({
    id: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    ext: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    tax: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    status: fc.option(fc.constantFrom('active', 'closed'), { nil: undefined }),
    employees: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    full: fc.boolean(),
    bad: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), // one row in ten
  })
  type Spec = typeof spec extends fc.Arbitrary<infer R> ? R : never
  const rowOf = (k: Keys, r: Spec, n: number): Row => ({
    ...(r.full ? k.make(n) : {}),
    ...(r.id ? { id: k.ids.get(k.ext(r.id)) } : {}),
    ...(r.ext ? { external_id: k.ext(r.ext) } : {}),
    ...(r.tax ? { tax_code: k.tax(r.tax) } : {}),
    ...(r.status ? { status: r.status } : {}),
    ...(r.employees === undefined ? {} : { employees: r.employees }),
    ...(r.bad ? { commune_code: '99999' } : {}),
  })
  const file = fc
    .array(spec, { minLength: 2, maxLength: 8 })
    .chain((rows) => fc.tuple(fc.constant(rows), fc.integer({ min: 1, max: rows.length - 1 })))
  await fc.assert(
    fc.asyncProperty(file, async ([rows, cut]) => {
      const [together, apart] = await bothWays({
        seed: (k) => [
          k.make(2, { external_id: k.ext(2), tax_code: k.tax(1), status: 'closed' }),
          k.make(1, { external_id: k.ext(1), tax_code: k.tax(1) }),
          k.make(3, { external_id: k.ext(3) }),
        ],
        groups: (k) => {
          const all = rows.map((r, i) => rowOf(k, r, 10 + i))
          return [all.slice(0, cut), all.slice(cut)]
        },
      })
      assert.deepEqual(apart, together)
      files += 1
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 25), seed: 7, endOnFailure: true },
  )
  t.equal(files, Number(process.env.FUZZ_RUNS ?? 25), 'files imported both ways')
})

const officer08 = (): Scope => ({
  sub: 'officer-08',
  role: 'province',
  province: '08',
  requestId: randomUUID(),
})

/**
 * Rows through the importer itself, in batches of one row: taken `all at once` (every batch read
 * before any is decided) or `one by one` (each taken once the one before it is decided).
 */
const importDirectly = (rows: Row[], how: 'all at once' | 'one by one') =>
  withTenant(app.db, officer08(), async (trx) => {
    const [communes, origins, now] = [
      await communesOf(trx, '08'),
      await originsOf(trx, '08'),
      await transactionTime(trx),
    ]
    const importer = new Importer(trx, '08', communes, origins, now, {
      dryRun: false,
      atomic: false,
      batch: 1,
    })
    const add = (record: Row, i: number) => importer.add({ row: i + 1, record })
    if (how === 'all at once') await Promise.all(rows.map(add))
    else for (const [i, record] of rows.entries()) await add(record, i)
    return importer.finish()
  })

t.test('a batch read before the batch before it was written sees its writes, replayed', async (t) => {
  // Batches of one row, all taken at once: every batch's reads are sent before any batch is
  // decided, so none of them shows the database what the rows before it write.
  const k = keysOf(3, ++scenario)
  const seeded = await importRows([k.make(1, { external_id: k.ext(1), tax_code: k.tax(1) })], '')
  t.equal(seeded.status, 200)
  await storedOf(k)
  const rows = [
    { id: k.ids.get(k.ext(1)), tax_code: k.tax(2) }, // frees tax code 1
    k.make(2, { external_id: k.ext(2), tax_code: k.tax(1) }), // takes it
    k.make(3, { tax_code: k.tax(3) }),
    k.make(4, { tax_code: k.tax(3) }), // row 4's code
    { external_id: k.ext(2), employees: 5 }, // row 2's establishment
  ]
  const report = await importDirectly(rows, 'all at once')
  t.match(report, {
    created: 2,
    updated: 1,
    failed: 2,
    errors: [
      { row: 4, column: 'tax_code', message: 'is also on row 3' },
      { row: 5, column: 'external_id', message: 'is also on row 2' },
    ],
  })
  const stored = await storedOf(k)
  t.equal(stored.length, 3, 'the stored one and rows 2 and 3')
  t.equal(
    (await app.inject({ url: `/v1/establishments/${k.ids.get(k.ext(1))}`, headers: as.officer08 })).json()
      .tax_code,
    k.tax(2),
  )
  const taker = await app.inject({ url: `/v1/establishments/${k.ids.get(k.ext(2))}`, headers: as.officer08 })
  t.match(taker.json(), { tax_code: k.tax(1), status: 'active', employees: null })
})

t.test('a batch read after a write that failed reports the write’s failure, not its own', async (t) => {
  // The fault: the database refuses row 1 as a duplicate (a trigger, as the owner). Taken one by
  // one, row 3's reads are sent after row 1's insert, in the transaction it aborted.
  await sql`create function kc_test_refuse() returns trigger language plpgsql as $$
    begin
      if new.name like '%refused' then raise unique_violation using message = 'refused by the test'; end if;
      return new;
    end $$;
    create trigger kc_test_refuse before insert on establishments
      for each row execute function kc_test_refuse()`.execute(database.db)
  t.teardown(() =>
    sql`drop trigger kc_test_refuse on establishments; drop function kc_test_refuse()`.execute(database.db),
  )
  const k = keysOf(4, ++scenario)
  const rows = [
    k.make(1, { name: `${k.tag} refused` }),
    k.make(2, { tax_code: k.tax(2) }),
    k.make(3, { tax_code: k.tax(3) }),
  ]
  const failure = await importDirectly(rows, 'one by one').then(
    () => undefined,
    (error: { code?: string; message?: string }) => error,
  )
  t.match(failure, { code: '23505', message: 'refused by the test' })
  t.same(await storedOf(k), [], 'nothing kept')
})
