import { AgentState } from '@paceline/core';
import { loggedInBelow } from './count-agents';
import type { ModelEstimates } from './model-estimates';
import type { PacerState } from './pacer';

/**
 * issue-22 22-itc20: the measured bound on {@link censoredTalkShare}, the default of
 * `PredictivePacerOptions.censoredTalkShare` since 22-csdef (past it the pacer stays at its cold
 * start). Chosen on itc-20-markov's tuning seeds 101–120 (99.4% of the optimum, the test off 99.1%).
 */
export const CENSORED_TALK_SHARE = 0.5;

/**
 * issue-22 22-itc20: how much talk the calls in progress hold *beyond* the finished calls' mean,
 * against the finished calls' sample — Σ max(0, time on the call so far − mean talk) over the agents
 * on a call, ÷ (finished calls × mean talk).
 *
 * Why: a team that logs in together finishes its *short* calls first. On itc-20-markov (20 agents,
 * exponential 90-s talk) the estimators are warm after 15 finished calls, about two minutes in,
 * and those 15 are the shortest of the first twenty: the talk they give is 29–38 s (seeds
 * 101–103). The walk then frees agents three times too fast, launches a burst, abandons 6–7
 * calls in the next two minutes, and the governor reads them over its 200-live-answer floor as
 * ≥ 3%: progressive for the next ~20 minutes. The finished sample is censored, and the calls still
 * running past its mean are the evidence: the first version of this test counted all the time in
 * progress, which also held back a staggered large team (its newcomers' young calls; −0.3 to −1.5
 * points of the first hour on large-100/150/200); counting only the time beyond the mean leaves those
 * alone. In a steady day (exponential talk) the share is about 0.37 × agents on a call ÷ finished
 * calls, and falls as the day goes on. Stateless: a function of the state and the estimates.
 */
export function censoredTalkShare(state: PacerState, est: ModelEstimates): number {
  const mean = est.meanTalkMs;
  let beyond = 0;
  for (let a = 0; a < state.agents.length; a++) {
    const agent = state.agents[a];
    if (agent !== undefined && agent.state === AgentState.OnCall && agent.timeInStateMs > mean) beyond += agent.timeInStateMs - mean;
  }
  if (beyond <= 0) return 0;
  const finished = est.workSamples * mean;
  return finished > 0 ? beyond / finished : Number.POSITIVE_INFINITY;
}

/**
 * issue-22 22-early: the state a tiny team's pacer decides on while its estimates are cold — `state`
 * with the estimators' early model (`ModelEstimates.early`, built from fewer observations: 40
 * attempts, 12 live answers, 10 finished calls by default) as its estimates when fewer than `below`
 * agents are logged in and that model's finished work looks exponential (`exponentialWork` > 0, the
 * hybrid gate's test); otherwise `state` itself.
 *
 * Why: on a team of three the default thresholds (60 / 20 / 15) hold the first ~25 minutes at
 * progressive, the day's costliest decisions against the optimum (0.21 of 0.82 points lost on
 * small-team-3-markov's seeds 1–20). On a tiny exponential-looking team the MDP policy the hybrid
 * follows needs only the rates, which 12 live answers and 10 calls give well enough; a team whose work
 * does not look exponential, or of 4 or more, keeps the full cold start (a larger team's early
 * finished calls are its short ones: `censoredTalkShare`).
 */
export function earlyStarted(state: PacerState, below: number): PacerState {
  const est = state.estimates;
  const early = est.early;
  if (est.warm || early === undefined || !loggedInBelow(state, below)) return state;
  const e = early.exponentialWork;
  return e !== undefined && e > 0 ? { ...state, estimates: early } : state;
}
