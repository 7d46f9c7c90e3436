// The token tool (scripts/token.ts, `npm run token`), run as a user runs it: a former province's
// code is refused naming its successor, an unknown code is refused, and the token it signs for a
// current province — subject dev-province-NN by default — is one the server accepts.
import { spawnSync } from 'node:child_process'
import t from 'tap'
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config.ts'
import { buildTestApp } from './helpers/app.ts'

const tokenTool = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/token.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, JWT_SECRET: DEVELOPMENT_JWT_SECRET, JWT_ISSUERS: '' },
  })

t.test('a former province’s code is refused, naming its successor', async (t) => {
  const hàGiang = tokenTool('--role', 'province', '--province', '02')
  t.equal(hàGiang.status, 2)
  t.equal(hàGiang.stdout, '', 'no token is printed')
  t.match(hàGiang.stderr, /former province Hà Giang's code.*Tuyên Quang \(08\): use --province 08/)
  const bắcGiang = tokenTool('--role', 'province', '--province', '27')
  t.match(bắcGiang.stderr, /former province Bắc Ninh's code.*Bắc Ninh \(24\): use --province 24/)
})

t.test('a code that is no province’s is refused', async (t) => {
  const unknown = tokenTool('--role', 'province', '--province', '99')
  t.equal(unknown.status, 2)
  t.match(unknown.stderr, /--province 99 is no province's code/)
})

t.test('a current province’s token: sub dev-province-NN, accepted by the server', async (t) => {
  const signed = tokenTool('--role', 'province', '--province', '24')
  t.equal(signed.status, 0, signed.stderr)
  const { jwt } = loadConfig({ NODE_ENV: 'test', JWT_SECRET: DEVELOPMENT_JWT_SECRET })
  const { app } = await buildTestApp(t, { jwt })
  const me = await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${signed.stdout.trim()}` } })
  t.equal(me.statusCode, 200)
  t.match(me.json(), { sub: 'dev-province-24', role: 'province', province: '24' })
  const ministry = tokenTool('--role', 'ministry')
  const asMinistry = await app.inject({
    url: '/v1/me',
    headers: { authorization: `Bearer ${ministry.stdout.trim()}` },
  })
  t.match(asMinistry.json(), { sub: 'dev-ministry', role: 'ministry' })
})
