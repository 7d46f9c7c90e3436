import { Type } from 'typebox'

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
    description: 'Căn cứ, ghi chú — legal basis or note.',
    examples: ['Decree 45/2012/NĐ-CP Art. 4 (amended by Decree 235/2025/NĐ-CP)'],
  }),
}

export const CodelistSummary = Type.Object(
  {
    ...codelistFields,
    entry_count: Type.Integer({ description: 'Số mục — number of entries.', examples: [9] }),
  },
  { description: 'Danh mục — a code list.' },
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
  },
  { description: 'Mục danh mục — one code.' },
)

export const Codelist = Type.Object(
  { ...codelistFields, entries: Type.Array(CodelistEntry, { description: 'Các mục — entries in order.' }) },
  { description: 'Danh mục với các mục — a code list with its entries.' },
)

export const CodelistParams = Type.Object({ name: Name }, { additionalProperties: false })
