import { AgentState, PacelineError } from '@paceline/core';
import type { AbandonWindow, Pacer, PacerState } from '../pacer';
import { assessLaunch, forecastScaleOf } from '../predictive-pacer';
import { type AbandonSpreadOptions, checkAbandonSpreadOptions, spreadAbandonRate, spreadPriceRate } from './abandon-spread';
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
  /**
   * Spread the abandon budget over a span (the day) instead of falling back as soon as the
   * running rate touches the governor's fallback point ({@link spreadAbandonRate}). When the
   * governor has fallen back or tightened below the rate the rest of the span can afford, the
   * launch is the most calls whose expected abandons stay within that rate. Off when absent.
   */
  readonly spread?: AbandonSpreadOptions;
  /**
   * The counts the spread reads: live answers and abandons since `spread.startMs` (default the
   * state's abandon window). A host whose compliance window is longer than the span (the
   * engine: US 30 days) must pass the span's own counts, or the pace so far — the window's live
   * answers over the span's elapsed time — is overstated and the budget with it. Undefined: no
   * spread this decision (the governor's own decision stands).
   */
  readonly spreadCounts?: (state: PacerState) => AbandonWindow | undefined;
}

/**
 * Wrap a pacer so every state it decides on carries the inbound demand `demand()` returns
 * (the blend's current estimate). The campaign pacer builds the state; this adds the field.
 * When the pacer falls back (`governor-fallback`) with inbound demand, its launch is cut to
 * what the inbound-aware walk finds safe ({@link WithInboundDemandOptions.fallbackAbandonShare}).
 * With {@link WithInboundDemandOptions.spread}, a fallback or a tightened governor is lifted to
 * the rate the rest of the span can afford (`governor-spread`) while that rate is higher.
 */
export function withInboundDemand(pacer: Pacer, demand: () => InboundDemand | undefined, options: WithInboundDemandOptions = {}): Pacer {
  const share = options.fallbackAbandonShare ?? 0.5;
  if (!(share >= 0 && share <= 1))
    throw new PacelineError('E_INVALID_CONFIG', `withInboundDemand.fallbackAbandonShare: ${share} is not a fraction between 0 and 1`);
  const spread = options.spread;
  if (spread !== undefined) checkAbandonSpreadOptions(spread);
  const liftAlways = spread?.liftAlways !== false;
  // The model's expected abandons (forecast-scaled) of every call launched in the span so far: the learnt price's denominator.
  let predicted = 0;
  const count = (state: PacerState, expectedAbandons: number) => {
    if (spread !== undefined && state.now >= spread.startMs && state.now < spread.endMs && expectedAbandons > 0)
      predicted += expectedAbandons;
  };
  return {
    name: pacer.name,
    decide(state) {
      const d = demand();
      const withDemand = (d === undefined ? state : { ...state, inboundDemand: d }) as InboundAwarePacerState;
      const decision = pacer.decide(withDemand);
      const fallback = decision.reason === 'governor-fallback';
      const mode = decision.inputs.governor;
      const est = state.estimates;
      const scale = forecastScaleOf(state);
      const own = () => {
        if (decision.launch > 0 && typeof decision.inputs.rawAbandons === 'number') count(state, decision.inputs.rawAbandons * scale);
        return decision;
      };
      const governed = fallback || mode === 'tight' || (liftAlways && mode === 'normal' && decision.reason !== 'line-cap');
      if (!governed || !est.warm || est.horizons === 0) return own();
      const inbound = d !== undefined && hasInboundDemand(d);
      // What the governor allows now: the inbound-aware fallback's share, or its rate.
      const current = fallback ? (inbound ? share * state.options.abandonTarget : 0) : Number(decision.inputs.allowedRate);
      const counts = spread === undefined ? undefined : options.spreadCounts ? options.spreadCounts(state) : state.abandons;
      const s =
        spread === undefined || counts === undefined
          ? undefined
          : spreadAbandonRate(counts, state.options.abandonTarget, state.now, spread);
      const rate =
        s === undefined || spread === undefined || counts === undefined
          ? 0
          : spreadPriceRate(s, counts, state.options.abandonTarget, predicted, spread);
      if (s !== undefined && rate > current) {
        const inputs = { spreadRate: s.allowedRate, spreadPrice: rate, projectedRate: s.projectedRate, restLive: s.restLiveAnswers };
        if (!fallback) {
          // The pacer's own search at the spread's rate: its budget is allowedRate / scale, so scale by allowed ÷ rate.
          const lifted = pacer.decide({ ...withDemand, forecastScale: (scale * current) / rate });
          const raw = Number(lifted.inputs.rawAbandons);
          if (lifted.launch > 0 && Number.isFinite(raw)) count(state, raw * scale);
          return { ...lifted, reason: 'governor-spread', inputs: { ...lifted.inputs, ...inputs, allowedRate: rate, forecastScale: scale } };
        }
        const n = largestWithin(withDemand, rate);
        // Without inbound the pacer's progressive fallback stays safe at its lower rate: never fewer.
        const launch = inbound ? n : Math.max(n, decision.launch);
        if (launch > 0) count(state, assessLaunch(withDemand, launch).expectedAbandons);
        return { ...decision, launch, reason: 'governor-spread', inputs: { ...decision.inputs, ...inputs } };
      }
      if (!fallback || decision.launch <= 0 || !inbound) return own();
      const perLive = share * state.options.abandonTarget * est.liveProbability;
      let n = decision.launch;
      let expected = assessLaunch(withDemand, n).expectedAbandons;
      while (n > 0 && expected > perLive * n) {
        n--;
        expected = n > 0 ? assessLaunch(withDemand, n).expectedAbandons : 0;
      }
      count(state, expected);
      return n === decision.launch ? decision : { ...decision, launch: n, reason: 'governor-fallback-inbound' };
    },
  };
}

/**
 * The most calls (≤ the line cap's room) whose expected abandons, scaled as the pacer scales
 * them, stay within `rate × expected live answers`; the feasible launches form a prefix.
 */
function largestWithin(state: PacerState, rate: number): number {
  let working = 0;
  for (const a of state.agents) {
    const st = a.state;
    if (a.leaving === true) continue;
    if (st === AgentState.Ready || st === AgentState.OnCall || st === AgentState.Reserved || st === AgentState.WrapUp) working++;
  }
  const room = Math.floor(state.options.maxLinesPerAgent * working) - state.calls.length;
  const fits = (n: number) => {
    const a = assessLaunch(state, n);
    return a.expectedAbandons <= rate * a.expectedLive;
  };
  if (room <= 0 || !fits(1)) return 0;
  let lo = 1;
  let hi = room + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
