import { isDeepStrictEqual } from 'node:util'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import { Type } from 'typebox'
import { audit } from '../../../db/audit.ts'
import { checkBeneficiaries, checkCommunes, checkKeyProducts } from '../../../db/references.ts'
import { checkOrigin, deciderForWrite, type Scope, type Trx } from '../../../db/tenancy.ts'
import { schemeDecider } from '../../../domain/deciders.ts'
import { csvResponses, exportCsv, pageOfChildren, wantsCsv } from '../../../domain/listing.ts'
import { type Noun, notFound, verb } from '../../../domain/nouns.ts'
import {
  APPROVED_STATES,
  allowedActions,
  EDITABLE_STATES,
  FINAL_STATES,
  type ProjectAction,
  type ProjectState,
  takeStep,
} from '../../../domain/project-lifecycle.ts'
import { type Day, firstBreach } from '../../../domain/running-totals.ts'
import { checkSupport, governs, load, type Money } from '../../../domain/support-rules.ts'
import {
  changeVersioned,
  createOnce,
  idempotencyHeader,
  ifMatchHeader,
  readVersioned,
  updateVersioned,
  versionTag,
} from '../../../domain/versioned.ts'
import { Page, paginate } from '../../../lib/pagination.ts'
import { FieldErrors, invalidField, problem } from '../../../lib/problems.ts'
import { problemResponses, readResponses, todayInVietnam, updateResponses } from '../../../lib/schemas.ts'
import { withAttachmentCount } from '../attachments/repository.ts'
import { findById as findPlan } from '../plans/repository.ts'
import { inForce } from '../support-rules/repository.ts'
import disbursements from './disbursements/index.ts'
import { netByDay } from './disbursements/repository.ts'
import {
  CSV_COLUMNS,
  findById,
  findForUpdate,
  HISTORY_SORT,
  historyQuery,
  insert,
  listQuery,
  moneyDecisions,
  type ProjectRow,
  projectTypeParent,
  recordTransition,
  SORT,
  select,
  update,
} from './repository.ts'
import {
  CreateProject,
  FUNDING_SOURCES,
  HistoryEntry,
  HistoryQuery,
  ListProjectsQuery,
  Project,
  ProjectParams,
  Transition,
  UpdateProject,
} from './schemas.ts'

const ENTITY: Noun = 'project'
/** One record as its single representation has it (built once: the query is compiled once per role). */
const readOne = withAttachmentCount('projects', select)
const versioned = { entity: ENTITY }

/** The scheme as the representation has it, after a write (its money is computed by the select). */
async function reread(trx: Trx, scope: Scope, id: string) {
  const row = await findById(trx, scope, id)
  if (!row) throw notFound(ENTITY, id)
  return row
}

/** The representation: the row and the actions this caller may take now. */
const present = (request: FastifyRequest, row: ProjectRow) => ({
  ...row,
  allowed_actions: allowedActions(row.state as ProjectState, row, request.user.role, request.user.can_write),
})

/** The scheme's site province, if the caller may propose or edit a scheme run by `runBy` there. */
const ownerForWrite = (scope: Scope, runBy: string, province: string | undefined) =>
  deciderForWrite(scope, schemeDecider(runBy), province, {
    vi: 'Các đề án do đơn vị trực thuộc Bộ thực hiện',
    en: 'Schemes run by the ministry’s own units',
  })

type Draft = Partial<Omit<ProjectRow, 'id' | 'version' | 'created_at' | 'updated_at'>> & {
  province_code: string
  year: number
  funding_level: string
  activity_contents: string[]
}

/**
 * A pilot scheme (đề án điểm, TT 36/2013 Art. 2.3) links two or more activity contents and lasts
 * more than a year: a planned end later than a year after the planned start.
 */
function checkPilot(fails: FieldErrors, doc: Draft) {
  fails.check(doc.activity_contents.length < 2, 'body', 'activity_contents', {
    vi: 'phải có từ hai nội dung hoạt động trở lên đối với đề án điểm',
    en: 'must list two or more contents for a pilot scheme',
  })
  const { planned_start: start, planned_end: end } = doc
  if (!start) {
    fails.add('body', 'planned_start', {
      vi: 'là bắt buộc đối với đề án điểm',
      en: 'is required for a pilot scheme',
    })
    return
  }
  const yearLater = `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`
  fails.check(!end || end <= yearLater, 'body', 'planned_end', {
    vi: `phải sau ngày ${yearLater}: đề án điểm kéo dài hơn một năm`,
    en: `must be later than ${yearLater}: a pilot scheme lasts more than a year`,
  })
}

/**
 * The ministry's units carry out national schemes: central money, with the beneficiaries' counterpart
 * or other sources beside it, never the province's budget (the province does not write its money).
 */
function checkMinistryRun(fails: FieldErrors, doc: Draft) {
  fails.check(doc.funding_level !== 'central', 'body', 'funding_level', {
    vi: 'phải là central đối với đề án do đơn vị trực thuộc Bộ thực hiện',
    en: 'must be central for a scheme run by the ministry’s own units',
  })
  fails.check(Boolean(doc.requested_local), 'body', 'requested_local', {
    vi: 'phải bằng 0: ngân sách tỉnh không cấp cho đề án do đơn vị trực thuộc Bộ thực hiện',
    en: 'must be 0: the province’s budget does not fund a scheme run by the ministry’s own units',
  })
}

/** The project type belongs to one of the activity contents (code list `project_type`). */
async function checkProjectType(
  trx: Trx,
  fails: FieldErrors,
  doc: Pick<Draft, 'activity_contents' | 'project_type'>,
) {
  if (!doc.project_type) return
  const parent = await projectTypeParent(trx, doc.project_type)
  fails.check(!parent || !doc.activity_contents.includes(parent), 'body', 'project_type', {
    vi: `thuộc nội dung hoạt động ${parent}, nội dung này không có trong activity_contents`,
    en: `belongs to activity content ${parent}, which is not among activity_contents`,
  })
}

/** Rules across fields, checked before writing so that the answer names every failing field. */
async function check(trx: Trx, scope: Scope, doc: Draft) {
  const fails = new FieldErrors()
  await checkBeneficiaries(
    trx,
    fails,
    scope,
    doc.province_code,
    doc.beneficiary_establishment_ids ?? [],
    'beneficiary_establishment_ids',
  )
  fails.check(
    Boolean(doc.planned_start && doc.planned_end && doc.planned_end < doc.planned_start),
    'body',
    'planned_end',
    { vi: 'không được sớm hơn planned_start', en: 'must not be before planned_start' },
  )
  // A scheme of budget year Y cannot have ended before Y began.
  for (const field of ['planned_end', 'actual_end'] as const) {
    const end = doc[field]
    fails.check(Boolean(end && end < `${doc.year}-01-01`), 'body', field, {
      vi: `không được sớm hơn năm của đề án (${doc.year})`,
      en: `must not be before the scheme's year (${doc.year})`,
    })
  }
  fails.check(
    Boolean(doc.actual_start && doc.actual_end && doc.actual_end < doc.actual_start),
    'body',
    'actual_end',
    { vi: 'không được sớm hơn actual_start', en: 'must not be before actual_start' },
  )
  if (doc.run_by === 'ministry') checkMinistryRun(fails, doc)
  if (doc.kind === 'pilot') checkPilot(fails, doc)
  await checkProjectType(trx, fails, doc)
  await checkKeyProducts(trx, fails, scope, doc.province_code, doc.key_product_ids ?? [], doc.year)
  await checkCommunes(trx, fails, doc.province_code, doc.communes ?? [])
  await checkOrigin(trx, fails, doc.province_code, doc.origin_province_code)
  if (doc.plan_id) await checkPlan(trx, fails, scope, doc, doc.plan_id)
  fails.throwIfAny()
}

/** The plan a scheme is part of: one the caller sees, of its funding level and of its year. */
async function checkPlan(trx: Trx, fails: FieldErrors, scope: Scope, doc: Draft, id: string) {
  const plan = await findPlan(trx, scope, id)
  if (!plan) {
    fails.add('body', 'plan_id', {
      vi: 'không phải là kế hoạch bạn được xem',
      en: 'is not a plan you can see',
    })
    return
  }
  fails.check(doc.funding_level === 'central' && plan.province_code !== null, 'body', 'plan_id', {
    vi: 'phải là kế hoạch cấp quốc gia đối với đề án dùng kinh phí khuyến công quốc gia',
    en: 'must be a national plan for a centrally funded scheme',
  })
  fails.check(doc.funding_level === 'local' && plan.province_code !== doc.province_code, 'body', 'plan_id', {
    vi: `phải là kế hoạch của tỉnh/thành phố ${doc.province_code} đối với đề án dùng kinh phí địa phương`,
    en: `must be a plan of province ${doc.province_code} for a local scheme`,
  })
  fails.check(plan.year !== doc.year, 'body', 'year', {
    vi: `phải là năm của kế hoạch, ${plan.year}`,
    en: `must be the plan’s year, ${plan.year}`,
  })
}

/**
 * Fields of the proposal, which change only while it is a draft or returned: its money and what
 * the support rules cap it by — content and type (training at 90 % is not machinery at 50 %).
 */
const PROPOSAL_FIELDS = [
  'funding_level',
  'plan_id',
  'year',
  'activity_contents',
  'project_type',
  ...FUNDING_SOURCES.map((s) => `requested_${s}` as const),
] as const

/** Fields the caps read that still change after approval: a group scheme fixes sites and beneficiaries then. */
const SITE_FIELDS = ['priority_areas', 'beneficiary_count', 'beneficiary_establishment_ids'] as const

type TransitionBody = Static<typeof Transition>

const approvedOf = (row: ProjectRow) => ({
  central: row.approved_central,
  local: row.approved_local,
  counterpart: row.approved_counterpart,
  other: row.approved_other,
})

/** Whether a field keeps its value: a list in another order is the same list. */
const same = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b)
    ? isDeepStrictEqual([...a].sort(), [...b].sort())
    : isDeepStrictEqual(a, b)

/**
 * An approved scheme's sites and beneficiaries change only while its approved money stays within
 * the caps in force on the approval date: one priority area fewer takes away the ×1.5 uplift, one
 * beneficiary fewer raises the support per establishment. A change that takes the money further
 * above a rule than it was — or above one it was within — is refused, naming the fields changed;
 * one that brings it nearer a rule recorded since the approval is not.
 */
async function checkStillCapped(trx: Trx, scope: Scope, current: ProjectRow, next: ProjectRow) {
  const changed = SITE_FIELDS.filter((f) => !same(next[f], current[f]))
  if (!APPROVED_STATES.includes(current.state as ProjectState) || changed.length === 0) return
  const date =
    current.approval_date ??
    (await moneyDecisions(trx, scope, current.id)).at(-1)?.decision_date ??
    todayInVietnam()
  const approved = approvedOf(current)
  const money: Money = {
    central: approved.central ?? 0,
    local: approved.local ?? 0,
    counterpart: approved.counterpart ?? 0,
    other: approved.other ?? 0,
  }
  const pointers = changed.map((f) => `/${f}`)
  for (const rule of await inForce(trx, scope, date)) {
    if (!governs(rule, next)) continue
    // Within the rule, or no heavier on it than before (a rule entered since the approval): kept.
    const within =
      load(rule, next, money) <= (governs(rule, current) ? Math.max(1, load(rule, current, money)) : 1)
    if (!within) checkSupport([rule], next, money, () => pointers)
  }
}

const requestedOf = (row: ProjectRow): Money => ({
  central: row.requested_central,
  local: row.requested_local,
  counterpart: row.requested_counterpart,
  other: row.requested_other,
})

/**
 * The money a step decides — requested on submit, approved on approve and adjust — against the
 * support rules in force on the decision date that cap it; the rules checked, for the scheme.
 */
async function checkRules(
  trx: Trx,
  scope: Scope,
  current: ProjectRow,
  action: ProjectAction,
  date: string,
  money: Money,
) {
  const rules = (await inForce(trx, scope, date)).filter(
    (r) =>
      governs(r, current) &&
      (r.max_share_percent !== null || r.max_amount !== null || r.counterpart_required),
  )
  checkSupport(rules, current, money, (s) => (action === 'submit' ? `/requested_${s}` : `/approved/${s}`))
  return JSON.stringify(
    rules.map((r) => ({ id: r.id, legal_basis: r.legal_basis, title: r.title, action, date })),
  )
}

/** One lifecycle step, validated against the table in domain/project-lifecycle.ts. */
async function transition(trx: Trx, scope: Scope, current: ProjectRow, body: TransitionBody) {
  const state = current.state as ProjectState
  const action = body.action as ProjectAction
  const step = takeStep(state, action, current, scope.role)
  const setsMoney = action === 'approve' || action === 'adjust'
  const fails = new FieldErrors()
  fails.check((action === 'return' || action === 'reject') && !body.note, 'body', 'note', {
    vi: `là bắt buộc để ${verb(action)} đề án (nêu lý do)`,
    en: `is required to ${action} a scheme (the reasons)`,
  })
  fails.check(setsMoney && !body.decision, 'body', 'decision', {
    vi: `là bắt buộc để ${verb(action)} đề án`,
    en: `is required to ${action} a scheme`,
  })
  const recast = body.activity_contents !== undefined || body.project_type !== undefined
  fails.check(action === 'adjust' && !body.approved && !recast, 'body', 'approved', {
    vi: 'là bắt buộc để adjust: số kinh phí được duyệt mới (hoặc nội dung hoạt động, loại hình mới)',
    en: 'is required to adjust: the new approved amounts (or the new contents or project type)',
  })
  for (const field of ['activity_contents', 'project_type'] as const) {
    fails.check(action !== 'adjust' && body[field] !== undefined, 'body', field, {
      vi: `chỉ dùng cho điều chỉnh (adjust), không dùng cho ${verb(action)}`,
      en: `is only taken by adjust, not ${action}`,
    })
  }
  // An adjustment may recast what the scheme is; the rules of what it becomes cap its money.
  const scheme: ProjectRow = {
    ...current,
    activity_contents: body.activity_contents ?? current.activity_contents,
    project_type: body.project_type === undefined ? current.project_type : body.project_type,
  }
  if (recast && scheme.kind === 'pilot') checkPilot(fails, scheme)
  if (recast) await checkProjectType(trx, fails, scheme)
  // The rules in force on the decision date cap the support: a date decades off (1900, 2099)
  // found none in force and capped nothing. A decision comes at the earliest in the year before
  // the scheme's, and not after today (an older one may still be recorded late).
  const earliest = `${current.year - 1}-01-01`
  const today = todayInVietnam()
  fails.check(
    body.decision_date !== undefined && (body.decision_date < earliest || body.decision_date > today),
    'body',
    'decision_date',
    {
      vi: `phải trong khoảng từ ${earliest} (năm trước năm của đề án) đến hôm nay (${today})`,
      en: `must be between ${earliest} (the year before the scheme's) and today (${today})`,
    },
  )
  fails.check(!setsMoney && Boolean(body.approved), 'body', 'approved', {
    vi: `chỉ dùng cho phê duyệt (approve) và điều chỉnh (adjust), không dùng cho ${verb(action)}`,
    en: `is only taken by approve and adjust, not ${action}`,
  })
  if (action === 'adjust') {
    // Decisions follow each other: the amounts approved on a day are those of the last before it.
    const last = (await moneyDecisions(trx, scope, current.id)).at(-1)?.decision_date
    fails.check(last !== undefined && (body.decision_date ?? today) < last, 'body', 'decision_date', {
      vi: `không được sớm hơn quyết định trước về kinh phí của đề án (${last})`,
      en: `must not be before the scheme's previous decision on its money (${last})`,
    })
  }
  fails.throwIfAny()
  const date = body.decision_date ?? today
  let before: Record<string, number | null> | null = null
  let after: Record<string, number | null> | null = null
  let money = {}
  if (setsMoney) {
    before = approvedOf(current)
    // What was disbursed: nothing before the approval, so only an adjustment asks.
    const disbursed = action === 'adjust' ? await netByDay(trx, scope, current.id) : new Map<string, Day[]>()
    const next: Money = { central: 0, local: 0, counterpart: 0, other: 0 }
    for (const s of FUNDING_SOURCES) {
      const given = body.approved?.[s] as number | undefined
      const value =
        given ?? (action === 'approve' ? current[`requested_${s}`] : (current[`approved_${s}`] ?? 0))
      // Never below what was disbursed by any day from the decision's on (a late adjustment may
      // be dated before a refund that brought today's total under it).
      const breach = firstBreach(disbursed.get(s) ?? [], date, 0, () => value)
      if (breach) {
        const detail = {
          vi: `không được thấp hơn số đã giải ngân tính đến ngày ${breach.date} (${breach.total})`,
          en: `must not be below the amount disbursed by ${breach.date} (${breach.total})`,
        }
        throw problem(
          'unprocessable',
          { vi: `approved.${s} (${value}) ${detail.vi}.`, en: `approved.${s} (${value}) ${detail.en}.` },
          { errors: [{ in: 'body', pointer: `/approved/${s}`, detail }] },
        )
      }
      next[s] = value
    }
    if (current.run_by === 'ministry' && next.local) {
      throw invalidField('body', 'approved/local', {
        vi: 'phải bằng 0 đối với đề án do đơn vị trực thuộc Bộ thực hiện',
        en: 'must be 0 for a scheme run by the ministry’s own units',
      })
    }
    after = next
    money = {
      approved_central: next.central,
      approved_local: next.local,
      approved_counterpart: next.counterpart,
      approved_other: next.other,
      approval_decision: body.decision,
      approval_date: date,
      checked_rules: await checkRules(trx, scope, scheme, action, date, next),
    }
  }
  if (action === 'submit') {
    money = { checked_rules: await checkRules(trx, scope, current, action, date, requestedOf(current)) }
  }
  const was = { activity_contents: current.activity_contents, project_type: current.project_type }
  const recasting = recast
    ? { activity_contents: scheme.activity_contents, project_type: scheme.project_type }
    : {}
  await recordTransition(
    trx,
    current.id,
    { state: step.to, ...money, ...recasting },
    {
      province_code: current.province_code,
      action,
      from_state: state,
      to_state: step.to,
      note: body.note ?? null,
      decision: body.decision ?? null,
      decision_date: body.decision || body.decision_date ? date : null,
      amounts_before: before && JSON.stringify(before),
      amounts_after: after && JSON.stringify(after),
      recast: recast ? JSON.stringify({ before: was, after: recasting }) : null,
      actor_sub: scope.sub,
      actor_role: scope.role,
    },
  )
  await audit(trx, {
    entityType: ENTITY,
    entityId: current.id,
    provinceCode: current.province_code,
    action,
    before: {
      state,
      ...(before ? { approved: before } : {}),
      ...(recast ? was : {}),
    },
    after: {
      state: step.to,
      ...(after ? { approved: after } : {}),
      ...recasting,
      ...(body.note ? { note: body.note } : {}),
      ...(body.decision ? { decision: body.decision } : {}),
    },
  })
}

const projects: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Project)
  app.addSchema(HistoryEntry)
  const Ref = Type.Ref('Project')

  app.get(
    '/v1/projects',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listProjects',
        tags: ['projects'],
        summary: 'List schemes',
        description:
          'Đề án khuyến công — schemes, latest year first, each with its `state` and the caller’s ' +
          '`allowed_actions`. A province sees its own; the ministry all. `Accept: text/csv` streams every match.',
        querystring: ListProjectsQuery,
        response: csvResponses(
          Page(Project, 'Một trang đề án — a page of schemes, latest year first.'),
          'Một trang đề án — a page of schemes',
        ),
      },
    },
    async (request, reply) => {
      if (wantsCsv(request)) {
        return exportCsv(request, reply, {
          filename: 'projects.csv',
          columns: [...CSV_COLUMNS],
          query: (trx, scope) => listQuery(trx, scope, request.query),
          keys: SORT,
        })
      }
      const page = await request.tenant((trx, scope) =>
        paginate(request, reply, listQuery(trx, scope, request.query), SORT, request.query),
      )
      return { ...page, items: page.items.map((row) => present(request, row)) }
    },
  )

  app.post(
    '/v1/projects',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createProject',
        tags: ['projects'],
        summary: 'Propose a scheme',
        description:
          'Lập đề án — a new scheme of the caller’s province, in state `draft`; or, by the ministry, a national ' +
          'scheme its own units run (`run_by: ministry`, naming the site’s `province_code`; central funding, ' +
          'no local money). Communes must be of the ' +
          'province; the project type must belong to one of the activity contents; a central scheme belongs ' +
          'to a national plan, a local one to a plan of its province. Send `Idempotency-Key`.',
        headers: idempotencyHeader,
        body: CreateProject,
        response: {
          201: { ...Project, $id: undefined, description: 'Đã lập — the new scheme.' },
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'conflict', 'unprocessable'),
        },
      },
    },
    async (request, reply) =>
      createOnce(request, reply, async (trx, scope) => {
        const { province_code, ...body } = request.body
        const runBy = body.run_by ?? 'province'
        const province = ownerForWrite(scope, runBy, province_code)
        const draft = { ...body, run_by: runBy, province_code: province }
        await check(trx, scope, draft)
        const id = await insert(trx, draft)
        const created = await reread(trx, scope, id)
        await audit(trx, {
          entityType: ENTITY,
          entityId: id,
          provinceCode: province,
          action: 'create',
          after: created,
        })
        reply.header('etag', versionTag(created.version))
        return { body: present(request, created), location: `/v1/projects/${id}` }
      }),
  )

  app.get(
    '/v1/projects/:id',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getProject',
        tags: ['projects'],
        summary: 'Get a scheme',
        description:
          'Một đề án — one scheme with its money, `state`, the caller’s `allowed_actions`, and its version ' +
          'as `ETag`.',
        params: ProjectParams,
        response: readResponses(Ref),
      },
    },
    async (request, reply) =>
      present(
        request,
        await readVersioned(request, reply, {
          ...versioned,
          id: request.params.id,
          find: readOne,
        }),
      ),
  )

  app.patch(
    '/v1/projects/:id',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateProject',
        tags: ['projects'],
        summary: 'Update a scheme',
        description:
          'Sửa đề án — change some fields (merge patch), by whoever runs the scheme (its province, or the ministry ' +
          'for a scheme its own units run). Requested money, funding ' +
          'level, plan, year, activity contents and project type change only in `draft` or `returned` (else ' +
          '409); approved money only through the `adjust` transition; once approved, priority areas and ' +
          'beneficiaries only while the approved money stays within the support rules in force on the ' +
          'approval date (else 422 naming the rule and the fields); a settled, rejected or cancelled scheme ' +
          'no more. Requires `If-Match` (412 when stale, 428 when missing).',
        params: ProjectParams,
        headers: ifMatchHeader,
        body: UpdateProject,
        response: updateResponses(Ref, 'conflict', 'unprocessable'),
      },
    },
    async (request, reply) => {
      const row = await updateVersioned(request, reply, {
        ...versioned,
        id: request.params.id,
        find: findForUpdate,
        authorize: (scope, current) => ownerForWrite(scope, current.run_by, current.province_code),
        async write(trx, scope, current) {
          const state = current.state as ProjectState
          if (FINAL_STATES.includes(state)) {
            throw problem(
              'conflict',
              {
                vi: `Đề án đang ở trạng thái ${state}: không thể thay đổi nữa.`,
                en: `The scheme is ${state}: it no longer changes.`,
              },
              { state },
            )
          }
          const body = request.body as Record<string, unknown>
          const locked = PROPOSAL_FIELDS.filter(
            (f) => f in body && !isDeepStrictEqual(body[f], current[f]) && !EDITABLE_STATES.includes(state),
          )
          if (locked.length > 0) {
            const fields = locked.join(', ')
            throw problem(
              'conflict',
              {
                vi: `Đề án đang ở trạng thái ${state}: ${fields} chỉ thay đổi được khi ở trạng thái draft hoặc returned.`,
                en: `The scheme is ${state}: ${fields} changes only in draft or returned.`,
              },
              {
                state,
                errors: locked.map((f) => ({
                  in: 'body' as const,
                  pointer: `/${f}`,
                  detail: {
                    vi: 'bị khóa sau khi đề án đã được gửi',
                    en: 'is locked once the scheme is submitted',
                  },
                })),
              },
            )
          }
          const next = { ...current, ...request.body }
          await check(trx, scope, next)
          await checkStillCapped(trx, scope, current, next)
          await update(trx, current.id, request.body)
          return reread(trx, scope, current.id)
        },
      })
      return present(request, row)
    },
  )

  app.post(
    '/v1/projects/:id/transitions',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'transitionProject',
        tags: ['projects'],
        summary: 'Take a lifecycle step',
        description:
          'Chuyển trạng thái đề án — submit, appraise, approve, return, reject, start, complete, accept, settle, ' +
          'suspend, resume, cancel or adjust. Who may act depends on `funding_level`: for a central scheme the ' +
          'ministry approves, returns, rejects, adjusts, suspends, resumes, cancels after approval and settles, ' +
          'the province submits, appraises, starts, completes and accepts at base level; for a local scheme the ' +
          'province does all; for a scheme run by the ministry’s own units (`run_by: ministry`) the ministry does all. A step not possible from the current state → 409 naming the state and ' +
          '`allowed_actions`; a step for the other party → 403. `approve` takes `decision` and optionally the ' +
          '`approved` amounts (default: the requested ones); `adjust` takes `decision` and the new `approved` ' +
          'amounts (never below what was disbursed) or recasts `activity_contents` and `project_type`, whose ' +
          'support rules then cap the money; `return` and `reject` need a `note`. Every step is kept in ' +
          'the history and the audit trail. Like every change, it needs `If-Match` (none → 428, stale → 412).',
        params: ProjectParams,
        headers: ifMatchHeader,
        body: Transition,
        response: {
          200: Ref,
          ...problemResponses(
            'validation_failed',
            'unauthorized',
            'forbidden',
            'not_found',
            'conflict',
            'precondition_failed',
            'precondition_required',
            'unprocessable',
          ),
        },
      },
    },
    async (request, reply) => {
      const row = await changeVersioned(request, reply, {
        ...versioned,
        id: request.params.id,
        find: findForUpdate,
        // The lifecycle table decides who takes which step (transition() → takeStep()).
        authorize: () => {},
        async change(trx, scope, current) {
          await transition(trx, scope, current, request.body)
          return reread(trx, scope, current.id)
        },
      })
      return present(request, row)
    },
  )

  app.get(
    '/v1/projects/:id/history',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listProjectHistory',
        tags: ['projects'],
        summary: 'A scheme’s lifecycle history',
        description:
          'Lịch sử đề án — every lifecycle step of the scheme in order: who, when, the action, the states ' +
          'before and after, the note and decision, and the approved amounts for approve and adjust.',
        params: ProjectParams,
        querystring: HistoryQuery,
        response: {
          200: Page(HistoryEntry, 'Các bước — the steps, oldest first.'),
          ...problemResponses('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      pageOfChildren(request, reply, {
        find: (trx, scope) => findById(trx, scope, request.params.id),
        notFound: () => notFound(ENTITY, request.params.id),
        query: (trx, scope, project) => historyQuery(trx, scope, project.id),
        keys: HISTORY_SORT,
        page: request.query,
      }),
  )

  await app.register(disbursements)
}

export default projects
