import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { sql } from 'kysely'
import t from 'tap'
import { type Scope, type Trx, withTenant } from '../../../src/db/tenancy.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { type Call, listening } from '../../helpers/http.ts'
import { createEstablishment, createScheme, resolution } from '../../helpers/records.ts'
import { openSpools } from '../../helpers/spools.ts'
import { cast } from '../../helpers/tokens.ts'

// Uploads are spooled under os.tmpdir(), which reads TMPDIR: this process gets a directory of its
// own, which must stay empty (spools are unlinked as soon as they are opened).
process.env.TMPDIR = mkdtempSync(path.join(tmpdir(), 'kc-attachments-test-'))
t.teardown(() => rmSync(tmpdir(), { recursive: true, force: true }))

const { app, database, logs } = await buildTestApp(t, {
  attachments: { maxBytes: 8 * 1024 * 1024, maxPerRecord: 8 },
})
const as = await cast()

/** A small file that is a PDF by its content, of about `size` bytes. */
const pdf = (size = 2000) =>
  Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n'), randomBytes(size), Buffer.from('\n%%EOF\n')])
/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)
/** A zip of stored (uncompressed) entries, as office files are. */
function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, text] of entries) {
    const data = Buffer.from(text)
    const file = Buffer.from(name)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0)
    head.writeUInt16LE(20, 4)
    head.writeUInt32LE(crc32(data), 14)
    head.writeUInt32LE(data.length, 18)
    head.writeUInt32LE(data.length, 22)
    head.writeUInt16LE(file.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc32(data), 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(file.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(head, file, data)
    centrals.push(central, file)
    offset += head.length + file.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
const ODT = zip([
  ['mimetype', 'application/vnd.oasis.opendocument.text'],
  ['content.xml', '<?xml version="1.0"?><office:document-content/>'],
])

/** A multipart/form-data body: the fields, then the file. */
function form(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) {
  const boundary = `----kc${randomBytes(8).toString('hex')}`
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  )
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    )
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const NAME = 'Quyết định phê duyệt đề án số 15/QĐ-UBND (bản ký).pdf'.replace('/', '-')
const disposition = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`

const upload = (
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  o: { type?: string; name?: string; role?: string; extra?: Record<string, string> } = {},
) =>
  app.inject({
    method: 'POST',
    url: `${url}/attachments?role=${o.role ?? 'decision'}`,
    headers: {
      ...headers,
      'content-type': o.type ?? 'application/pdf',
      'content-disposition': disposition(o.name ?? NAME),
      ...o.extra,
    },
    payload: body,
  })

const doc = await app.inject({
  method: 'POST',
  url: '/v1/legal-documents',
  headers: as.officer08,
  payload: resolution,
})
const DOC = `/v1/legal-documents/${doc.json().id}`
let socket: Call | undefined
/** Calls over a real socket (the app listens once). */
const viaSocket = async () => {
  socket ??= await listening(app)
  return socket
}
let documents = 0
/** Another legal document of 08 (each record keeps a bounded number of attachments). */
const otherDocument = async () =>
  (
    await app.inject({
      method: 'POST',
      url: '/v1/legal-documents',
      headers: as.officer08,
      payload: { ...resolution, number: `${++documents}/2023/QĐ-UBND`, kind: 'decision' },
    })
  ).json() as { id: string }

t.test('upload and download are byte-identical, the Vietnamese name kept exactly', async (t) => {
  const file = pdf()
  const res = await upload(DOC, as.officer08, file, { extra: { 'idempotency-key': 'attach-1' } })
  t.equal(res.statusCode, 201, res.body)
  const a = res.json()
  t.match(a, {
    province_code: '08',
    parent_type: 'legal_document',
    parent_id: doc.json().id,
    role: 'decision',
    filename: NAME,
    media_type: 'application/pdf',
    size: file.length,
    sha256: sha256(file),
    uploaded_by: 'officer-08',
  })
  t.equal(res.headers.location, `/v1/attachments/${a.id}`)
  t.equal(res.headers.etag, `"${sha256(file)}"`)

  const again = await upload(DOC, as.officer08, file, { extra: { 'idempotency-key': 'attach-1' } })
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.json().id, a.id, 'a retry keeps the file once')
  const other = await upload(DOC, as.officer08, pdf(), { extra: { 'idempotency-key': 'attach-1' } })
  t.equal(other.statusCode, 422, 'the key with another file')

  const list = await app.inject({ url: `${DOC}/attachments`, headers: as.officer08 })
  t.equal(list.statusCode, 200)
  t.same(
    list.json().items.map((i: { id: string }) => i.id),
    [a.id],
  )

  const meta = await app.inject({ url: `/v1/attachments/${a.id}`, headers: as.officer08 })
  t.same(meta.json(), a)
  t.equal(meta.headers.etag, `"${a.sha256}"`)

  const content = await app.inject({ url: `/v1/attachments/${a.id}/content`, headers: as.officer08 })
  t.equal(content.statusCode, 200)
  t.equal(content.headers['content-type'], 'application/pdf')
  t.equal(content.headers['content-length'], String(file.length))
  t.equal(sha256(content.rawPayload), a.sha256, 'the same bytes')
  const cd = content.headers['content-disposition'] as string
  t.match(
    cd,
    /^attachment; filename="Quyet dinh phe duyet de an so 15-QD-UBND \(ban ky\)\.pdf"; filename\*=UTF-8''/,
  )
  t.equal(decodeURIComponent(cd.split("UTF-8''")[1] as string), NAME)

  const head = await app.inject({
    method: 'HEAD',
    url: `/v1/attachments/${a.id}/content`,
    headers: as.officer08,
  })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], String(file.length))
  t.equal(head.rawPayload.length, 0)

  const notModified = await app.inject({
    url: `/v1/attachments/${a.id}/content`,
    headers: { ...as.officer08, 'if-none-match': `"${a.sha256}"` },
  })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.rawPayload.length, 0)
})

t.test('a multi-megabyte file streams back whole and in ranges', async (t) => {
  const file = pdf(3 * 1024 * 1024 + 12345)
  const res = await upload(DOC, as.officer08, file, {
    name: 'Biên bản nghiệm thu.pdf',
    role: 'acceptance_minutes',
  })
  t.equal(res.statusCode, 201, res.body)
  const { id } = res.json()
  const whole = await app.inject({ url: `/v1/attachments/${id}/content`, headers: as.officer08 })
  t.equal(whole.rawPayload.length, file.length)
  t.equal(sha256(whole.rawPayload), sha256(file))

  const range = async (r: string) =>
    app.inject({ url: `/v1/attachments/${id}/content`, headers: { ...as.officer08, range: r } })
  const across = await range('bytes=262000-524400') // across a chunk boundary
  t.equal(across.statusCode, 206)
  t.equal(across.headers['content-range'], `bytes 262000-524400/${file.length}`)
  t.ok(across.rawPayload.equals(file.subarray(262000, 524401)))
  const suffix = await range('bytes=-100')
  t.ok(suffix.rawPayload.equals(file.subarray(file.length - 100)))
  const open = await range(`bytes=${file.length - 10}-`)
  t.ok(open.rawPayload.equals(file.subarray(file.length - 10)))
  const beyond = await range(`bytes=${file.length}-`)
  t.equal(beyond.statusCode, 416)
  t.equal(beyond.headers['content-range'], `bytes */${file.length}`)
  t.match(beyond.headers['content-type'], /^application\/problem\+json/)
  // If-Range: the range of the file the client holds, else the whole file (RFC 9110 §13.1.5).
  const ifRange = (validator: string) =>
    app.inject({
      url: `/v1/attachments/${id}/content`,
      headers: { ...as.officer08, range: 'bytes=0-1', 'if-range': validator },
    })
  const same = await ifRange(whole.headers.etag as string)
  t.equal(same.statusCode, 206, 'the same file: the range')
  const changed = await ifRange('"another-version"')
  t.equal(changed.statusCode, 200, 'another file: the whole of this one')
  t.equal(changed.rawPayload.length, file.length)
  t.equal((await ifRange(`W/${whole.headers.etag}`)).statusCode, 200, 'a weak validator never matches')
})

t.test('types are checked by content', async (t) => {
  const mislabelled = await upload(DOC, as.officer08, PNG, { type: 'application/pdf', name: 'a.pdf' })
  t.equal(mislabelled.statusCode, 415)
  t.match(mislabelled.json().detail, /được gửi với kiểu application\/pdf nhưng nội dung là image\/png/)
  const png = await upload(DOC, as.officer08, PNG, { type: 'image/png', name: 'ảnh.png' })
  t.equal(png.statusCode, 201)
  t.equal(png.json().media_type, 'image/png')
  const text = await upload(DOC, as.officer08, Buffer.from('chỉ là chữ'), { type: 'application/pdf' })
  t.equal(text.statusCode, 415)
  const declared = await upload(DOC, as.officer08, pdf(), { type: 'text/plain' })
  t.equal(declared.statusCode, 415)
  const noName = await app.inject({
    method: 'POST',
    url: `${DOC}/attachments?role=other`,
    headers: { ...as.officer08, 'content-type': 'application/pdf' },
    payload: pdf(),
  })
  t.equal(noName.statusCode, 400)
  t.match(noName.json(), { errors: [{ in: 'headers', pointer: '/content-disposition' }] })
  const badRole = await upload(DOC, as.officer08, pdf(), { role: 'nonsense' })
  t.equal(badRole.statusCode, 400)
  t.match(badRole.json(), { errors: [{ in: 'query', pointer: '/role' }] })
})

t.test(
  'a form: one file part, its UTF-8 name, an optional description; the type left to the content',
  async (t) => {
    const post = (f: ReturnType<typeof form>, role = 'acceptance_minutes') =>
      app.inject({
        method: 'POST',
        url: `${DOC}/attachments?role=${role}`,
        headers: { ...as.officer08, 'content-type': f.type },
        payload: f.body,
      })
    const res = await post(
      form(
        { description: 'Biên bản họp Hội đồng nghiệm thu' },
        { name: 'Biên bản nghiệm thu đề án.odt', type: 'application/octet-stream', data: ODT },
      ),
    )
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), {
      filename: 'Biên bản nghiệm thu đề án.odt',
      media_type: 'application/vnd.oasis.opendocument.text',
      description: 'Biên bản họp Hội đồng nghiệm thu',
      sha256: sha256(ODT),
    })
    const back = await app.inject({ url: `/v1/attachments/${res.json().id}/content`, headers: as.officer08 })
    t.ok(back.rawPayload.equals(ODT))
    const noFile = await post(form({ description: 'x' }))
    t.equal(noFile.statusCode, 400)
    t.match(noFile.json(), { errors: [{ in: 'body', pointer: '/file' }] })
    const mislabelled = await post(form({}, { name: 'a.png', type: 'image/png', data: ODT }))
    t.equal(mislabelled.statusCode, 415)
    t.match(
      mislabelled.json().detail,
      /image\/png nhưng nội dung là application\/vnd.oasis.opendocument.text/,
    )
  },
)

t.test('a DOCX known by the entries past a large first one, as Word writes a thumbnail first', async (t) => {
  // Over 1 MiB before the entries that name it DOCX: read from a file of known size, the zip's
  // large entries are skipped; read as a stream of unknown size, it read as a plain zip (415).
  const docx = zip([
    ['docProps/thumbnail.jpeg', 'x'.repeat(1_500_000)],
    ['word/document.xml', '<?xml version="1.0"?><w:document/>'],
    [
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
  ])
  const res = await upload(DOC, as.officer08, docx, {
    type: 'application/octet-stream',
    name: 'Tờ trình.docx',
  })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.json().media_type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
})

t.test('another province sees nothing and writes nothing', async (t) => {
  const res = await upload(DOC, as.officer08, pdf(), { name: 'riêng.pdf' })
  const { id } = res.json()
  for (const url of [`${DOC}/attachments`, `/v1/attachments/${id}`, `/v1/attachments/${id}/content`]) {
    const other = await app.inject({ url, headers: as.officer01 })
    t.equal(other.statusCode, 404, url)
    t.notMatch(other.body, 'riêng')
  }
  t.equal((await upload(DOC, as.officer01, pdf())).statusCode, 404)
  const del = await app.inject({
    method: 'DELETE',
    url: `/v1/attachments/${id}`,
    headers: { ...as.officer01, 'if-match': '*' },
  })
  t.equal(del.statusCode, 404)
  t.equal((await upload(DOC, as.ministry, pdf())).statusCode, 403, 'the ministry reads, the province writes')
  t.equal((await app.inject({ url: `/v1/attachments/${id}`, headers: as.ministry })).statusCode, 200)
})

t.test(
  'delete: If-Match with the ETag, audited; an approved scheme keeps its approval decision',
  async (t) => {
    const res = await upload(DOC, as.officer08, pdf(), { role: 'other' })
    const { id, sha256: hash } = res.json()
    const url = `/v1/attachments/${id}`
    t.equal((await app.inject({ method: 'DELETE', url, headers: as.officer08 })).statusCode, 428)
    const stale = await app.inject({ method: 'DELETE', url, headers: { ...as.officer08, 'if-match': '"0"' } })
    t.equal(stale.statusCode, 412)
    t.equal(stale.headers.etag, `"${hash}"`)
    const ok = await app.inject({
      method: 'DELETE',
      url,
      headers: { ...as.officer08, 'if-match': `"${hash}"` },
    })
    t.equal(ok.statusCode, 204)
    t.equal((await app.inject({ url, headers: as.officer08 })).statusCode, 404)
    const events = await app.inject({
      url: `/v1/audit-events?entity_type=attachment&entity_id=${id}`,
      headers: as.officer08,
    })
    t.same(
      events
        .json()
        .items.map((e: { action: string }) => e.action)
        .sort(),
      ['create', 'delete'],
    )

    const scheme = await createScheme(app, as.officer08)
    const decision = await upload(`/v1/projects/${scheme}`, as.officer08, pdf(), {
      role: 'approval_decision',
    })
    t.equal(decision.statusCode, 201)
    for (const action of ['submit', 'approve']) {
      const step = await app.inject({
        method: 'POST',
        url: `/v1/projects/${scheme}/transitions`,
        headers: { ...as.officer08, 'if-match': '*' },
        payload: { action, decision: '101/QĐ-UBND', decision_date: '2024-03-15' },
      })
      t.equal(step.statusCode, 200, step.body)
    }
    const kept = await app.inject({
      method: 'DELETE',
      url: `/v1/attachments/${decision.json().id}`,
      headers: { ...as.officer08, 'if-match': '*' },
    })
    t.equal(kept.statusCode, 409)
    t.match(kept.json().detail, /approved/)
  },
)

t.test('certificates: the nested path must name the certificate’s product', async (t) => {
  const establishment = await createEstablishment(app, as.officer08, '00691')
  const product = await app.inject({
    method: 'POST',
    url: `/v1/establishments/${establishment}/products`,
    headers: as.officer08,
    payload: { name: 'Chè Shan tuyết', product_group: 'other' },
  })
  const productId = product.json().id
  const certificate = await app.inject({
    method: 'POST',
    url: `/v1/establishments/${establishment}/products/${productId}/certificates`,
    headers: as.officer08,
    payload: {
      level: 'province',
      year: 2025,
      certificate_number: '12/GCN',
      score: 80,
      issued_date: '2025-05-01',
    },
  })
  t.equal(certificate.statusCode, 201, certificate.body)
  const path = `/v1/establishments/${establishment}/products/${productId}/certificates/${certificate.json().id}`
  const res = await upload(path, as.officer08, PNG, {
    type: 'image/png',
    role: 'certificate',
    name: 'GCN.png',
  })
  t.equal(res.statusCode, 201, res.body)
  const wrong = path.replace(productId, establishment)
  t.equal((await app.inject({ url: `${wrong}/attachments`, headers: as.officer08 })).statusCode, 404)
})

t.test('the count per record is bounded', async (t) => {
  const other = await app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: as.officer08,
    payload: { ...resolution, number: '99/2022/NQ-HĐND' },
  })
  const url = `/v1/legal-documents/${other.json().id}`
  for (let i = 0; i < 7; i++) t.equal((await upload(url, as.officer08, pdf())).statusCode, 201)
  // Two at once for the last place: one gets it.
  const both = await Promise.all([upload(url, as.officer08, pdf()), upload(url, as.officer08, pdf())])
  t.same(both.map((r) => r.statusCode).sort(), [201, 409])
  const over = await upload(url, as.officer08, pdf())
  t.equal(over.statusCode, 409)
})

t.test(
  'the record read alone counts its attachments, and each upload or delete moves its ETag',
  async (t) => {
    const { id } = await otherDocument()
    const url = `/v1/legal-documents/${id}`
    const read = (headers: Record<string, string> = {}) =>
      app.inject({ url, headers: { ...as.officer08, ...headers } })
    const first = await read()
    t.equal(first.json().attachment_count, 0)
    const list = await app.inject({ url: '/v1/legal-documents?limit=500', headers: as.officer08 })
    t.notOk('attachment_count' in list.json().items[0], 'not in lists')
    const added = await upload(url, as.officer08, pdf())
    t.equal(added.statusCode, 201)
    const after = await read({ 'if-none-match': String(first.headers.etag) })
    t.equal(after.statusCode, 200, 'the old ETag no longer matches: no stale 304')
    t.equal(after.json().attachment_count, 1)
    t.not(after.headers.etag, first.headers.etag)
    const gone = await app.inject({
      method: 'DELETE',
      url: `/v1/attachments/${added.json().id}`,
      headers: { ...as.officer08, 'if-match': String(added.headers.etag) },
    })
    t.equal(gone.statusCode, 204)
    const last = await read({ 'if-none-match': String(after.headers.etag) })
    t.equal(last.statusCode, 200)
    t.equal(last.json().attachment_count, 0)
  },
)

t.test('a periodic report keeps its papers once submitted', async (t) => {
  const report = await app.inject({
    method: 'POST',
    url: '/v1/periodic-reports',
    headers: as.officer08,
    payload: { period: '2025-Q3' },
  })
  t.equal(report.statusCode, 201, report.body)
  const url = `/v1/periodic-reports/${report.json().id}`
  const letter = await upload(url, as.officer08, pdf(), { role: 'report_letter' })
  t.equal(letter.statusCode, 201)
  t.equal((await upload(url, as.officer01, pdf())).statusCode, 404, 'another province: 404')
  const submitted = await app.inject({
    method: 'POST',
    url: `${url}/transitions`,
    headers: { ...as.officer08, 'if-match': '*' },
    payload: { action: 'submit' },
  })
  t.equal(submitted.statusCode, 200, submitted.body)
  t.equal(submitted.json().status, 'submitted')
  const kept = await app.inject({
    method: 'DELETE',
    url: `/v1/attachments/${letter.json().id}`,
    headers: { ...as.officer08, 'if-match': String(letter.headers.etag) },
  })
  t.equal(kept.statusCode, 409)
  t.match(kept.json().detail, /submitted/)
  const added = await upload(url, as.officer08, pdf(), { role: 'other' })
  t.equal(added.statusCode, 409, 'nor is anything added to it')
  const read = await app.inject({ url, headers: as.ministry })
  t.equal(read.json().attachment_count, 1, 'the ministry reads it with its cover letter')
})

t.test('a name typed in another Unicode form is kept in NFC', async (t) => {
  const { id } = await otherDocument()
  const nfd = 'Quyết định.pdf'.normalize('NFD')
  const res = await upload(`/v1/legal-documents/${id}`, as.officer08, pdf(), { name: nfd })
  t.equal(res.statusCode, 201)
  t.equal(res.json().filename, 'Quyết định.pdf'.normalize('NFC'))
})

t.test('the database refuses an attachment hung on a record of another province', async (t) => {
  const { withTenant } = await import('../../../src/db/tenancy.ts')
  const { directScope } = await import('../../helpers/scopes.ts')
  await t.rejects(
    withTenant(database.db, directScope('province', '01'), (trx) =>
      trx
        .insertInto('attachments')
        .values({
          province_code: '01',
          parent_type: 'legal_document',
          parent_id: doc.json().id,
          role: 'other',
          filename: 'x.pdf',
          media_type: 'application/pdf',
          size: 1,
          sha256: '0'.repeat(64),
          chunk_size: 1,
          uploaded_by: 'direct',
        })
        .execute(),
    ),
    { code: '23503' },
    '08’s document, under 01’s code: refused',
  )
})

t.test('a scheme the ministry’s own units run keeps the ministry’s papers', async (t) => {
  const { createNationalScheme } = await import('../../helpers/records.ts')
  const id = await createNationalScheme(app, as, '2025-03-01', '2025-10-31', 'ministry')
  const url = `/v1/projects/${id}`
  t.equal((await upload(url, as.officer08, pdf())).statusCode, 403, 'not the province of its site')
  t.equal((await upload(url, as.ministry, pdf(), { role: 'approval_decision' })).statusCode, 201)
  const read = await app.inject({ url, headers: as.officer08 })
  t.equal(read.json().attachment_count, 1, 'which the province reads')
})

/** Spools left: open (this process's descriptors) or in the temporary directory. */
const spooled = () =>
  openSpools().length + readdirSync(tmpdir()).filter((f) => f.startsWith('khuyen-cong-upload-')).length

t.test('over the limit: 413 before the body is read, nothing kept', async (t) => {
  const call = await viaSocket()
  const before = spooled()
  // Announced too large: refused at once, without sending the body.
  const announced = await call(
    'POST',
    `${DOC}/attachments?role=other`,
    {
      ...as.officer08,
      'content-type': 'application/pdf',
      'content-disposition': disposition('lớn.pdf'),
      'content-length': 9 * 1024 * 1024,
    },
    (req) => req.flushHeaders(),
  )
  t.equal(announced.status, 413)
  t.equal(announced.headers.connection, 'close')
  // Chunked, growing past the limit: cut when it does.
  let sent = 0
  const growing = await call(
    'POST',
    `${DOC}/attachments?role=other`,
    { ...as.officer08, 'content-type': 'application/pdf', 'content-disposition': disposition('lớn.pdf') },
    (req) => {
      const piece = pdf(1024 * 1024)
      const write = () => {
        if (sent > 20 * 1024 * 1024 || req.destroyed) return req.end()
        sent += piece.length
        if (req.write(piece)) setImmediate(write)
        else req.once('drain', write)
      }
      req.on('error', () => {})
      write()
    },
  ).catch(() => ({ status: 0 }))
  t.ok([413, 0].includes(growing.status), `413 or cut (${growing.status})`)
  t.same(
    logs().filter((l) => Number(l.level) >= 50),
    [],
    'no error logged (a write pending on the destroyed spool once turned the 413 into a 500)',
  )
  t.ok(sent < 20 * 1024 * 1024, `the rest was not read (${sent} bytes sent)`)
  t.equal(spooled(), before, 'no temporary file left')
  const list = await app.inject({ url: `${DOC}/attachments`, headers: as.officer08 })
  t.notMatch(list.body, 'lớn.pdf')
})

t.test('an upload that stalls or is aborted leaves nothing', async (t) => {
  const slow = await buildTestApp(t, { imports: { concurrency: 1, bodyIdleTimeoutMs: 300, leaseMs: 30_000 } })
  const call = await listening(slow.app)
  const created = await slow.app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: as.officer08,
    payload: resolution,
  })
  const url = `/v1/legal-documents/${created.json().id}/attachments?role=other`
  const headers = {
    ...as.officer08,
    'content-type': 'application/pdf',
    'content-disposition': disposition('dừng.pdf'),
  }
  const before = spooled()
  const stalled = await call('POST', url, headers, (req) => {
    req.write(pdf(10_000))
  })
  t.equal(stalled.status, 408)
  await new Promise<void>((resolve) => {
    call('POST', url, headers, (req) => {
      req.on('error', () => {})
      req.write(pdf(100_000))
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 100)
    }).catch(() => {})
  })
  await new Promise((r) => setTimeout(r, 200))
  t.equal(spooled(), before, 'no temporary file left')
  const list = await slow.app.inject({
    url: `/v1/legal-documents/${created.json().id}/attachments`,
    headers: as.officer08,
  })
  t.same(list.json().items, [])
})

t.test('bytes damaged in storage: the download is cut short, never passed off as the file', async (t) => {
  const file = pdf(600_000) // three chunks
  const res = await upload(DOC.replace(/[^/]+$/, (await otherDocument()).id), as.officer08, file, {
    name: 'hỏng.pdf',
  })
  t.equal(res.statusCode, 201, res.body)
  const { id } = res.json()
  // As the owner of the database (no request can): one byte of the last chunk changed.
  await sql`update attachment_chunks set data = overlay(data placing '\\x00'::bytea from 10)
    where attachment_id = ${id} and n = 2`.execute(database.db)
  const answer = await new Promise<{ bytes: number; complete: boolean }>((resolve) => {
    viaSocket().then((call) =>
      call('GET', `/v1/attachments/${id}/content`, as.officer08)
        .then((a) => resolve({ bytes: Buffer.byteLength(a.body), complete: true }))
        .catch(() => resolve({ bytes: 0, complete: false })),
    )
  })
  t.notOk(answer.complete && answer.bytes === file.length, 'not answered as a whole file')
  const range = await app.inject({
    url: `/v1/attachments/${id}/content`,
    headers: { ...as.officer08, range: 'bytes=0-99' },
  })
  t.ok(range.rawPayload.equals(file.subarray(0, 100)), 'a range of undamaged bytes still reads')
})

t.test('row-level security alone keeps the files apart (no application filter)', async (t) => {
  const officer = (province: string): Scope => ({
    sub: `rls-${province}`,
    role: 'province',
    province,
    requestId: 'rls',
  })
  const seen = (scope: Scope) =>
    withTenant(database.db, scope, async (trx) => ({
      attachments: (await trx.selectFrom('attachments').select('province_code').execute()).map(
        (r) => r.province_code,
      ),
      chunks: (await trx.selectFrom('attachment_chunks').select('province_code').execute()).map(
        (r) => r.province_code,
      ),
    }))
  const own = await seen(officer('08'))
  t.ok(own.attachments.length > 0 && own.attachments.every((p) => p === '08'))
  t.ok(own.chunks.length > 0 && own.chunks.every((p) => p === '08'))
  t.same(await seen(officer('01')), { attachments: [], chunks: [] }, 'another province sees no row')
  const [one] = await withTenant(database.db, officer('08'), (trx) =>
    trx.selectFrom('attachments').select(['id', 'parent_id']).limit(1).execute(),
  )
  const intrude = (work: (trx: Trx) => Promise<unknown>) =>
    withTenant(database.db, officer('01'), work).then(
      () => 'written',
      () => 'refused',
    )
  t.equal(
    await intrude((trx) =>
      trx
        .insertInto('attachments')
        .values({
          province_code: '08',
          parent_type: 'legal_document',
          parent_id: one?.parent_id as string,
          role: 'other',
          filename: 'x.pdf',
          media_type: 'application/pdf',
          size: 1,
          sha256: '0'.repeat(64),
          chunk_size: 1,
          uploaded_by: 'rls-01',
        })
        .execute(),
    ),
    'refused',
    'no insert into another province',
  )
  const deleted = await withTenant(database.db, officer('01'), (trx) =>
    trx
      .deleteFrom('attachments')
      .where('id', '=', one?.id as string)
      .executeTakeFirst(),
  )
  t.equal(deleted.numDeletedRows, 0n, 'no delete of another province’s file')
  t.equal(
    await intrude((trx) =>
      trx
        .updateTable('attachment_chunks')
        .set({ data: new Uint8Array([0]) })
        .execute(),
    ),
    'refused',
    'stored bytes are never updated',
  )
})
