// What messages call each kind of record, in each language problems speak, keyed by its audit
// entity type (or kind of place): "Không tìm thấy đề án …" / "No scheme …".
import { type Localized, problem } from '../lib/problems.ts'

export const NOUNS = {
  attachment: { vi: 'tệp đính kèm', en: 'attachment' },
  budget_allocation: { vi: 'khoản phân bổ kinh phí', en: 'budget allocation' },
  collaborator: { vi: 'cộng tác viên', en: 'collaborator' },
  disbursement: { vi: 'khoản giải ngân', en: 'disbursement' },
  communication_activity: { vi: 'hoạt động truyền thông', en: 'communication activity' },
  establishment: { vi: 'cơ sở', en: 'establishment' },
  former_province: { vi: 'tỉnh cũ', en: 'former province' },
  establishment_import: { vi: 'lượt nhập dữ liệu cơ sở', en: 'import' },
  establishment_product: { vi: 'sản phẩm của cơ sở', en: 'establishment product' },
  implementing_unit: { vi: 'đơn vị thực hiện', en: 'implementing unit' },
  inspection: { vi: 'cuộc kiểm tra', en: 'inspection' },
  key_product: { vi: 'sản phẩm, ngành nghề chủ lực', en: 'key product' },
  legal_document: { vi: 'văn bản', en: 'legal document' },
  periodic_report: { vi: 'báo cáo định kỳ', en: 'periodic report' },
  plan: { vi: 'kế hoạch', en: 'plan' },
  product_certificate: { vi: 'giấy chứng nhận sản phẩm', en: 'certificate' },
  programme: { vi: 'chương trình', en: 'programme' },
  progress_report: { vi: 'báo cáo tiến độ', en: 'progress report' },
  project: { vi: 'đề án', en: 'scheme' },
  province: { vi: 'tỉnh/thành phố', en: 'province' },
  reporting_period: { vi: 'kỳ báo cáo', en: 'reporting period' },
  scorecard_indicator: { vi: 'chỉ tiêu đánh giá', en: 'scorecard indicator' },
  support_rule: { vi: 'định mức hỗ trợ', en: 'support rule' },
} as const satisfies Record<string, Localized>

export type Noun = keyof typeof NOUNS

/** The 404 of a record that does not exist or that the caller may not see. */
export const notFound = (noun: Noun, id: string) =>
  problem('not_found', { vi: `Không tìm thấy ${NOUNS[noun].vi} ${id}.`, en: `No ${NOUNS[noun].en} ${id}.` })

/** The 404 of a province (or a record) the caller may not read, or that does not exist. */
export const notReadable = (noun: Noun, code: string) =>
  problem('not_found', {
    vi: `Không có ${NOUNS[noun].vi} ${code} trong phạm vi bạn được xem.`,
    en: `No ${NOUNS[noun].en} ${code} among those you may read.`,
  })

/** What messages call each lifecycle action in Vietnamese; the API's code follows in brackets. */
const VERBS: Record<string, string> = {
  submit: 'gửi',
  appraise: 'thẩm định',
  approve: 'phê duyệt',
  return: 'trả lại',
  reject: 'từ chối',
  start: 'bắt đầu thực hiện',
  complete: 'hoàn thành',
  accept: 'nghiệm thu',
  settle: 'quyết toán',
  suspend: 'tạm dừng',
  resume: 'tiếp tục thực hiện',
  cancel: 'hủy',
  adjust: 'điều chỉnh',
  acknowledge: 'tiếp nhận',
  resubmit: 'gửi lại',
}

/** An action inside a Vietnamese sentence: "phê duyệt (approve)". */
export const verb = (action: string) => (VERBS[action] ? `${VERBS[action]} (${action})` : action)
