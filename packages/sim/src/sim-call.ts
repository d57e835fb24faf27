import type { CallPhase, ObservedCall } from '@paceline/pacing';
import type { CallPlan } from './model/outcome-model';

/** A simulated call in flight. The pacer reads it as an `ObservedCall` (updated in place). */
export class SimCall implements ObservedCall {
  phase: CallPhase = 'ringing';
  ageMs = 0;
  /** Position in the dialer's in-flight list (for O(1) removal); −1 once out of it. */
  slot = -1;
  /** When the greeting ended (live answers), epoch ms. */
  greetingEndAt = 0;
  /** The abandon timer is running: the call waits for an agent. */
  waiting = false;

  constructor(
    readonly id: string,
    readonly startedAt: number,
    readonly plan: CallPlan,
  ) {}
}
