// The demo's signed documents (issue #17): a small generated PDF attached to each decision the demo
// records — the national programmes' approvals (as the ministry), each province's programme
// approvals and its first decisions among its legal documents. The PDF says it is a demo, not the
// decision: one page of text, made here, so that the dataset needs no file of its own.
import { createHash } from 'node:crypto'
import type { Trx } from '../db/tenancy.ts'
import { actingIn, PROVINCES } from './common.ts'

export const ATTACHMENTS_PART = 'khuyen-cong-demo-attachments'

/** Text in the PDF's standard font: ASCII only (diacritics dropped, đ → d), PDF string escapes. */
const pdfText = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/[\\()]/g, (c) => `\\${c}`)

/** A one-page PDF 1.4 showing `lines`. */
export function demoPdf(lines: string[]): Buffer {
  const stream = [
    'BT',
    '/F1 12 Tf',
    '72 760 Td',
    '16 TL',
    ...lines.map((l) => `(${pdfText(l)}) '`),
    'ET',
  ].join('\n')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`,
  ]
  let body = '%PDF-1.4\n'
  const offsets = objects.map((object, i) => {
    const at = Buffer.byteLength(body)
    body += `${i + 1} 0 obj\n${object}\nendobj\n`
    return at
  })
  const xref = Buffer.byteLength(body)
  body +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

interface Decision {
  id: string
  province_code: string | null
  number: string
  date: string
  title: string
}

/** Attaches the decision's demo PDF to its record, in one chunk (written as the API writes them). */
async function attach(trx: Trx, parentType: string, d: Decision) {
  const file = demoPdf([
    'BAN DEMO - KHONG PHAI VAN BAN CHINH THUC',
    '',
    `Quyết định số ${d.number}, ngày ${d.date}`,
    d.title.slice(0, 80),
    '',
    'Tep nay do du lieu demo cua API khuyen cong tao ra.',
  ])
  const attachment = await trx
    .insertInto('attachments')
    .values({
      province_code: d.province_code,
      parent_type: parentType,
      parent_id: d.id,
      role: 'decision',
      filename: `Quyết định ${d.number.replaceAll('/', '-')} (bản demo).pdf`,
      media_type: 'application/pdf',
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
      chunk_size: file.length,
      description: 'Bản demo, không phải văn bản chính thức — a demo file, not the decision.',
      uploaded_by: 'demo-data',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('attachment_chunks')
    .values({ attachment_id: attachment.id, n: 0, province_code: d.province_code, data: file })
    .execute()
}

/** The programmes with an approving decision, of a province (or the national ones: null). */
const approvedProgrammes = (trx: Trx, province: string | null) =>
  trx
    .selectFrom('programmes')
    .select(['id', 'province_code', 'decision_number as number', 'decision_date as date', 'title'])
    .where('decision_number', 'is not', null)
    .where('province_code', province === null ? 'is' : '=', province)
    .orderBy('decision_date')
    .execute() as Promise<Decision[]>

export async function demoAttachments(trx: Trx) {
  const actAs = actingIn(trx)
  await actAs('ministry', null)
  for (const p of await approvedProgrammes(trx, null)) await attach(trx, 'programme', p)
  for (const code of PROVINCES) {
    await actAs('province', code)
    for (const p of await approvedProgrammes(trx, code)) await attach(trx, 'programme', p)
    const decisions = await trx
      .selectFrom('legal_documents')
      .select(['id', 'province_code', 'number', 'signed_date as date', 'title'])
      .where('province_code', '=', code)
      .where('kind', '=', 'decision')
      .orderBy('signed_date')
      .orderBy('id')
      .limit(2)
      .execute()
    for (const d of decisions) await attach(trx, 'legal_document', d)
  }
}
