import { PacelineError } from '@paceline/core';
import { countReady } from './count-agents';
import type { Pacer } from './pacer';

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
