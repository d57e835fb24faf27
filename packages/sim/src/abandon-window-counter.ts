/**
 * Live answers and abandons over a rolling window, for events that arrive in time order
 * (the simulator's). O(1) amortised per event and per read.
 */
export class AbandonWindowCounter {
  readonly #live: number[] = [];
  readonly #abandoned: number[] = [];
  #liveHead = 0;
  #abandonedHead = 0;

  /** @param windowMs the rolling window, ms (US TSR 30 days, UK Ofcom 24 h) */
  constructor(readonly windowMs: number) {}

  /** Record a live answer at `atMs` (abandoned or not). */
  liveAnswer(atMs: number): void {
    this.#live.push(atMs);
  }

  /** Record that a live answer at `atMs` was abandoned. */
  abandon(atMs: number): void {
    this.#abandoned.push(atMs);
  }

  /** Counts in `(nowMs − windowMs, nowMs]`. */
  counts(nowMs: number): { liveAnswers: number; abandoned: number } {
    const from = nowMs - this.windowMs;
    while (this.#liveHead < this.#live.length && (this.#live[this.#liveHead] ?? 0) <= from) this.#liveHead++;
    while (this.#abandonedHead < this.#abandoned.length && (this.#abandoned[this.#abandonedHead] ?? 0) <= from) this.#abandonedHead++;
    return { liveAnswers: this.#live.length - this.#liveHead, abandoned: this.#abandoned.length - this.#abandonedHead };
  }
}
