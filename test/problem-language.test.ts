// Problems speak the officers' language (issue 19, item 3), through HTTP on a real database:
// `title`, `detail` and `errors[].detail` in Vietnamese by default and with `Accept-Language: vi`,
// in English with `en`; `Content-Language` says which, `Vary` that it depends on the request;
// `type`, `code`, `status`, `in` and `pointer` are the same in both.
import t, { type Test } from 'tap'
import { buildTestApp } from './helpers/app.ts'
import { cast } from './helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

type Res = Awaited<ReturnType<typeof app.inject>>
const VI = { 'accept-language': 'vi' }
const EN = { 'accept-language': 'en' }

/** The same problem in both languages: its machine fields equal, its words those expected. */
function bothLanguages(t: Test, vi: Res, en: Res, status: number) {
  t.equal(vi.statusCode, status)
  t.equal(en.statusCode, status)
  t.equal(vi.headers['content-language'], 'vi')
  t.equal(en.headers['content-language'], 'en')
  t.match(vi.headers.vary, /Accept-Language/)
  const machine = (r: Res) => {
    const { type, code, status, errors } = r.json()
    return {
      type,
      code,
      status,
      errors: errors?.map((e: { in: string; pointer: string }) => [e.in, e.pointer]),
    }
  }
  t.same(machine(vi), machine(en), 'type, code, status and pointers do not change')
}

t.test('a 404: Vietnamese by default and with vi, English with en', async (t) => {
  const byDefault = await app.inject('/v1/nowhere')
  const vi = await app.inject({ url: '/v1/nowhere', headers: VI })
  const en = await app.inject({ url: '/v1/nowhere', headers: EN })
  bothLanguages(t, vi, en, 404)
  t.equal(byDefault.headers['content-language'], 'vi')
  t.match(byDefault.json(), { title: 'Không tìm thấy', detail: 'Không tìm thấy đường dẫn GET /v1/nowhere.' })
  t.same(byDefault.json().detail, vi.json().detail)
  t.match(en.json(), { title: 'Not found', detail: 'No route GET /v1/nowhere.' })
})

t.test('Accept-Language is read with its weights; a language we do not speak gets Vietnamese', async (t) => {
  const cases: [string, string][] = [
    ['en-US', 'en'],
    ['en-GB;q=0.8, fr;q=0.9', 'en'],
    ['fr, de;q=0.5', 'vi'],
    ['*', 'vi'],
    ['en;q=0.5, vi;q=0.9', 'vi'],
    ['vi;q=0.1, en', 'en'],
    ['vi-VN, en;q=0.8', 'vi'],
    ['en;q=0, fr', 'vi'],
    ['EN', 'en'],
    ['', 'vi'],
  ]
  for (const [header, language] of cases) {
    const res = await app.inject({ url: '/v1/nowhere', headers: { 'accept-language': header } })
    t.equal(res.headers['content-language'], language, `Accept-Language: ${header}`)
  }
})

t.test('a 400 of the schema: each field’s detail in the language asked for', async (t) => {
  const url = '/v1/collaborators?limit=1000&colour=red'
  const vi = await app.inject({ url, headers: { ...as.officer08, ...VI } })
  const en = await app.inject({ url, headers: { ...as.officer08, ...EN } })
  bothLanguages(t, vi, en, 400)
  t.match(vi.json(), {
    title: 'Dữ liệu không hợp lệ',
    errors: [
      { in: 'query', pointer: '/colour', detail: 'không phải là trường được chấp nhận' },
      { in: 'query', pointer: '/limit', detail: 'phải nhỏ hơn hoặc bằng 500' },
    ],
  })
  t.match(en.json(), {
    title: 'Validation failed',
    errors: [
      { in: 'query', pointer: '/colour', detail: 'is not a known field' },
      { in: 'query', pointer: '/limit', detail: 'must be <= 500' },
    ],
  })
  t.match(vi.json().detail, /Tham số truy vấn limit phải nhỏ hơn hoặc bằng 500/)
})

const document = {
  number: '9/QĐ-UBND',
  kind: 'decision',
  issuer: 'UBND tỉnh',
  title: 'Quyết định',
  signed_date: '2024-01-02',
  subject: 'support_levels',
}

t.test('a 422 and a 412 of the handlers, in both languages', async (t) => {
  const post = (headers: Record<string, string>, payload: object) =>
    app.inject({
      method: 'POST',
      url: '/v1/legal-documents',
      headers: { ...as.officer08, 'idempotency-key': 'language-test-1', ...headers },
      payload,
    })
  const created = await post({}, document)
  t.equal(created.statusCode, 201)
  const reused = { ...document, title: 'Another' }
  const vi = await post(VI, reused)
  const en = await post(EN, reused)
  bothLanguages(t, vi, en, 422)
  t.match(vi.json(), {
    title: 'Không thể xử lý yêu cầu',
    detail: 'Idempotency-Key này đã được dùng cho một yêu cầu khác.',
    errors: [{ in: 'headers', pointer: '/idempotency-key', detail: 'đã được dùng cho một yêu cầu khác' }],
  })
  t.match(en.json(), {
    title: 'Unprocessable content',
    errors: [{ in: 'headers', pointer: '/idempotency-key', detail: 'was used with a different request' }],
  })

  const patch = (headers: Record<string, string>) =>
    app.inject({
      method: 'PATCH',
      url: `/v1/legal-documents/${created.json().id}`,
      headers: {
        ...as.officer08,
        'if-match': '"7"',
        'content-type': 'application/merge-patch+json',
        ...headers,
      },
      payload: { title: 'Changed' },
    })
  const staleVi = await patch({})
  const staleEn = await patch(EN)
  bothLanguages(t, staleVi, staleEn, 412)
  t.match(staleVi.json(), {
    title: 'Điều kiện tiên quyết không được đáp ứng',
    detail: 'Bản ghi đã thay đổi kể từ khi bạn đọc: phiên bản hiện tại là 1.',
  })
  t.match(staleEn.json(), { detail: 'The record changed since you read it: its version is now 1.' })
  t.equal(staleVi.headers.etag, staleEn.headers.etag)
})

t.test('a problem type’s title follows Accept-Language too', async (t) => {
  const vi = await app.inject('/problems/not_found')
  const en = await app.inject({ url: '/problems/not_found', headers: EN })
  t.match(vi.json(), { code: 'not_found', title: 'Không tìm thấy' })
  t.match(en.json(), { code: 'not_found', title: 'Not found' })
  t.equal(en.headers['content-language'], 'en')
})
