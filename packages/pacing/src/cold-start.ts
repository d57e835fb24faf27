import { AgentState } from '@paceline/core';
import type { ModelEstimates } from './model-estimates';
import type { PacerState } from './pacer';

/**
 * issue-22 22-itc20: the measured bound on {@link censoredTalkShare} for the opt-in
 * `PredictivePacerOptions.censoredTalkShare` (past it the pacer stays at its cold start). Chosen
 * between 0.25 and 0.5 on itc-20-markov's tuning seeds 101–120 (both 99.4% of the optimum, the
 * default 99.1%; 0.5 ends the cold start sooner). Not the default: see the option.
 */
export const CENSORED_TALK_SHARE = 0.5;

/**
 * issue-22 22-itc20: how much talk the calls still in progress hold against the finished calls' sample —
 * Σ (time on the call so far of every agent on a call) ÷ (finished calls × their mean talk).
 *
 * Why: a team that logs in together finishes its *short* calls first. On itc-20-markov (20 agents,
 * exponential 90-s talk) the estimators are warm after 15 finished calls, about two minutes in,
 * and those 15 are the shortest of the first twenty: the talk they give is 29–38 s (seeds
 * 101–103). The walk then frees agents three times too fast, launches a burst, abandons 6–7
 * calls in the next two minutes, and the governor reads them over its 200-live-answer floor as
 * ≥ 3%: progressive for the next ~20 minutes. The finished sample is censored: with exponential
 * talk the unbiased mean is (Σ finished + Σ in progress) ÷ finished, so while this share is
 * above s the sample's mean is below 1/(1 + s) of it. In a steady day the share is about
 * (agents on a call) ÷ (finished calls) and falls as the day goes on, so only the first minutes
 * of a team that starts together, or a large team joining one with few finished calls, see it.
 * Stateless: a function of the state and the estimates.
 */
export function censoredTalkShare(state: PacerState, est: ModelEstimates): number {
  let inProgress = 0;
  for (let a = 0; a < state.agents.length; a++) {
    const agent = state.agents[a];
    if (agent !== undefined && agent.state === AgentState.OnCall) inProgress += agent.timeInStateMs;
  }
  if (inProgress <= 0) return 0;
  const finished = est.workSamples * est.meanTalkMs;
  return finished > 0 ? inProgress / finished : Number.POSITIVE_INFINITY;
}
