import {
  AgentState,
  addInboundQueueCounts,
  INBOUND_QUEUE_COUNTERS,
  INBOUND_STATS_INTERVAL_MS,
  type InboundQueue,
  type InboundQueueCounts,
  type InboundQueueInterval,
  inboundStatsInterval,
  type PooledAgent,
  type Store,
  type TimerHandle,
  ZERO_INBOUND_QUEUE_COUNTS,
} from '@paceline/core';
import type { EngineCore } from '../engine-core';
import type { InboundBlend } from './inbound-blend';
import type { PoolQueueNumbers, QueueStats, QueueStatsSink } from './queue-stats';

/** How often a node reads the pool's queue statistics, ms (the inbound pool's sweep period). */
export const POOL_STATS_REFRESH_MS = 1_000;

const DAY_MS = 24 * 3_600_000;
/** At most this many observations are fed to a policy per counter and refresh (a node that slept long). */
const MAX_FEED = 10_000;

/** The store's two queue-statistics methods (both present: distributed mode's pool statistics). */
type StatsStore = Required<Pick<Store, 'addInboundQueueStats' | 'listInboundQueueStats'>>;

/**
 * issue-23 23-dist: inbound queue statistics across the pool (distributed mode: an agent pool
 * and a store with `addInboundQueueStats`/`listInboundQueueStats`). The node that leads a call
 * (its trunk holds it) adds the call's counts to the store, under its node id, in the interval
 * the caller arrived in (offered, answered, within target, abandoned, waits) or, for the handle
 * time, the one the call finished in. Every {@link POOL_STATS_REFRESH_MS} each node reads the
 * queues' intervals of the UTC day back:
 * - `status()` shows the pool's numbers (every node reports the same service level, ASA, abandons);
 * - the blend learns the other nodes' counts (their arrivals, answers, abandons and handle times
 *   — a remote agent's call included), so each node's estimator sees the whole queue's load;
 *   this node then sizes its reserve for its share of the queue's serving agents
 *   (`InboundBlend.setArrivalShare`). Its own calls it learns at once, as on one node.
 * The first read only notes what the other nodes had counted before this node started.
 */
export class PoolQueueStats implements QueueStatsSink {
  /** Per queue, the last numbers read. */
  readonly #numbers = new Map<string, PoolQueueNumbers>();
  /** The other writers' counts already learnt: `<queueId>\u0000<intervalStart>\u0000<writer>`. */
  readonly #seen = new Map<string, InboundQueueCounts>();
  #baselined = false;
  #timer: TimerHandle | undefined;
  #closed = false;
  #refreshing = false;

  constructor(
    readonly core: EngineCore,
    readonly queues: readonly InboundQueue[],
    readonly blend: InboundBlend,
    readonly store: StatsStore,
    /** Lists the other nodes' fresh agents (the share of serving agents). */
    readonly agentsElsewhere: () => Promise<readonly PooledAgent[]>,
  ) {
    this.#schedule();
  }

  /** The store's methods when it has both, else undefined (the numbers stay per node). */
  static storeOf(store: Store): StatsStore | undefined {
    if (!store.addInboundQueueStats || !store.listInboundQueueStats) return undefined;
    return store as StatsStore;
  }

  /** Add `delta` to the queue's counters in the interval holding `at` (in the background; a failure is reported, never thrown). */
  record(queueId: string, at: number, delta: Partial<InboundQueueCounts>): void {
    this.core.guard('inbound queue stats add', this.store.addInboundQueueStats(queueId, at, this.core.nodeId, delta));
  }

  /** A caller entered the queue (counted in the arrival's interval). */
  offered(queueId: string, arrivedAt: number): void {
    this.record(queueId, arrivedAt, { offered: 1 });
  }

  /** A queued caller reached an agent after `waitMs` (counted in the arrival's interval, `arrivedAt`). */
  answered(queue: InboundQueue, arrivedAt: number, waitMs: number): void {
    const within = waitMs <= queue.serviceLevel.answerSeconds * 1000 ? 1 : 0;
    this.record(queue.id, arrivedAt, { answered: 1, answeredWithinTarget: within, answeredWaitMs: Math.max(0, Math.round(waitMs)) });
  }

  /** A queued caller hung up after `waitMs` (counted in the arrival's interval). */
  abandoned(queueId: string, arrivedAt: number, waitMs: number): void {
    this.record(queueId, arrivedAt, { abandoned: 1, abandonedWaitMs: Math.max(0, Math.round(waitMs)) });
  }

  /** An inbound call finished at `at` after `handleMs` of talk and wrap-up (counted in that interval). */
  handled(queueId: string, at: number, handleMs: number): void {
    this.record(queueId, at, { handled: 1, handleMs: Math.max(0, Math.round(handleMs)) });
  }

  /** Send every queue's counts to the store and show the pool's numbers in their status. */
  attach(stats: Iterable<QueueStats>): this {
    for (const s of stats) s.sink = this;
    return this;
  }

  /** The pool's numbers of a queue at the last refresh, or undefined before the first. */
  numbers(queueId: string): PoolQueueNumbers | undefined {
    return this.#numbers.get(queueId);
  }

  #schedule(): void {
    if (this.#closed || this.core.closed) return;
    this.#timer = this.core.deps.clock.setTimer(POOL_STATS_REFRESH_MS, () => {
      this.core.guard('inbound queue stats refresh', this.refresh());
      this.#schedule();
    });
  }

  /** Read the pool's numbers; the blend learns the other nodes' new counts and this node's share. */
  async refresh(): Promise<void> {
    if (this.#refreshing || this.#closed) return; // a slow store: one read at a time
    this.#refreshing = true;
    try {
      const now = this.core.deps.clock.now();
      const current = inboundStatsInterval(now);
      const previous = current - INBOUND_STATS_INTERVAL_MS;
      const day = Math.floor(now / DAY_MS) * DAY_MS;
      for (const queue of this.queues) {
        const intervals = await this.store.listInboundQueueStats(queue.id, Math.min(day, previous), now + 1);
        if (this.#closed) return;
        let counts = ZERO_INBOUND_QUEUE_COUNTS;
        for (const i of intervals) if (i.intervalStart >= day) counts = addInboundQueueCounts(counts, i.counts);
        const inInterval = intervals.find((i) => i.intervalStart === current)?.counts ?? ZERO_INBOUND_QUEUE_COUNTS;
        this.#numbers.set(queue.id, { since: day, counts, interval: { start: current, counts: inInterval }, at: now });
        for (const i of intervals) if (i.intervalStart >= previous) this.#learn(queue, i, now);
      }
      for (const key of this.#seen.keys()) if (Number(key.split('\u0000')[1]) < previous) this.#seen.delete(key);
      this.#baselined = true;
      await this.#shares();
    } finally {
      this.#refreshing = false;
    }
  }

  /** Feed the queue's policy what the other writers counted in the interval since the last read. */
  #learn(queue: InboundQueue, interval: InboundQueueInterval, now: number): void {
    const policy = this.blend.policy(queue.id);
    for (const [writer, counts] of Object.entries(interval.byWriter)) {
      if (writer === this.core.nodeId) continue; // learnt as they happened
      const key = `${queue.id}\u0000${interval.intervalStart}\u0000${writer}`;
      const seen = this.#seen.get(key) ?? ZERO_INBOUND_QUEUE_COUNTS;
      this.#seen.set(key, counts);
      if (!this.#baselined || !policy) continue;
      const d: Record<string, number> = {};
      for (const name of INBOUND_QUEUE_COUNTERS) d[name] = Math.max(0, counts[name] - seen[name]); // a store that lost counts: nothing to learn
      const times = (n: number) => Math.min(MAX_FEED, n);
      for (let i = 0; i < times(d.offered ?? 0); i++) policy.observeArrival(now);
      const mean = (total: number, n: number) => (n > 0 ? total / n : 0);
      const answered = d.answered ?? 0;
      for (let i = 0; i < times(answered); i++) policy.observeAnswered(mean(d.answeredWaitMs ?? 0, answered));
      const abandoned = d.abandoned ?? 0;
      for (let i = 0; i < times(abandoned); i++) policy.observeAbandon(mean(d.abandonedWaitMs ?? 0, abandoned));
      const handled = d.handled ?? 0;
      for (let i = 0; i < times(handled); i++) policy.observeWork('inbound', mean(d.handleMs ?? 0, handled));
    }
  }

  /** Per queue: this node's logged-in agents with its skills ÷ the pool's (this node's and the other nodes' fresh ones). */
  async #shares(): Promise<void> {
    const elsewhere = await this.agentsElsewhere();
    if (this.#closed) return;
    for (const queue of this.queues) {
      const serves = (skills: readonly string[]) => queue.skills.every((s) => skills.includes(s));
      let here = 0;
      for (const a of this.core.agents.values()) if (a.state !== AgentState.LoggedOut && serves(a.agent.skills)) here++;
      let there = 0;
      for (const a of elsewhere) if (a.nodeId !== this.core.nodeId && a.state !== AgentState.LoggedOut && serves(a.skills)) there++;
      this.blend.setArrivalShare(queue.id, here + there === 0 ? 1 : here / (here + there));
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.core.deps.clock.clearTimer(this.#timer);
  }
}
