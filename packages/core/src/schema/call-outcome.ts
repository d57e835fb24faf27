import type { Static } from 'typebox';
import { StringEnum } from './common';

/**
 * What the network said about one attempt. `human` and `machine` are answered calls after
 * call analysis; a live answer is `human` (see DESIGN.md, "Definitions").
 */
export const CallOutcomeSchema = StringEnum(['busy', 'no-answer', 'failed', 'invalid-number', 'machine', 'human', 'fax', 'sit'] as const);

/** Final network outcome of an attempt. */
export type CallOutcome = Static<typeof CallOutcomeSchema>;

/** Every call outcome, in declaration order. */
export const CALL_OUTCOMES: readonly CallOutcome[] = CallOutcomeSchema.enum;

/** True for outcomes where somebody or something picked up. */
export function isAnswered(outcome: CallOutcome): boolean {
  return outcome === 'human' || outcome === 'machine' || outcome === 'fax';
}

/** True for a live answer: answered and classified human. */
export function isLiveAnswer(outcome: CallOutcome): boolean {
  return outcome === 'human';
}
