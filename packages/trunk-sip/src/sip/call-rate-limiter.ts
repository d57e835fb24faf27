/**
 * Calls-per-second limit for one trunk: INVITEs are spaced at least 1000 / cps ms apart.
 * `reserve` books the next free slot and says how long to wait for it.
 */
export class CallRateLimiter {
  readonly #intervalMs: number;
  #nextAt = Number.NEGATIVE_INFINITY;

  constructor(callsPerSecond: number) {
    this.#intervalMs = Number.isFinite(callsPerSecond) && callsPerSecond > 0 ? 1_000 / callsPerSecond : 0;
  }

  /** How long a call booked now would wait for its slot. */
  waitMs(now: number): number {
    return Math.max(0, this.#nextAt - now);
  }

  /** Book the next slot; returns the delay until it. */
  reserve(now: number): number {
    const at = Math.max(now, this.#nextAt);
    this.#nextAt = at + this.#intervalMs;
    return at - now;
  }
}
