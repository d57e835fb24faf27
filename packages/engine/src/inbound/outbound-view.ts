import { AgentState, type InboundQueue, type PooledAgent } from '@paceline/core';
import type { InboundPoolLeader } from '../distributed/inbound-leader';
import type { EngineCore } from '../engine-core';
import type { ObservedAgent } from '../ports';
import type { BlendSeam } from './blended-pacer';
import type { InboundBlend } from './inbound-blend';
import type { InboundCall } from './inbound-call';
import { InboundPhase } from './inbound-machine';
import type { QueueStats } from './queue-stats';
import { matchWaiting, type ReadyAgent, type WaitingCaller, type WaitingMatch } from './waiting-match';

/** What the outbound view reads of the inbound desk. */
export interface OutboundViewSource {
  readonly core: EngineCore;
  readonly blend: InboundBlend;
  readonly queues: ReadonlyMap<string, InboundQueue>;
  readonly stats: ReadonlyMap<string, QueueStats>;
  /** This node's inbound calls. */
  calls(): Iterable<InboundCall>;
  readonly pool: InboundPoolLeader | undefined;
}

/**
 * The campaign's observed agents as its pacer must see them with the blend's hold (split from
 * `inbound-desk.ts`, issue-23 23-pool). With a `seam` (a campaign whose pacer takes inbound
 * demand) under the `demand` model, the reserve and the agents matched to waiting callers
 * (`waitingMatch`) are flagged and the seam gets the rest of the demand (`InboundBlend.viewFor`);
 * otherwise reserve + queued are flagged.
 */
export function outboundAgents(
  src: OutboundViewSource,
  agents: readonly ObservedAgent[],
  now: number,
  seam?: BlendSeam,
): readonly ObservedAgent[] {
  const waiting = (queueId: string, stats: QueueStats) => stats.waitingCount + (src.pool?.waitingElsewhere(queueId) ?? 0);
  const queued = new Map([...src.stats].map(([queueId, stats]) => [queueId, waiting(queueId, stats)]));
  const decision = src.blend.decide(now, src.core.agents.values(), queued);
  if (seam !== undefined && src.blend.demandModel) {
    // issue-23 23-wire2: the demand model, as the simulator's blend runs it; 23-pool: a waiting caller holds its agent.
    const view = src.blend.viewFor(agents, decision, waitingMatch(src));
    seam.demand = view.demand;
    return view.agents;
  }
  const held = decision.heldWithQueued;
  return held.size === 0 ? agents : src.blend.outboundView(agents, held);
}

/**
 * issue-23 23-pool: every waiting caller this node knows (its own, and the other nodes' as last
 * shared through the pool) matched to the ready agent the router would give it, among this
 * node's ready agents and the other nodes' as last read from the pool (`matchWaiting`).
 */
export function waitingMatch(src: OutboundViewSource): WaitingMatch {
  const callers: WaitingCaller[] = [];
  // A caller being offered an agent (another node's: its entry may still read ready here) holds that agent until it is taken or given back.
  const offered = new Map<string, { callId: string; queueId: string; offered: true }>();
  for (const call of src.calls()) {
    const { phase, queueId, queuedAt, agentId } = call.snapshot;
    if (queueId === undefined) continue;
    if (phase === InboundPhase.Queued) callers.push({ callId: call.callId, nodeId: src.core.nodeId, queueId, queuedAt: queuedAt ?? 0 });
    else if (phase === InboundPhase.Offered && agentId !== undefined) offered.set(agentId, { callId: call.callId, queueId, offered: true });
  }
  for (const c of src.pool?.callersElsewhere() ?? []) {
    // Taken for an agent on another node (`takeWaiting`): it holds that agent until it is served or put back waiting.
    if (c.takenBy === undefined) callers.push(c);
    else if (!offered.has(c.takenBy)) offered.set(c.takenBy, { callId: c.callId, queueId: c.queueId, offered: true });
  }
  if (callers.length === 0) return offered;
  const ready: ReadyAgent[] = [];
  for (const a of src.core.agents.values())
    if (a.state === AgentState.Ready && a.callId === undefined && !a.preview && a.notReadyReason === undefined)
      ready.push({ agentId: a.agent.id, skills: a.agent.skills, since: a.since });
  for (const a of poolAgents(src)) if (a.state === AgentState.Ready && !offered.has(a.agentId)) ready.push(a);
  return new Map([...matchWaiting(callers, ready, src.queues), ...offered]);
}

/** The other nodes' agents, each once, the latest read winning: the pool leader's listing, then each campaign's pool read and its leader's `run.pooled`. */
function poolAgents(src: OutboundViewSource): PooledAgent[] {
  const { core } = src;
  const seen = new Map<string, PooledAgent>();
  const add = (list: readonly PooledAgent[] | undefined) => {
    for (const a of list ?? []) if (a.nodeId !== core.nodeId && !core.agents.has(a.agentId)) seen.set(a.agentId, a);
  };
  add(src.pool?.lastListing());
  for (const run of core.campaigns.values()) add(run.blend?.pool?.agents);
  for (const run of core.campaigns.values()) add(run.pooled);
  return [...seen.values()];
}
