// A signed HS256 development token, printed alone on stdout:
//
//   npm run -s token -- --role province --province 08 --scope "read write"
//   TOKEN=$(npm run -s token -- --role ministry)
//
// Options: --role ministry|province (required), --province NN (required for province: a current
// province's code; a former one's is refused, naming its successor), --scope (default "read write"),
// --sub (default dev-ministry, dev-province-NN), --ttl (default 8h; 30m, 12h, 7d…). The issuer,
// audience and secret are the service's own: JWT_ISSUER / JWT_AUDIENCE / JWT_SECRET from the
// environment, else the development defaults — so the tokens work against `npm start` as it is.
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import { ConfigError, loadConfig } from '../src/config.ts'
import { provinceRefusal } from './token-provinces.ts'

const USAGE =
  'usage: npm run -s token -- --role ministry|province [--province NN] [--scope "read write"] ' +
  '[--sub ID] [--ttl 8h]\n'

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n${USAGE}`)
  process.exit(2)
}

let args: ReturnType<typeof parse>
function parse() {
  return parseArgs({
    options: {
      role: { type: 'string' },
      province: { type: 'string' },
      scope: { type: 'string', default: 'read write' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  })
}
try {
  args = parse()
} catch (error) {
  fail((error as Error).message)
}
const { role, province, scope, sub, ttl, help } = args.values
if (help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
if (role !== 'ministry' && role !== 'province') fail('--role must be ministry or province')
if (role === 'province' && !/^\d{2}$/.test(province ?? '')) fail('--province NN (two digits) is required')
const refusal = role === 'province' ? provinceRefusal(province as string) : undefined
if (refusal) fail(refusal)
if (role === 'ministry' && province !== undefined) fail('--province is for --role province only')
if (!/^\d+[smhd]$/.test(ttl)) fail('--ttl must look like 30m, 8h or 7d')

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (error) {
  if (error instanceof ConfigError) fail(error.message)
  throw error
}
// The issuer of JWT_ISSUER when it has a secret, else the first issuer that has one.
const issuers = config.jwt.issuers.filter((i) => i.key.kind === 'secret')
const issuer = issuers.find((i) => i.issuer === (process.env.JWT_ISSUER || 'khuyen-cong-dev')) ?? issuers[0]
if (issuer?.key.kind !== 'secret') {
  fail('no HS256 secret is configured (JWT_SECRET): this tool signs development tokens only')
}

const token = await new SignJWT({
  role,
  ...(role === 'province' ? { province } : {}),
  scope: scope.split(/\s+/).filter(Boolean).join(' '),
})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(sub ?? (role === 'province' ? `dev-province-${province}` : 'dev-ministry'))
  .setIssuer(issuer.issuer)
  .setAudience(issuer.audience)
  .setIssuedAt()
  .setExpirationTime(ttl)
  .sign(new TextEncoder().encode(issuer.key.secret))

process.stdout.write(`${token}\n`)
