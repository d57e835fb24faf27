import type { AgentPool, AmdRevisionReason, Attempt, CallOutcome, JobQueue, PooledAgent } from '@paceline/core';
import type { ConnectResult } from '@paceline/scripting';
import type { CallOffer } from '../events';
import type { RecycleDecision } from '../recycle';
import type { InboundPoolMessage } from './inbound-protocol';

/**
 * What engine nodes tell each other about pooled agents (distributed mode). A campaign's
 * leader owns its calls; the node an agent is logged in to owns the agent. For a live answer
 * the leader reserves a ready agent in the pool and offers it the call; the agent's node
 * accepts (the agent is still ready there, and now reserved) or declines; the leader then
 * connects or cancels. From then on the agent's node forwards what the agent does (hang up,
 * disposition, script answers) and the leader reports what happens to the call (ended,
 * released after the disposition).
 */
export type PoolMessage =
  | { readonly type: 'offer'; readonly callId: string; readonly agentId: string; readonly campaignId: string; readonly leader: string }
  | { readonly type: 'accept' | 'decline'; readonly callId: string; readonly agentId: string }
  | { readonly type: 'connect'; readonly offer: CallOffer }
  | { readonly type: 'cancel'; readonly callId: string; readonly agentId: string }
  | { readonly type: 'script'; readonly callId: string; readonly script: ConnectResult & { fallback: boolean } }
  | {
      readonly type: 'ended';
      readonly callId: string;
      readonly agentId: string;
      readonly outcome: CallOutcome;
      readonly at: number;
      readonly attempt: Attempt;
    }
  | {
      readonly type: 'released';
      readonly callId: string;
      readonly agentId: string;
      readonly code: string;
      readonly attempt: Attempt;
      readonly next: RecycleDecision;
      readonly agentNext?: 'ready' | 'not-ready';
    }
  /**
   * issue-17: call analysis revised the connected call to a machine and the leader hangs up on
   * it (or leaves the message): the agent's node frees its agent at once, no disposition owed.
   * The leader counts the machine (calibration, ledger) once; this message only frees the agent.
   */
  | {
      readonly type: 'revised';
      readonly callId: string;
      readonly agentId: string;
      readonly reason: AmdRevisionReason;
      readonly handling: string;
      readonly at: number;
    }
  | { readonly type: 'hangup'; readonly callId: string }
  | { readonly type: 'agentLeft'; readonly callId: string; readonly agentId: string }
  | { readonly type: 'forward'; readonly callId: string; readonly call: ForwardedCall }
  /** issue-23: an inbound call's agent on another node (distributed/inbound-protocol.ts). */
  | { readonly type: 'inbound'; readonly message: InboundPoolMessage };

/** An agent's action on a call its node does not run, forwarded to the leader that does. */
export type ForwardedCall =
  | { readonly method: 'disposition'; readonly code: string; readonly data: Record<string, unknown> }
  | { readonly method: 'scriptAnswer'; readonly answer: unknown }
  | { readonly method: 'offerResponse'; readonly response: unknown };

/** The queue a node receives its pool messages on. */
export const inboxOf = (nodeId: string): string => `paceline.node.${nodeId}`;

/**
 * One node's link to the pool: publishes its agents (in order, so the pool never goes back
 * to an older state), lists other nodes' agents, and sends and receives messages through the
 * shared `JobQueue` (BullMQ across machines). Messages are retried by the caller's `durable`
 * until the queue takes them.
 */
export class AgentPoolLink {
  readonly #pool: AgentPool;
  readonly #queue: JobQueue;
  readonly #nodeId: string;
  readonly #durable: <T>(what: string, write: () => Promise<T>) => Promise<T>;
  readonly #report: (where: string, error: unknown) => void;
  #publishing: Promise<void> = Promise.resolve();
  #stop: (() => Promise<void>) | undefined;

  constructor(o: {
    pool: AgentPool;
    queue: JobQueue;
    nodeId: string;
    durable: <T>(what: string, write: () => Promise<T>) => Promise<T>;
    report: (where: string, error: unknown) => void;
  }) {
    this.#pool = o.pool;
    this.#queue = o.queue;
    this.#nodeId = o.nodeId;
    this.#durable = o.durable;
    this.#report = o.report;
  }

  get nodeId(): string {
    return this.#nodeId;
  }

  /** Start taking this node's messages. */
  listen(handle: (message: PoolMessage) => void): void {
    this.#stop = this.#queue.process<PoolMessage>(inboxOf(this.#nodeId), async (job) => handle(job.payload));
  }

  /** Publish an agent's entry (or remove it, `undefined` entry), after the ones published before. */
  publish(agentId: string, entry: PooledAgent | undefined): void {
    const write = entry ? () => this.#pool.put(entry) : () => this.#pool.remove(agentId);
    this.#publishing = this.#publishing
      .then(() => this.#durable(`agent pool ${agentId}`, write))
      .catch((error) => this.#report(`agent pool ${agentId}`, error));
  }

  /** issue-23 23-xclaim: settles once every agent entry published so far has been written (or reported failed). */
  published(): Promise<void> {
    return this.#publishing;
  }

  /** The other nodes' fresh agents of a campaign. */
  async others(campaignId: string, freshSince: number): Promise<PooledAgent[]> {
    return (await this.#pool.list(campaignId, freshSince)).filter((a) => a.nodeId !== this.#nodeId);
  }

  /** issue-23 23-pool: the other nodes' fresh agents of every campaign in `campaignIds`, each once: one read when the pool has `listAll`. */
  async othersOf(campaignIds: Iterable<string>, freshSince: number): Promise<PooledAgent[]> {
    if (this.#pool.listAll) {
      const wanted = new Set(campaignIds);
      const all = await this.#pool.listAll(freshSince);
      return all.filter((a) => a.nodeId !== this.#nodeId && a.campaignIds.some((id) => wanted.has(id)));
    }
    const seen = new Map<string, PooledAgent>();
    for (const campaignId of campaignIds)
      for (const a of await this.others(campaignId, freshSince)) if (!seen.has(a.agentId)) seen.set(a.agentId, a);
    return [...seen.values()];
  }

  /**
   * rb9 (issue-23): the other nodes' fresh agents an inbound queue may be offered — whatever their
   * campaigns, none included (an agent who serves inbound only), as this node's own router offers
   * its agents: every agent when the pool has `listAll`; else those of `campaignIds` (a pool with
   * `list` alone cannot list an agent logged in to no campaign).
   */
  async othersForInbound(campaignIds: Iterable<string>, freshSince: number): Promise<PooledAgent[]> {
    if (!this.#pool.listAll) return this.othersOf(campaignIds, freshSince);
    return (await this.#pool.listAll(freshSince)).filter((a) => a.nodeId !== this.#nodeId);
  }

  reserve(agentId: string, callId: string, now: number, freshSince: number): Promise<boolean> {
    return this.#pool.reserve(agentId, callId, now, freshSince);
  }

  /** Send a message to a node; resolves once the queue has it. */
  send(nodeId: string, message: PoolMessage): Promise<void> {
    return this.#durable(`pool message ${message.type}`, async () => {
      await this.#queue.enqueue(inboxOf(nodeId), message, { maxAttempts: 1 });
    }).catch((error) => this.#report(`pool message ${message.type} to ${nodeId}`, error));
  }

  async close(): Promise<void> {
    await this.#stop?.();
    await this.#publishing;
  }
}
