import { AgentState } from '@paceline/core';
import type { ObservedAgent } from '../pacer';

/**
 * The agents as the outbound pacer must see them when `hold` agents are spoken for by inbound
 * (the reserve kept idle plus the callers already queued): that many agents are flagged
 * `leaving`, which every pacer reads as "may still be busy now, but not future supply". So
 * the predictive model neither dials for them nor counts them when it bounds the abandons —
 * the outbound abandon cap holds with inbound taking agents away.
 *
 * Which agents: the ready ones first (longest ready first, the ones the router hands inbound
 * callers), then those likeliest to free soon — in wrap-up longest, then on a call longest.
 * An agent already `leaving`, paused or logged out is not counted. Returns a new array; the
 * input is not changed. With `hold` ≤ 0 the input array itself is returned.
 */
export function outboundView(agents: readonly ObservedAgent[], hold: number, order: HoldOrder = 'ready-first'): readonly ObservedAgent[] {
  if (!(hold > 0)) return agents;
  const ranks = order === 'busy-first' ? RANK_BUSY_FIRST : RANK;
  const candidates: { index: number; rank: number; time: number }[] = [];
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i] as ObservedAgent;
    if (agent.leaving === true) continue;
    const rank = ranks[agent.state];
    if (rank !== undefined) candidates.push({ index: i, rank, time: agent.timeInStateMs });
  }
  candidates.sort((a, b) => a.rank - b.rank || b.time - a.time || a.index - b.index);
  const held = new Set<number>();
  for (let i = 0; i < Math.min(hold, candidates.length); i++) held.add((candidates[i] as { index: number }).index);
  return agents.map((agent, i) => (held.has(i) ? { ...agent, leaving: true } : agent));
}

/**
 * Which agents carry the hold: `ready-first` (the agents idle now, then those freeing soonest)
 * or `busy-first` (those freeing soonest — in wrap-up longest, then on a call longest — then
 * the ready ones). With `busy-first` the ready agents stay visible to the outbound pacer, which
 * dials for them while they also stand ready for inbound (as inbound-first does); the agents
 * about to free are what inbound is counted to take, so the pacer neither dials for them nor
 * counts them as supply when it bounds the abandons.
 */
export type HoldOrder = 'ready-first' | 'busy-first';

/** `busy-first`: order in which agents are held (lower first). */
const RANK_BUSY_FIRST: Partial<Record<AgentState, number>> = {
  [AgentState.WrapUp]: 0,
  [AgentState.OnCall]: 1,
  [AgentState.Reserved]: 2,
  [AgentState.Ready]: 3,
};

/** Order in which agents are held for inbound (lower first); absent: never held. */
const RANK: Partial<Record<AgentState, number>> = {
  [AgentState.Ready]: 0,
  [AgentState.WrapUp]: 1,
  [AgentState.OnCall]: 2,
  [AgentState.Reserved]: 3,
};

/** Agents serving calls (ready, reserved, on a call, in wrap-up) and not leaving: the blend's N. */
export function agentsAtWork(agents: readonly ObservedAgent[]): number {
  let count = 0;
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i] as ObservedAgent;
    if (agent.leaving !== true && RANK[agent.state] !== undefined) count++;
  }
  return count;
}
