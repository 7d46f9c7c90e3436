// Every route of the API, one folder per resource.
import type { FastifyPluginAsync } from 'fastify'
import operations from './operations/index.ts'
import problems from './problems/index.ts'
import attachments from './v1/attachments/index.ts'
import auditEvents from './v1/audit-events/index.ts'
import budgetAllocations from './v1/budget-allocations/index.ts'
import codelists from './v1/codelists/index.ts'
import collaborators from './v1/collaborators/index.ts'
import communes from './v1/communes/index.ts'
import communicationActivities from './v1/communication-activities/index.ts'
import establishments from './v1/establishments/index.ts'
import implementingUnits from './v1/implementing-units/index.ts'
import inspections from './v1/inspections/index.ts'
import keyProducts from './v1/key-products/index.ts'
import legalDocuments from './v1/legal-documents/index.ts'
import me from './v1/me/index.ts'
import periodicReports from './v1/periodic-reports/index.ts'
import plans from './v1/plans/index.ts'
import programmes from './v1/programmes/index.ts'
import progressReports from './v1/progress-reports/index.ts'
import projects from './v1/projects/index.ts'
import provinces from './v1/provinces/index.ts'
import reportingPeriods from './v1/reporting-periods/index.ts'
import reports from './v1/reports/index.ts'
import supportRules from './v1/support-rules/index.ts'

const routes: FastifyPluginAsync = async (app) => {
  await app.register(operations)
  await app.register(problems)
  await app.register(provinces)
  await app.register(communes)
  await app.register(codelists)
  await app.register(me)
  await app.register(auditEvents)
  await app.register(legalDocuments)
  await app.register(implementingUnits)
  await app.register(communicationActivities)
  await app.register(collaborators)
  await app.register(inspections)
  await app.register(programmes)
  await app.register(keyProducts)
  await app.register(plans)
  await app.register(supportRules)
  await app.register(projects)
  await app.register(budgetAllocations)
  await app.register(establishments)
  await app.register(reports)
  await app.register(attachments)
  await app.register(reportingPeriods)
  await app.register(periodicReports)
  await app.register(progressReports)
}

export default routes
