// The contract: @fastify/swagger builds OpenAPI 3.1 from the route schemas (the same TypeBox
// schemas that validate and serialize), served at /openapi.json with a reference page at /docs.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { CATALOGUE } from '../lib/problems.ts'
import { problemResponses } from '../lib/schemas.ts'
import { JSON_TYPES } from './media-types.ts'
import { READ_AFTER } from './tenancy.ts'

const description = `API dữ liệu khuyến công quốc gia — the national khuyến công (industrial promotion) data service.

Each province records its programmes, schemes, budgets, collaborator network and rural-industrial
(CNNT) establishments; the Ministry of Industry and Trade (Bộ Công Thương) sees the whole country.

**Conventions.** Paths are kebab-case plurals under \`/v1\`; JSON properties and query parameters
are snake_case; dates are RFC 3339. Lists use keyset paging: \`limit\` (1–500, default 50) and the
opaque \`cursor\` from the previous page's \`next_cursor\` (also in a \`Link: rel="next"\` header).
Single-resource reads carry an \`ETag\`; send it back in \`If-None-Match\` to get \`304\`.
Every response carries \`X-Request-Id\` (send your own to trace a call).

**Authentication.** Every operation but the public ones (health, this documentation, the problem
catalogue and the reference data) needs \`Authorization: Bearer <JWT>\`.
Reading needs the \`read\` or \`write\` scope; writing needs \`write\`.
A missing or refused token gets \`401\` with \`WWW-Authenticate\`; a token lacking the scope gets \`403\`.

### Getting a token

- **Development** (\`npm start\`, the embedded database with demo data): the service accepts tokens
  signed with its development secret. From the repository, \`npm run -s token -- --role province
  --province 08\` prints one for Tuyên Quang's Department of Industry and Trade (scope \`read write\`,
  valid 8 h); \`npm run -s token -- --role ministry --scope read\` one for a ministry reader. Paste it
  in **Authorize** above, or send it as \`Authorization: Bearer <token>\`.
- **Production**: the token comes from your identity provider (an issuer the operator configured:
  \`JWT_ISSUER\` with a public key or JWKS, or \`JWT_ISSUERS\`), signed ES256, RS256, PS256 or EdDSA
  (HS256 only with a shared secret). Its claims: \`iss\` and \`aud\` as configured (default audience
  \`khuyen-cong-api\`); \`sub\`, the user id in that issuer; \`role\`, \`ministry\` or \`province\`;
  \`province\`, the current two-digit province code (one of the 34, required for \`province\`);
  \`scope\`, space-separated (\`read\`, \`write\`); \`exp\` (required) and \`nbf\` if any — 30 s of
  clock skew is tolerated.
- \`GET /v1/me\` shows what the service makes of a token.
Requests are rate-limited per subject (per IP address when anonymous): over the limit, \`429\` with
\`Retry-After\`.

**Errors** are RFC 9457 problem details (\`application/problem+json\`) with a stable \`type\`
and \`code\`; validation errors list each failing field in \`errors[]\` as a JSON pointer:

${Object.entries(CATALOGUE)
  .map(([code, p]) => `- \`${code}\` (${p.status}) — ${p.description}`)
  .join('\n')}
`

/** The version of the contract (semver); bump it with every change listed in CHANGELOG.md. */
export const CONTRACT_VERSION = '2.0.0'

/** The page's mark: the service's initials on the red of the national flag, no third-party logo. */
const LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">' +
    '<rect width="40" height="40" rx="6" fill="#da251d"/>' +
    '<text x="20" y="26" font-family="sans-serif" font-size="16" font-weight="700" fill="#ffcd00" ' +
    'text-anchor="middle">KC</text></svg>',
)

const NotModified = Type.Null({
  description: 'Không thay đổi — not modified: the `If-None-Match` names the current `ETag`; no body.',
})

const Unavailable = {
  ...problemResponses('service_unavailable')[503],
  description: 'The database or a token issuer’s keys are unreachable, or the service is shutting down.',
}

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Khuyến công API',
          // The contract's own version, by semantic versioning: CHANGELOG.md says what each changed.
          version: CONTRACT_VERSION,
          description,
          license: { name: 'MIT', identifier: 'MIT' },
          contact: { name: 'Khuyến công data service team' },
        },
        servers: [{ url: app.config.publicUrl ?? '/', description: 'This server' }],
        tags: [
          {
            name: 'reference',
            description: 'Dữ liệu dùng chung — public reference data: provinces, communes, code lists.',
          },
          { name: 'operations', description: 'Vận hành — health, readiness and metrics.' },
          { name: 'meta', description: 'Tài liệu — the problem type catalogue.' },
          {
            name: 'identity',
            description: 'Danh tính — who the token says the caller is, and what it may do.',
          },
          {
            name: 'audit',
            description: 'Nhật ký thay đổi — the audit trail of every change to tenant data.',
          },
          {
            name: 'programmes',
            description: 'Chương trình khuyến công — national (KCQG) and provincial programmes.',
          },
          { name: 'plans', description: 'Kế hoạch khuyến công năm — annual plans of a programme.' },
          {
            name: 'projects',
            description: 'Đề án khuyến công — schemes, their lifecycle and disbursements.',
          },
          {
            name: 'support-rules',
            description:
              'Quy định mức hỗ trợ — support levels as dated rules (TT 28/2018/TT-BTC; provincial rules).',
          },
          {
            name: 'key-products',
            description: 'Sản phẩm, ngành hàng chủ lực — the provinces’ key products and sectors (ask 3).',
          },
          {
            name: 'budget-allocations',
            description: 'Dự toán kinh phí khuyến công — budget allocations and summaries.',
          },
          {
            name: 'legal-documents',
            description: 'Văn bản về khuyến công — provincial legal documents (ask 1).',
          },
          {
            name: 'inspections',
            description: 'Kiểm tra, giám sát, đánh giá — inspections and follow-ups (ask 4).',
          },
          {
            name: 'implementing-units',
            description: 'Đơn vị thực hiện khuyến công — implementing units, staff and equipment (ask 5).',
          },
          {
            name: 'collaborators',
            description: 'Cộng tác viên khuyến công — the collaborator network and commune coverage (ask 5).',
          },
          {
            name: 'establishments',
            description:
              'Cơ sở — rural-industrial (CNNT) establishments and the other subjects of Decree 45/2012 Art. 1.2 ' +
              '(cleaner-production producers, khuyến công service providers), their search and bulk import (ask 3).',
          },
          {
            name: 'communication-activities',
            description: 'Thông tin tuyên truyền — communication activities (ask 7).',
          },
          {
            name: 'reports',
            description:
              'Báo cáo — the seven-ask scorecard per province and year, its trend, the national roll-up, and ' +
              'the indicators with their thresholds.',
          },
          {
            name: 'periodic-reporting',
            description:
              'Báo cáo định kỳ — reporting periods, the provinces’ quarterly, half-year and annual reports to the ' +
              'ministry with frozen figures and acknowledgement, who has reported, and the monthly progress of ' +
              'national schemes.',
          },
          {
            name: 'attachments',
            description:
              'Tài liệu đính kèm — the signed documents kept with their records: decisions, approval and ' +
              'acceptance minutes, certificates, inspection conclusions.',
          },
        ],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'Mã truy cập — a JWT from an accepted issuer with `sub`, `role`, `province` and `scope` claims.',
            },
          },
        },
      },
      // The security of an operation follows its route's `access`, so the two cannot disagree; and
      // the refusals every operation of a kind can meet are declared here, once: a malformed
      // request (400), one too slow to arrive (408), headers too large (431) and an Accept nothing
      // satisfies (406) anywhere; a path segment over the limit (414) where there are path
      // parameters; a body too large (413) or of another media type (415) where there is a body; 304 where the route has an ETag, 429 where rate-limited,
      // 503 everywhere (the database or a token issuer's keys unreachable, the service shutting down).
      transform: ({ schema, url, route }) => {
        if (!schema || schema.hide) return { schema, url }
        const isPublic = route.config?.access === 'public'
        const read = [route.method].flat().includes('GET')
        const limited = app.config.rateLimit.max > 0
        const own = (schema.response ?? {}) as Record<string, unknown>
        const response = {
          ...problemResponses(
            'bad_request',
            'not_acceptable',
            // The HTTP parser's, before any route (plugins/errors.ts, clientError).
            'request_timeout',
            'request_header_fields_too_large',
            ...(schema.params ? (['uri_too_long'] as const) : []),
            ...(schema.body ? (['payload_too_large', 'unsupported_media_type'] as const) : []),
            ...(limited ? (['too_many_requests'] as const) : []),
          ),
          ...own,
          ...(route.config?.etag ? { 304: NotModified } : {}),
          503: own[503] ?? Unavailable,
        }
        return {
          url,
          schema: {
            ...schema,
            security: isPublic ? [] : [{ bearerAuth: [] }],
            ...(read && !isPublic ? { headers: withReadAfter(schema.headers) } : {}),
            // A PATCH is a JSON merge patch (RFC 7396): say so, next to plain JSON.
            ...([route.method].flat().includes('PATCH') && !schema.consumes ? { consumes: JSON_TYPES } : {}),
            response,
          },
        }
      },
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) || `def-${i}` },
    })
    // The page is the service's (its title and mark, not Swagger UI's) and reads the contract where
    // integrators fetch it, /openapi.json (swagger-ui's `urls` wins over the plugin's own ./json).
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: {
        deepLinking: true,
        urls: [{ url: '/openapi.json', name: `Khuyến công API ${CONTRACT_VERSION}` }],
      },
      theme: {
        title: 'Khuyến công API — tài liệu',
        favicon: [
          { filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: LOGO },
        ],
      },
      logo: { type: 'image/svg+xml', content: LOGO, href: '/docs', target: '_self' },
    })
    app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    )
  },
  { name: 'openapi' },
)

/**
 * A tenant read may name the write it must see (plugins/tenancy.ts): declared in the contract on
 * every such GET, beside the route's own headers. Only the document changes; the header is read, not
 * validated, by the tenancy plugin.
 */
const ReadAfter = Type.String({
  pattern: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$',
  description:
    'Đọc sau khi ghi — the `X-Read-After` a write of yours answered (a WAL position): with a read replica, ' +
    'this read then sees that write (from the replica once it has replayed it, else from the primary). ' +
    'Without it a read may be a moment behind; without a replica it changes nothing.',
  examples: ['0/3000148'],
})

function withReadAfter(headers: unknown) {
  const own = headers as { properties?: Record<string, unknown>; required?: string[] } | undefined
  return Type.Object(
    { ...(own?.properties ?? {}), [READ_AFTER]: Type.Optional(ReadAfter) },
    own?.required ? { required: own.required } : {},
  )
}
