/**
 * Calls-per-second limit of one trunk, checked when an INVITE is actually sent. Two rules:
 * - pacing: INVITEs go out on slots `1000 / cps` ms apart; a timer that fired late does not
 *   push every later slot back (the next one comes correspondingly sooner), so a steady
 *   stream keeps its rate through event-loop stalls;
 * - the hard limit: the send times of the last `floor(cps)` INVITEs are kept, and none is sent
 *   while that many went out in the last 1000 ms — so no one-second window, measured at send
 *   time, ever holds more than `cps` INVITEs, whatever the timers did.
 */
export class SendRateLimiter {
  readonly #intervalMs: number;
  readonly #capacity: number;
  /** Send times of the last `capacity` INVITEs, oldest first. */
  readonly #recent: number[] = [];
  #nextSlot = Number.NEGATIVE_INFINITY;

  /** `callsPerSecond` ≤ 0 or not finite: unlimited. */
  constructor(callsPerSecond: number) {
    const limited = Number.isFinite(callsPerSecond) && callsPerSecond > 0;
    this.#intervalMs = limited ? 1_000 / callsPerSecond : 0;
    this.#capacity = limited ? Math.max(1, Math.floor(callsPerSecond)) : Number.POSITIVE_INFINITY;
  }

  /** How long until an INVITE may be sent (0: now). */
  waitMs(now: number): number {
    const paced = this.#nextSlot - now;
    const oldest = this.#recent.length >= this.#capacity ? (this.#recent[0] as number) : Number.NEGATIVE_INFINITY;
    return Math.max(0, paced, oldest + 1_000 - now);
  }

  /** Take the slot if there is one at `now`; false means wait {@link waitMs}. */
  tryTake(now: number): boolean {
    if (this.#intervalMs === 0) return true;
    if (this.waitMs(now) > 0) return false;
    // Late by d ms: the next slot is d ms closer (never banking more than this one slot).
    this.#nextSlot = Math.max(this.#nextSlot, now - this.#intervalMs) + this.#intervalMs;
    this.#recent.push(now);
    if (this.#recent.length > this.#capacity) this.#recent.shift();
    return true;
  }
}
