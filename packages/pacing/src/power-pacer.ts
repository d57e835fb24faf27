import { PacelineError } from '@paceline/core';
import { countReady } from './count-agents';
import type { Pacer } from './pacer';
import { progressiveDecision } from './progressive-pacer';

/**
 * Power: a fixed number of lines per ready agent (`ratio`, default the campaign's
 * `pacing.powerRatio`), never more than `pacing.maxLinesPerAgent`. Blind to abandons: the
 * ratio is the operator's bet.
 */
export function powerPacer(options: { ratio?: number } = {}): Pacer {
  if (options.ratio !== undefined && !(options.ratio >= 1 && options.ratio <= 10)) {
    throw new PacelineError('E_INVALID_CONFIG', `powerPacer.ratio: expected a number between 1 and 10, got ${options.ratio}`);
  }
  return {
    name: 'power',
    decide(state) {
      const ratio = Math.min(options.ratio ?? state.options.powerRatio, state.options.maxLinesPerAgent);
      const ready = countReady(state.agents);
      const inFlight = state.calls.length;
      return { launch: Math.max(0, Math.floor(ratio * ready) - inFlight), reason: 'power', inputs: { ready, inFlight, ratio } };
    },
  };
}

/**
 * Power under the abandon cap — what a campaign in `power` mode gets (DESIGN.md: the cap is
 * the engine's to keep, whatever the dial mode). It dials the power ratio only while even the
 * worst case — every line beyond one per ready agent abandoned — keeps the window's rate at or
 * under 90% of `pacing.abandonTarget`; otherwise it dials progressively (which abandons
 * nothing). So it starts progressive and never walks the rate over the cap.
 */
export function governedPowerPacer(options: { ratio?: number } = {}): Pacer {
  const power = powerPacer(options);
  return {
    name: 'power',
    decide(state) {
      const progressive = progressiveDecision(state, 'power-held');
      const decision = power.decide(state);
      const extra = decision.launch - progressive.launch;
      if (extra <= 0) return decision;
      const { liveAnswers, abandoned } = state.abandons;
      const worstRate = (abandoned + extra) / (liveAnswers + extra);
      if (worstRate <= 0.9 * state.options.abandonTarget) return decision;
      return { ...progressive, inputs: { ...progressive.inputs, worstRate, abandoned, liveAnswers } };
    },
  };
}
