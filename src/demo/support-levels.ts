// Ask 6's support levels (issue #15): the provinces' own rules for their local khuyến công money,
// each under the People's Council resolution the demo's legal documents already hold. None is below
// the national machinery cap, so every demo scheme stays within them; Đà Nẵng (2022) and Tuyên
// Quang's new resolution (2026) raise it — what the scorecard's local_support_levels_raised reads.
// The levels are illustrative, as the whole demo (see NOTE).
import type { Trx } from '../db/tenancy.ts'
import { actingIn, NOTE } from './common.ts'

interface Level {
  province: string
  /** The resolution (a demo legal document of the province, subject support_levels). */
  number: string
  valid_from: string
  valid_to: string | null
  millions: number
}

const LEVELS: Level[] = [
  {
    province: '08',
    number: '12/2021/NQ-HĐND',
    valid_from: '2021-09-01',
    valid_to: '2025-12-31',
    millions: 300,
  },
  { province: '08', number: '24/2025/NQ-HĐND', valid_from: '2026-01-01', valid_to: null, millions: 400 },
  { province: '01', number: '07/2021/NQ-HĐND', valid_from: '2021-10-05', valid_to: null, millions: 300 },
  { province: '38', number: '150/2021/NQ-HĐND', valid_from: '2022-01-01', valid_to: null, millions: 300 },
  { province: '48', number: '21/2022/NQ-HĐND', valid_from: '2022-07-25', valid_to: null, millions: 350 },
]

/** Each province's machinery support level, recorded by the province under its resolution. */
export async function supportLevels(trx: Trx) {
  const actAs = actingIn(trx)
  for (const level of LEVELS) {
    await actAs('province', level.province)
    const doc = await trx
      .selectFrom('legal_documents')
      .select('id')
      .where('province_code', '=', level.province)
      .where('number', '=', level.number)
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('support_rules')
      .values({
        level: 'provincial',
        province_code: level.province,
        legal_document_id: doc.id,
        legal_basis: level.number,
        title:
          'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến — machinery at an establishment: ≤ 50 % of the cost, ' +
          `≤ ${level.millions} million VND per establishment`,
        valid_from: level.valid_from,
        valid_to: level.valid_to,
        activity_content: 'demonstration_technology',
        project_type: 'machinery_line',
        max_share_percent: 50,
        max_amount: level.millions * 1_000_000,
        amount_basis: 'per_establishment',
        counterpart_required: true,
        source: NOTE,
      })
      .execute()
  }
}
