import { AgentState, type InboundQueue } from '@paceline/core';
import type { AgentRuntime, EngineCore } from '../engine-core';
import { type NextInboundCaller, nextInboundCaller } from './deadline-routing';
import type { InboundCall } from './inbound-call';
import { InboundPhase } from './inbound-machine';
import { inboundMayTake } from './outbound-commitments';
import type { QueueStats } from './queue-stats';

/**
 * Who serves whom among the inbound desk's callers and this node's agents: the waiting callers
 * in order (queue priority, then longest wait), the idle-longest skilled agent for a caller, the
 * caller for a freeing agent — each through the router rule of the `demand` blend
 * (`outbound-commitments.ts`). Reads the desk's calls and queues; changes nothing but its own
 * note that the rule kept an agent (so the desk knows a retry may help). Split from
 * `inbound-desk.ts` (issue-23 23-dist), which runs the calls.
 */
export class InboundRouter {
  /** The router rule kept an agent from a caller since the last {@link takeKept}. */
  #kept = false;

  constructor(
    readonly core: EngineCore,
    readonly queues: ReadonlyMap<string, InboundQueue>,
    readonly stats: ReadonlyMap<string, QueueStats>,
    readonly calls: ReadonlyMap<string, InboundCall>,
  ) {}

  /** The waiting caller this agent can serve here: highest queue priority, then longest wait; undefined when the rule keeps the agent. */
  nextFor(agent: AgentRuntime): NextInboundCaller<InboundCall> | undefined {
    if (agent.state !== AgentState.Ready || agent.preview) return undefined;
    const next = nextInboundCaller(agent.agent.skills, this.stats.values(), this.calls);
    return next && this.mayTake(agent) ? next : undefined; // issue-23 23-router: the router rule
  }

  /** The idle-longest ready agent with the call's queue skills whom the router rule lets inbound take. */
  freeAgentFor(call: InboundCall): AgentRuntime | undefined {
    const queue = this.queues.get(call.snapshot.queueId ?? '');
    if (!queue) return undefined;
    let best: AgentRuntime | undefined;
    for (const a of this.core.agents.values()) {
      if (a.state !== AgentState.Ready || a.preview || !queue.skills.every((skill) => a.agent.skills.includes(skill))) continue;
      if ((!best || a.since < best.since) && this.mayTake(a)) best = a;
    }
    return best;
  }

  /** The callers waiting in this node's queues: queue priority, then wait. */
  waiting(): InboundCall[] {
    const queues = [...this.stats.values()].sort((x, y) => y.queue.priority - x.queue.priority);
    return queues.flatMap((q) => q.waitingCalls().flatMap((id) => this.calls.get(id) ?? []));
  }

  /** The waiting callers still queued, each with the agent `freeAgentFor` gives it now (in order; the caller claims before the next is asked). */
  *retryable(): Generator<[InboundCall, AgentRuntime]> {
    for (const call of this.waiting()) {
      const agent = call.snapshot.phase === InboundPhase.Queued ? this.freeAgentFor(call) : undefined;
      if (agent) yield [call, agent];
    }
  }

  /** The router rule (`outbound-commitments.ts`); a refusal is remembered ({@link takeKept}). */
  mayTake(agent: AgentRuntime): boolean {
    if (inboundMayTake(this.core, agent)) return true;
    this.#kept = true;
    return false;
  }

  /** Note that the rule kept an agent (a check made elsewhere, `PoolCommitments.confirm`). */
  keep(): void {
    this.#kept = true;
  }

  /** True (once) when the rule kept an agent since the last call: a retry of the waiting callers may now succeed. */
  takeKept(): boolean {
    const kept = this.#kept;
    this.#kept = false;
    return kept;
  }
}
