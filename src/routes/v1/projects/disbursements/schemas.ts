import { Type } from 'typebox'
import { CodeOf } from '../../../../lib/codelists.js'
import { pageQuery } from '../../../../lib/pagination.js'
import { IsoDate, Nullable, ProvinceCode, Text } from '../../../../lib/schemas.js'
import { Money } from '../schemas.js'

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
    description:
      'Giải ngân — one payment, advance or refund of a scheme’s money from one funding source. Recorded once, ' +
      'never changed: a correction is a refund.',
  },
)

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
        date: '2024-05-20',
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
