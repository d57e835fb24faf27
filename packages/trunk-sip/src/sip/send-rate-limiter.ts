/**
 * Calls-per-second limit of one trunk, checked when an INVITE is actually sent: a token bucket
 * of one token, refilled `1001 / cps` ms (rounded up to whole ms) after the previous INVITE
 * really went out. The extra millisecond is for the clock: a millisecond clock reading `t` means
 * any real instant in [t, t + 1), so `cps` intervals must span more than 1,000 ms as read, or
 * INVITEs read at 0 and 1,000 could really leave 999.1 ms apart (cps + 1 in one real second). A timer that fires late (an event-loop stall) sends late and pushes the next
 * slot on; nothing is booked ahead of time, so no one-second window measured at send time ever
 * holds more than `cps` INVITEs. The price: under jitter the rate runs a little below `cps`.
 */
export class SendRateLimiter {
  readonly #intervalMs: number;
  #lastSentAt = Number.NEGATIVE_INFINITY;

  /** `callsPerSecond` ≤ 0 or not finite: unlimited. */
  constructor(callsPerSecond: number) {
    // Whole milliseconds, rounded up, and cps of them ≥ 1,001 ms: see the class comment.
    this.#intervalMs = Number.isFinite(callsPerSecond) && callsPerSecond > 0 ? Math.ceil(1_001 / callsPerSecond) : 0;
  }

  /** How long until an INVITE may be sent (0: now). */
  waitMs(now: number): number {
    return Math.max(0, this.#lastSentAt + this.#intervalMs - now);
  }

  /** Take the token if there is one at `now`; false means wait {@link waitMs}. */
  tryTake(now: number): boolean {
    if (this.waitMs(now) > 0) return false;
    this.#lastSentAt = now;
    return true;
  }
}
