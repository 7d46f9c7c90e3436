// What programmes and their annual plans share, written once: the approving decision (its schema
// and rules), the targets, the two levels, and how a national-or-provincial record is changed by
// its owner only. Budget allocations apply the same decision rules.
import { Type } from 'typebox'
import { ownerForWrite, type Scope, type Trx } from '../db/tenancy.ts'
import type { FieldErrors } from '../lib/problems.ts'
import { IsoDate, Nullable, Text } from '../lib/schemas.ts'
import type { Noun } from './nouns.ts'

export const PROGRAMME_LEVELS = ['national', 'provincial'] as const

/** One target of a programme or plan: an indicator, its unit and the value aimed at. */
export const Target = Type.Object(
  {
    indicator: Text(
      'Chỉ tiêu — indicator.',
      500,
      'Số cơ sở công nghiệp nông thôn được hỗ trợ ứng dụng máy móc thiết bị',
    ),
    unit: Text('Đơn vị tính — unit.', 50, 'cơ sở'),
    target_value: Type.Number({
      minimum: 0,
      maximum: 1e15,
      description: 'Giá trị mục tiêu — target value.',
      examples: [1200],
    }),
  },
  { additionalProperties: false, description: 'Chỉ tiêu — one target: indicator, unit and value.' },
)

export const Targets = Type.Array(Target, {
  maxItems: 100,
  description: 'Các chỉ tiêu — targets (sending it replaces the whole list).',
  examples: [[{ indicator: 'Số lao động được đào tạo nghề', unit: 'người', target_value: 50000 }]],
})

/** The approving decision of a programme or plan: number and date given together. */
export const decisionFields = {
  decision_number: Nullable(
    Text('Số quyết định phê duyệt — approving decision number.', 100, '1881/QĐ-TTg'),
    'Số quyết định phê duyệt — approving decision number (with its date; required once approved).',
  ),
  decision_date: Nullable(
    IsoDate('Ngày quyết định — decision date.'),
    'Ngày quyết định — date of the approving decision (with its number).',
  ),
  decision_issuer: Nullable(
    Text('Cơ quan phê duyệt — issuing body.', 300, 'Thủ tướng Chính phủ'),
    'Cơ quan phê duyệt — the body that issued the decision.',
  ),
}

interface Decided {
  status?: string | undefined
  decision_number?: string | null | undefined
  decision_date?: string | null | undefined
}

/** The decision rules: number and date together; a status in `needsDecision` needs one. */
export function checkDecision(fails: FieldErrors, doc: Decided, needsDecision: readonly string[] = []) {
  fails.check(Boolean(doc.decision_number && !doc.decision_date), 'body', 'decision_date', {
    vi: 'là bắt buộc khi có decision_number',
    en: 'is required with decision_number',
  })
  fails.check(Boolean(doc.decision_date && !doc.decision_number), 'body', 'decision_number', {
    vi: 'là bắt buộc khi có decision_date',
    en: 'is required with decision_date',
  })
  fails.check(
    Boolean(doc.status && needsDecision.includes(doc.status) && !doc.decision_number && !doc.decision_date),
    'body',
    'decision_number',
    { vi: `là bắt buộc khi trạng thái là ${doc.status}`, en: `is required when the status is ${doc.status}` },
  )
}

/** A record that is national (no province) or provincial. */
interface Owned {
  province_code: string | null
}

/** Its owner may change it: the ministry a national record, its province a provincial one. */
export const authorizeOwner = (scope: Scope, current: Owned) => {
  ownerForWrite(scope, current.province_code === null ? 'national' : 'provincial', current.province_code)
}

/**
 * How updates and deletes find and authorise a national-or-provincial record: the row as the
 * caller sees it, refused (403) unless the caller owns it, then locked — locking first would hide
 * a national record from a province (RLS lets only the owner lock) and answer 404 instead of 403.
 */
export function ownerWrites<R extends Owned>(
  entity: Noun,
  repository: {
    findById: (trx: Trx, scope: Scope, id: string) => Promise<R | undefined>
    findForUpdate: (trx: Trx, scope: Scope, id: string) => Promise<R | undefined>
  },
) {
  return {
    entity,
    async find(trx: Trx, scope: Scope, id: string) {
      const visible = await repository.findById(trx, scope, id)
      if (!visible) return undefined
      authorizeOwner(scope, visible)
      return repository.findForUpdate(trx, scope, id)
    },
    authorize: authorizeOwner,
  }
}
