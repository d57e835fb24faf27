import { countReady } from './count-agents';
import type { Pacer, PacerState, PacingDecision } from './pacer';

/**
 * Progressive: one line per ready agent; with calls already in flight, only the difference.
 * `excludeLeaving` leaves out agents about to pause or log out (predictive's fallbacks do, so
 * they stay within predictive's own line cap, which counts only agents staying at work).
 */
export function progressiveDecision(state: PacerState, reason = 'progressive', excludeLeaving = false): PacingDecision {
  const ready = countReady(state.agents, excludeLeaving);
  const inFlight = state.calls.length;
  return { launch: Math.max(0, ready - inFlight), reason, inputs: { ready, inFlight } };
}

/** The progressive pacer: never more lines in flight than ready agents, so it never abandons. */
export function progressivePacer(): Pacer {
  return { name: 'progressive', decide: (state) => progressiveDecision(state) };
}
