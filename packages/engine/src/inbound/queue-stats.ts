import { type InboundQueue, type InboundQueueCounts, inboundStatsInterval } from '@paceline/core';

/** One inbound queue's live numbers (dashboard, `dialer.inbound.status()`). */
export interface InboundQueueStatus {
  readonly queueId: string;
  /** Callers waiting now (not yet offered to an agent). */
  readonly waiting: number;
  /** The longest current wait, ms (0 when nobody waits). */
  readonly longestWaitMs: number;
  /** Callers who reached an agent from this queue. */
  readonly answered: number;
  /** Of those, answered within the target time. */
  readonly answeredWithinTarget: number;
  /**
   * Callers who hung up while waiting in this queue. A queue abandon: never part of a
   * campaign's (outbound) abandon rate, which counts live answers the dialer could not connect.
   */
  readonly abandoned: number;
  /**
   * Answered within the target / (answered + abandoned); 1 when nobody has called yet. Every
   * abandon counts against it (short ones too): the stricter of the usual definitions.
   */
  readonly serviceLevel: number;
  /** The queue's target, e.g. `{ fraction: 0.8, answerSeconds: 20 }`. */
  readonly target: InboundQueue['serviceLevel'];
  /** Average speed of answer: mean wait of the answered callers, ms. */
  readonly asaMs: number;
  /** Callers moved on to another queue after its overflow time. */
  readonly overflowed: number;
  /**
   * issue-23 23-dist: present in distributed mode with a store that keeps queue statistics:
   * `answered`, `answeredWithinTarget`, `abandoned`, `serviceLevel` and `asaMs` are then the
   * pool's (every node's calls of the UTC day since `since`, read from the store at most a
   * second ago), the same on every node; `waiting`, `longestWaitMs` and `overflowed` stay this
   * node's. Absent: this node's calls since it started.
   */
  readonly pool?: {
    readonly since: number;
    /** Callers who entered the queue on any node since `since`. */
    readonly offered: number;
    /** The current 30-minute interval (every node's). */
    readonly interval: {
      readonly start: number;
      readonly offered: number;
      readonly answered: number;
      readonly answeredWithinTarget: number;
      readonly abandoned: number;
      readonly serviceLevel: number;
      readonly asaMs: number;
    };
    /** When the numbers were read from the store, epoch ms. */
    readonly at: number;
  };
}

/** issue-23 23-dist: the pool's numbers of one queue, as the last refresh read them (pool-queue-stats.ts). */
export interface PoolQueueNumbers {
  /** Start of the UTC day the totals count from, epoch ms. */
  readonly since: number;
  /** Every node's counts since `since`. */
  readonly counts: InboundQueueCounts;
  /** The current 30-minute interval's counts (every node's). */
  readonly interval: { readonly start: number; readonly counts: InboundQueueCounts };
  /** When they were read, epoch ms. */
  readonly at: number;
}

/** Service level: answered within target ÷ (answered + abandoned); 1 when nobody called. */
function serviceLevelOf(withinTarget: number, answered: number, abandoned: number): number {
  const handled = answered + abandoned;
  return handled === 0 ? 1 : withinTarget / handled;
}

/** issue-23 23-dist: a queue's status with the pool's numbers in place of this node's (unchanged without them). */
export function withPoolNumbers(status: InboundQueueStatus, pool: PoolQueueNumbers | undefined): InboundQueueStatus {
  if (!pool) return status;
  const c = pool.counts;
  const i = pool.interval.counts;
  return {
    ...status,
    answered: c.answered,
    answeredWithinTarget: c.answeredWithinTarget,
    abandoned: c.abandoned,
    serviceLevel: serviceLevelOf(c.answeredWithinTarget, c.answered, c.abandoned),
    asaMs: c.answered === 0 ? 0 : c.answeredWaitMs / c.answered,
    pool: {
      since: pool.since,
      offered: c.offered,
      interval: {
        start: pool.interval.start,
        offered: i.offered,
        answered: i.answered,
        answeredWithinTarget: i.answeredWithinTarget,
        abandoned: i.abandoned,
        serviceLevel: serviceLevelOf(i.answeredWithinTarget, i.answered, i.abandoned),
        asaMs: i.answered === 0 ? 0 : i.answeredWaitMs / i.answered,
      },
      at: pool.at,
    },
  };
}

/**
 * issue-23 23-dist: where a queue's counts also go in distributed mode (`PoolQueueStats`: the
 * store's per-interval counters), and the pool's numbers its status then shows.
 */
export interface QueueStatsSink {
  offered(queueId: string, arrivedAt: number): void;
  answered(queue: InboundQueue, arrivedAt: number, waitMs: number): void;
  abandoned(queueId: string, arrivedAt: number, waitMs: number): void;
  handled(queueId: string, at: number, handleMs: number): void;
  numbers(queueId: string): PoolQueueNumbers | undefined;
}

const DAY_MS = 24 * 3_600_000;

/** The counters of one queue and who waits in it (by queue-entry time). Holds no timers. */
export class QueueStats {
  /** issue-23 23-dist: set in distributed mode by the pool's statistics; absent on one node (nothing changes). */
  sink: QueueStatsSink | undefined;
  /** issue-23 23-dist (with a sink): the callers offered here, by first queue entry (a caller joining again is not offered again). */
  readonly #offered = new Map<string, number>();
  readonly #waiting = new Map<string, number>();
  #answered = 0;
  #withinTarget = 0;
  #abandoned = 0;
  #overflowed = 0;
  #totalWaitMs = 0;
  /** issue-23 23-router: the current 30-minute interval (epoch-aligned): its start, its callers' ids, those answered within the target. */
  #interval = { start: Number.NEGATIVE_INFINITY, callers: new Set<string>(), answeredInTarget: 0 };

  constructor(readonly queue: InboundQueue) {}

  /**
   * issue-23 23-router: the current 30-minute interval's callers (offered: by queue entry in it,
   * each once) and how many of them were answered within the target, at `now` — the arrival
   * deferral's service-level room (`hasRoom`).
   */
  interval(now: number): { offered: number; answeredInTarget: number } {
    const iv = this.#intervalAt(now);
    return { offered: iv.callers.size, answeredInTarget: iv.answeredInTarget };
  }

  #intervalAt(at: number): { start: number; callers: Set<string>; answeredInTarget: number } {
    const start = inboundStatsInterval(at);
    if (start !== this.#interval.start) this.#interval = { start, callers: new Set(), answeredInTarget: 0 };
    return this.#interval;
  }

  /** A caller entered the queue, having waited since `queuedAt` (its first queue's entry). */
  join(callId: string, queuedAt: number): void {
    this.#waiting.set(callId, queuedAt);
    // issue-23 23-router: a caller back in the queue keeps its first entry: counted in that interval only if it is still the current one.
    if (queuedAt >= this.#interval.start) this.#intervalAt(queuedAt).callers.add(callId);
    if (this.sink && !this.#offered.has(callId)) {
      for (const [id, at] of this.#offered) if (at < queuedAt - DAY_MS) this.#offered.delete(id);
      this.#offered.set(callId, queuedAt);
      this.sink.offered(this.queue.id, queuedAt);
    }
  }

  /** The caller left the queue (offered to an agent, moved on, gone); true when it was waiting here. */
  leave(callId: string): boolean {
    return this.#waiting.delete(callId);
  }

  /** The caller moved on to another queue. */
  overflowed(): void {
    this.#overflowed++;
  }

  /** A caller reached an agent after `waitMs`, at `now` (issue-23 23-dist: the pool's statistics count it in its arrival's interval). */
  answered(waitMs: number, now?: number): void {
    this.#answered++;
    this.#totalWaitMs += waitMs;
    if (waitMs <= this.queue.serviceLevel.answerSeconds * 1000) {
      this.#withinTarget++;
      if (now !== undefined && now - waitMs >= this.#intervalAt(now).start) this.#interval.answeredInTarget++;
    }
    if (now !== undefined) this.sink?.answered(this.queue, now - waitMs, waitMs);
  }

  /** A caller hung up after waiting `waitMs`, at `now` (both for the pool's statistics). */
  abandoned(waitMs?: number, now?: number): void {
    this.#abandoned++;
    if (waitMs !== undefined && now !== undefined) this.sink?.abandoned(this.queue.id, now - waitMs, waitMs);
  }

  /**
   * An inbound call of this queue finished (talk + wrap-up, `handleMs`) at `now`: the queue's
   * blend policy learns it, and in distributed mode the pool's statistics count it.
   */
  handled(
    handleMs: number,
    now: number,
    blend: { policy(queueId: string): { observeWork(kind: 'inbound', ms: number): void } | undefined },
  ): void {
    blend.policy(this.queue.id)?.observeWork('inbound', handleMs);
    this.sink?.handled(this.queue.id, now, handleMs);
  }

  /** The callers waiting, longest first (ties by call id, so the order replays). */
  waitingCalls(): string[] {
    return [...this.#waiting.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  }

  /** When the longest-waiting caller entered, or `undefined` when nobody waits. */
  oldestQueuedAt(): number | undefined {
    let oldest: number | undefined;
    for (const at of this.#waiting.values()) if (oldest === undefined || at < oldest) oldest = at;
    return oldest;
  }

  get waitingCount(): number {
    return this.#waiting.size;
  }

  status(now: number): InboundQueueStatus {
    const oldest = this.oldestQueuedAt();
    const handled = this.#answered + this.#abandoned;
    const local: InboundQueueStatus = {
      queueId: this.queue.id,
      waiting: this.#waiting.size,
      longestWaitMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
      answered: this.#answered,
      answeredWithinTarget: this.#withinTarget,
      abandoned: this.#abandoned,
      serviceLevel: handled === 0 ? 1 : this.#withinTarget / handled,
      target: this.queue.serviceLevel,
      asaMs: this.#answered === 0 ? 0 : this.#totalWaitMs / this.#answered,
      overflowed: this.#overflowed,
    };
    return withPoolNumbers(local, this.sink?.numbers(this.queue.id)); // issue-23 23-dist: unchanged without a sink
  }
}
