import { busyAgentBase, busyAgentTable } from '../flow-work';
import type { LaunchRisk } from '../launch-risk';
import type { ModelEstimates } from '../model-estimates';
import type { ObservedAgent, PacerState } from '../pacer';
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
  inbound.heldSupply = heldSupplyRows(demand.heldBusy ?? [], est);
  return inbound;
}

/**
 * The predictive pacer's progressive floor for this state: `floor` (one line per ready agent
 * staying at work) without inbound demand; 0 with it. "Lines up to the ready agents cannot
 * abandon" holds only when nobody else takes those agents: in a blend an inbound caller takes
 * the longest-ready agent, and the outbound call dialled for it is then abandoned if nobody
 * else frees — raw inbound-first's failure (docs/blending.md). So with inbound demand every
 * launch passes the walk's abandon budget, the floor's too.
 */
export function inboundFloor(state: PacerState, floor: number): number {
  return inboundDemandOf(state) === undefined ? floor : 0;
}

export { hasInboundDemand, type InboundDemand, InboundLaunchRisk };

/** The completion rows (as the pacer's own walk reads them) of the held busy agents. */
function heldSupplyRows(agents: readonly ObservedAgent[], est: ModelEstimates): { table: Float64Array; base: number }[] {
  const rows: { table: Float64Array; base: number }[] = [];
  for (const agent of agents) {
    // issue-23 23-flowtab: the agent's own flow's table when the estimates have one.
    const table = busyAgentTable(agent, est.flowWork, est.handleFree, est.wrapFree);
    if (table !== undefined) rows.push({ table, base: busyAgentBase(agent, est) });
  }
  return rows;
}
