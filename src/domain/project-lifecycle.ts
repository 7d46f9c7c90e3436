// The scheme lifecycle (DOMAIN.md, after TT 36/2013/TT-BCT) as one state machine table
// (state-machine.ts): state × action → the next state and who takes the step.
//
// Who is who depends on the funding level: the owner of a scheme is always its province (it
// proposes, appraises at base level, implements and accepts at base level); the approver is the
// ministry for centrally funded schemes (it approves, returns, rejects, adjusts, suspends, cancels
// after approval and closes) and the province itself for locally funded ones.

import { type Lifecycle, type Step as StepOf, stateMachine } from './state-machine.js'

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
export type Role = 'ministry' | 'province'
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

/** Who the owner and the approver are, by funding level. */
export const ACTORS: Record<FundingLevel, Record<Actor, Role>> = {
  central: { owner: 'province', approver: 'ministry' },
  local: { owner: 'province', approver: 'province' },
}

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

const SCHEMES = stateMachine('scheme', PROJECT_ACTIONS, LIFECYCLE)

/** The step `action` takes from `state`, if any, regardless of who asks. */
export const stepOf = SCHEMES.stepOf

/** Whether a caller of `role` plays a party on a scheme of this funding level. */
const plays = (level: FundingLevel, role: Role) => (party: Actor) => ACTORS[level][party] === role

/** The actions the caller may take now, in the table's order (none without write access). */
export const allowedActions = (state: ProjectState, level: FundingLevel, role: Role, canWrite: boolean) =>
  canWrite ? SCHEMES.allowed(state, plays(level, role)) : []

/** The step `action` takes for this caller, or the 409 (not now) or 403 (the other party's step). */
export const takeStep = (state: ProjectState, action: ProjectAction, level: FundingLevel, role: Role) =>
  SCHEMES.take(
    state,
    action,
    plays(level, role),
    (step) => `Only the ${ACTORS[level][step.by]} may ${action} a ${level}ly funded scheme.`,
  )
