import { defineStateMachine } from './state-machine';

/**
 * Call lifecycle, one attempt on the trunk.
 *
 * ```
 * queued ──► dialing ──► ringing ──► answered ──► analysing ──► connected ──► ended
 *    │          │           │            │             └──────► abandoned ──► ended
 *    └──────────┴───────────┴────────────┴─────────────────────────────────► ended
 * ```
 * Busy, no-answer, failed and machine hang-ups go straight to `ended`; a trunk that
 * signals no ringing may go `dialing → answered`.
 */
export enum CallState {
  Queued = 'queued',
  Dialing = 'dialing',
  Ringing = 'ringing',
  Answered = 'answered',
  Analysing = 'analysing',
  Connected = 'connected',
  Abandoned = 'abandoned',
  Ended = 'ended',
}

const S = CallState;

/** The call lifecycle and its guarded transition. */
export const callLifecycle = defineStateMachine<CallState>('call', {
  [S.Queued]: [S.Dialing, S.Ended],
  [S.Dialing]: [S.Ringing, S.Answered, S.Ended],
  [S.Ringing]: [S.Answered, S.Ended],
  [S.Answered]: [S.Analysing, S.Ended],
  [S.Analysing]: [S.Connected, S.Abandoned, S.Ended],
  [S.Connected]: [S.Ended],
  [S.Abandoned]: [S.Ended],
  [S.Ended]: [],
});
