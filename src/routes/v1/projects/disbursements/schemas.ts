import { Type } from 'typebox'
import { CodeOf } from '../../../../lib/codelists.ts'
import { pageQuery } from '../../../../lib/pagination.ts'
import { Id, IsoDate, Nullable, ProvinceCode, Text } from '../../../../lib/schemas.ts'
import { Money } from '../schemas.ts'

const fields = {
  date: IsoDate('Ngày — date of the payment, advance or refund.'),
  funding_source: CodeOf('funding_source', 'Nguồn kinh phí — the funding source.'),
  amount: Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Số tiền — amount in whole VND (> 0; a refund is subtracted by its kind).',
    examples: [150_000_000],
  }),
  kind: CodeOf(
    'disbursement_kind',
    'Loại — `advance` (tạm ứng), `payment` (thanh toán) add to the total; `refund` (thu hồi) subtracts.',
  ),
  document: Nullable(
    Text('Chứng từ — the voucher or document.', 200, 'UNC số 125/KBNN ngày 20/5/2024'),
    'Chứng từ — voucher, payment order or document reference.',
  ),
  note: Nullable(Type.String({ maxLength: 2000 }), 'Ghi chú — notes.'),
}

export const Disbursement = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã giải ngân — disbursement id.' }),
    project_id: Type.String({ format: 'uuid', description: 'Đề án — the scheme.' }),
    province_code: ProvinceCode,
    ...fields,
    amount: Money('Số tiền — amount in whole VND.'),
    created_by: Type.String({ description: 'Người ghi — who recorded it (token subject).' }),
    created_at: Type.String({ format: 'date-time', description: 'Ghi lúc — recorded at.' }),
  },
  {
    $id: 'Disbursement',
    // A central payment to the demo scheme of province 08 that the Project example shows.
    examples: [
      {
        id: '15cc92f0-7721-4ba7-bc52-61bf65453322',
        project_id: 'bc15be20-f82f-4ecc-8dcf-1c63b381f1c2',
        province_code: '08',
        date: '2025-06-20',
        funding_source: 'central',
        amount: 65700000,
        kind: 'payment',
        document: 'UNC thanh toán 5/2025',
        note: null,
        created_by: 'demo-data',
        created_at: '2026-11-30T16:23:25.628Z',
      },
    ],
    description:
      'Giải ngân — one payment, advance or refund of a scheme’s money from one funding source. Recorded once, ' +
      'never changed: a correction is a refund.',
  },
)

/** What the ministry is answered when it sends the create example below for that scheme. */
export const createdDisbursement = {
  id: 'f4aae014-cecd-45f0-b695-5913d81547aa',
  project_id: 'bc15be20-f82f-4ecc-8dcf-1c63b381f1c2',
  province_code: '08',
  date: '2025-05-20',
  funding_source: 'central',
  amount: 150000000,
  kind: 'advance',
  document: 'UNC số 125/KBNN',
  note: null,
  created_by: 'dev-ministry',
  created_at: '2026-11-30T18:45:48.358Z',
}

export const CreateDisbursement = Type.Object(
  {
    date: fields.date,
    funding_source: fields.funding_source,
    amount: fields.amount,
    kind: fields.kind,
    document: Type.Optional(fields.document),
    note: Type.Optional(fields.note),
  },
  {
    additionalProperties: false,
    description: 'Giải ngân mới — a new disbursement.',
    examples: [
      {
        date: '2025-05-20',
        funding_source: 'central',
        amount: 150_000_000,
        kind: 'advance',
        document: 'UNC số 125/KBNN',
      },
    ],
  },
)

export const ListQuery = Type.Object(
  {
    funding_source: Type.Optional(fields.funding_source),
    kind: Type.Optional(fields.kind),
    ...pageQuery,
  },
  { additionalProperties: false },
)

export const DisbursementParams = Type.Object(
  { id: Id('Mã đề án — scheme id.'), disbursement_id: Id('Mã khoản giải ngân — disbursement id.') },
  { additionalProperties: false },
)
