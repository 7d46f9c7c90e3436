// The typed view of the database for Kysely: one interface per table in tables/<table>.table.ts
// (Kysely's own layout), assembled here. A migration that adds or changes a table changes its file.
import type { AdministrativeChangesTable } from './tables/administrative-changes.table.js'
import type { AttachmentChunksTable } from './tables/attachment-chunks.table.js'
import type { AttachmentsTable } from './tables/attachments.table.js'
import type { AuditEventsTable } from './tables/audit-events.table.js'
import type { BudgetAllocationsTable } from './tables/budget-allocations.table.js'
import type { CodelistEntriesTable } from './tables/codelist-entries.table.js'
import type { CodelistsTable } from './tables/codelists.table.js'
import type { CollaboratorCommunesTable } from './tables/collaborator-communes.table.js'
import type { CollaboratorsTable } from './tables/collaborators.table.js'
import type { CommunesTable } from './tables/communes.table.js'
import type { CommunicationActivitiesTable } from './tables/communication-activities.table.js'
import type { DemoDataLoadsTable } from './tables/demo-data-loads.table.js'
import type { DisbursementsTable } from './tables/disbursements.table.js'
import type { EstablishmentImportsTable } from './tables/establishment-imports.table.js'
import type { EstablishmentProductsTable } from './tables/establishment-products.table.js'
import type { EstablishmentsTable } from './tables/establishments.table.js'
import type { FormerProvincesTable } from './tables/former-provinces.table.js'
import type { IdempotencyKeysTable } from './tables/idempotency-keys.table.js'
import type { ImplementingUnitsTable } from './tables/implementing-units.table.js'
import type { InspectionsTable } from './tables/inspections.table.js'
import type { KeyProductsTable } from './tables/key-products.table.js'
import type { LegalDocumentsTable } from './tables/legal-documents.table.js'
import type { PeriodicReportTransitionsTable } from './tables/periodic-report-transitions.table.js'
import type { PeriodicReportVersionsTable } from './tables/periodic-report-versions.table.js'
import type { PeriodicReportsTable } from './tables/periodic-reports.table.js'
import type { PlansTable } from './tables/plans.table.js'
import type { ProductCertificatesTable } from './tables/product-certificates.table.js'
import type { ProgrammesTable } from './tables/programmes.table.js'
import type { ProgressReportsTable } from './tables/progress-reports.table.js'
import type { ProjectTransitionsTable } from './tables/project-transitions.table.js'
import type { ProjectsTable } from './tables/projects.table.js'
import type { ProvincesTable } from './tables/provinces.table.js'
import type { ReportingPeriodsTable } from './tables/reporting-periods.table.js'
import type { ScorecardIndicatorsTable } from './tables/scorecard-indicators.table.js'
import type { SupportRulesTable } from './tables/support-rules.table.js'

export type { CommuneType } from './tables/communes.table.js'
export type { ProvinceType } from './tables/provinces.table.js'

export interface Database {
  administrative_changes: AdministrativeChangesTable
  attachment_chunks: AttachmentChunksTable
  attachments: AttachmentsTable
  audit_events: AuditEventsTable
  budget_allocations: BudgetAllocationsTable
  codelist_entries: CodelistEntriesTable
  codelists: CodelistsTable
  collaborator_communes: CollaboratorCommunesTable
  collaborators: CollaboratorsTable
  communes: CommunesTable
  communication_activities: CommunicationActivitiesTable
  demo_data_loads: DemoDataLoadsTable
  disbursements: DisbursementsTable
  establishment_imports: EstablishmentImportsTable
  establishment_products: EstablishmentProductsTable
  establishments: EstablishmentsTable
  former_provinces: FormerProvincesTable
  idempotency_keys: IdempotencyKeysTable
  implementing_units: ImplementingUnitsTable
  inspections: InspectionsTable
  key_products: KeyProductsTable
  legal_documents: LegalDocumentsTable
  periodic_report_transitions: PeriodicReportTransitionsTable
  periodic_report_versions: PeriodicReportVersionsTable
  periodic_reports: PeriodicReportsTable
  plans: PlansTable
  product_certificates: ProductCertificatesTable
  programmes: ProgrammesTable
  progress_reports: ProgressReportsTable
  project_transitions: ProjectTransitionsTable
  projects: ProjectsTable
  provinces: ProvincesTable
  reporting_periods: ReportingPeriodsTable
  scorecard_indicators: ScorecardIndicatorsTable
  support_rules: SupportRulesTable
}
