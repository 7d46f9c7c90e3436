// Attachments benchmark (not a test): memory and time of uploading and downloading a large file.
//
//   npm run bench:attachments -- [--mb 24] [--downloads 5] [--server src|dist] [--server-flags '…']
//
// Starts the service as a child (DATABASE_URL when set — a database of its own: the service
// migrates it and the run leaves its rows there — else PGlite in a temporary DATA_DIR, deleted
// afterwards), records a legal document, uploads a generated PDF of --mb megabytes streamed
// from disk, then downloads it --downloads times, each read as it arrives and hashed (never held).
// The server's resident memory is sampled every 50 ms: its peak over the baseline should stay far
// below the file's size, whatever the size (upload spooled to disk, chunks written and read one at
// a time).
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { token } from '../test/helpers/tokens.ts'
import { describeDatabase, rssMb, sleep, startServer, stopChild } from './bench-support.ts'

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '24' },
    downloads: { type: 'string', default: '5' },
    server: { type: 'string', default: 'src' },
    'server-flags': { type: 'string', default: '' },
  },
})
const MB = Number(values.mb)
const DOWNLOADS = Number(values.downloads)

/** Samples the server's RSS while `work` runs: the peak, in MB. */
async function peakDuring<T>(pid: number | undefined, work: () => Promise<T>): Promise<[T, number]> {
  const samples: number[] = []
  const timer = setInterval(() => {
    const rss = rssMb(pid)
    if (rss !== undefined) samples.push(rss)
  }, 50)
  try {
    return [await work(), Math.max(0, ...samples)]
  } finally {
    clearInterval(timer)
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kc-bench-attachments-'))
  const file = join(dir, 'large.pdf')
  const out = createWriteStream(file)
  const hash = createHash('sha256')
  const write = (b: Buffer) => {
    hash.update(b)
    out.write(b)
  }
  write(Buffer.from('%PDF-1.7\n'))
  for (let i = 0; i < MB; i++) write(randomBytes(1024 * 1024))
  write(Buffer.from('\n%%EOF\n'))
  out.end()
  await finished(out)
  const sha256 = hash.digest('hex')
  const env: Record<string, string> = { ATTACHMENT_MAX_BYTES: String((MB + 1) * 1024 * 1024) }
  if (!process.env.DATABASE_URL) env.DATA_DIR = join(dir, 'data')
  const { child, base } = await startServer({
    server: values.server === 'dist' ? 'dist' : 'src',
    flags: values['server-flags'],
    env,
  })
  try {
    const authorization = `Bearer ${await token({ role: 'province', province: '08', sub: 'bench-08' })}`
    const doc = await fetch(`${base}/v1/legal-documents`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        number: `${Date.now()}/QĐ-UBND`,
        kind: 'decision',
        issuer: 'UBND tỉnh Tuyên Quang',
        title: 'Quyết định (benchmark)',
        signed_date: '2024-01-01',
        subject: 'other',
      }),
    }).then((r) => r.json() as Promise<{ id: string }>)
    await sleep(500)
    const baseline = rssMb(child.pid) ?? 0
    const started = performance.now()
    const [uploaded, uploadPeak] = await peakDuring(child.pid, async () => {
      const res = await fetch(`${base}/v1/legal-documents/${doc.id}/attachments?role=decision`, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/pdf',
          'content-disposition': "attachment; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf",
        },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit)
      return (await res.json()) as { id: string; sha256: string; size: number }
    })
    const uploadMs = performance.now() - started
    if (uploaded.sha256 !== sha256) throw new Error(`upload failed: ${JSON.stringify(uploaded)}`)
    const downStarted = performance.now()
    const [same, downloadPeak] = await peakDuring(child.pid, async () => {
      let ok = true
      for (let i = 0; i < DOWNLOADS; i++) {
        const res = await fetch(`${base}/v1/attachments/${uploaded.id}/content`, {
          headers: { authorization },
        })
        const h = createHash('sha256')
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) h.update(chunk)
        ok &&= h.digest('hex') === sha256
      }
      return ok
    })
    const downloadMs = (performance.now() - downStarted) / DOWNLOADS
    console.log(`## Attachments — ${describeDatabase()}, server: ${values.server}`)
    console.log(`file: ${MB} MB PDF; server RSS before: ${baseline.toFixed(0)} MB`)
    console.log(
      `upload: ${(uploadMs / 1000).toFixed(2)} s, peak RSS ${uploadPeak.toFixed(0)} MB (+${(uploadPeak - baseline).toFixed(0)} MB)`,
    )
    console.log(
      `download ×${DOWNLOADS}: ${(downloadMs / 1000).toFixed(2)} s each, byte-identical: ${same}, ` +
        `peak RSS ${downloadPeak.toFixed(0)} MB (+${(downloadPeak - baseline).toFixed(0)} MB)`,
    )
  } finally {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
