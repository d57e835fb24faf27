import {
  AgentState,
  type InboundQueue,
  type PooledAgent,
  type PooledWaitingCaller,
  type PoolServiceOrder,
  type TimerHandle,
} from '@paceline/core';
import type { EngineCore } from '../engine-core';
import type { InboundApi, InboundDispositionData } from '../inbound/inbound-api';
import type { InboundBlend } from '../inbound/inbound-blend';
import type { InboundInput } from '../inbound/inbound-machine';
import type { InboundOffer } from '../inbound/inbound-options';
import { inboundRoom } from '../inbound/outbound-commitments';
import { PoolQueueStats } from '../inbound/pool-queue-stats';
import type { QueueStats } from '../inbound/queue-stats';
import { INBOUND_OFFER_DEADLINE_MS, type InboundPoolMessage } from './inbound-protocol';

/** What the leader needs of the inbound desk that runs the calls. */
export interface InboundDeskLink {
  /** Feed `input` to the call while its agent is `agentId` (on the call's mailbox); resolves true when the machine took it. */
  fromPool(callId: string, agentId: string, input: InboundInput): Promise<boolean>;
  /** Reserve the pool's agent for the queued call (the machine's `agentReserved`; called inside the call's `findAgent`, on its mailbox); false when it is no longer queued. */
  reserved(callId: string, agentId: string): Promise<boolean>;
  /** Ask again for every queued caller (highest priority, longest wait first) that no agent of this node can take: one elsewhere may be free now. */
  retryWaiting(): void;
  /** This node's waiting callers (published for the other nodes: one view of the queues). */
  waiting(): { callId: string; queueId: string; queuedAt: number }[];
  /** Another node's freed agent asks for this caller (the oldest across the pool as it last saw it): offer that agent the head of the caller's queue. */
  pull(callId: string, agentId: string): void;
  /** issue-23 23-xdefer: the arrival deferral keeps the caller off a ready agent of these campaigns now (its re-offer armed). */
  defers(callId: string, campaignIds: readonly string[]): boolean;
}

/** An agent of another node offered, or on, an inbound call this node leads. */
interface RemoteAgent {
  readonly agentId: string;
  readonly node: string;
  /** The accept deadline, while offered. */
  timer?: TimerHandle;
  connected: boolean;
}

/** How long one listing of the pool serves the leader's offers, ms. */
const POOL_LIST_REUSE_MS = 250;

/** How often the leader looks for other nodes' free agents for its waiting callers, ms. */
export const INBOUND_POOL_SWEEP_MS = 1_000;

/** issue-23 23-xwait: a waiting caller's pool entry is live this long after its node last published it (three sweeps), ms. */
export const WAITING_FRESH_MS = 3 * INBOUND_POOL_SWEEP_MS;

/**
 * rb12: a waiting entry not republished for this long is a gone node's and is deleted from the pool
 * (`AgentPool.sweepWaiting`, every sweep), ms: ten freshness windows (30 s). Readers pass over an
 * entry after {@link WAITING_FRESH_MS} already, and a live node republishes every caller of its
 * queues each sweep (1 s), so only a node that missed 30 sweeps loses its entries — one that comes
 * back puts them all again at its next sweep. The margin over the 3-s window also covers clock skew
 * between the publishing and the sweeping node (the readers' window breaks first).
 */
export const WAITING_STALE_MS = 10 * WAITING_FRESH_MS;

/**
 * issue-23 23-xwait: a take's place in the router's order across nodes (`AgentPool`'s
 * `PoolServiceOrder`): this node's caller `callId` in `queue`, queued since `queuedAt`.
 */
export function serviceOrder(core: EngineCore, callId: string, queue: InboundQueue, queuedAt: number): PoolServiceOrder {
  const queues = (core.deps.inbound?.config.queues ?? [queue]).map((q) => ({ id: q.id, priority: q.priority, skills: q.skills }));
  const waitingSince = core.deps.clock.now() - WAITING_FRESH_MS;
  return { nodeId: core.nodeId, callId, priority: queue.priority, queuedAt, queues, waitingSince };
}

/**
 * issue-23: the side of the node whose trunk holds an inbound call (it leads the call) toward
 * the agents of other nodes: a queued caller with no free agent here is offered to another
 * node's fresh, ready agent with the queue's skills (idle longest), reserved in the pool first.
 * The agent's node accepts or declines; a decline or no answer within
 * {@link INBOUND_OFFER_DEADLINE_MS} puts the caller back at the head of its queue, keeping its
 * wait, and that agent is not asked again for this call. The agent's hang-up, disposition and
 * do-not-call request come back forwarded; the end and the release go to its node.
 */
export class InboundPoolLeader {
  readonly #remote = new Map<string, RemoteAgent>();
  /** Per call, the agents that declined it (or did not answer). */
  readonly #declined = new Map<string, Set<string>>();
  #sweep: TimerHandle | undefined;
  /** The last pool listing (reused for {@link POOL_LIST_REUSE_MS}). */
  #listed: { at: number; freshSince: number; agents: PooledAgent[] } | undefined;
  /** The other nodes' waiting callers at the last sweep, longest waiting first. */
  #elsewhere: PooledWaitingCaller[] = [];
  /** This node's callers published as waiting at the last sweep. */
  #published = new Set<string>();
  #closed = false;
  /** issue-23 23-pool: the rule kept another node's agent from an offer (`#mayOffer`). */
  #kept = false;
  /** issue-23 23-dist: the queues' statistics kept in the store (when it has them): the pool's numbers and the blend's learning. */
  readonly poolStats: PoolQueueStats | undefined;

  constructor(
    readonly core: EngineCore,
    /** The desk's public side: a forwarded hang-up, disposition or do-not-call request runs there as the agent's own would. */
    readonly api: Pick<InboundApi, 'hangup' | 'disposition' | 'requestDnc'>,
    readonly desk: InboundDeskLink,
    /** issue-23 23-dist: the desk's queue statistics and blend (absent: the numbers stay per node). */
    queueStats: readonly QueueStats[] = [],
    blend?: InboundBlend,
  ) {
    this.#schedule();
    const store = PoolQueueStats.storeOf(core.deps.store);
    this.poolStats =
      store && blend && queueStats.length > 0
        ? new PoolQueueStats(
            core,
            queueStats.map((s) => s.queue),
            blend,
            store,
            () => this.agentsElsewhere(),
          ).attach(queueStats)
        : undefined;
  }

  /** The agent's node, when the call's agent is another node's. */
  nodeOf(callId: string): string | undefined {
    return this.#remote.get(callId)?.node;
  }

  /**
   * Offer a queued caller to another node's ready agent; true when one was reserved and asked
   * (the call is then offered). Runs on the call's mailbox.
   */
  async offerRemote(callId: string, queue: InboundQueue, queuedAt: number, prefer?: string): Promise<boolean> {
    const pool = this.core.pool;
    if (!pool || this.#closed) return false;
    const now = this.core.deps.clock.now();
    const freshSince = this.core.parts.poolMember.freshSince(now);
    const declined = this.#declined.get(callId);
    const candidates = await this.#candidates(queue, freshSince);
    const preferred = candidates.findIndex((a) => a.agentId === prefer);
    if (preferred > 0) candidates.unshift(...candidates.splice(preferred, 1));
    for (const agent of candidates) {
      if (declined?.has(agent.agentId) || !this.#mayOffer(agent) || this.#deferred(callId, agent, prefer)) continue;
      if (!(await this.#take(callId, agent.agentId, now, freshSince, serviceOrder(this.core, callId, queue, queuedAt)))) continue;
      this.#taken(agent.agentId);
      if (!(await this.desk.reserved(callId, agent.agentId))) {
        // The caller left meanwhile; the agent's node republishes its entry (it was never asked).
        return true;
      }
      const remote: RemoteAgent = { agentId: agent.agentId, node: agent.nodeId, connected: false };
      this.#remote.set(callId, remote);
      remote.timer = this.core.deps.clock.setTimer(INBOUND_OFFER_DEADLINE_MS, () => {
        delete remote.timer;
        this.#declinedBy(callId, remote, 'no answer from its node');
      });
      const message: InboundPoolMessage = {
        type: 'inboundOffer',
        callId,
        agentId: agent.agentId,
        queueId: queue.id,
        skills: queue.skills,
        leader: this.core.nodeId,
      };
      await this.#send(agent.nodeId, message);
      return true;
    }
    return false;
  }

  /**
   * issue-23 23-pool: the router rule as this node reads it (its calls, the pool's shares): an
   * agent that the blended campaigns counting on it keep for their calls in flight is not asked
   * (its node would decline, `kept`); the desk asks again when the rule may allow it
   * ({@link takeKept}). The agent's node still decides on its own fresh read.
   */
  #mayOffer(agent: PooledAgent): boolean {
    for (const id of agent.campaignIds) {
      const run = this.core.campaigns.get(id);
      const room = run === undefined ? undefined : inboundRoom(this.core, run);
      if (room !== undefined && room < 1) {
        this.#kept = true;
        return false;
      }
    }
    return true;
  }

  /**
   * issue-23 23-xdefer: the arrival deferral (counted across the pool) keeps the caller off this ready
   * agent elsewhere — not the agent that pulled it (`prefer`: an agent freeing, like the local
   * `nextFor`, is never deferred). Noted as kept, so the desk's retry (the window's end, the next
   * outbound event) asks the other nodes' agents again, not only this node's.
   */
  #deferred(callId: string, agent: PooledAgent, prefer: string | undefined): boolean {
    if (agent.agentId === prefer || !this.desk.defers(callId, agent.campaignIds)) return false;
    this.#kept = true;
    return true;
  }

  /** issue-23 23-pool: true (once) when the rule kept another node's agent from an offer since the last call. */
  takeKept(): boolean {
    const kept = this.#kept;
    this.#kept = false;
    return kept;
  }

  /**
   * issue-23 23-pool: the caller taken for the agent in one atomic step (`AgentPool.takeWaiting`):
   * the agent reserved and the caller no longer listed as waiting, so no other node counts it as
   * waiting (nor holds an agent for it) while it is offered. 23-xnode: the router rule is checked
   * in that step on the pool's commitments: `kept` — the caller waits, asked again on the next
   * outbound event or sweep ({@link takeKept}). A pool without it: the agent reserved.
   */
  async #take(callId: string, agentId: string, now: number, freshSince: number, order: PoolServiceOrder): Promise<boolean> {
    const shared = this.core.deps.agentPool;
    if (!shared?.takeWaiting) return (await this.core.pool?.reserve(agentId, callId, now, freshSince)) ?? false;
    // issue-23 23-xwait: and the router's order across nodes (`older`: an older caller elsewhere comes first; this one waits, asked again like `kept`).
    const took = await shared.takeWaiting(callId, agentId, now, freshSince, this.core.nodeId, order);
    if (took === 'kept' || took === 'older') this.#kept = true;
    // Its entry (or the take's marker) is withdrawn by the next sweep unless the caller waits again.
    if (took === 'taken') this.#published.add(callId);
    return took === 'taken';
  }

  /** An agent reserved here is not offered again from the cached listing. */
  #taken(agentId: string): void {
    if (this.#listed)
      this.#listed.agents = this.#listed.agents.map((a) => (a.agentId === agentId ? { ...a, state: AgentState.Reserved } : a));
  }

  /** The desk's `connected` for a remote agent: its node shows the call. False when the agent is this node's. */
  connected(offer: InboundOffer): boolean {
    const remote = this.#remote.get(offer.callId);
    if (!remote || remote.agentId !== offer.agentId) return false;
    remote.connected = true;
    void this.#send(remote.node, { type: 'inboundConnect', offer });
    return true;
  }

  /** The call ended with a remote agent on it: its node moves the agent to wrap-up. */
  ended(callId: string, agentId: string, at: number): void {
    const remote = this.#remote.get(callId);
    if (remote?.agentId === agentId) void this.#send(remote.node, { type: 'inboundEnded', callId, agentId, at, leader: this.core.nodeId });
  }

  /**
   * A do-not-call request honoured here: every other node in the pool (a node with a fresh agent
   * entry — the nodes that lead agent campaigns) adds the number to its own internal DNC list.
   */
  dncEverywhere(phone: string, source: string, at: number): void {
    const freshSince = this.core.parts.poolMember.freshSince(at);
    this.core.guard(
      'inbound dnc to the pool',
      this.#poolEntries(freshSince).then(async (agents) => {
        for (const node of new Set(agents.map((a) => a.nodeId))) await this.#send(node, { type: 'inboundDnc', phone, source, at });
      }),
    );
  }

  /** The disposition is recorded: the remote agent's node releases the agent and tells its host. */
  released(
    callId: string,
    agentId: string | undefined,
    m: { code: string; sale: boolean; orderId: string | undefined; agentNext: 'ready' | 'not-ready' | undefined },
  ): void {
    const remote = this.#remote.get(callId);
    this.#forget(callId);
    if (!remote || remote.agentId !== agentId) return;
    const order = m.orderId === undefined ? {} : { orderId: m.orderId };
    const next = m.agentNext === undefined ? {} : { agentNext: m.agentNext };
    void this.#send(remote.node, {
      type: 'inboundReleased',
      leader: this.core.nodeId,
      callId,
      agentId: remote.agentId,
      code: m.code,
      sale: m.sale,
      ...order,
      ...next,
    });
  }

  /** The machine gave the reserved agent back (declined, caller gone): withdraw the offer from its node. */
  release(callId: string, agentId: string): void {
    const remote = this.#remote.get(callId);
    if (!remote || remote.agentId !== agentId) return;
    if (remote.timer !== undefined) this.core.deps.clock.clearTimer(remote.timer);
    this.#remote.delete(callId);
    void this.#send(remote.node, { type: 'inboundCancel', callId, agentId, leader: this.core.nodeId });
  }

  /** The call is over (done or abandoned). */
  #forget(callId: string): void {
    const remote = this.#remote.get(callId);
    if (remote?.timer !== undefined) this.core.deps.clock.clearTimer(remote.timer);
    this.#remote.delete(callId);
    this.#declined.delete(callId);
  }

  finished(callId: string): void {
    this.#forget(callId);
  }

  /** A message for the leader of an inbound call (accept, decline, forwarded actions, agent left). */
  onMessage(m: InboundPoolMessage): void {
    const { callId } = m as { callId: string };
    const remote = this.#remote.get(callId);
    switch (m.type) {
      case 'inboundAccept':
        if (!remote || remote.agentId !== m.agentId || remote.timer === undefined) {
          // Too late (the deadline passed, the caller left): the agent's node frees the agent.
          void this.#findNodeAndCancel(callId, m.agentId);
          return;
        }
        this.core.deps.clock.clearTimer(remote.timer);
        delete remote.timer;
        this.core.guard(
          `inbound accept ${callId}`,
          this.desk.fromPool(callId, m.agentId, { type: 'accepted', at: this.core.deps.clock.now() }).then((taken) => {
            if (!taken) this.release(callId, m.agentId);
          }),
        );
        return;
      case 'inboundDecline':
        // issue-23 23-dist: kept by the router rule: asked again on a later sweep, not struck off for the call.
        if (remote?.agentId === m.agentId && remote.timer !== undefined) this.#declinedBy(callId, remote, m.kept ? 'kept' : 'declined');
        return;
      case 'inboundPull':
        this.desk.pull(callId, m.agentId);
        return;
      case 'inboundAgentLeft':
        if (remote?.agentId === m.agentId)
          this.core.guard(
            `inbound agent left ${callId}`,
            this.desk.fromPool(callId, m.agentId, { type: 'agentLeft', at: this.core.deps.clock.now() }),
          );
        return;
      case 'inboundForward': {
        if (remote?.agentId !== m.agentId) return;
        const { action } = m;
        const work =
          action.method === 'hangup'
            ? this.api.hangup(callId)
            : action.method === 'dnc'
              ? this.api.requestDnc(callId)
              : this.api.disposition(callId, action.code, action.data as InboundDispositionData);
        this.core.guard(`inbound ${action.method} ${callId}`, work);
        return;
      }
      default:
        return;
    }
  }

  /** Declined, or no answer by the deadline: never ask this agent again for the call (unless `kept` by the router rule); the caller goes back to the head of its queue. */
  #declinedBy(callId: string, remote: RemoteAgent, why: string): void {
    if (remote.timer !== undefined) this.core.deps.clock.clearTimer(remote.timer);
    delete remote.timer;
    const declined = this.#declined.get(callId) ?? new Set<string>();
    if (why !== 'kept') declined.add(remote.agentId);
    this.#declined.set(callId, declined);
    this.core.deps.logger.info(
      { callId, agentId: remote.agentId, why },
      'inbound offer to another node not taken; the caller is queued again',
    );
    // `declined` gives the agent back (the machine's releaseAgent → `release`: the offer is withdrawn from its node).
    this.core.guard(
      `inbound declined ${callId}`,
      this.desk.fromPool(callId, remote.agentId, { type: 'declined', at: this.core.deps.clock.now() }),
    );
  }

  async #findNodeAndCancel(callId: string, agentId: string): Promise<void> {
    const entries = await this.#poolEntries(0);
    const node = entries.find((a) => a.agentId === agentId)?.nodeId;
    if (node) await this.#send(node, { type: 'inboundCancel', callId, agentId, leader: this.core.nodeId });
  }

  /** The other nodes' fresh ready agents with the queue's skills, idle longest first. */
  async #candidates(queue: InboundQueue, freshSince: number): Promise<PooledAgent[]> {
    return (await this.#poolEntries(freshSince))
      .filter((a) => a.state === AgentState.Ready && queue.skills.every((skill) => a.skills.includes(skill)))
      .sort((x, y) => x.since - y.since);
  }

  /**
   * The other nodes' agents in the pool, whatever their campaigns (rb9: an agent logged in to no
   * campaign, serving inbound only, too — before, a node found other nodes' agents only through the
   * campaigns it knows; a pool without `listAll` still lists per campaign). One listing serves the
   * offers of {@link POOL_LIST_REUSE_MS} (a sweep offers every waiting caller): an agent reserved
   * meanwhile is marked here, and the pool's atomic reserve refuses a stale one.
   */
  async #poolEntries(freshSince: number): Promise<PooledAgent[]> {
    const pool = this.core.pool;
    if (!pool) return [];
    const now = this.core.deps.clock.now();
    if (this.#listed && now - this.#listed.at < POOL_LIST_REUSE_MS && this.#listed.freshSince <= freshSince)
      return this.#listed.agents.filter((a) => a.seenAt >= freshSince);
    // issue-23 23-pool: one read of the pool for every campaign (when it has `listAll`).
    this.#listed = { at: now, freshSince, agents: await pool.othersForInbound(this.core.campaigns.keys(), freshSince) };
    return this.#listed.agents;
  }

  /**
   * Every {@link INBOUND_POOL_SWEEP_MS}: waiting callers are offered again (an agent elsewhere may
   * be free now), and a connected call whose agent's pool entry went stale (its node died) goes
   * on without the agent.
   */
  #schedule(): void {
    if (this.#closed || !this.core.pool) return;
    this.#sweep = this.core.deps.clock.setTimer(INBOUND_POOL_SWEEP_MS, () => {
      this.core.guard('inbound pool sweep', this.#sweepOnce());
      this.#schedule();
    });
  }

  /**
   * One view of the queues: a freed agent of this node (that can serve `skills`) takes the oldest
   * caller across the pool first. When another node's caller comes before this node's best
   * (`local`: higher priority, or the same and a longer wait), that node is asked to offer it to
   * the agent (`inboundPull`) and true is returned: the agent stays ready for that offer.
   */
  pullOlder(agentId: string, skills: readonly string[], local: { priority: number; queuedAt: number } | undefined): boolean {
    const queues = this.core.deps.inbound?.config.queues ?? [];
    const caller = this.#elsewhere.find((c) => {
      if (c.takenBy !== undefined) return false; // issue-23 23-pool: being offered an agent
      const queue = queues.find((q) => q.id === c.queueId);
      if (!queue?.skills.every((skill) => skills.includes(skill))) return false;
      return !local || queue.priority > local.priority || (queue.priority === local.priority && c.queuedAt < local.queuedAt);
    });
    if (!caller) return false;
    this.#elsewhere = this.#elsewhere.filter((c) => c !== caller); // asked once
    void this.#send(caller.nodeId, { type: 'inboundPull', callId: caller.callId, agentId });
    return true;
  }

  /** issue-23 23-dist: the other nodes' fresh agents in the pool (any state; the pool statistics' share of serving agents). */
  agentsElsewhere(): Promise<PooledAgent[]> {
    if (this.#closed) return Promise.resolve([]);
    return this.#poolEntries(this.core.parts.poolMember.freshSince(this.core.deps.clock.now()));
  }

  /** issue-23 23-pool: the callers waiting on the other nodes, as last shared (longest waiting first; `takenBy`: being offered that agent). */
  callersElsewhere(): readonly PooledWaitingCaller[] {
    return this.#elsewhere;
  }

  /** issue-23 23-pool: the other nodes' agents as last listed (no read). */
  lastListing(): readonly PooledAgent[] {
    return this.#listed?.agents ?? [];
  }

  /** Callers waiting on the other nodes in `queueId` (demand the blend counts here too). */
  waitingElsewhere(queueId: string): number {
    return this.#elsewhere.filter((c) => c.queueId === queueId && c.takenBy === undefined).length;
  }

  /** Publish this node's waiting callers (and withdraw those served or gone); read the other nodes'. */
  async #shareQueues(now: number): Promise<void> {
    const pool = this.core.deps.agentPool;
    if (!pool?.putWaiting || !pool.removeWaiting || !pool.listWaiting) return;
    const waiting = this.desk.waiting();
    const current = new Set(waiting.map((c) => c.callId));
    for (const c of waiting) {
      // issue-23 23-xwait: with the agents that declined it, so the pool's order passes them by for it.
      const declined = [...(this.#declined.get(c.callId) ?? [])];
      await pool.putWaiting({ ...c, nodeId: this.core.nodeId, seenAt: now, ...(declined.length > 0 ? { declined } : {}) });
    }
    for (const callId of this.#published) if (!current.has(callId)) await pool.removeWaiting(callId, this.core.nodeId);
    this.#published = current;
    const freshSince = now - WAITING_FRESH_MS;
    this.#elsewhere = (await pool.listWaiting(freshSince)).filter((c) => c.nodeId !== this.core.nodeId);
    // rb12: a gone node's entries deleted (any node may sweep: one script, idempotent); a failure reported, the sweep goes on
    if (pool.sweepWaiting) this.core.guard('inbound waiting sweep', pool.sweepWaiting(now - WAITING_STALE_MS));
  }

  async #sweepOnce(): Promise<void> {
    // issue-23 23-xwait: the queues shared first, so a caller back from a declined offer is no longer marked taken when it asks again.
    await this.#shareQueues(this.core.deps.clock.now());
    this.desk.retryWaiting();
    const connected = [...this.#remote].filter(([, r]) => r.connected);
    if (connected.length === 0) return;
    const now = this.core.deps.clock.now();
    const fresh = new Set((await this.#poolEntries(this.core.parts.poolMember.freshSince(now))).map((a) => a.agentId));
    for (const [callId, remote] of connected) {
      if (fresh.has(remote.agentId) || this.#remote.get(callId) !== remote) continue;
      this.core.deps.logger.warn({ callId, agentId: remote.agentId }, 'the agent’s node is gone; the inbound call goes on without it');
      this.#remote.delete(callId);
      await this.desk.fromPool(callId, remote.agentId, { type: 'agentLeft', at: now });
    }
  }

  #send(node: string, message: InboundPoolMessage): Promise<void> {
    return this.core.pool?.send(node, { type: 'inbound', message }) ?? Promise.resolve();
  }

  close(): void {
    this.#closed = true;
    this.poolStats?.close();
    if (this.#sweep !== undefined) this.core.deps.clock.clearTimer(this.#sweep);
    for (const callId of [...this.#remote.keys()]) this.#forget(callId);
  }
}
