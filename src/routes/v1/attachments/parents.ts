// The records that keep attachments, one entry per kind: where it lives, how to find it as the
// caller sees it, and who may attach to it (its own write rule). Routes are declared from this
// list (index.ts), so a new kind of record (periodic reports) needs one entry here and the
// trigger that takes its attachments along when it is deleted (see migration 0080). A submitted
// periodic report keeps its papers (409 on delete), as an approved scheme keeps its approval decision.

import { type Decider, deciderForWrite, provinceForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { certificateDecider, MINISTRY_RECORDS } from '../../../domain/deciders.ts'
import type { Noun } from '../../../domain/nouns.ts'
import { authorizeOwner } from '../../../domain/planning.ts'
import { APPROVED_STATES, type ProjectState } from '../../../domain/project-lifecycle.ts'
import type { Localized } from '../../../lib/problems.ts'
import { certificates } from '../establishments/products/repository.ts'
import * as inspections from '../inspections/repository.ts'
import * as legalDocuments from '../legal-documents/repository.ts'
import * as periodicReports from '../periodic-reports/repository.ts'
import * as plans from '../plans/repository.ts'
import * as programmes from '../programmes/repository.ts'
import * as projects from '../projects/repository.ts'

export interface Parent {
  id: string
  province_code: string | null
}

export interface ParentKind<P extends Parent = Parent> {
  /** Stored as attachments.parent_type; the audit's name for the record, which names it in messages. */
  type: Noun
  /** The record's path; its last parameter is the record's id. */
  path: string
  /** Its name in operation ids (`uploadLegalDocumentAttachment`). */
  name: string
  /** The record as the caller sees it, or undefined. */
  find: (trx: Trx, scope: Scope, id: string) => Promise<P | undefined>
  /** For a nested path: whether the record is the one the other parameters name. */
  within?: (parent: P, params: Record<string, string>) => boolean
  /** Who may attach to it and delete its attachments: throws 403 otherwise. */
  authorize: (scope: Scope, parent: P) => void
  /** Why an attachment of this role stays while the record is as it is (409 on delete). */
  keeps?: (parent: P, role: string) => Localized | undefined
  /** Why the record takes no more attachments while it is as it is (409 on upload). */
  closed?: (parent: P) => Localized | undefined
}

const kind = <P extends Parent>(k: ParentKind<P>) => k as unknown as ParentKind

const byOwnProvince = (scope: Scope, parent: Parent) => {
  provinceForWrite(scope, parent.province_code ?? undefined)
}

export const PARENTS: readonly ParentKind[] = [
  kind({
    type: 'legal_document',
    path: '/v1/legal-documents/:id',
    name: 'LegalDocument',
    find: legalDocuments.findById,
    authorize: byOwnProvince,
  }),
  kind({
    type: 'programme',
    path: '/v1/programmes/:id',
    name: 'Programme',
    find: programmes.findById,
    authorize: authorizeOwner,
  }),
  kind({
    type: 'plan',
    path: '/v1/plans/:id',
    name: 'Plan',
    find: plans.findById,
    authorize: authorizeOwner,
  }),
  kind({
    type: 'project',
    path: '/v1/projects/:id',
    name: 'Project',
    find: projects.findById,
    // The province keeps its scheme's papers; the ministry also those of the central schemes it
    // approves, and alone those of the schemes its own units run.
    authorize: (scope, p) => {
      if (p.run_by === 'ministry') {
        deciderForWrite(scope, 'ministry', p.province_code, MINISTRY_RECORDS.schemePapers)
      } else if (!(scope.role === 'ministry' && p.funding_level === 'central')) byOwnProvince(scope, p)
    },
    keeps: (p, role) =>
      role === 'approval_decision' && APPROVED_STATES.includes(p.state as ProjectState)
        ? {
            vi: `Đề án đang ở trạng thái ${p.state}: quyết định phê duyệt phải được giữ lại cùng đề án.`,
            en: `The scheme is ${p.state}: its approval decision stays with it.`,
          }
        : undefined,
  }),
  kind({
    type: 'inspection',
    path: '/v1/inspections/:id',
    name: 'Inspection',
    find: inspections.findById,
    authorize: (scope, p) =>
      deciderForWrite(scope, p.inspected_by as Decider, p.province_code, MINISTRY_RECORDS.inspections),
  }),
  kind({
    type: 'product_certificate',
    path: '/v1/establishments/:id/products/:product_id/certificates/:certificate_id',
    name: 'ProductCertificate',
    find: (trx, scope, id) =>
      certificates(trx, scope).where('product_certificates.id', '=', id).executeTakeFirst(),
    within: (c, params) => c.establishment_id === params.id && c.product_id === params.product_id,
    authorize: (scope, c) =>
      deciderForWrite(scope, certificateDecider(c.level), c.province_code, MINISTRY_RECORDS.certificates),
  }),
  kind({
    type: 'periodic_report',
    path: '/v1/periodic-reports/:id',
    name: 'PeriodicReport',
    find: periodicReports.findById,
    authorize: byOwnProvince,
    // Submitted, the report stands for what it was sent with, cover letter included: nothing is
    // added to it or taken from it until it is returned.
    keeps: (r) => sent(r),
    closed: sent,
  }),
]

/** Why a periodic report's papers do not change: it is with the ministry (not draft, not returned). */
function sent(report: { status: string }) {
  return report.status === 'draft' || report.status === 'returned'
    ? undefined
    : {
        vi: `Báo cáo đang ở trạng thái ${report.status}: hồ sơ kèm theo được giữ nguyên như khi gửi.`,
        en: `The report is ${report.status}: its papers stay as they were sent.`,
      }
}

export const parentKind = (type: string) => PARENTS.find((k) => k.type === type)

/** The path parameter that holds the record's own id. */
export const idParam = (k: ParentKind) => /:(\w+)$/.exec(k.path)?.[1] ?? 'id'
