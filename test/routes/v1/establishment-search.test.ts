// Name search (GET /v1/establishments?q=): matching, the exact ranking, and tenancy — the matches
// come from kc_establishment_search(), a SECURITY DEFINER function that bypasses row-level
// security to use the trigram index and applies the caller's scope itself.
import { sql } from 'kysely'
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { cast } from '../../helpers/tokens.ts'

const { app, database } = await buildTestApp(t)
const as = await cast()

const create = async (headers: Record<string, string>, name: string, commune_code = '00694') => {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/establishments',
    headers,
    payload: { commune_code, name, kind: 'household_business' },
  })
  if (res.statusCode !== 201) throw new Error(`create ${name}: ${res.body}`)
  return res.json().id as string
}
const search = (headers: Record<string, string>, q: string, extra = '') =>
  app.inject({ url: `/v1/establishments?q=${encodeURIComponent(q)}${extra}`, headers })
const names = (res: { json(): { items: { name: string }[] } }) => res.json().items.map((e) => e.name)

// Province 08's lacquer workshops, one per rank tier for q = "son mai", and a name twice (a tie).
const twins = [await create(as.officer08, 'Sơn mài'), await create(as.officer08, 'Sơn mài')].sort()
await create(as.officer08, 'Hợp tác xã sơn mài Hạ Thái Duyên Thái')
await create(as.officer08, 'Xưởng sơn mài Hạ Thái')
await create(as.officer08, 'Cơ sở Sơn Maison')
await create(as.officer08, 'Công ty Lamson Mai')
await create(as.officer08, 'Mài đá Sơn Tây')
await create(as.officer08, 'Sơn Tây') // one word only: no match
// The same trade in province 01 (Hà Nội).
const hanoi = await create(as.officer01, 'Sơn mài Hà Nội', '00004')

t.test(
  'best first: the whole name, the phrase as words, at a word start, inside a word, words apart',
  async (t) => {
    const res = await search(as.officer08, 'son mai')
    t.equal(res.statusCode, 200, res.body)
    t.same(names(res), [
      'Sơn mài', // the whole name (a tie: by id)
      'Sơn mài',
      'Xưởng sơn mài Hạ Thái', // the phrase as whole words; the shorter name first
      'Hợp tác xã sơn mài Hạ Thái Duyên Thái',
      'Cơ sở Sơn Maison', // the phrase at the start of a word
      'Công ty Lamson Mai', // the phrase inside a word
      'Mài đá Sơn Tây', // both words, apart
    ])
    const ids: string[] = res.json().items.map((e: { id: string }) => e.id)
    t.same(ids.slice(0, 2), twins, 'ties in id order')
    t.equal(res.json().next_cursor, null)
  },
)

t.test('every word must occur, in any order, partial words included', async (t) => {
  t.same(names(await search(as.officer08, 'tay son')), ['Sơn Tây', 'Mài đá Sơn Tây'])
  t.same(names(await search(as.officer08, 'MAI  DA   son')), ['Mài đá Sơn Tây'])
  t.same(names(await search(as.officer08, 'ha thai')), [
    'Xưởng sơn mài Hạ Thái',
    'Hợp tác xã sơn mài Hạ Thái Duyên Thái',
  ])
  t.same(names(await search(as.officer08, 'lamso')), ['Công ty Lamson Mai'])
  t.same(names(await search(as.officer08, 'Hạ Thái'.normalize('NFD'))).length, 2, 'NFD input')
  t.same(names(await search(as.officer08, 'son mai nowhere')), [], 'a word that occurs nowhere')
  t.same(names(await search(as.officer08, '100%')), [], 'LIKE wildcards are literal')
  t.same(names(await search(as.officer08, 'son mai', '&limit=3')).length, 3)
  t.same(
    names(await search(as.officer08, 'son mai', '&commune_code=00691')),
    [],
    'the other filters still apply',
  )
})

t.test('a province never finds another province’s rows, although the function bypasses RLS', async (t) => {
  t.notOk(names(await search(as.officer08, 'son mai ha noi')).length, 'province 08: nothing of 01')
  t.notOk(names(await search(as.officer08, 'son mai')).includes('Sơn mài Hà Nội'))
  t.same(names(await search(as.officer01, 'son mai')), ['Sơn mài Hà Nội'], 'province 01: its own only')
  const national = names(await search(as.ministry, 'son mai'))
  t.equal(national.length, 8, 'the ministry: every province')
  t.ok(national.includes('Sơn mài Hà Nội'))
})

t.test('the function itself applies the scope of the transaction', async (t) => {
  // As the service calls it: role kc_app, with the settings withTenant() makes (or none).
  const matches = (role: string, province: string) =>
    database.db.transaction().execute(async (trx) => {
      await sql`select set_config('role', 'kc_app', true), set_config('kc.role', ${role}, true),
        set_config('kc.province', ${province}, true)`.execute(trx)
      const { rows } = await sql<{ establishment_id: string }>`
        select establishment_id from kc_establishment_search('son mai')`.execute(trx)
      return rows.map((r) => r.establishment_id)
    })
  t.same(await matches('', ''), [], 'no role: nothing')
  t.same(await matches('province', ''), [], 'a province role without a province: nothing')
  t.notOk((await matches('province', '08')).includes(hanoi), 'province 08: not 01’s row')
  t.same(await matches('province', '01'), [hanoi])
  t.equal((await matches('ministry', '')).length, 8)
})
