// The response serializer gets nullable scalars as type lists (src/lib/serializer.ts). What it
// writes must not change: every field below, compiled from the contract's schema and from the
// rewritten one, writes the same JSON for null, for a value and for a Date. fast-json-stringify
// tests null first only by the order it sorts a type list in, so an upgrade that changed it (and
// wrote "" or 0 for a null) fails here.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import t from 'tap'
import { Type } from 'typebox'
import { CodeOf } from '../src/lib/codelists.ts'
import { Id, IsoDate, Nullable, versionFields } from '../src/lib/schemas.ts'
import { nullableAsTypeLists, withNullableTypeLists } from '../src/lib/serializer.ts'

const Row = Type.Object({
  text: Nullable(Type.String({ maxLength: 10 }), 'text'),
  date: Nullable(IsoDate('date'), 'date'),
  time: Nullable(Type.String({ format: 'date-time' }), 'time'),
  id: Nullable(Id('id'), 'id'),
  count: Nullable(Type.Integer(), 'count'),
  amount: Nullable(Type.Number(), 'amount'),
  flag: Nullable(Type.Boolean(), 'flag'),
  kind: Nullable(CodeOf('legal_document_kind', 'kind'), 'kind'),
  only: Nullable(Type.Literal('x'), 'only'),
  nested: Nullable(
    Type.Object({ inner: Nullable(CodeOf('legal_document_kind', 'kind'), 'inner') }),
    'nested',
  ),
  ...versionFields,
})

const route = { method: 'GET', url: '/x', httpStatus: '200', schema: Row }
const original = SerializerSelector()({})(route)
const rewritten = withNullableTypeLists(SerializerSelector())({})(route)

const nulls = Object.fromEntries(Object.keys(Row.properties).map((key) => [key, null]))
const values = {
  ...nulls,
  text: 'chữ',
  date: '2026-07-01',
  time: '2026-07-01T08:00:00.000Z',
  id: '67b93323-a5ed-457f-9747-8669915cea3a',
  count: 3,
  amount: 2.5,
  flag: false,
  kind: 'plan',
  only: 'x',
  nested: { inner: null },
  version: 1,
  created_at: '2026-07-01T08:00:00.000Z',
  updated_at: '2026-07-01T08:00:00.000Z',
}
const dates = { ...values, date: new Date('2026-07-01T00:00:00Z'), time: new Date('2026-07-01T08:00:00Z') }

t.test('the rewritten schemas write what the contract’s write', async (t) => {
  for (const [name, row] of Object.entries({ nulls, values, dates })) {
    t.equal(rewritten(row), original(row), name)
  }
  t.match(JSON.parse(rewritten(nulls)), { text: null, count: null, flag: null, kind: null, only: null })
  t.match(JSON.parse(rewritten(values)), { count: 3, flag: false, nested: { inner: null } })
})

t.test('only nullable scalars are rewritten; the schema given is left as it was', async (t) => {
  const before = JSON.stringify(Row)
  const copy = nullableAsTypeLists(Row) as unknown as { properties: Record<string, Record<string, unknown>> }
  t.equal(JSON.stringify(Row), before)
  t.same(copy.properties.count?.type, ['integer', 'null'])
  t.same((copy.properties.kind?.enum as unknown[] | undefined)?.at(-1), null)
  t.same(copy.properties.only?.enum, ['x', null])
  t.ok(copy.properties.nested?.anyOf, 'an object or null keeps its union')
})
