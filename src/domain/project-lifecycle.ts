// The scheme lifecycle (DOMAIN.md, after TT 36/2013/TT-BCT) as one state machine table
// (state-machine.ts): state × action → the next state and who takes the step.
//
// Who is who depends on who runs the scheme and how it is funded: the owner of a province's scheme
// is the province (it proposes, appraises at base level, implements and accepts at base level); the
// approver is the ministry for centrally funded schemes (it approves, returns, rejects, adjusts,
// suspends, cancels after approval and closes) and the province itself for locally funded ones. A
// national scheme run by one of the ministry's own units is the ministry's on both sides.

import type { Localized } from '../lib/problems.ts'
import { NOUNS, verb } from './nouns.ts'
import { type Lifecycle, type Step as StepOf, stateMachine } from './state-machine.ts'

export const PROJECT_STATES = [
  'draft',
  'submitted',
  'appraised',
  'approved',
  'in_progress',
  'completed',
  'accepted',
  'settled',
  'returned',
  'rejected',
  'suspended',
  'cancelled',
] as const
export type ProjectState = (typeof PROJECT_STATES)[number]

export const PROJECT_ACTIONS = [
  'submit',
  'appraise',
  'approve',
  'return',
  'reject',
  'start',
  'complete',
  'accept',
  'settle',
  'suspend',
  'resume',
  'cancel',
  'adjust',
] as const
export type ProjectAction = (typeof PROJECT_ACTIONS)[number]

export type FundingLevel = 'central' | 'local'
/** Who carries a scheme out: a unit of its province, or one of the ministry's own units. */
export const RUN_BY = ['province', 'ministry'] as const
export type RunBy = (typeof RUN_BY)[number]
export type Role = 'ministry' | 'province'

/** How messages name each role. */
export const ROLE_NAMES: Record<Role, Localized> = {
  ministry: { vi: 'Bộ', en: 'ministry' },
  province: { vi: 'tỉnh', en: 'province' },
}
type Actor = 'owner' | 'approver'
type Step = StepOf<ProjectState, Actor>

const owner = (to: ProjectState): Step => ({ to, by: 'owner' })
const approver = (to: ProjectState): Step => ({ to, by: 'approver' })

export const LIFECYCLE: Lifecycle<ProjectState, ProjectAction, Actor> = {
  draft: { submit: owner('submitted'), cancel: owner('cancelled') },
  returned: { submit: owner('submitted'), cancel: owner('cancelled') },
  submitted: {
    appraise: owner('appraised'),
    approve: approver('approved'),
    return: approver('returned'),
    reject: approver('rejected'),
    cancel: owner('cancelled'),
  },
  appraised: {
    approve: approver('approved'),
    return: approver('returned'),
    reject: approver('rejected'),
    cancel: owner('cancelled'),
  },
  approved: { start: owner('in_progress'), adjust: approver('approved'), cancel: approver('cancelled') },
  in_progress: {
    complete: owner('completed'),
    suspend: approver('suspended'),
    adjust: approver('in_progress'),
    cancel: approver('cancelled'),
  },
  suspended: {
    resume: approver('in_progress'),
    adjust: approver('suspended'),
    cancel: approver('cancelled'),
  },
  completed: { accept: owner('accepted') },
  accepted: { settle: approver('settled') },
  settled: {},
  rejected: {},
  cancelled: {},
}

/** The facts of a scheme that decide who plays which party. */
export interface Arrangement {
  funding_level: string
  run_by: string
}

type Parties = Record<Actor, Role> & { scheme: Localized }

const PARTIES: Record<FundingLevel | 'ministry_run', Parties> = {
  central: {
    owner: 'province',
    approver: 'ministry',
    scheme: { vi: 'đề án dùng kinh phí khuyến công quốc gia', en: 'a centrally funded scheme' },
  },
  local: {
    owner: 'province',
    approver: 'province',
    scheme: { vi: 'đề án dùng kinh phí khuyến công địa phương', en: 'a locally funded scheme' },
  },
  ministry_run: {
    owner: 'ministry',
    approver: 'ministry',
    scheme: { vi: 'đề án do đơn vị trực thuộc Bộ thực hiện', en: 'a scheme run by the ministry’s own units' },
  },
}

/** Who the owner and the approver of this scheme are. */
export const partiesOf = (scheme: Arrangement): Parties =>
  PARTIES[scheme.run_by === 'ministry' ? 'ministry_run' : (scheme.funding_level as FundingLevel)]

/** States in which the scheme's money counts as approved (allocated to the scheme). */
export const APPROVED_STATES: readonly ProjectState[] = [
  'approved',
  'in_progress',
  'suspended',
  'completed',
  'accepted',
  'settled',
]

/** States in which the proposal (requested money, funding level, plan) may still change. */
export const EDITABLE_STATES: readonly ProjectState[] = ['draft', 'returned']

/** States in which nothing changes any more. */
export const FINAL_STATES: readonly ProjectState[] = ['settled', 'rejected', 'cancelled']

/** States in which money may be disbursed (or refunded). */
export const DISBURSING_STATES: readonly ProjectState[] = [
  'approved',
  'in_progress',
  'suspended',
  'completed',
  'accepted',
]

const SCHEMES = stateMachine(NOUNS.project, PROJECT_ACTIONS, LIFECYCLE)

/** The step `action` takes from `state`, if any, regardless of who asks. */
export const stepOf = SCHEMES.stepOf

/** Whether a caller of `role` plays a party on this scheme. */
const plays = (scheme: Arrangement, role: Role) => (party: Actor) => partiesOf(scheme)[party] === role

/** The actions the caller may take now, in the table's order (none without write access). */
export const allowedActions = (state: ProjectState, scheme: Arrangement, role: Role, canWrite: boolean) =>
  canWrite ? SCHEMES.allowed(state, plays(scheme, role)) : []

/** The step `action` takes for this caller, or the 409 (not now) or 403 (the other party's step). */
export const takeStep = (state: ProjectState, action: ProjectAction, scheme: Arrangement, role: Role) =>
  SCHEMES.take(state, action, plays(scheme, role), (step) => {
    const parties = partiesOf(scheme)
    return {
      vi: `Chỉ ${ROLE_NAMES[parties[step.by]].vi} mới được ${verb(action)} ${parties.scheme.vi}.`,
      en: `Only the ${ROLE_NAMES[parties[step.by]].en} may ${action} ${parties.scheme.en}.`,
    }
  })
