import { PacelineError } from '@paceline/core';
import type { Pacer } from '../pacer';
import { assessLaunch } from '../predictive-pacer';
import { hasInboundDemand, type InboundAwarePacerState, type InboundDemand } from './inbound-demand';

/** Options of {@link withInboundDemand}. */
export interface WithInboundDemandOptions {
  /**
   * While the abandon governor has fallen back (the measured rate near the cap), launch only
   * the calls whose expected abandons (inbound-aware walk, scaled) stay within this fraction
   * of the abandon target per expected live answer. Default 0.5. Plain progressive — what the
   * predictive pacer falls back to — is abandon-free only without inbound: in a blend its
   * launches keep abandoning and hold the rate at the fallback point.
   */
  readonly fallbackAbandonShare?: number;
}

/**
 * Wrap a pacer so every state it decides on carries the inbound demand `demand()` returns
 * (the blend's current estimate). The campaign pacer builds the state; this adds the field.
 * When the pacer falls back (`governor-fallback`) with inbound demand, its launch is cut to
 * what the inbound-aware walk finds safe ({@link WithInboundDemandOptions.fallbackAbandonShare}).
 */
export function withInboundDemand(pacer: Pacer, demand: () => InboundDemand | undefined, options: WithInboundDemandOptions = {}): Pacer {
  const share = options.fallbackAbandonShare ?? 0.5;
  if (!(share >= 0 && share <= 1))
    throw new PacelineError('E_INVALID_CONFIG', `withInboundDemand.fallbackAbandonShare: ${share} is not a fraction between 0 and 1`);
  return {
    name: pacer.name,
    decide(state) {
      const d = demand();
      if (d === undefined) return pacer.decide(state);
      const withDemand = { ...state, inboundDemand: d } as InboundAwarePacerState;
      const decision = pacer.decide(withDemand);
      if (decision.reason !== 'governor-fallback' || decision.launch <= 0 || !hasInboundDemand(d)) return decision;
      const est = state.estimates;
      if (!est.warm || est.horizons === 0) return decision;
      const perLive = share * state.options.abandonTarget * est.liveProbability;
      let n = decision.launch;
      while (n > 0 && assessLaunch(withDemand, n).expectedAbandons > perLive * n) n--;
      return n === decision.launch ? decision : { ...decision, launch: n, reason: 'governor-fallback-inbound' };
    },
  };
}
