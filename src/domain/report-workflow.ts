// The workflow of a province's periodic report as one state machine table (state-machine.ts):
// the province submits (and resubmits after a return), the ministry acknowledges or returns.
// Figures freeze on every submission (routes/v1/periodic-reports).
import { verb } from './nouns.ts'
import { type Lifecycle, stateMachine } from './state-machine.ts'

export const REPORT_STATUSES = ['draft', 'submitted', 'returned', 'acknowledged'] as const
export type ReportStatus = (typeof REPORT_STATUSES)[number]

export const REPORT_ACTIONS = ['submit', 'acknowledge', 'return', 'resubmit'] as const
export type ReportAction = (typeof REPORT_ACTIONS)[number]

type Party = 'ministry' | 'province'

export const REPORT_WORKFLOW: Lifecycle<ReportStatus, ReportAction, Party> = {
  draft: { submit: { to: 'submitted', by: 'province' } },
  submitted: {
    acknowledge: { to: 'acknowledged', by: 'ministry' },
    return: { to: 'returned', by: 'ministry' },
  },
  returned: { resubmit: { to: 'submitted', by: 'province' } },
  acknowledged: {},
}

/** Statuses in which the province still writes the report (its sections). */
export const EDITABLE_STATUSES: readonly ReportStatus[] = ['draft', 'returned']

/** Actions that send the report to the ministry: they freeze its figures as a new version. */
export const SUBMITTING: readonly ReportAction[] = ['submit', 'resubmit']

const REPORTS = stateMachine({ vi: 'báo cáo', en: 'report' }, REPORT_ACTIONS, REPORT_WORKFLOW)

const plays = (role: Party) => (party: Party) => party === role

/** The actions the caller may take now (none without write access). */
export const allowedReportActions = (status: ReportStatus, role: Party, canWrite: boolean) =>
  canWrite ? REPORTS.allowed(status, plays(role)) : []

/** The step `action` takes for this caller, or the 409 (not now) or 403 (the other party's step). */
export const takeReportStep = (status: ReportStatus, action: ReportAction, role: Party) =>
  REPORTS.take(status, action, plays(role), (step) =>
    step.by === 'ministry'
      ? { vi: `Chỉ Bộ mới được ${verb(action)} báo cáo.`, en: `Only the ministry may ${action} a report.` }
      : {
          vi: `Chỉ tỉnh lập báo cáo mới được ${verb(action)} báo cáo của mình.`,
          en: `Only the reporting province may ${action} its report.`,
        },
  )
