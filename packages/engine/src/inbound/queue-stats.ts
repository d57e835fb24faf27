import type { InboundQueue } from '@paceline/core';

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
}

/** The counters of one queue and who waits in it (by queue-entry time). Holds no timers. */
export class QueueStats {
  readonly #waiting = new Map<string, number>();
  #answered = 0;
  #withinTarget = 0;
  #abandoned = 0;
  #overflowed = 0;
  #totalWaitMs = 0;

  constructor(readonly queue: InboundQueue) {}

  /** A caller entered the queue, having waited since `queuedAt` (its first queue's entry). */
  join(callId: string, queuedAt: number): void {
    this.#waiting.set(callId, queuedAt);
  }

  /** The caller left the queue (offered to an agent, moved on, gone); true when it was waiting here. */
  leave(callId: string): boolean {
    return this.#waiting.delete(callId);
  }

  /** The caller moved on to another queue. */
  overflowed(): void {
    this.#overflowed++;
  }

  answered(waitMs: number): void {
    this.#answered++;
    this.#totalWaitMs += waitMs;
    if (waitMs <= this.queue.serviceLevel.answerSeconds * 1000) this.#withinTarget++;
  }

  abandoned(): void {
    this.#abandoned++;
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
    return {
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
  }
}
