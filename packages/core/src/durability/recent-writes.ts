import { PacelineError } from '../errors';
import type { Clock } from '../ports/clock';

/**
 * The writes a Redis server acknowledged in the last `windowMs`, the latest one per key,
 * oldest first. With `appendfsync everysec` a machine crash takes back up to about the last
 * second of acknowledged writes; an adapter that keeps this journal can write them again
 * after the server comes back (each replay guarded, so a write that survived is left alone).
 * Pure: time comes from the injected clock, nothing is sent anywhere.
 */
export class RecentWrites<V> {
  readonly #clock: Clock;
  readonly #windowMs: number;
  /** key → [acknowledged at, value]; Map order is the order of the latest write per key. */
  readonly #writes = new Map<string, [number, V]>();

  constructor(clock: Clock, windowMs: number) {
    if (!(Number.isFinite(windowMs) && windowMs > 0)) {
      throw new PacelineError('E_INVALID_CONFIG', `RecentWrites windowMs: expected a positive number of ms, got ${windowMs}`);
    }
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  /** Note an acknowledged write; it replaces (and moves after) an earlier one of the same key. */
  record(key: string, value: V): void {
    this.#writes.delete(key);
    this.#writes.set(key, [this.#clock.now(), value]);
    this.#evict();
  }

  /** The latest write of `key` inside the window. */
  get(key: string): V | undefined {
    this.#evict();
    return this.#writes.get(key)?.[1];
  }

  /** Every write inside the window, the latest per key, oldest first. */
  entries(): Array<[key: string, value: V]> {
    this.#evict();
    return [...this.#writes].map(([key, [, value]]) => [key, value]);
  }

  /** How many keys the window holds. */
  get size(): number {
    this.#evict();
    return this.#writes.size;
  }

  #evict(): void {
    const oldest = this.#clock.now() - this.#windowMs;
    for (const [key, [at]] of this.#writes) {
      if (at >= oldest) return;
      this.#writes.delete(key);
    }
  }
}
