// Where the smoke test needs more than the contract says: whose token an operation needs, the records
// it acts on (a previous create's, or one of the demo data found by a query), a body field that
// names such a record, a status other than the first success. Keep it short: a body that fails on
// the demo data is a wrong example, to fix in the route's schemas.ts, not here.
export interface Scenario {
  /** Whose token: the province's (default: province 08, `read write`) or the ministry's. */
  as?: 'province' | 'ministry'
  /** The status to expect, when not the operation's first success. */
  status?: number
  /** Query parameters to send (enabled), beside the required ones. */
  query?: Record<string, string>
  /** Path parameters to send, instead of the record a previous create saved. */
  path?: Record<string, string>
  /** Fields set over the example body: ids of records made earlier in the run. */
  body?: Record<string, unknown>
  /** Before the request, save `items[0].id` of this list (read with the same token) as `variable`. */
  find?: { variable: string; url: string }
  /** Why, shown in the request's description. */
  why?: string
}

const runningCentralScheme = {
  variable: 'running_scheme_id',
  url: '/v1/projects?province_code=08&funding_level=central&state=in_progress&run_by=province&limit=1',
}

export const SCENARIOS: Record<string, Scenario> = {
  createPlan: { body: { programme_id: '{{programmes_id}}' }, why: 'a plan of the programme created above.' },
  createSupportRule: { as: 'ministry', why: 'national support rules are the ministry’s.' },
  updateSupportRule: { as: 'ministry' },
  deleteSupportRule: { as: 'ministry' },
  updateLegalDocument: {
    find: { variable: 'other_legal_document_id', url: '/v1/legal-documents?limit=1' },
    body: { changed_by_id: '{{other_legal_document_id}}' },
    why: 'replaced by a legal document of the demo data.',
  },
  transitionProject: { body: { action: 'submit' }, why: 'the province submits the scheme it proposed.' },
  createProjectDisbursement: {
    as: 'ministry',
    find: runningCentralScheme,
    path: { id: '{{running_scheme_id}}' },
    why: 'the ministry disburses central money to a scheme under way in the demo data.',
  },
  getProjectDisbursement: {
    find: runningCentralScheme,
    path: { id: '{{running_scheme_id}}' },
    why: 'the disbursement recorded above, on the demo’s scheme under way.',
  },
  createProjectProgressReport: {
    find: runningCentralScheme,
    path: { id: '{{running_scheme_id}}' },
    why: 'the month the demo’s scheme under way in province 08 has not reported yet (2025-10).',
  },
  createInspection: { body: { project_ids: ['{{projects_id}}'] }, why: 'inspects the scheme created above.' },
  uploadPeriodicReportAttachment: {
    find: { variable: 'returned_report_id', url: '/v1/periodic-reports?status=returned&limit=1' },
    path: { id: '{{returned_report_id}}' },
    why: 'a report returned for revision takes papers; the one submitted above keeps those it was sent with.',
  },
  eraseCollaboratorPersonalData: { as: 'ministry', why: 'only the ministry erases personal data.' },
  updateScorecardIndicator: { as: 'ministry', why: 'thresholds are the ministry’s.' },
  updateReportingPeriod: { as: 'ministry', why: 'due dates are the ministry’s.' },
  deleteEstablishment: {
    status: 409,
    why: 'the establishment has the product created above: one with products is kept.',
  },
  deleteEstablishmentProduct: {
    status: 409,
    why: 'the product has the certificate created above: a certified product is revoked, not deleted.',
  },
}
