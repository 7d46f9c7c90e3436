// The tenancy harness. It reads the committed contract and, for EVERY operation that needs a
// token, tries it with no token (401), as a read-only token when it writes (403), and as an
// officer of province 01 against province 08's data: reads 404 or list nothing of 08's, writes
// are refused and 08's data is unchanged afterwards. Where the ministry decides a record about a
// province (issue #15: central money, regional and national certificates, its own inspections), the
// fixture's `ministryDecides` variant is tried as province 08 itself: refused with 403, nothing
// changed. An operation with no fixture below fails the test, so a new route cannot skip tenancy.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { buildTestApp } from './helpers/app.ts'
import { createNationalScheme } from './helpers/records.ts'
import { cast } from './helpers/tokens.ts'

const { app } = await buildTestApp(t)
const as = await cast()

/** Province 08's data; every row carries this marker so a leak shows in any response. */
const MARK = 'HARNESS-08-MARKER'

interface Seeded {
  budgetAllocationId: string
  projectId: string
  programmeId: string
  planId: string
  legalDocumentId: string
  keyProductId: string
  implementingUnitId: string
  communicationActivityId: string
  collaboratorId: string
  inspectionId: string
  ministryInspectionId: string
  establishmentId: string
  importId: string
  productId: string
  certificateId: string
  disbursementId: string
  supportRuleId: string
  regionalCertificateId: string
  attachmentId: string
  periodicReportId: string
  nationalProjectId: string
  progressReportId: string
}

/** An attachment upload: a small PDF named with the marker. */
const PDF = Buffer.from(`%PDF-1.7\n% ${MARK}\n%%EOF\n`)
const UPLOAD = {
  'content-type': 'application/pdf',
  'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`Quyết định ${MARK}.pdf`)}`,
}

/** The fixtures of a kind of record's attachments: its list, and an upload to it. */
function attachmentsOf(name: string, record: (s: Seeded) => string, ministryRecord?: (s: Seeded) => string) {
  const list = (s: Seeded) => `${record(s)}/attachments`
  return {
    [`list${name}Attachments`]: { kind: 'read', path: list },
    [`upload${name}Attachment`]: {
      kind: 'write',
      path: (s) => `${list(s)}?role=other`,
      body: () => PDF,
      headers: UPLOAD,
      witness: list,
      ...(ministryRecord
        ? {
            ministryDecides: {
              path: (s) => `${ministryRecord(s)}/attachments?role=other`,
              witness: (s) => `${ministryRecord(s)}/attachments`,
            },
          }
        : {}),
    },
  } satisfies Record<string, Fixture>
}

async function seed(): Promise<Seeded> {
  const doc = await app.inject({
    method: 'POST',
    url: '/v1/legal-documents',
    headers: as.officer08,
    payload: {
      number: `${MARK}/QĐ`,
      kind: 'decision',
      issuer: 'UBND tỉnh Tuyên Quang',
      title: `Quyết định ${MARK}`,
      signed_date: '2024-03-01',
      subject: 'organisation',
    },
  })
  if (doc.statusCode !== 201) throw new Error(`seed failed: ${doc.body}`)
  const keyProduct = await app.inject({
    method: 'POST',
    url: '/v1/key-products',
    headers: as.officer08,
    payload: {
      name: `Sản phẩm ${MARK}`,
      kind: 'product',
      industry: 'handicrafts',
      valid_from: '2021-01-01',
      legal_document_id: doc.json().id,
    },
  })
  if (keyProduct.statusCode !== 201) throw new Error(`seed failed: ${keyProduct.body}`)
  const collaborator = await app.inject({
    method: 'POST',
    url: '/v1/collaborators',
    headers: as.officer08,
    payload: {
      full_name: `Cộng tác viên ${MARK}`,
      phone: '0912345678',
      email: 'harness@example.vn',
      start_date: '2024-01-01',
      communes: ['00691'],
    },
  })
  if (collaborator.statusCode !== 201) throw new Error(`seed failed: ${collaborator.body}`)
  const inspection = await app.inject({
    method: 'POST',
    url: '/v1/inspections',
    headers: as.officer08,
    payload: {
      kind: 'inspection',
      inspection_date: '2024-05-01',
      inspecting_body: 'Sở Công Thương tỉnh Tuyên Quang',
      findings: `Kết quả ${MARK}`,
    },
  })
  if (inspection.statusCode !== 201) throw new Error(`seed failed: ${inspection.body}`)
  const ministryInspection = await app.inject({
    method: 'POST',
    url: '/v1/inspections',
    headers: as.ministry,
    payload: {
      province_code: '08',
      kind: 'inspection',
      inspection_date: '2024-06-01',
      inspecting_body: 'Bộ Công Thương',
      findings: `Kết quả ${MARK}`,
      follow_ups: [{ action: `Khắc phục ${MARK}`, due_date: '2024-07-01', status: 'open' }],
    },
  })
  if (ministryInspection.statusCode !== 201) throw new Error(`seed failed: ${ministryInspection.body}`)
  const unit = await app.inject({
    method: 'POST',
    url: '/v1/implementing-units',
    headers: as.officer08,
    payload: {
      name: `Trung tâm Khuyến công ${MARK}`,
      unit_model: 'independent_centre',
      staff: [{ year: 2024, headcount_total: 3, full_time_khuyen_cong: 2, other_staff: 1 }],
    },
  })
  if (unit.statusCode !== 201) throw new Error(`seed failed: ${unit.body}`)
  const activity = await app.inject({
    method: 'POST',
    url: '/v1/communication-activities',
    headers: as.officer08,
    payload: { channel: 'web_portal', date: '2024-05-01', title: `Tin bài ${MARK}`, cost: 1_000_000 },
  })
  if (activity.statusCode !== 201) throw new Error(`seed failed: ${activity.body}`)
  const programme = await app.inject({
    method: 'POST',
    url: '/v1/programmes',
    headers: as.officer08,
    payload: { level: 'provincial', title: `Chương trình ${MARK}`, start_year: 2021, end_year: 2025 },
  })
  if (programme.statusCode !== 201) throw new Error(`seed failed: ${programme.body}`)
  const plan = await app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: as.officer08,
    payload: { programme_id: programme.json().id, year: 2024, title: `Kế hoạch ${MARK}` },
  })
  if (plan.statusCode !== 201) throw new Error(`seed failed: ${plan.body}`)
  const project = await app.inject({
    method: 'POST',
    url: '/v1/projects',
    headers: as.officer08,
    payload: {
      year: 2024,
      title: `Đề án ${MARK}`,
      funding_level: 'local',
      activity_contents: ['training'],
      implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
      requested_local: 100_000_000,
    },
  })
  if (project.statusCode !== 201) throw new Error(`seed failed: ${project.body}`)
  const submitted = await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.json().id}/transitions`,
    headers: { ...as.officer08, 'if-match': '*' },
    payload: { action: 'submit', note: `Đăng ký ${MARK}` },
  })
  if (submitted.statusCode !== 200) throw new Error(`seed failed: ${submitted.body}`)
  const approved = await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.json().id}/transitions`,
    headers: { ...as.officer08, 'if-match': '*' },
    payload: { action: 'approve', decision: `${MARK}/QĐ`, decision_date: '2024-02-01' },
  })
  if (approved.statusCode !== 200) throw new Error(`seed failed: ${approved.body}`)
  const disbursement = await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.json().id}/disbursements`,
    headers: as.officer08,
    payload: {
      date: '2024-05-01',
      funding_source: 'local',
      amount: 10_000_000,
      kind: 'advance',
      document: MARK,
    },
  })
  if (disbursement.statusCode !== 201) throw new Error(`seed failed: ${disbursement.body}`)
  const allocation = await app.inject({
    method: 'POST',
    url: '/v1/budget-allocations',
    headers: as.officer08,
    payload: {
      year: 2022,
      funding_source: 'local',
      amount: 500_000_000,
      origin_province_code: '02',
      notes: MARK,
    },
  })
  if (allocation.statusCode !== 201) throw new Error(`seed failed: ${allocation.body}`)
  const establishment = await app.inject({
    method: 'POST',
    url: '/v1/establishments',
    headers: as.officer08,
    payload: { commune_code: '00691', name: `Cơ sở ${MARK}`, kind: 'household_business', external_id: MARK },
  })
  if (establishment.statusCode !== 201) throw new Error(`seed failed: ${establishment.body}`)
  // An import whose report names the marker (a row refused for it).
  const imported = await app.inject({
    method: 'POST',
    url: '/v1/establishments/imports?dry_run=true',
    headers: as.officer08,
    payload: [{ commune_code: '00691', name: `Cơ sở ${MARK}`, kind: MARK }],
  })
  if (imported.statusCode !== 422) throw new Error(`seed failed: ${imported.body}`)
  const product = await app.inject({
    method: 'POST',
    url: `/v1/establishments/${establishment.json().id}/products`,
    headers: as.officer08,
    payload: { name: `Sản phẩm ${MARK}`, product_group: 'other' },
  })
  if (product.statusCode !== 201) throw new Error(`seed failed: ${product.body}`)
  const certificate = await app.inject({
    method: 'POST',
    url: `/v1/establishments/${establishment.json().id}/products/${product.json().id}/certificates`,
    headers: as.officer08,
    payload: {
      level: 'province',
      year: 2024,
      certificate_number: `${MARK}/GCN`,
      score: 80,
      issued_date: '2024-10-01',
    },
  })
  if (certificate.statusCode !== 201) throw new Error(`seed failed: ${certificate.body}`)
  const rule = await app.inject({
    method: 'POST',
    url: '/v1/support-rules',
    headers: as.officer08,
    payload: {
      level: 'provincial',
      legal_document_id: doc.json().id,
      legal_basis: `${MARK}/QĐ`,
      title: `Mức hỗ trợ ${MARK}`,
      valid_from: '2024-01-01',
      activity_content: 'training',
      max_amount: 500_000_000,
      amount_basis: 'per_scheme',
    },
  })
  if (rule.statusCode !== 201) throw new Error(`seed failed: ${rule.body}`)
  const regional = await app.inject({
    method: 'POST',
    url: `/v1/establishments/${establishment.json().id}/products/${product.json().id}/certificates`,
    headers: as.ministry,
    payload: {
      level: 'region',
      year: 2025,
      certificate_number: `${MARK}/GCN-BCT`,
      score: 85,
      issued_date: '2025-08-01',
    },
  })
  if (regional.statusCode !== 201) throw new Error(`seed failed: ${regional.body}`)
  const attachment = await app.inject({
    method: 'POST',
    url: `/v1/legal-documents/${doc.json().id}/attachments?role=decision&description=${MARK}`,
    headers: { ...as.officer08, ...UPLOAD },
    payload: PDF,
  })
  if (attachment.statusCode !== 201) throw new Error(`seed failed: ${attachment.body}`)
  const report = await app.inject({
    method: 'POST',
    url: '/v1/periodic-reports',
    headers: as.officer08,
    payload: { period: '2025-Q4', results: `Kết quả ${MARK}` },
  })
  if (report.statusCode !== 201) throw new Error(`seed failed: ${report.body}`)
  const submittedReport = await app.inject({
    method: 'POST',
    url: `/v1/periodic-reports/${report.json().id}/transitions`,
    headers: { ...as.officer08, 'if-match': '*' },
    payload: { action: 'submit' },
  })
  if (submittedReport.statusCode !== 200) throw new Error(`seed failed: ${submittedReport.body}`)
  const nationalProjectId = await createNationalScheme(app, as)
  const progress = await app.inject({
    method: 'POST',
    url: `/v1/projects/${nationalProjectId}/progress-reports`,
    headers: as.officer08,
    payload: { month: '2025-03', percent_done: 10, issues: `Khó khăn ${MARK}` },
  })
  if (progress.statusCode !== 201) throw new Error(`seed failed: ${progress.body}`)
  return {
    attachmentId: attachment.json().id,
    nationalProjectId,
    progressReportId: progress.json().id,
    periodicReportId: report.json().id,
    supportRuleId: rule.json().id,
    budgetAllocationId: allocation.json().id,
    projectId: project.json().id,
    programmeId: programme.json().id,
    planId: plan.json().id,
    legalDocumentId: doc.json().id,
    keyProductId: keyProduct.json().id,
    implementingUnitId: unit.json().id,
    communicationActivityId: activity.json().id,
    collaboratorId: collaborator.json().id,
    inspectionId: inspection.json().id,
    ministryInspectionId: ministryInspection.json().id,
    establishmentId: establishment.json().id,
    importId: imported.json().id,
    productId: product.json().id,
    certificateId: certificate.json().id,
    disbursementId: disbursement.json().id,
    regionalCertificateId: regional.json().id,
  }
}

interface Fixture {
  /** read: one of 08's records (404 for 01); list: 01 sees none of 08's rows; write: refused. */
  kind: 'read' | 'list' | 'write' | 'self'
  path: (s: Seeded) => string
  body?: (s: Seeded) => object
  headers?: Record<string, string>
  /** For writes: a read, as 08, of what the write would change. */
  witness?: (s: Seeded) => string
  /** For lists of figures, which carry no seeded text: what shows 08's row instead of MARK. */
  marker?: string
  /** For writes: the variant the ministry decides — province 08 itself is refused it (403). */
  ministryDecides?: {
    path?: (s: Seeded) => string
    body?: (s: Seeded) => object
    /** What the variant would change, when not the fixture's witness. */
    witness?: (s: Seeded) => string
  }
}

const certificate = (s: Seeded, id: string) =>
  `/v1/establishments/${s.establishmentId}/products/${s.productId}/certificates/${id}`

const FIXTURES: Record<string, Fixture> = {
  ...attachmentsOf('LegalDocument', (s) => `/v1/legal-documents/${s.legalDocumentId}`),
  ...attachmentsOf('Programme', (s) => `/v1/programmes/${s.programmeId}`),
  ...attachmentsOf('Plan', (s) => `/v1/plans/${s.planId}`),
  ...attachmentsOf('Project', (s) => `/v1/projects/${s.projectId}`),
  ...attachmentsOf('PeriodicReport', (s) => `/v1/periodic-reports/${s.periodicReportId}`),
  ...attachmentsOf(
    'Inspection',
    (s) => `/v1/inspections/${s.inspectionId}`,
    (s) => `/v1/inspections/${s.ministryInspectionId}`,
  ),
  ...attachmentsOf(
    'ProductCertificate',
    (s) => certificate(s, s.certificateId),
    (s) => certificate(s, s.regionalCertificateId),
  ),
  getAttachment: { kind: 'read', path: (s) => `/v1/attachments/${s.attachmentId}` },
  getAttachmentContent: { kind: 'read', path: (s) => `/v1/attachments/${s.attachmentId}/content` },
  deleteAttachment: {
    kind: 'write',
    path: (s) => `/v1/attachments/${s.attachmentId}`,
    headers: { 'if-match': '*' },
    witness: (s) => `/v1/attachments/${s.attachmentId}`,
  },
  getScorecard: {
    kind: 'list',
    path: () => '/v1/reports/scorecard?year=2024',
    marker: '"province_code":"08"',
  },
  getProvinceScorecardTrend: {
    kind: 'read',
    path: () => '/v1/reports/provinces/08/scorecard?from=2024&to=2024',
  },
  getNationalReport: {
    kind: 'list',
    path: () => '/v1/reports/national?year=2024',
    marker: '"breakdown":{"independent_centre":1}', // 08's unit
  },
  listScorecardIndicators: { kind: 'self', path: () => '/v1/reports/indicators' },
  getScorecardIndicator: { kind: 'self', path: () => '/v1/reports/indicators/inspections' },
  updateScorecardIndicator: {
    kind: 'write',
    path: () => '/v1/reports/indicators/inspections',
    body: () => ({ met: 99 }),
    headers: { 'if-match': '"1"' },
    witness: () => '/v1/reports/indicators/inspections',
  },
  listEstablishments: { kind: 'list', path: () => '/v1/establishments?province_code=08' },
  getEstablishment: { kind: 'read', path: (s) => `/v1/establishments/${s.establishmentId}` },
  createEstablishment: {
    kind: 'write',
    path: () => '/v1/establishments',
    body: () => ({ province_code: '08', commune_code: '00694', name: 'INTRUDER', kind: 'sme' }),
    witness: () => '/v1/establishments?province_code=08&include_total=true',
  },
  updateEstablishment: {
    kind: 'write',
    path: (s) => `/v1/establishments/${s.establishmentId}`,
    body: () => ({ name: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/establishments/${s.establishmentId}`,
  },
  getEstablishmentImportTemplate: { kind: 'self', path: () => '/v1/establishments/imports/template' },
  listEstablishmentImports: {
    kind: 'list',
    path: () => '/v1/establishments/imports?province_code=08',
    marker: '"province_code":"08"',
  },
  getEstablishmentImport: { kind: 'read', path: (s) => `/v1/establishments/imports/${s.importId}` },
  importEstablishments: {
    kind: 'write',
    path: () => '/v1/establishments/imports?province_code=08',
    body: (s) => [{ id: s.establishmentId, name: 'INTRUDER' }],
    witness: (s) => `/v1/establishments/${s.establishmentId}`,
  },
  listEstablishmentProducts: {
    kind: 'read',
    path: (s) => `/v1/establishments/${s.establishmentId}/products`,
  },
  getEstablishmentProduct: {
    kind: 'read',
    path: (s) => `/v1/establishments/${s.establishmentId}/products/${s.productId}`,
  },
  getProductCertificate: {
    kind: 'read',
    path: (s) =>
      `/v1/establishments/${s.establishmentId}/products/${s.productId}/certificates/${s.certificateId}`,
  },
  createEstablishmentProduct: {
    kind: 'write',
    path: (s) => `/v1/establishments/${s.establishmentId}/products`,
    body: () => ({ name: 'INTRUDER', product_group: 'other' }),
    witness: (s) => `/v1/establishments/${s.establishmentId}/products`,
  },
  updateEstablishmentProduct: {
    kind: 'write',
    path: (s) => `/v1/establishments/${s.establishmentId}/products/${s.productId}`,
    body: () => ({ name: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/establishments/${s.establishmentId}/products`,
  },
  deleteEstablishmentProduct: {
    kind: 'write',
    path: (s) => `/v1/establishments/${s.establishmentId}/products/${s.productId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/establishments/${s.establishmentId}/products`,
  },
  createProductCertificate: {
    kind: 'write',
    path: (s) => `/v1/establishments/${s.establishmentId}/products/${s.productId}/certificates`,
    body: () => ({
      level: 'province',
      year: 2025,
      certificate_number: 'INTRUDER',
      score: 90,
      issued_date: '2025-10-01',
    }),
    witness: (s) => `/v1/establishments/${s.establishmentId}/products`,
    ministryDecides: {
      body: () => ({
        level: 'national',
        year: 2026,
        certificate_number: 'INTRUDER',
        score: 90,
        issued_date: '2026-01-05',
      }),
    },
  },
  updateProductCertificate: {
    kind: 'write',
    path: (s) =>
      `/v1/establishments/${s.establishmentId}/products/${s.productId}/certificates/${s.certificateId}`,
    body: () => ({ revoked: true, revoked_reason: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/establishments/${s.establishmentId}/products`,
    ministryDecides: {
      path: (s) =>
        `/v1/establishments/${s.establishmentId}/products/${s.productId}/certificates/${s.regionalCertificateId}`,
    },
  },
  listEstablishmentProjects: {
    kind: 'read',
    path: (s) => `/v1/establishments/${s.establishmentId}/projects`,
  },
  listTypicalProducts: { kind: 'list', path: () => '/v1/typical-products?province_code=08' },
  deleteEstablishment: {
    kind: 'write',
    path: (s) => `/v1/establishments/${s.establishmentId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/establishments/${s.establishmentId}`,
  },
  listImplementingUnits: { kind: 'list', path: () => '/v1/implementing-units?province_code=08' },
  getImplementingUnit: { kind: 'read', path: (s) => `/v1/implementing-units/${s.implementingUnitId}` },
  createImplementingUnit: {
    kind: 'write',
    path: () => '/v1/implementing-units',
    body: () => ({ province_code: '08', name: 'INTRUDER', unit_model: 'other' }),
    witness: () => '/v1/implementing-units?province_code=08&include_total=true',
  },
  updateImplementingUnit: {
    kind: 'write',
    path: (s) => `/v1/implementing-units/${s.implementingUnitId}`,
    body: () => ({ name: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/implementing-units/${s.implementingUnitId}`,
  },
  deleteImplementingUnit: {
    kind: 'write',
    path: (s) => `/v1/implementing-units/${s.implementingUnitId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/implementing-units/${s.implementingUnitId}`,
  },
  listCommunicationActivities: { kind: 'list', path: () => '/v1/communication-activities?province_code=08' },
  getCommunicationActivity: {
    kind: 'read',
    path: (s) => `/v1/communication-activities/${s.communicationActivityId}`,
  },
  createCommunicationActivity: {
    kind: 'write',
    path: () => '/v1/communication-activities',
    body: () => ({ province_code: '08', channel: 'other', date: '2024-01-01', title: 'INTRUDER' }),
    witness: () => '/v1/communication-activities?province_code=08&include_total=true',
  },
  updateCommunicationActivity: {
    kind: 'write',
    path: (s) => `/v1/communication-activities/${s.communicationActivityId}`,
    body: () => ({ title: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/communication-activities/${s.communicationActivityId}`,
  },
  deleteCommunicationActivity: {
    kind: 'write',
    path: (s) => `/v1/communication-activities/${s.communicationActivityId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/communication-activities/${s.communicationActivityId}`,
  },
  listCollaborators: { kind: 'list', path: () => '/v1/collaborators?province_code=08' },
  getCollaborator: { kind: 'read', path: (s) => `/v1/collaborators/${s.collaboratorId}` },
  createCollaborator: {
    kind: 'write',
    path: () => '/v1/collaborators',
    body: () => ({
      province_code: '08',
      full_name: 'INTRUDER',
      start_date: '2024-01-01',
      communes: ['00694'],
    }),
    witness: () => '/v1/collaborators?province_code=08&include_total=true',
  },
  updateCollaborator: {
    kind: 'write',
    path: (s) => `/v1/collaborators/${s.collaboratorId}`,
    body: () => ({ full_name: 'INTRUDER', communes: ['00694'] }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/collaborators/${s.collaboratorId}`,
  },
  deleteCollaborator: {
    kind: 'write',
    path: (s) => `/v1/collaborators/${s.collaboratorId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/collaborators/${s.collaboratorId}`,
  },
  eraseCollaboratorPersonalData: {
    kind: 'write',
    path: (s) => `/v1/collaborators/${s.collaboratorId}/erasure`,
    witness: (s) => `/v1/collaborators/${s.collaboratorId}`,
  },
  getProvinceCollaboratorCoverage: { kind: 'read', path: () => '/v1/provinces/08/collaborator-coverage' },
  listCollaboratorCoverage: {
    kind: 'list',
    path: () => '/v1/collaborator-coverage',
    marker: '"province_code":"08"',
  },
  listInspections: { kind: 'list', path: () => '/v1/inspections?province_code=08' },
  getInspection: { kind: 'read', path: (s) => `/v1/inspections/${s.inspectionId}` },
  createInspection: {
    kind: 'write',
    path: () => '/v1/inspections',
    body: () => ({
      province_code: '08',
      kind: 'inspection',
      inspection_date: '2024-01-01',
      inspecting_body: 'INTRUDER',
    }),
    witness: () => '/v1/inspections?province_code=08&include_total=true',
  },
  updateInspection: {
    kind: 'write',
    path: (s) => `/v1/inspections/${s.inspectionId}`,
    body: () => ({ conclusion: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/inspections/${s.inspectionId}`,
    ministryDecides: {
      path: (s) => `/v1/inspections/${s.ministryInspectionId}`,
      witness: (s) => `/v1/inspections/${s.ministryInspectionId}`,
    },
  },
  deleteInspection: {
    kind: 'write',
    path: (s) => `/v1/inspections/${s.inspectionId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/inspections/${s.inspectionId}`,
    ministryDecides: {
      path: (s) => `/v1/inspections/${s.ministryInspectionId}`,
      witness: (s) => `/v1/inspections/${s.ministryInspectionId}`,
    },
  },
  listBudgetAllocations: { kind: 'list', path: () => '/v1/budget-allocations?province_code=08' },
  getBudgetAllocation: { kind: 'read', path: (s) => `/v1/budget-allocations/${s.budgetAllocationId}` },
  createBudgetAllocation: {
    kind: 'write',
    path: () => '/v1/budget-allocations',
    body: () => ({
      province_code: '08',
      year: 2022,
      funding_source: 'local',
      amount: 1,
      type: 'revised',
      notes: 'INTRUDER',
    }),
    witness: () => '/v1/budget-allocations?province_code=08&include_total=true',
    ministryDecides: {
      body: () => ({ year: 2024, funding_source: 'central', amount: 1, notes: 'INTRUDER' }),
    },
  },
  summarizeBudgetAllocations: {
    kind: 'list',
    path: () => '/v1/budget-allocations/summary?group_by=province&province=02',
    marker: '"province_code":"08"',
  },
  listProjects: { kind: 'list', path: () => '/v1/projects?province_code=08' },
  getProject: { kind: 'read', path: (s) => `/v1/projects/${s.projectId}` },
  listProjectHistory: { kind: 'read', path: (s) => `/v1/projects/${s.projectId}/history` },
  createProject: {
    kind: 'write',
    path: () => '/v1/projects',
    body: () => ({
      province_code: '08',
      year: 2024,
      title: 'INTRUDER',
      funding_level: 'local',
      activity_contents: ['training'],
      implementing_unit: 'x',
    }),
    witness: () => '/v1/projects?province_code=08&include_total=true',
  },
  updateProject: {
    kind: 'write',
    path: (s) => `/v1/projects/${s.projectId}`,
    body: () => ({ title: 'INTRUDER' }),
    headers: { 'if-match': '"4"' },
    witness: (s) => `/v1/projects/${s.projectId}`,
  },
  transitionProject: {
    kind: 'write',
    path: (s) => `/v1/projects/${s.projectId}/transitions`,
    body: () => ({ action: 'start', note: 'INTRUDER' }),
    headers: { 'if-match': '*' },
    witness: (s) => `/v1/projects/${s.projectId}/history`,
  },
  listProjectDisbursements: { kind: 'read', path: (s) => `/v1/projects/${s.projectId}/disbursements` },
  getProjectDisbursement: {
    kind: 'read',
    path: (s) => `/v1/projects/${s.projectId}/disbursements/${s.disbursementId}`,
  },
  createProjectDisbursement: {
    kind: 'write',
    path: (s) => `/v1/projects/${s.projectId}/disbursements`,
    body: () => ({
      date: '2024-05-02',
      funding_source: 'local',
      amount: 1,
      kind: 'payment',
      document: 'INTRUDER',
    }),
    witness: (s) => `/v1/projects/${s.projectId}/disbursements`,
    ministryDecides: {
      body: () => ({
        date: '2024-05-02',
        funding_source: 'central',
        amount: 1,
        kind: 'payment',
        document: 'INTRUDER',
      }),
    },
  },
  listProgrammes: { kind: 'list', path: () => '/v1/programmes?province_code=08' },
  getProgramme: { kind: 'read', path: (s) => `/v1/programmes/${s.programmeId}` },
  createProgramme: {
    kind: 'write',
    path: () => '/v1/programmes',
    body: () => ({
      level: 'provincial',
      province_code: '08',
      title: 'INTRUDER',
      start_year: 2021,
      end_year: 2025,
    }),
    witness: () => '/v1/programmes?province_code=08&include_total=true',
  },
  updateProgramme: {
    kind: 'write',
    path: (s) => `/v1/programmes/${s.programmeId}`,
    body: () => ({ title: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/programmes/${s.programmeId}`,
  },
  deleteProgramme: {
    kind: 'write',
    path: (s) => `/v1/programmes/${s.programmeId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/programmes/${s.programmeId}`,
  },
  listSupportRules: { kind: 'list', path: () => '/v1/support-rules?province_code=08' },
  getSupportRule: { kind: 'read', path: (s) => `/v1/support-rules/${s.supportRuleId}` },
  createSupportRule: {
    kind: 'write',
    path: () => '/v1/support-rules',
    body: () => ({
      level: 'provincial',
      province_code: '08',
      legal_basis: 'INTRUDER',
      title: 'INTRUDER',
      valid_from: '2024-01-01',
    }),
    witness: () => '/v1/support-rules?province_code=08&include_total=true',
  },
  updateSupportRule: {
    kind: 'write',
    path: (s) => `/v1/support-rules/${s.supportRuleId}`,
    body: () => ({ title: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/support-rules/${s.supportRuleId}`,
  },
  deleteSupportRule: {
    kind: 'write',
    path: (s) => `/v1/support-rules/${s.supportRuleId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/support-rules/${s.supportRuleId}`,
  },
  listPlans: { kind: 'list', path: () => '/v1/plans?province_code=08' },
  getPlan: { kind: 'read', path: (s) => `/v1/plans/${s.planId}` },
  createPlan: {
    kind: 'write',
    path: () => '/v1/plans',
    body: (s) => ({ programme_id: s.programmeId, year: 2023, title: 'INTRUDER' }),
    witness: () => '/v1/plans?province_code=08&include_total=true',
  },
  updatePlan: {
    kind: 'write',
    path: (s) => `/v1/plans/${s.planId}`,
    body: () => ({ title: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/plans/${s.planId}`,
  },
  deletePlan: {
    kind: 'write',
    path: (s) => `/v1/plans/${s.planId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/plans/${s.planId}`,
  },
  getMe: { kind: 'self', path: () => '/v1/me' },
  listReportingPeriods: { kind: 'self', path: () => '/v1/reporting-periods?year=2025' },
  getReportingPeriod: { kind: 'self', path: () => '/v1/reporting-periods/2025-Q4' },
  updateReportingPeriod: {
    kind: 'write',
    path: () => '/v1/reporting-periods/2025-Q4',
    body: () => ({ due_date: '2026-03-01' }),
    headers: { 'if-match': '"1"' },
    witness: () => '/v1/reporting-periods/2025-Q4',
  },
  getReportingStatus: {
    kind: 'list',
    path: () => '/v1/reporting-status?period=2025-Q4',
    marker: '"unit_code":"08"',
  },
  summarizeReportingStatus: {
    kind: 'list',
    path: () => '/v1/reporting-status/summary?year=2025',
    marker: '"province_code":"08"',
  },
  createProjectProgressReport: {
    kind: 'write',
    path: (s) => `/v1/projects/${s.nationalProjectId}/progress-reports`,
    body: () => ({ month: '2025-04', percent_done: 1, issues: 'INTRUDER' }),
    witness: (s) => `/v1/projects/${s.nationalProjectId}/progress-reports`,
  },
  listProjectProgressReports: {
    kind: 'read',
    path: (s) => `/v1/projects/${s.nationalProjectId}/progress-reports`,
  },
  listProgressReports: {
    kind: 'list',
    path: () => '/v1/progress-reports?month=2025-03',
    marker: '"province_code":"08"',
  },
  getProgressReport: { kind: 'read', path: (s) => `/v1/progress-reports/${s.progressReportId}` },
  listPeriodicReports: { kind: 'list', path: () => '/v1/periodic-reports?province_code=08' },
  getPeriodicReport: { kind: 'read', path: (s) => `/v1/periodic-reports/${s.periodicReportId}` },
  createPeriodicReport: {
    kind: 'write',
    path: () => '/v1/periodic-reports',
    body: () => ({ province_code: '08', period: '2025-Q3', results: 'INTRUDER' }),
    witness: () => '/v1/periodic-reports?province_code=08&include_total=true',
  },
  updatePeriodicReport: {
    kind: 'write',
    path: (s) => `/v1/periodic-reports/${s.periodicReportId}`,
    body: () => ({ results: 'INTRUDER' }),
    headers: { 'if-match': '*' },
    witness: (s) => `/v1/periodic-reports/${s.periodicReportId}`,
  },
  transitionPeriodicReport: {
    kind: 'write',
    path: (s) => `/v1/periodic-reports/${s.periodicReportId}/transitions`,
    body: () => ({ action: 'return', comment: 'INTRUDER' }),
    headers: { 'if-match': '*' },
    witness: (s) => `/v1/periodic-reports/${s.periodicReportId}/history`,
  },
  listPeriodicReportVersions: {
    kind: 'read',
    path: (s) => `/v1/periodic-reports/${s.periodicReportId}/versions`,
  },
  listPeriodicReportHistory: {
    kind: 'read',
    path: (s) => `/v1/periodic-reports/${s.periodicReportId}/history`,
  },
  listAuditEvents: { kind: 'list', path: () => '/v1/audit-events' },
  listLegalDocuments: { kind: 'list', path: () => '/v1/legal-documents?province_code=08' },
  getLegalDocument: { kind: 'read', path: (s) => `/v1/legal-documents/${s.legalDocumentId}` },
  createLegalDocument: {
    kind: 'write',
    path: () => '/v1/legal-documents',
    body: () => ({
      province_code: '08',
      number: 'INTRUDER/QĐ',
      kind: 'decision',
      issuer: 'x',
      title: 'x',
      signed_date: '2024-01-01',
      subject: 'other',
    }),
    witness: () => '/v1/legal-documents?province_code=08&include_total=true',
  },
  updateLegalDocument: {
    kind: 'write',
    path: (s) => `/v1/legal-documents/${s.legalDocumentId}`,
    body: () => ({ title: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/legal-documents/${s.legalDocumentId}`,
  },
  deleteLegalDocument: {
    kind: 'write',
    path: (s) => `/v1/legal-documents/${s.legalDocumentId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/legal-documents/${s.legalDocumentId}`,
  },
  listKeyProducts: { kind: 'list', path: () => '/v1/key-products?province_code=08' },
  getKeyProduct: { kind: 'read', path: (s) => `/v1/key-products/${s.keyProductId}` },
  createKeyProduct: {
    kind: 'write',
    path: () => '/v1/key-products',
    body: () => ({
      province_code: '08',
      name: 'INTRUDER',
      kind: 'product',
      industry: 'handicrafts',
      valid_from: '2024-01-01',
    }),
    witness: () => '/v1/key-products?province_code=08&include_total=true',
  },
  updateKeyProduct: {
    kind: 'write',
    path: (s) => `/v1/key-products/${s.keyProductId}`,
    body: () => ({ name: 'INTRUDER' }),
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/key-products/${s.keyProductId}`,
  },
  deleteKeyProduct: {
    kind: 'write',
    path: (s) => `/v1/key-products/${s.keyProductId}`,
    headers: { 'if-match': '"1"' },
    witness: (s) => `/v1/key-products/${s.keyProductId}`,
  },
}

const contract = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'))
const operations: { method: string; path: string; operationId: string; writes: boolean }[] = []
for (const [path, item] of Object.entries<Record<string, { operationId: string; security?: unknown[] }>>(
  contract.paths,
)) {
  for (const [method, op] of Object.entries(item)) {
    const isPublic = Array.isArray(op.security) && op.security.length === 0
    if (!isPublic)
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        writes: method !== 'get',
      })
  }
}

const seeded = await seed()

t.ok(operations.length >= Object.keys(FIXTURES).length, 'the contract lists the protected operations')
t.same(
  Object.keys(FIXTURES).filter((id) => !operations.some((o) => o.operationId === id)),
  [],
  'no stale fixture',
)

for (const op of operations) {
  t.test(`${op.operationId} (${op.method} ${op.path})`, async (t) => {
    const fixture = FIXTURES[op.operationId]
    if (!fixture) {
      t.fail(`no tenancy fixture for ${op.operationId}: add one to test/tenancy-harness.test.ts`)
      return
    }
    const url = fixture.path(seeded)
    const call = (headers: Record<string, string>) =>
      app.inject({
        method: op.method as 'GET',
        url,
        headers: { ...fixture.headers, ...headers },
        ...(fixture.body ? { payload: fixture.body(seeded) } : {}),
      })

    const anonymous = await call({})
    t.equal(anonymous.statusCode, 401, 'no token → 401')
    t.match(anonymous.headers['www-authenticate'], /^Bearer/)

    if (op.writes) {
      const readOnly = await call(as.reader08)
      t.equal(readOnly.statusCode, 403, 'a read-only token cannot write')
    }

    if (fixture.kind === 'self') {
      const res = await call(as.officer01)
      t.equal(res.statusCode, 200)
      t.notMatch(res.body, MARK)
      return
    }
    if (fixture.kind === 'read') {
      t.equal((await call(as.officer08)).statusCode, 200, 'the owner reads it')
      const res = await call(as.officer01)
      t.equal(res.statusCode, 404, 'another province gets 404')
      t.notMatch(res.body, MARK)
      return
    }
    if (fixture.kind === 'list') {
      const mark = fixture.marker ?? MARK
      t.match((await call(as.officer08)).body, mark, 'the owner lists it')
      const res = await call(as.officer01)
      t.equal(res.statusCode, 200)
      t.notMatch(res.body, mark, 'another province lists none of it')
      const csv = await call({ ...as.officer01, accept: 'text/csv' })
      t.notMatch(csv.body, mark, 'nor in CSV')
      return
    }
    const witness = fixture.witness?.(seeded) ?? url
    const before = await app.inject({ url: witness, headers: as.officer08 })
    const res = await call(as.officer01)
    t.ok([403, 404].includes(res.statusCode), `another province's write is refused (got ${res.statusCode})`)
    t.notMatch(res.body, MARK)
    const after = await app.inject({ url: witness, headers: as.officer08 })
    t.equal(after.statusCode, before.statusCode)
    t.same(after.json(), before.json(), "08's data is unchanged")
    t.equal(after.headers.etag, before.headers.etag)
    const decided = fixture.ministryDecides
    if (decided) {
      const decidedWitness = decided.witness?.(seeded) ?? witness
      const beforeOwn = await app.inject({ url: decidedWitness, headers: as.officer08 })
      const own = await app.inject({
        method: op.method as 'GET',
        url: decided.path?.(seeded) ?? url,
        headers: { ...fixture.headers, ...as.officer08 },
        ...((decided.body ?? fixture.body) ? { payload: (decided.body ?? fixture.body)?.(seeded) } : {}),
      })
      t.equal(own.statusCode, 403, `the ministry decides it: province 08 is refused (${own.body})`)
      const unchanged = await app.inject({ url: decidedWitness, headers: as.officer08 })
      t.same(unchanged.json(), beforeOwn.json(), "08's data is unchanged")
    }
  })
}
