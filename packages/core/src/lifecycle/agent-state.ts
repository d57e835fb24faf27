import { defineStateMachine } from './state-machine';

/**
 * Agent lifecycle.
 *
 * ```
 * logged-out ──► ready ──► reserved ──► on-call ──► wrap-up ──► ready
 *      ▲  │        ▲ │        │                        │
 *      │  └──► not-ready ◄────┴────────────────────────┘
 *      └──────── (from every state: logout, even mid-call)
 * ```
 * `reserved` holds a ready agent for a call being connected; it returns to `ready` when
 * the call is lost before it connects.
 */
export enum AgentState {
  LoggedOut = 'logged-out',
  Ready = 'ready',
  Reserved = 'reserved',
  OnCall = 'on-call',
  WrapUp = 'wrap-up',
  NotReady = 'not-ready',
}

const S = AgentState;

/** The agent lifecycle and its guarded transition. */
export const agentLifecycle = defineStateMachine<AgentState>('agent', {
  [S.LoggedOut]: [S.Ready, S.NotReady],
  [S.Ready]: [S.Reserved, S.NotReady, S.LoggedOut],
  [S.Reserved]: [S.OnCall, S.Ready, S.NotReady, S.LoggedOut],
  [S.OnCall]: [S.WrapUp, S.LoggedOut],
  [S.WrapUp]: [S.Ready, S.NotReady, S.LoggedOut],
  [S.NotReady]: [S.Ready, S.LoggedOut],
});
