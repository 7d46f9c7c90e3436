// The typed view of the database for Kysely: one interface per table in tables/<table>.table.ts
// (Kysely's own layout), assembled here. A migration that adds or changes a table changes its file.
import type { AdministrativeChangesTable } from './tables/administrative-changes.table.ts'
import type { AttachmentChunksTable } from './tables/attachment-chunks.table.ts'
import type { AttachmentsTable } from './tables/attachments.table.ts'
import type { AuditEventsTable } from './tables/audit-events.table.ts'
import type { BudgetAllocationsTable } from './tables/budget-allocations.table.ts'
import type { CodelistEntriesTable } from './tables/codelist-entries.table.ts'
import type { CodelistsTable } from './tables/codelists.table.ts'
import type { CollaboratorCommunesTable } from './tables/collaborator-communes.table.ts'
import type { CollaboratorsTable } from './tables/collaborators.table.ts'
import type { CommunesTable } from './tables/communes.table.ts'
import type { CommunicationActivitiesTable } from './tables/communication-activities.table.ts'
import type { DemoDataLoadsTable } from './tables/demo-data-loads.table.ts'
import type { DisbursementsTable } from './tables/disbursements.table.ts'
import type { EstablishmentImportsTable } from './tables/establishment-imports.table.ts'
import type { EstablishmentProductsTable } from './tables/establishment-products.table.ts'
import type { EstablishmentsTable } from './tables/establishments.table.ts'
import type { FormerProvincesTable } from './tables/former-provinces.table.ts'
import type { IdempotencyKeysTable } from './tables/idempotency-keys.table.ts'
import type { ImplementingUnitsTable } from './tables/implementing-units.table.ts'
import type { InspectionsTable } from './tables/inspections.table.ts'
import type { KeyProductsTable } from './tables/key-products.table.ts'
import type { LegalDocumentsTable } from './tables/legal-documents.table.ts'
import type { PeriodicReportTransitionsTable } from './tables/periodic-report-transitions.table.ts'
import type { PeriodicReportVersionsTable } from './tables/periodic-report-versions.table.ts'
import type { PeriodicReportsTable } from './tables/periodic-reports.table.ts'
import type { PlansTable } from './tables/plans.table.ts'
import type { ProductCertificatesTable } from './tables/product-certificates.table.ts'
import type { ProgrammesTable } from './tables/programmes.table.ts'
import type { ProgressReportsTable } from './tables/progress-reports.table.ts'
import type { ProjectTransitionsTable } from './tables/project-transitions.table.ts'
import type { ProjectsTable } from './tables/projects.table.ts'
import type { ProvincesTable } from './tables/provinces.table.ts'
import type { ReportingPeriodsTable } from './tables/reporting-periods.table.ts'
import type { ScorecardIndicatorsTable } from './tables/scorecard-indicators.table.ts'
import type { SupportRulesTable } from './tables/support-rules.table.ts'

export type { CommuneType } from './tables/communes.table.ts'
export type { ProvinceType } from './tables/provinces.table.ts'

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
