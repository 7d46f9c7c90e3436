// Ask 1 of the letter (the province's legal framework): the approvals of its provincial
// programmes, then its other documents — support levels, norms, fund rules, plans, its
// organisation — some of them replaced by newer ones.
import type { Trx } from '../db/tenancy.ts'
import { at, lower, NOTE } from './common.ts'
import type { ReachSite } from './profiles.ts'

/** The province's legal documents (as the province). */
export async function legalDocuments(trx: Trx, { province, profile, merged, nameOf }: ReachSite) {
  const code = province.code
  const programmes = await trx
    .selectFrom('programmes')
    .select([
      'id',
      'title',
      'origin_province_code',
      'decision_number',
      'decision_date',
      'decision_issuer',
      'end_year',
    ])
    .where('level', '=', 'provincial')
    .where('province_code', '=', code)
    .where('decision_number', 'is not', null)
    .orderBy('start_year')
    .orderBy('origin_province_code')
    .execute()
  const docs = [
    ...programmes.map((p) => ({
      number: p.decision_number as string,
      kind: 'decision',
      issuer: p.decision_issuer ?? `UBND ${lower(province.full_name)}`,
      title: `Phê duyệt ${lower(p.title)}`,
      signed_date: p.decision_date as string,
      subject: 'local_programme_approval',
      origin_province_code: p.origin_province_code,
      programme_id: p.id,
      expiry_date: `${p.end_year}-12-31` as string | null,
      replacedBy: null as string | null,
    })),
    ...profile.documents.map(({ kind, subject, number, signed, title, origin, replacedBy, expiry }) => ({
      number,
      kind,
      issuer: `${number.includes('HĐND') ? 'Hội đồng nhân dân' : 'Ủy ban nhân dân'} ${lower(nameOf(origin))}`,
      title,
      signed_date: signed,
      subject,
      origin_province_code: merged ? origin : null,
      programme_id: null,
      expiry_date: expiry ?? null,
      replacedBy,
    })),
  ]
  const documentIds: Record<string, string> = {}
  // Those that replace others first, so that the replaced ones can name them.
  for (const doc of [...docs.filter((d) => !d.replacedBy), ...docs.filter((d) => d.replacedBy)]) {
    const { replacedBy, ...values } = doc
    const successor = replacedBy ? docs.find((d) => d.number === replacedBy) : undefined
    const row = await trx
      .insertInto('legal_documents')
      .values({
        ...values,
        province_code: code,
        effective_date: doc.signed_date,
        expiry_date: values.expiry_date ?? successor?.signed_date ?? null,
        status: successor ? 'replaced' : 'in_force',
        // A legal normative document's number carries its year (Law 80/2015/QH13 Art. 8:
        // 15/2022/NQ-HĐND); an administrative one's does not (Decree 30/2020: 215/QĐ-UBND).
        is_normative: doc.kind !== 'plan' && /^\d+\/\d{4}\//.test(doc.number),
        changed_by_id: replacedBy ? (documentIds[replacedBy] ?? null) : null,
        notes: NOTE,
        ...at(doc.signed_date),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    documentIds[doc.number] = row.id
  }
}
