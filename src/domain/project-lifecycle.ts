// The scheme lifecycle (DOMAIN.md, after TT 36/2013/TT-BCT) as ONE table: state × action → the
// next state and who takes the step. The same table answers `allowed_actions` on every
// representation and validates every transition, so the two cannot disagree.
//
// Who is who depends on the funding level: the owner of a scheme is always its province (it
// proposes, appraises at base level, implements and accepts at base level); the approver is the
// ministry for centrally funded schemes (it approves, returns, rejects, adjusts, suspends, cancels
// after approval and closes) and the province itself for locally funded ones.

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

interface Step {
  to: ProjectState
  by: Actor
}

const owner = (to: ProjectState): Step => ({ to, by: 'owner' })
const approver = (to: ProjectState): Step => ({ to, by: 'approver' })

export const LIFECYCLE: Record<ProjectState, Partial<Record<ProjectAction, Step>>> = {
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

/** The step `action` takes from `state`, if any, regardless of who asks. */
export const stepOf = (state: ProjectState, action: ProjectAction): Step | undefined =>
  LIFECYCLE[state][action]

/** May a caller of `role` take `step` on a scheme of this funding level? */
export const mayTake = (step: Step, level: FundingLevel, role: Role) => ACTORS[level][step.by] === role

/** The actions the caller may take now, in the table's order (none without write access). */
export function allowedActions(
  state: ProjectState,
  level: FundingLevel,
  role: Role,
  canWrite: boolean,
): ProjectAction[] {
  if (!canWrite) return []
  return PROJECT_ACTIONS.filter((action) => {
    const step = stepOf(state, action)
    return step !== undefined && mayTake(step, level, role)
  })
}
