// A lifecycle as ONE table: state × action → the next state and the party who may take the step.
// The same table answers a record's `allowed_actions` and validates every transition, so the two
// cannot disagree. Which role plays which party is the resource's business (a scheme's approver is
// the ministry or the province by funding level), given to each call as `may(party)`.

import { type Localized, problem } from '../lib/problems.ts'
import { capitalize } from '../lib/text.ts'
import { verb } from './nouns.ts'

export interface Step<S extends string, P extends string> {
  to: S
  by: P
}

export type Lifecycle<S extends string, A extends string, P extends string> = Record<
  S,
  Partial<Record<A, Step<S, P>>>
>

export interface StateMachine<S extends string, A extends string, P extends string> {
  readonly table: Lifecycle<S, A, P>
  /** The step `action` takes from `state`, if any, regardless of who asks. */
  stepOf(state: S, action: A): Step<S, P> | undefined
  /** The actions a caller who may act as `may(party)` can take now, in the order of the actions. */
  allowed(state: S, may: (party: P) => boolean): A[]
  /**
   * The step of `action` from `state` for this caller, or the refusal: 409 when the state has no
   * such step, 403 when it is another party's (`refusal` says whose) — both naming the state and
   * the caller's allowed actions.
   */
  take(state: S, action: A, may: (party: P) => boolean, refusal: (step: Step<S, P>) => Localized): Step<S, P>
}

/** `noun` names the record in refusals ("The scheme is approved: submit is not possible now."). */
export function stateMachine<S extends string, A extends string, P extends string>(
  noun: Localized,
  actions: readonly A[],
  table: Lifecycle<S, A, P>,
): StateMachine<S, A, P> {
  const stepOf = (state: S, action: A) => table[state][action]
  const allowed = (state: S, may: (party: P) => boolean) =>
    actions.filter((action) => {
      const step = stepOf(state, action)
      return step !== undefined && may(step.by)
    })
  return {
    table,
    stepOf,
    allowed,
    take(state, action, may, refusal) {
      const step = stepOf(state, action)
      const allowed_actions = allowed(state, may)
      if (!step) {
        const listed = (none: string) => allowed_actions.join(', ') || none
        throw problem(
          'conflict',
          {
            vi: `${capitalize(noun.vi)} đang ở trạng thái ${state}: lúc này không thể ${verb(action)}. Thao tác hợp lệ: ${listed('không có')}.`,
            en: `The ${noun.en} is ${state}: ${action} is not possible now. Allowed: ${listed('none')}.`,
          },
          { state, allowed_actions },
        )
      }
      if (!may(step.by)) throw problem('forbidden', refusal(step), { state, allowed_actions })
      return step
    },
  }
}
