import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'

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
    valid_from: '2012-07-05',
    valid_to: null,
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

t.test('entries carry their validity period; as_of keeps those in force on that day', async (t) => {
  const levels = async (query = '') =>
    (await app.inject(`/v1/codelists/certificate_level${query}`)).json().entries as {
      code: string
      valid_from: string | null
      valid_to: string | null
    }[]
  const all = await levels()
  t.match(
    all.find((e) => e.code === 'district'),
    { valid_from: null, valid_to: '2025-06-30' },
  )
  t.same(
    (await levels('?as_of=2025-06-30')).map((e) => e.code),
    ['district', 'province', 'region', 'national'],
  )
  t.same(
    (await levels('?as_of=2025-07-01')).map((e) => e.code),
    ['province', 'region', 'national'],
  )
  const communeTypes = async (asOf: string) =>
    (await app.inject(`/v1/codelists/commune_type?as_of=${asOf}`))
      .json()
      .entries.map((e: { code: string }) => e.code)
  t.same(await communeTypes('2025-06-30'), ['xa', 'phuong'])
  t.same(await communeTypes('2025-07-01'), ['xa', 'phuong', 'dac_khu'])
  t.equal((await app.inject('/v1/codelists/activity_content?as_of=2012-07-04')).json().entries.length, 0)

  const bad = await app.inject('/v1/codelists/certificate_level?as_of=2025-13-01')
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ in: 'query', pointer: '/as_of' }] })
})

t.test('labels say what the law says, and each list cites only its source', async (t) => {
  const list = async (name: string) => (await app.inject(`/v1/codelists/${name}`)).json()
  const kinds = await list('establishment_kind')
  t.match(kinds.description, /Art\. 1\.2/)
  t.match(
    kinds.entries.find((e: { code: string }) => e.code === 'service_provider'),
    {
      label_vi:
        /quản lý, cung cấp dịch vụ khuyến công \(không phải cơ sở CNNT, không phải đối tượng thụ hưởng\)/,
    },
  )
  t.match((await list('selection_method')).entries[0], { code: 'selection', label_vi: 'Xét chọn' })
  const { items } = (await app.inject('/v1/codelists')).json()
  for (const l of items) t.notMatch(l.description ?? '', /235\/2025/, `${l.name} does not claim 235/2025`)
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
