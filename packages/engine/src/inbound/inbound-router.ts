import { AgentState, type InboundQueue, type PoolServiceOrder, type TimerHandle } from '@paceline/core';
import type { BlendPolicyOptions } from '@paceline/pacing';
import { INBOUND_POOL_SWEEP_MS, serviceOrder } from '../distributed/inbound-leader';
import type { AgentRuntime, EngineCore } from '../engine-core';
import { ArrivalDeferral } from './arrival-deferral';
import { type NextInboundCaller, nextInboundCaller } from './deadline-routing';
import type { InboundCall } from './inbound-call';
import { InboundPhase } from './inbound-machine';
import { inboundMayTake } from './outbound-commitments';
import { COMMITMENTS_REFRESH_MS, type PoolCommitments, poolClaim } from './pool-commitments';
import type { QueueStats } from './queue-stats';

/**
 * issue-23 23-xclaim: how long this node's callers pass by an agent the pool's order gave an older
 * caller of another node (`older`): that node's sweep and one commitments refresh, ms.
 */
export const OLDER_HOLD_MS = INBOUND_POOL_SWEEP_MS + COMMITMENTS_REFRESH_MS;

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
  /** issue-23 23-xwait: agents the pool's order gives an older caller of another node: agent id → until when (epoch ms) this node's callers pass them by. */
  readonly #held = new Map<string, number>();
  /** issue-23 23-xwait: this node's claims in flight (the pool asked), by agent id. */
  readonly #claims = new Map<string, Promise<unknown>>();
  /** issue-23 23-xwait: the retry after a deferred claim ({@link defer}). */
  #retry: TimerHandle | undefined;

  /** issue-23 23-router: the arrival deferral (`inbound.blend.arrivalDeferMs` > 0 under the `demand` model); undefined: off. */
  readonly deferral: ArrivalDeferral | undefined;

  constructor(
    readonly core: EngineCore,
    readonly queues: ReadonlyMap<string, InboundQueue>,
    readonly stats: ReadonlyMap<string, QueueStats>,
    readonly calls: ReadonlyMap<string, InboundCall>,
    /** issue-23 23-router: the blend's options: the arrival deferral runs under the `demand` model with `arrivalDeferMs` > 0. */
    blend?: Pick<BlendPolicyOptions, 'inboundModel' | 'arrivalDeferMs' | 'arrivalDeferRoom'>,
    /** The desk's retry of its waiting callers (the deferral's re-offer at a window's end). */
    retry: () => void = () => {},
  ) {
    const maxMs = blend?.inboundModel === 'demand' ? blend.arrivalDeferMs : 0;
    const room = blend?.arrivalDeferRoom;
    this.deferral = maxMs > 0 ? new ArrivalDeferral(core, { maxMs, roomMargin: room === 'off' ? undefined : room }, retry) : undefined;
  }

  /** The waiting caller this agent can serve here: highest queue priority, then longest wait; undefined when the rule keeps the agent. */
  nextFor(agent: AgentRuntime): NextInboundCaller<InboundCall> | undefined {
    if (agent.state !== AgentState.Ready || agent.preview || this.held(agent.agent.id)) return undefined;
    const next = nextInboundCaller(agent.agent.skills, this.stats.values(), this.calls);
    return next && this.mayTake(agent) ? next : undefined; // issue-23 23-router: the router rule
  }

  /** The idle-longest ready agent with the call's queue skills whom the router rule lets inbound take. */
  freeAgentFor(call: InboundCall): AgentRuntime | undefined {
    const queue = this.queues.get(call.snapshot.queueId ?? '');
    if (!queue) return undefined;
    let best: AgentRuntime | undefined;
    for (const a of this.core.agents.values()) {
      if (a.state !== AgentState.Ready || a.preview || this.held(a.agent.id)) continue;
      if (!queue.skills.every((skill) => a.agent.skills.includes(skill))) continue;
      if ((!best || a.since < best.since) && this.mayTake(a)) best = a;
    }
    // issue-23 23-router: the arrival deferral keeps the caller off the ready agents the live answers in their greeting claim.
    return best && this.#deferred(call, queue, best.campaigns) ? undefined : best;
  }

  /**
   * issue-23 23-xdefer: true when the arrival deferral keeps `call` off another node's ready agent
   * of `campaignIds` now (`InboundPoolLeader.offerRemote`: the caller this node's router kept is
   * not handed to an agent elsewhere that the same claims need); noted as kept (a retry may help).
   */
  defersRemote(call: InboundCall | undefined, campaignIds: readonly string[]): boolean {
    const queue = this.queues.get(call?.snapshot.queueId ?? '');
    return call !== undefined && queue !== undefined && this.#deferred(call, queue, campaignIds);
  }

  /** True (noted as kept) when the arrival deferral keeps `call` off a ready agent of `campaigns` now. */
  #deferred(call: InboundCall, queue: InboundQueue, campaigns: Iterable<string>): boolean {
    if (!this.deferral?.keeps(call, queue, this.stats.get(queue.id), campaigns)) return false;
    this.#kept = true;
    return true;
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

  /**
   * issue-23 23-xwait: the pool's order gave the agent to an older caller of another node
   * (`AgentPool.claimAgent` → `older`): this node's callers pass it by until `until`, while that
   * caller's node takes it; then they may ask again (the pool decides again).
   */
  hold(agentId: string, until: number): void {
    this.#held.set(agentId, until);
    this.#kept = true;
  }

  /**
   * issue-23 23-xwait: the pool refused a claim of the agent — the router rule keeps it, or the
   * order across nodes gives it to an older caller of another node (docs/blending.md "Service
   * order across nodes"): this node's callers pass it by for a commitments refresh (the local read
   * may not see what the pool decided on: without the pass the agent, freed again, would be
   * claimed again at once, without end) while that caller's node takes it; then `retry` asks
   * again, and the pool decides again.
   */
  defer(agentId: string, retry: () => void, why: 'kept' | 'older' = 'kept'): void {
    // issue-23 23-xclaim: `older` — that caller's node takes the agent on its next sweep: pass it by past that sweep.
    // At one refresh (250 ms) every fourth retry fell on the other node's sweep (1 s), and a phase that put them
    // at the same instants (this node's claim publishing the agent reserved as that take ran) starved the older caller.
    this.hold(agentId, this.core.deps.clock.now() + (why === 'older' ? OLDER_HOLD_MS : COMMITMENTS_REFRESH_MS));
    this.#rearm(retry);
  }

  /** issue-23 23-xclaim: one retry timer, at the end of the earliest hold still running (a retry while another agent is still held arms the next). */
  #rearm(retry: () => void): void {
    if (this.#retry !== undefined || this.core.closed) return;
    const now = this.core.deps.clock.now();
    let next: number | undefined;
    for (const until of this.#held.values()) if (until > now && (next === undefined || until < next)) next = until;
    if (next === undefined) return;
    this.#retry = this.core.deps.clock.setTimer(next - now, () => {
      this.#retry = undefined;
      this.#kept = true;
      retry();
      this.#rearm(retry);
    });
  }

  /** issue-23 23-xwait: a call's place in the router's order across nodes, for the pool's take. */
  orderOf(call: InboundCall): PoolServiceOrder | undefined {
    const queue = this.core.pool ? this.queues.get(call.snapshot.queueId ?? '') : undefined; // distributed mode only
    return queue && serviceOrder(this.core, call.callId, queue, call.snapshot.queuedAt ?? this.core.deps.clock.now());
  }

  /**
   * issue-23 23-dist: the rule on a fresh read of the pool's commitments for a local agent claimed
   * for `call` (`PoolCommitments.confirm`; 23-xnode: and the pool's atomic take; 23-xwait: and the
   * order across nodes), noted while in flight ({@link settled}). 23-xclaim: without them (outside
   * the `demand` blend) in distributed mode, the pool's atomic claim all the same (`poolClaim`: the
   * order across nodes and the `takenBy` marks; the pool away: taken, reported); a single node: taken.
   */
  claim(agent: AgentRuntime, call: InboundCall, commitments: PoolCommitments | undefined): Promise<'taken' | 'kept' | 'older'> {
    const order = this.orderOf(call);
    if (!commitments && (!order || !this.core.deps.agentPool?.claimAgent)) return Promise.resolve('taken');
    const agentId = agent.agent.id;
    // 23-xclaim: outside the blend no router rule, so no campaigns (`[]`); the order and the `takenBy` marks all the same.
    const answer = commitments
      ? commitments.confirm(agent, order)
      : poolClaim(this.core, this.core.deps.agentPool, agent, [], order, 'inbound claim');
    const settled = answer.then(
      () => {},
      () => {},
    );
    this.#claims.set(agentId, settled);
    void settled.then(() => {
      if (this.#claims.get(agentId) === settled) this.#claims.delete(agentId);
    });
    return answer;
  }

  /**
   * issue-23 23-xwait: settles when this node's claim of the agent in flight does (undefined: none):
   * another node's offer for an agent reserved here for that claim waits for the pool's answer
   * (refused — the pool gave the agent to that caller — the offer is accepted) instead of being
   * declined: at one instant each retry of the claim would otherwise decline the offer again.
   */
  settled(agentId: string): Promise<void> | undefined {
    return this.#claims.get(agentId) as Promise<void> | undefined;
  }

  close(): void {
    this.deferral?.close();
    if (this.#retry !== undefined) this.core.deps.clock.clearTimer(this.#retry);
    this.#retry = undefined;
  }

  /** True while the agent is held for an older caller elsewhere. */
  held(agentId: string): boolean {
    const until = this.#held.get(agentId);
    if (until === undefined) return false;
    if (until > this.core.deps.clock.now()) return true;
    this.#held.delete(agentId);
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
