import { Type } from 'typebox'
import { IsoDate } from '../../../lib/schemas.ts'

const Name = Type.String({
  pattern: '^[a-z][a-z_]*$',
  maxLength: 64,
  description: 'Tên danh mục — code list name.',
  examples: ['activity_content'],
})

const codelistFields = {
  name: Name,
  label_vi: Type.String({
    description: 'Tên tiếng Việt — Vietnamese label.',
    examples: ['Nội dung hoạt động khuyến công'],
  }),
  label_en: Type.String({
    description: 'Tên tiếng Anh — English label.',
    examples: ['Khuyến công activity content'],
  }),
  description: Type.Union([Type.String(), Type.Null()], {
    description: 'Căn cứ, ghi chú — the legal text the labels come from, or a note.',
    examples: ['Decree 45/2012/NĐ-CP Art. 4, wording of 2012 (in force 5 July 2012)'],
  }),
}

export const CodelistSummary = Type.Object(
  {
    ...codelistFields,
    entry_count: Type.Integer({ description: 'Số mục — number of entries.', examples: [9] }),
  },
  {
    description: 'Danh mục — a code list.',
    examples: [
      {
        name: 'industry',
        label_vi: 'Ngành nghề được hưởng khuyến công',
        label_en: 'Eligible industry',
        description: 'Decree 45/2012/NĐ-CP Art. 5',
        entry_count: 7,
      },
    ],
  },
)

export const CodelistEntry = Type.Object(
  {
    code: Type.String({ description: 'Mã — stable ASCII code used in the API.', examples: ['training'] }),
    label_vi: Type.String({
      description: 'Tên tiếng Việt — legal Vietnamese term.',
      examples: ['Đào tạo nghề, truyền nghề'],
    }),
    label_en: Type.String({
      description: 'Tên tiếng Anh — English gloss.',
      examples: ['vocational training and craft transmission'],
    }),
    parent_code: Type.Union([Type.String(), Type.Null()], {
      description: 'Mã cha — the entry of the parent list it belongs to (project_type → activity_content).',
    }),
    valid_from: Type.Union([IsoDate('Áp dụng từ ngày — first day the entry applies.'), Type.Null()], {
      description: 'Áp dụng từ ngày — first day the entry applies; null when no start is known.',
    }),
    valid_to: Type.Union([IsoDate('Áp dụng đến ngày — last day the entry applies.'), Type.Null()], {
      description:
        'Áp dụng đến ngày — last day the entry applies; null while in force. A change of law adds an entry ' +
        '(the same code may recur with a later period) instead of rewriting this one.',
    }),
  },
  { description: 'Mục danh mục — one code.' },
)

export const Codelist = Type.Object(
  { ...codelistFields, entries: Type.Array(CodelistEntry, { description: 'Các mục — entries in order.' }) },
  {
    description: 'Danh mục với các mục — a code list with its entries.',
    // Two of its seven entries.
    examples: [
      {
        name: 'industry',
        label_vi: 'Ngành nghề được hưởng khuyến công',
        label_en: 'Eligible industry',
        description: 'Decree 45/2012/NĐ-CP Art. 5',
        entries: [
          {
            code: 'agro_food_processing',
            label_vi: 'Chế biến nông, lâm, thủy sản và chế biến thực phẩm',
            label_en: 'agricultural, forestry, aquatic and food processing',
            parent_code: null,
            valid_from: '2012-07-05',
            valid_to: null,
          },
          {
            code: 'handicrafts',
            label_vi: 'Sản xuất hàng tiểu thủ công nghiệp',
            label_en: 'handicrafts',
            parent_code: null,
            valid_from: '2012-07-05',
            valid_to: null,
          },
        ],
      },
    ],
  },
)

export const CodelistParams = Type.Object({ name: Name }, { additionalProperties: false })

export const CodelistQuery = Type.Object(
  {
    as_of: Type.Optional(
      IsoDate(
        'Tại ngày — only the entries in force on this date (default: every entry, past ones included).',
      ),
    ),
  },
  { additionalProperties: false },
)
