// Development tokens for tests, signed as `npm run token` signs them.
import { SignJWT } from 'jose'
import { DEVELOPMENT_JWT_SECRET } from '../../src/config.ts'

export interface Claims {
  sub?: string
  role: 'ministry' | 'province'
  province?: string
  scope?: string
}

export async function token(claims: Claims): Promise<string> {
  const { sub = `test-${claims.role}-${claims.province ?? 'all'}`, ...rest } = claims
  return new SignJWT({ scope: 'read write', ...rest })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer('khuyen-cong-dev')
    .setAudience('khuyen-cong-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET))
}

/** Authorization headers for the usual cast: officers of provinces 08 and 01, the ministry. */
export async function cast() {
  const bearer = async (claims: Claims) => ({ authorization: `Bearer ${await token(claims)}` })
  return {
    officer08: await bearer({ role: 'province', province: '08', sub: 'officer-08' }),
    reader08: await bearer({ role: 'province', province: '08', sub: 'reader-08', scope: 'read' }),
    officer01: await bearer({ role: 'province', province: '01', sub: 'officer-01' }),
    ministry: await bearer({ role: 'ministry', sub: 'ministry-1' }),
  }
}
