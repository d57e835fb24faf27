import type { LaunchRisk } from '../launch-risk';
import type { ModelEstimates } from '../model-estimates';
import type { Pacer, PacerState } from '../pacer';
import { hasInboundDemand, type InboundDemand, InboundLaunchRisk } from './inbound-launch-risk';

/**
 * A pacer state with the inbound demand of a blend (issue 23): the predictive pacer's walk then
 * lets inbound callers — queued now and arriving over the look-ahead — take the agents freeing
 * up before outbound live answers do ({@link InboundLaunchRisk}). Absent (or zero): the plain
 * walk, unchanged.
 */
export interface InboundAwarePacerState extends PacerState {
  readonly inboundDemand?: InboundDemand;
}

/** The state's inbound demand, or undefined when it has none (no rate and nobody queued). */
export function inboundDemandOf(state: PacerState): InboundDemand | undefined {
  const demand = (state as InboundAwarePacerState).inboundDemand;
  return hasInboundDemand(demand) ? demand : undefined;
}

/**
 * The predictive pacer's hook: the walk to fill for this state — `inbound` primed with the
 * state's inbound demand and horizons when it has some, else the plain `plain` walk (so a
 * pure outbound campaign's decisions are exactly those without this hook).
 */
export function walkFor(state: PacerState, est: ModelEstimates, plain: LaunchRisk, inbound: InboundLaunchRisk): LaunchRisk {
  const demand = inboundDemandOf(state);
  if (demand === undefined) return plain;
  inbound.demand = demand;
  inbound.horizonMs = est.horizonMs;
  return inbound;
}

/**
 * Wrap a pacer so every state it decides on carries the inbound demand `demand()` returns
 * (the blend's current estimate). The campaign pacer builds the state; this adds the field.
 */
export function withInboundDemand(pacer: Pacer, demand: () => InboundDemand | undefined): Pacer {
  return {
    name: pacer.name,
    decide(state) {
      const d = demand();
      return pacer.decide(d === undefined ? state : ({ ...state, inboundDemand: d } as InboundAwarePacerState));
    },
  };
}

export { hasInboundDemand, type InboundDemand, InboundLaunchRisk };
