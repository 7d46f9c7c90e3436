// Ask 3 of the letter (focus on the province's key products and sectors): each province's key
// products, named by a decision of its People's Committee, and its schemes for those products
// naming them. Illustrative, like all demo data: the products are ones the province is known for,
// the decisions' numbers are made up.
import { nextVersion } from '../db/repository.ts'
import type { Trx } from '../db/tenancy.ts'
import { actingIn, demoProvinces, lower, PROVINCES } from './common.ts'

interface KeyProduct {
  /** As the demo schemes' titles spell it, to find the schemes that support it. */
  product: string
  name: string
  kind: 'product' | 'sector'
  industry: string
  advantages: string
}

const KEY_PRODUCTS: Record<string, KeyProduct[]> = {
  '08': [
    {
      product: 'chè',
      name: 'Chè Shan tuyết',
      kind: 'product',
      industry: 'agro_food_processing',
      advantages: 'Vùng chè cổ thụ trên núi cao; sản phẩm đã có chỉ dẫn địa lý.',
    },
    {
      product: 'mật ong',
      name: 'Mật ong bạc hà',
      kind: 'product',
      industry: 'agro_food_processing',
      advantages: 'Nguồn hoa bạc hà của vùng cao nguyên đá.',
    },
  ],
  '01': [
    {
      product: 'gốm',
      name: 'Gốm sứ',
      kind: 'sector',
      industry: 'handicrafts',
      advantages: 'Làng nghề truyền thống lâu đời; thị trường du lịch và xuất khẩu.',
    },
    {
      product: 'mây tre đan',
      name: 'Mây tre đan',
      kind: 'sector',
      industry: 'handicrafts',
      advantages: 'Nhiều làng nghề, lao động lành nghề.',
    },
  ],
  '38': [
    {
      product: 'nước mắm',
      name: 'Nước mắm',
      kind: 'product',
      industry: 'agro_food_processing',
      advantages: 'Nguồn cá biển và nghề truyền thống ven biển.',
    },
  ],
  '48': [
    {
      product: 'nước mắm',
      name: 'Nước mắm',
      kind: 'product',
      industry: 'agro_food_processing',
      advantages: 'Làng nghề nước mắm truyền thống ven biển.',
    },
    {
      product: 'đồ gỗ mỹ nghệ',
      name: 'Đồ gỗ mỹ nghệ',
      kind: 'sector',
      industry: 'handicrafts',
      advantages: 'Làng nghề mộc truyền thống; thị trường du lịch.',
    },
  ],
  '79': [
    {
      product: 'bánh kẹo',
      name: 'Chế biến thực phẩm',
      kind: 'sector',
      industry: 'agro_food_processing',
      advantages: 'Thị trường tiêu thụ lớn; cơ sở chế biến quy mô vừa và nhỏ.',
    },
    {
      product: 'cơ khí nông nghiệp',
      name: 'Cơ khí chế tạo máy nông nghiệp',
      kind: 'sector',
      industry: 'mechanical_electrical_supporting',
      advantages: 'Cơ sở cơ khí có tay nghề; gần vùng nguyên liệu và thị trường.',
    },
  ],
}

/** Each province's key products (as the province), from 2021, and the schemes that support them. */
export async function keyProducts(trx: Trx) {
  const actAs = actingIn(trx)
  const { provinces, formers } = await demoProvinces(trx)
  for (const [i, code] of PROVINCES.entries()) {
    const province = provinces.find((p) => p.code === code)
    if (!province) continue
    await actAs('province', code)
    // Before 1 July 2025 the decision was the former province's of the same code, if it merged.
    const origin = formers.some((f) => f.successor_code === code && f.code !== code) ? code : null
    const decision = await trx
      .insertInto('legal_documents')
      .values({
        province_code: code,
        origin_province_code: origin,
        number: `${215 + i * 7}/QĐ-UBND`,
        kind: 'decision',
        issuer: `Ủy ban nhân dân ${lower(province.full_name)}`,
        title: 'Phê duyệt danh mục sản phẩm, ngành hàng công nghiệp nông thôn chủ lực giai đoạn 2021–2030',
        signed_date: '2021-02-26',
        subject: 'other',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const { product, ...keyProduct } of KEY_PRODUCTS[code] ?? []) {
      const { id } = await trx
        .insertInto('key_products')
        .values({
          ...keyProduct,
          province_code: code,
          origin_province_code: origin,
          legal_document_id: decision.id,
          valid_from: '2021-03-01',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .updateTable('projects')
        .set({ key_product_ids: [id], ...nextVersion })
        .where('province_code', '=', code)
        .where('title', 'like', `%${product}%`)
        // Not the schemes of another former province, which had key products of its own.
        .where((eb) => eb.or([eb('origin_province_code', 'is', null), eb('origin_province_code', '=', code)]))
        .execute()
    }
  }
}
