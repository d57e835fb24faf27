import { AgentState, type InboundQueue } from '@paceline/core';
import { type BlendDecision, type BlendPolicy, type BlendPolicyOptions, createBlendPolicy } from '@paceline/pacing';
import type { AgentRuntime } from '../engine-core';
import type { ObservedAgent } from '../ports';

/**
 * The blend seen from the engine: one `@paceline/pacing` blend policy for the dialer's agents
 * that can serve inbound. It learns from the queues (arrivals, answers after a wait, abandons)
 * and from the agents' work, and at every pacing round tells the outbound pacer which agents
 * are spoken for by inbound — kept free (the reserve) or about to be taken by a queued caller —
 * by flagging them `leaving`: the predictive model neither dials for them nor counts them when
 * it bounds the abandon rate. Outbound fills the rest.
 *
 * One policy for all queues: agents are held for inbound as a pool (the agents with the skills
 * of at least one queue). Agents who serve only inbound (logged in to no campaign) are held
 * first when they are the longest ready, so they cover the reserve before a campaign's agents do.
 */
export class InboundBlend {
  readonly policy: BlendPolicy;
  #last: { decision: BlendDecision; at: number; held: ReadonlySet<string> } | undefined;

  constructor(
    options: BlendPolicyOptions,
    readonly queues: readonly InboundQueue[],
  ) {
    this.policy = createBlendPolicy(options);
  }

  /** True when the agent has the skills of at least one queue. */
  servesInbound(agent: AgentRuntime): boolean {
    return this.queues.some((q) => q.skills.every((skill) => agent.agent.skills.includes(skill)));
  }

  /**
   * The blend's decision at `now` over `agents` (every logged-in agent of the dialer) with
   * `queued` callers waiting; decided once per instant and shared by the campaigns' rounds.
   */
  decide(now: number, agents: Iterable<AgentRuntime>, queued: number): { decision: BlendDecision; held: ReadonlySet<string> } {
    if (this.#last?.at === now) return this.#last;
    const observed: ObservedAgent[] = [];
    for (const a of agents) {
      if (a.state === AgentState.LoggedOut || !this.servesInbound(a)) continue;
      const leaving = a.notReadyReason !== undefined && a.state !== AgentState.NotReady;
      observed.push({ id: a.agent.id, state: a.state, timeInStateMs: now - a.since, ...(leaving ? { leaving } : {}) });
    }
    const decision = this.policy.decide({ now, agents: observed, queuedInbound: queued });
    const held = new Set<string>();
    decision.outboundAgents.forEach((agent, i) => {
      if (agent.leaving === true && observed[i]?.leaving !== true) held.add(agent.id);
    });
    this.#last = { decision, at: now, held };
    return this.#last;
  }

  /** The campaign's observed agents as its pacer must see them: the agents inbound holds flagged `leaving`. */
  outboundView(campaignAgents: readonly ObservedAgent[], held: ReadonlySet<string>): ObservedAgent[] {
    return campaignAgents.map((a) => (held.has(a.id) && a.leaving !== true ? { ...a, leaving: true } : a));
  }

  /** The last decision, for the status and dashboard. */
  get last(): { decision: BlendDecision; at: number } | undefined {
    return this.#last;
  }
}
