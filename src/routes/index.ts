// Every route of the API, one folder per resource.
import type { FastifyPluginAsync } from 'fastify'
import operations from './operations/index.js'
import problems from './problems/index.js'
import attachments from './v1/attachments/index.js'
import auditEvents from './v1/audit-events/index.js'
import budgetAllocations from './v1/budget-allocations/index.js'
import codelists from './v1/codelists/index.js'
import collaborators from './v1/collaborators/index.js'
import communes from './v1/communes/index.js'
import communicationActivities from './v1/communication-activities/index.js'
import establishments from './v1/establishments/index.js'
import implementingUnits from './v1/implementing-units/index.js'
import inspections from './v1/inspections/index.js'
import keyProducts from './v1/key-products/index.js'
import legalDocuments from './v1/legal-documents/index.js'
import me from './v1/me/index.js'
import periodicReports from './v1/periodic-reports/index.js'
import plans from './v1/plans/index.js'
import programmes from './v1/programmes/index.js'
import progressReports from './v1/progress-reports/index.js'
import projects from './v1/projects/index.js'
import provinces from './v1/provinces/index.js'
import reportingPeriods from './v1/reporting-periods/index.js'
import reports from './v1/reports/index.js'
import supportRules from './v1/support-rules/index.js'

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
