import { Heap } from 'heap-js';
import { PacelineError } from '../errors';
import type { Clock, TimerHandle } from '../ports/clock';

interface VirtualTimer {
  readonly at: number;
  /** Insertion order: timers due at the same instant fire in the order they were set. */
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A `Clock` on virtual time: nothing happens until the owner advances it. Timers due at the
 * same instant fire in the order they were set, so a seeded simulation replays exactly.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #live = 0;
  readonly #timers = new Heap<VirtualTimer>((a, b) => a.at - b.at || a.seq - b.seq);

  /** @param startMs the initial time, epoch milliseconds (default 0). */
  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: VirtualTimer = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback, cancelled: false };
    this.#timers.push(timer);
    this.#live++;
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as VirtualTimer;
    if (timer.cancelled || !('callback' in timer)) return;
    timer.cancelled = true;
    this.#live--;
  }

  /** Number of timers still due to fire. */
  get pending(): number {
    return this.#live;
  }

  /** When the next live timer is due, or `undefined` when none is. */
  nextAt(): number | undefined {
    this.#dropCancelled();
    return this.#timers.peek()?.at;
  }

  /**
   * Jump to the next timer and fire every timer due at that instant (including ones they
   * set for the same instant). Returns false when no timer is pending.
   */
  runNext(): boolean {
    const at = this.nextAt();
    if (at === undefined) return false;
    this.#now = Math.max(this.#now, at);
    this.#fireDue();
    return true;
  }

  /** Advance to `targetMs`, firing every timer due on the way, in order. */
  advanceTo(targetMs: number): void {
    if (targetMs < this.#now) {
      throw new PacelineError('E_INVALID_INPUT', `VirtualClock.advanceTo: cannot go back in time from ${this.#now} to ${targetMs}`);
    }
    for (let at = this.nextAt(); at !== undefined && at <= targetMs; at = this.nextAt()) {
      this.#now = Math.max(this.#now, at);
      this.#fireDue();
    }
    this.#now = targetMs;
  }

  /** Advance by `deltaMs`, firing every timer due on the way. */
  advance(deltaMs: number): void {
    this.advanceTo(this.#now + deltaMs);
  }

  /** Fire timers until none is left or `maxTimers` have fired (a guard against endless loops). Returns how many fired. */
  runAll(maxTimers = 1_000_000): number {
    let fired = 0;
    while (fired < maxTimers && this.runNext()) fired++;
    return fired;
  }

  #fireDue(): void {
    for (let top = this.#timers.peek(); top !== undefined && top.at <= this.#now; top = this.#timers.peek()) {
      this.#timers.pop();
      if (top.cancelled) continue;
      top.cancelled = true;
      this.#live--;
      top.callback();
    }
  }

  #dropCancelled(): void {
    while (this.#timers.peek()?.cancelled) this.#timers.pop();
  }
}
