// Authentication and the coarse authorisation of every route. A route says in its config who may
// call it — `access: 'public' | 'read' | 'write'` — and a route that says nothing is 'read': secure
// by default. For non-public routes the `Authorization: Bearer <JWT>` header is verified in an
// onRequest hook (before the body is parsed or validated) and the caller becomes `request.user`.
// Tenancy (which province's rows) is enforced further in, by src/db/tenancy.ts.
//
// Refusals are RFC 6750: 401 with `WWW-Authenticate: Bearer realm="khuyen-cong"` when no token is
// sent, plus `error="invalid_token"` when it is refused, and 403 `error="insufficient_scope"` when a
// valid token lacks the right. The log says why a token was refused; it never holds the token.
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { JWTPayload } from 'jose'
import type { Logger } from 'pino'
import { createVerifiers, KeysUnavailable, TokenRejected, VerifiedTokens, verifyJwt } from '../lib/jwt.ts'
import { problem } from '../lib/problems.ts'

export type Access = 'public' | 'read' | 'write'
export type Role = 'ministry' | 'province'

/** The authenticated caller, from the verified token. */
export interface User {
  /** The token issuer (`iss`) that vouched for the caller: subjects are unique per issuer only. */
  issuer: string
  /** The token subject: the user id in its issuer's system. */
  sub: string
  role: Role
  /** The caller's current province code for `province`, null for `ministry`. */
  province: string | null
  /** The token's scopes (`read`, `write`, …). */
  scopes: string[]
  /** Whether the token allows writing (the `write` scope). */
  can_write: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The authenticated caller. Set on every route whose access is 'read' or 'write'; reading it on
     * a public route is a programming error and throws (a 500), so it is never silently absent.
     */
    user: User
  }
  interface FastifyContextConfig {
    /** Who may call the route: anyone, a token that may read, a token that may write (default 'read'). */
    access?: Access
  }
}

export const REALM = 'khuyen-cong'
/** Longer Authorization headers are refused unread. */
export const MAX_AUTHORIZATION_LENGTH = 8 * 1024
const ROLES: readonly string[] = ['ministry', 'province']

const callers = new WeakMap<FastifyRequest, User>()

/** The caller of a request, or undefined on a public route (or before authentication). */
export const callerOf = (request: FastifyRequest): User | undefined => callers.get(request)

/** Routes that serve the documentation (registered by @fastify/swagger-ui, which takes no route config). */
const isDocumentation = (url: string) => url === '/docs' || url.startsWith('/docs/')

const challenge = (params: Record<string, string> = {}) =>
  [`Bearer realm="${REALM}"`, ...Object.entries(params).map(([k, v]) => `${k}="${v}"`)].join(', ')

/** Why a token was refused, in Vietnamese, by the reason code (the English is `description`). */
const REASONS_VI: Record<string, (claim?: string) => string> = {
  expired: () => 'mã truy cập đã hết hạn',
  not_yet_valid: () => 'mã truy cập chưa đến thời điểm có hiệu lực (nbf)',
  missing_claim: (claim) => `mã truy cập thiếu trường ${claim}`,
  invalid_claim: (claim) => `trường ${claim} của mã truy cập không hợp lệ`,
  wrong_issuer: () => 'mã truy cập không do bên phát hành được chấp nhận cấp',
  wrong_audience: () => 'mã truy cập không dành cho API này (aud)',
  algorithm_not_allowed: () => 'mã truy cập được ký bằng thuật toán không được chấp nhận',
  bad_signature: () => 'chữ ký của mã truy cập không hợp lệ',
  unknown_key: () => 'không có khóa nào của bên phát hành khớp với mã truy cập',
  unsupported: () => 'mã truy cập dùng một tính năng không được hỗ trợ',
  malformed: () => 'mã truy cập không phải là JWT hợp lệ',
  unknown_issuer: () => 'bên phát hành mã truy cập không được chấp nhận ở đây',
  issued_in_future: () => 'mã truy cập được cấp vào một thời điểm trong tương lai (iat)',
  invalid_subject: () => 'trường sub của mã truy cập phải là chuỗi không rỗng',
  invalid_role: () => 'trường role của mã truy cập phải là ministry hoặc province',
  invalid_scope: () => 'trường scope của mã truy cập phải là chuỗi các quyền cách nhau bởi dấu cách',
  missing_province: () => 'mã truy cập của tỉnh phải có trường province',
  unknown_province: () => 'trường province của mã truy cập không phải là mã tỉnh/thành phố hiện hành',
  header_too_long: () => 'tiêu đề Authorization quá dài',
}

function invalidToken(rejected: TokenRejected) {
  const vi = REASONS_VI[rejected.reason]?.(rejected.claim) ?? 'mã truy cập không hợp lệ'
  return problem(
    'unauthorized',
    {
      vi: `Mã truy cập (bearer token) bị từ chối: ${vi}.`,
      en: `The bearer token was refused: ${rejected.description}.`,
    },
    {},
    {
      'www-authenticate': challenge({ error: 'invalid_token', error_description: rejected.description }),
    },
  )
}

/** The claims this API gives meaning to, checked beyond what jose verified. */
function userFrom(payload: JWTPayload, provinces: ReadonlySet<string>): User {
  const { iss, sub, role, province, scope } = payload
  // A NUL cannot be stored (PostgreSQL refuses 0x00), a lone surrogate would be stored as U+FFFD
  // (another user's id), and no issuer's user id holds either.
  if (
    typeof sub !== 'string' ||
    sub.length === 0 ||
    sub.length > 255 ||
    sub.includes('\u0000') ||
    !sub.isWellFormed()
  ) {
    throw new TokenRejected('invalid_subject', 'The token sub claim must be a non-empty string', 'sub')
  }
  if (typeof role !== 'string' || !ROLES.includes(role)) {
    throw new TokenRejected('invalid_role', 'The token role claim must be ministry or province', 'role')
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw new TokenRejected(
      'invalid_scope',
      'The token scope claim must be a space-separated string',
      'scope',
    )
  }
  let code: string | null = null
  if (role === 'province') {
    if (province === undefined || province === null || province === '') {
      throw new TokenRejected('missing_province', 'A province token needs a province claim', 'province')
    }
    if (typeof province !== 'string' || !provinces.has(province)) {
      throw new TokenRejected(
        'unknown_province',
        'The token province claim is not a current province code',
        'province',
      )
    }
    code = province
  }
  const scopes = [...new Set((scope ?? '').split(' ').filter(Boolean))]
  return {
    issuer: iss as string, // verifyJwt() found a verifier for it
    sub,
    role: role as Role,
    province: code,
    scopes,
    can_write: scopes.includes('write'),
  }
}

export default fp(
  async (app) => {
    const verifiers = createVerifiers(app.config.jwt.issuers)
    const verified = new VerifiedTokens<User>()

    // The 34 current province codes, read once; retried at the next request if the database was not
    // ready (the contract export builds the app on an empty database).
    let provinceCodes: Promise<ReadonlySet<string>> | undefined
    const currentProvinces = () => {
      provinceCodes ??= app.db
        .selectFrom('provinces')
        .select('code')
        .execute()
        .then((rows) => new Set(rows.map((r) => r.code)))
        .catch((error) => {
          provinceCodes = undefined
          throw error
        })
      return provinceCodes
    }
    app.addHook('onReady', async () => {
      await currentProvinces().catch((error) =>
        app.log.warn({ err: error }, 'province codes not loaded yet; retrying at the first request'),
      )
    })

    app.decorateRequest('user', {
      getter(this: FastifyRequest): User {
        const caller = callers.get(this)
        if (!caller)
          throw new Error(`request.user read on ${this.routeOptions.url}, which does not authenticate`)
        return caller
      },
    })

    const reject = (request: FastifyRequest, rejected: TokenRejected) => {
      request.log.info({ reason: rejected.reason, claim: rejected.claim }, 'token refused')
      return invalidToken(rejected)
    }

    /** The bearer token the request carries; refuses a request without one. */
    function bearerToken(request: FastifyRequest): string {
      const header = request.headers.authorization
      if (header === undefined || header === '') {
        request.log.info({ reason: 'missing' }, 'token refused')
        // A token in the query string is never read; say so rather than let it look like a bug.
        const detail = /[?&]access_token=/.test(request.url)
          ? {
              vi: 'Hãy gửi mã truy cập trong tiêu đề Authorization (Bearer); mã truy cập trong chuỗi truy vấn không được chấp nhận.',
              en: 'Send the token in the Authorization header (Bearer); a token in the query string is not accepted.',
            }
          : {
              vi: 'Đường dẫn này cần tiêu đề Authorization: Bearer <token>.',
              en: 'This route needs an Authorization: Bearer <token> header.',
            }
        throw problem('unauthorized', detail, {}, { 'www-authenticate': challenge() })
      }
      if (header.length > MAX_AUTHORIZATION_LENGTH) {
        throw reject(request, new TokenRejected('header_too_long', 'The Authorization header is too long'))
      }
      const match = /^Bearer +(\S+) *$/i.exec(header)
      if (!match) {
        // Another scheme (Basic, …): no error code, as RFC 6750 §3.1 asks.
        request.log.info({ reason: 'not_bearer' }, 'token refused')
        throw problem(
          'unauthorized',
          { vi: 'Ở đây chỉ chấp nhận mã truy cập kiểu Bearer.', en: 'Only Bearer tokens are accepted here.' },
          {},
          { 'www-authenticate': challenge() },
        )
      }
      return match[1] as string
    }

    /** The caller a token not seen lately names, once verified (and kept in `verified`). */
    async function verifyCaller(request: FastifyRequest, token: string): Promise<User> {
      try {
        const payload = await verifyJwt(token, verifiers)
        let provinces: ReadonlySet<string>
        try {
          provinces = await currentProvinces()
        } catch (error) {
          request.log.error({ err: error }, 'province codes could not be read')
          throw problem('service_unavailable', {
            vi: 'Hiện không kiểm tra được mã truy cập; hãy thử lại sau giây lát.',
            en: 'The service cannot check tokens right now; retry shortly.',
          })
        }
        // One caller for every request with this token: frozen, as none may change it.
        const caller = userFrom(payload, provinces)
        Object.freeze(caller.scopes)
        verified.set(token, payload, Object.freeze(caller))
        return caller
      } catch (error) {
        if (error instanceof TokenRejected) throw reject(request, error)
        if (error instanceof KeysUnavailable) {
          request.log.error({ reason: 'keys_unavailable', detail: error.message }, 'issuer keys unavailable')
          throw problem('service_unavailable', {
            vi: 'Không lấy được khóa của bên phát hành mã truy cập; hãy thử lại sau giây lát.',
            en: 'The token issuer keys cannot be fetched; retry shortly.',
          })
        }
        throw error
      }
    }

    /** The caller becomes the request's user if their token's scopes allow the route's access. */
    function admit(request: FastifyRequest, caller: User, access: Access) {
      callers.set(request, caller)
      // request.log is this request's own child logger: bound in place, not wrapped in another child.
      ;(request.log as Logger).setBindings({ sub: caller.sub })

      const { scopes } = caller
      const allowed =
        access === 'write' ? scopes.includes('write') : scopes.some((s) => s === 'read' || s === 'write')
      if (!allowed) {
        request.log.info({ reason: 'insufficient_scope', needs: access }, 'request forbidden')
        const description = `This route needs the ${access} scope`
        const has = scopes.join(' ')
        throw problem(
          'forbidden',
          {
            vi: `Đường dẫn này cần quyền ${access}; mã truy cập ${has ? `có quyền "${has}"` : 'không có quyền nào'}.`,
            en: `${description}; the token has ${has ? `scope "${has}"` : 'no scope'}.`,
          },
          {},
          {
            'www-authenticate': challenge({
              error: 'insufficient_scope',
              error_description: description,
              scope: access,
            }),
          },
        )
      }
    }

    // The callback form: a token verified lately (most requests) is admitted without a promise. A
    // refusal thrown here reaches the error handler as a thrown one would.
    app.addHook('onRequest', (request, _reply, done) => {
      // Unmatched paths (404, 405) need no token; the documentation and the contract are public.
      // routeOptions is built anew at each read: read once.
      const { url, config } = request.routeOptions
      if (url === undefined || isDocumentation(url)) return done()
      const access = config.access ?? 'read'
      if (access === 'public') return done()

      const token = bearerToken(request)
      const known = verified.get(token)
      if (known) {
        admit(request, known, access)
        return done()
      }
      verifyCaller(request, token)
        .then((caller) => admit(request, caller, access))
        .then(() => done(), done)
    })
  },
  { name: 'auth', dependencies: ['database'] },
)
