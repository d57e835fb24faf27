// A custom pacer to benchmark without editing the repo:
//   pnpm bench:pacing --pacer-module ./examples/custom-pacer/my-pacer.ts --scenario small-team-5
// The module's default export is a factory: the bench calls it once per run, so a pacer that
// keeps memory between decisions starts fresh each day.
import { AgentState } from '@paceline/core';
import type { Pacer, PacerState, PacingDecision } from '@paceline/pacing';

/**
 * "Ready plus wrap-up": one line per ready agent, plus one per agent in wrap-up for more than
 * `wrapLeadMs` (they are about to be free), while the rolling abandon rate stays below half the
 * campaign's target; plain progressive above it. Never more than `maxLinesPerAgent` lines per
 * agent at work.
 */
export default function createPacer(wrapLeadMs = 10_000): Pacer {
  return {
    name: 'ready-plus-wrap',
    decide(state: PacerState): PacingDecision {
      let ready = 0;
      let wrapping = 0;
      let working = 0;
      for (const agent of state.agents) {
        if (agent.state === AgentState.Ready) ready++;
        if (agent.state === AgentState.WrapUp && agent.timeInStateMs >= wrapLeadMs && agent.leaving !== true) wrapping++;
        if (agent.state !== AgentState.NotReady && agent.state !== AgentState.LoggedOut) working++;
      }
      const { liveAnswers, abandoned } = state.abandons;
      const rate = liveAnswers > 0 ? abandoned / liveAnswers : 0;
      const ahead = rate < state.options.abandonTarget / 2 ? wrapping : 0;
      const cap = Math.floor(state.options.maxLinesPerAgent * working);
      const lines = Math.min(cap, ready + ahead);
      return {
        launch: Math.max(0, lines - state.calls.length),
        reason: ahead > 0 ? 'ready-plus-wrap' : 'progressive',
        inputs: { ready, wrapping, rate },
      };
    },
  };
}
