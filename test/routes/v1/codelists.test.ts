import t from 'tap'
import { buildTestApp } from '../../helpers/app.js'

const { app } = await buildTestApp(t)

t.test('every code list of DOMAIN.md is published', async (t) => {
  const res = await app.inject('/v1/codelists')
  t.equal(res.statusCode, 200)
  const names = res.json().items.map((l: { name: string }) => l.name)
  for (const name of [
    'activity_content',
    'establishment_kind',
    'industry',
    'funding_source',
    'project_state',
    'certificate_level',
    'product_group',
    'unit_model',
    'project_type',
  ]) {
    t.ok(names.includes(name), name)
  }
  t.match(
    res.json().items.find((l: { name: string }) => l.name === 'activity_content'),
    { entry_count: 9 },
  )
})

t.test('a code list has code, Vietnamese and English labels', async (t) => {
  const res = await app.inject('/v1/codelists/activity_content')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.entries.length, 9)
  t.same(body.entries[0], {
    code: 'training',
    label_vi: 'Đào tạo nghề, truyền nghề',
    label_en: 'vocational training and craft transmission',
    parent_code: null,
  })
  const states = (await app.inject('/v1/codelists/project_state'))
    .json()
    .entries.map((e: { code: string }) => e.code)
  t.same(states, [
    'draft',
    'submitted',
    'appraised',
    'approved',
    'in_progress',
    'completed',
    'accepted',
    'settled',
    'returned',
    'rejected',
    'suspended',
    'cancelled',
  ])
})

t.test('every project type belongs to an activity content', async (t) => {
  const contents = new Set(
    (await app.inject('/v1/codelists/activity_content')).json().entries.map((e: { code: string }) => e.code),
  )
  const types = (await app.inject('/v1/codelists/project_type')).json().entries
  t.ok(types.length >= 20)
  for (const type of types) t.ok(contents.has(type.parent_code), type.code)
})

t.test('unknown and malformed names', async (t) => {
  t.equal((await app.inject('/v1/codelists/colours')).statusCode, 404)
  const bad = await app.inject('/v1/codelists/Bad-Name')
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ in: 'params', pointer: '/name' }] })
})
