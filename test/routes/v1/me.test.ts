// GET /v1/me: the caller as its token says, and what it may do.
import { SignJWT } from 'jose'
import t from 'tap'
import { DEVELOPMENT_JWT_SECRET } from '../../../src/config.ts'
import { buildTestApp } from '../../helpers/app.ts'

const { app } = await buildTestApp(t)

const token = (claims: Record<string, unknown>, sub: string) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer('khuyen-cong-dev')
    .setAudience('khuyen-cong-api')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET))

const me = async (claims: Record<string, unknown>, sub = 'someone') =>
  app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${await token(claims, sub)}` } })

t.test('a ministry token that may write', async (t) => {
  const res = await me({ role: 'ministry', scope: 'read write' }, 'ctdp-officer')
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    sub: 'ctdp-officer',
    role: 'ministry',
    province: null,
    scopes: ['read', 'write'],
    permissions: {
      read_all_provinces: true,
      read_own_province: false,
      write_own_province: false,
      write_national: true,
    },
  })
})

t.test('a read-only ministry integration; a province claim on a ministry token is ignored', async (t) => {
  const res = await me({ role: 'ministry', province: '01', scope: 'read' }, 'integration')
  t.same(res.json(), {
    sub: 'integration',
    role: 'ministry',
    province: null,
    scopes: ['read'],
    permissions: {
      read_all_provinces: true,
      read_own_province: false,
      write_own_province: false,
      write_national: false,
    },
  })
})

t.test('a province token that may write', async (t) => {
  const res = await me({ role: 'province', province: '08', scope: 'read write' }, 'doit-08')
  t.same(res.json(), {
    sub: 'doit-08',
    role: 'province',
    province: '08',
    scopes: ['read', 'write'],
    permissions: {
      read_all_provinces: false,
      read_own_province: true,
      write_own_province: true,
      write_national: false,
    },
  })
})

t.test('a read-only province token; repeated and extra scopes', async (t) => {
  const res = await me({ role: 'province', province: '01', scope: 'read  read profile' })
  t.match(res.json(), {
    role: 'province',
    province: '01',
    scopes: ['read', 'profile'],
    permissions: { read_own_province: true, write_own_province: false },
  })
})

t.test('no token → 401; a token without read or write → 403', async (t) => {
  t.equal((await app.inject('/v1/me')).statusCode, 401)
  t.equal((await me({ role: 'province', province: '01', scope: 'profile' })).statusCode, 403)
})

t.test('the contract documents it', async (t) => {
  const op = (await app.inject('/openapi.json')).json().paths['/v1/me'].get
  t.match(op, { operationId: 'getMe', tags: ['identity'], security: [{ bearerAuth: [] }] })
  t.ok(op.responses['200'] && op.responses['401'] && op.responses['403'])
})
