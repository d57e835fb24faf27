import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '@paceline/core';

/** Limits of the live-update streams. */
export interface EventStreamLimits {
  /** Streams one session (or one bearer token) may hold at once; more are answered 429. */
  readonly perSession: number;
  /** Streams the dashboard holds in all. */
  readonly total: number;
  /** Bytes a stream may have queued in this process before it is dropped as a slow client. */
  readonly maxBufferedBytes: number;
  /**
   * Snapshots in a row a stream may miss because it has not taken the previous one yet; a
   * client that lags a little skips snapshots (each is the whole state), one that stays
   * stuck this long is dropped.
   */
  readonly maxSkippedFrames: number;
}

/** Why a stream was refused. */
export type StreamRefusal = 'session-limit' | 'total-limit';

interface Subscriber {
  readonly res: ServerResponse;
  readonly owner: string;
  /** The previous snapshot did not fit the socket yet: the next ones are skipped until it drains. */
  waitingForDrain: boolean;
  /** Snapshots skipped in a row while waiting for the drain. */
  skipped: number;
}

/**
 * The server-sent-events fan-out. One snapshot is computed and encoded per tick, however
 * many pages are open, and the same bytes are written to every stream. Streams are capped
 * per session and in all. Back-pressure: a write that does not fit the socket marks the
 * stream, which then skips snapshots until it drains (never more than one queued); a stream
 * that skipped `maxSkippedFrames` in a row, or holds more than `maxBufferedBytes`, is a slow
 * client and is dropped (its page reconnects and gets a fresh snapshot). So memory per stream
 * stays bounded whatever a client does. The ticker runs only while streams are open.
 */
export class EventStream {
  readonly #subscribers = new Set<Subscriber>();
  readonly #perOwner = new Map<string, number>();
  readonly #limits: EventStreamLimits;
  readonly #ticker: Clock;
  readonly #everyMs: number;
  readonly #snapshot: () => Promise<string>;
  readonly #isLive: (owner: string) => boolean;
  readonly #onError: (error: unknown) => void;
  #timer: TimerHandle | undefined;
  #sending = false;
  #again = false;
  #dropped = 0;

  constructor(options: {
    limits: EventStreamLimits;
    ticker: Clock;
    everyMs: number;
    /** The payload of one `snapshot` event (JSON). */
    snapshot: () => Promise<string>;
    /** Whether a stream's owner (its session) is still signed in; streams of ended sessions close. */
    isLive: (owner: string) => boolean;
    onError: (error: unknown) => void;
  }) {
    this.#limits = options.limits;
    this.#ticker = options.ticker;
    this.#everyMs = options.everyMs;
    this.#snapshot = options.snapshot;
    this.#isLive = options.isLive;
    this.#onError = options.onError;
  }

  /** Streams open now. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Slow clients dropped so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Whether `owner` may open one more stream; the reason when not. */
  admit(owner: string): StreamRefusal | undefined {
    if (this.#subscribers.size >= this.#limits.total) return 'total-limit';
    if ((this.#perOwner.get(owner) ?? 0) >= this.#limits.perSession) return 'session-limit';
    return undefined;
  }

  /** Start streaming to `res` (headers already sent); it leaves on close. Call {@link admit} first. */
  add(res: ServerResponse, owner: string): void {
    const subscriber: Subscriber = { res, owner, waitingForDrain: false, skipped: 0 };
    this.#subscribers.add(subscriber);
    this.#perOwner.set(owner, (this.#perOwner.get(owner) ?? 0) + 1);
    res.on('drain', () => {
      subscriber.waitingForDrain = false;
      subscriber.skipped = 0;
    });
    res.on('close', () => this.#remove(subscriber));
    res.on('error', () => this.#remove(subscriber));
    if (this.#timer === undefined) this.#arm(0);
    else this.push();
  }

  /** Send a fresh snapshot now (a campaign changed state); coalesced with one in flight. */
  push(): void {
    if (this.#subscribers.size === 0) return;
    if (this.#sending) {
      this.#again = true;
      return;
    }
    void this.#broadcast();
  }

  /** End every stream and stop the ticker. */
  close(): void {
    if (this.#timer !== undefined) this.#ticker.clearTimer(this.#timer);
    this.#timer = undefined;
    for (const subscriber of [...this.#subscribers]) subscriber.res.destroy();
  }

  #arm(delayMs: number): void {
    this.#timer = this.#ticker.setTimer(delayMs, () => {
      this.#timer = undefined;
      if (this.#subscribers.size === 0) return;
      void this.#broadcast().finally(() => {
        if (this.#subscribers.size > 0 && this.#timer === undefined) this.#arm(this.#everyMs);
      });
    });
  }

  async #broadcast(): Promise<void> {
    this.#sending = true;
    try {
      do {
        this.#again = false;
        let frame: Buffer;
        try {
          // Encoded once, the same bytes written to every stream.
          frame = Buffer.from(`event: snapshot\ndata: ${await this.#snapshot()}\n\n`);
        } catch (error) {
          this.#onError(error);
          return;
        }
        for (const subscriber of [...this.#subscribers]) this.#write(subscriber, frame);
      } while (this.#again);
    } finally {
      this.#sending = false;
    }
  }

  #write(subscriber: Subscriber, frame: Buffer): void {
    const { res } = subscriber;
    if (res.destroyed) {
      this.#remove(subscriber);
      return;
    }
    if (!this.#isLive(subscriber.owner)) {
      res.end();
      this.#remove(subscriber);
      return;
    }
    if (subscriber.waitingForDrain && ++subscriber.skipped <= this.#limits.maxSkippedFrames) return;
    if (subscriber.waitingForDrain || res.writableLength > this.#limits.maxBufferedBytes) {
      // Slow client: stuck on an earlier snapshot. Drop it rather than queue.
      this.#dropped++;
      res.destroy();
      this.#remove(subscriber);
      return;
    }
    if (!res.write(frame)) subscriber.waitingForDrain = true;
  }

  #remove(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    const left = (this.#perOwner.get(subscriber.owner) ?? 1) - 1;
    if (left <= 0) this.#perOwner.delete(subscriber.owner);
    else this.#perOwner.set(subscriber.owner, left);
    if (this.#subscribers.size === 0 && this.#timer !== undefined) {
      this.#ticker.clearTimer(this.#timer);
      this.#timer = undefined;
    }
  }
}
