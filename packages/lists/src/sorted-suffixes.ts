/**
 * The sparse half of a {@link PackedPhoneSet}: each key's last four digits (0–9999) as a
 * sorted `Uint16Array` per bucket of the remaining digits, and a dense offset table (or, for
 * scattered keys, a sorted bucket list) to find the bucket. About 2 bytes a number.
 * Membership: one table read, then an interpolation probe within the bucket's sorted values.
 *
 * @internal Build with {@link SortedSuffixesWriter}; the public face is `PackedPhoneSet`.
 */
export class SortedSuffixes {
  /** Number of keys held. */
  readonly size: number;
  readonly #lows: Uint16Array;
  /** Dense mode: first bucket id; offsets has one entry per bucket id in range, plus one. */
  readonly #base: number;
  readonly #offsets: Uint32Array;
  /** Sparse mode: sorted bucket ids (undefined in dense mode). */
  readonly #buckets: Float64Array | undefined;

  constructor(lows: Uint16Array, base: number, offsets: Uint32Array, buckets: Float64Array | undefined) {
    this.#lows = lows;
    this.#base = base;
    this.#offsets = offsets;
    this.#buckets = buckets;
    this.size = lows.length;
  }

  static empty(): SortedSuffixes {
    return new SortedSuffixes(new Uint16Array(0), 0, new Uint32Array(1), undefined);
  }

  /** Bytes held by the arrays. */
  get byteLength(): number {
    return this.#lows.byteLength + this.#offsets.byteLength + (this.#buckets?.byteLength ?? 0);
  }

  /** True when the key (E.164 digits as an integer) is held. */
  hasKey(key: number): boolean {
    const bucket = Math.floor(key / 10_000);
    const low = key - bucket * 10_000;
    let start: number;
    let end: number;
    const buckets = this.#buckets;
    if (buckets === undefined) {
      const index = bucket - this.#base;
      if (index < 0 || index >= this.#offsets.length - 1) return false;
      start = this.#offsets[index] as number;
      end = this.#offsets[index + 1] as number;
    } else {
      let lo = 0;
      let hi = buckets.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const b = buckets[mid] as number;
        if (b < bucket) lo = mid + 1;
        else if (b > bucket) hi = mid - 1;
        else {
          found = mid;
          break;
        }
      }
      if (found < 0) return false;
      start = this.#offsets[found] as number;
      end = this.#offsets[found + 1] as number;
    }
    const n = end - start;
    if (n === 0) return false;
    const lows = this.#lows;
    // Suffixes are close to uniform in 0–9999: guess the position, then walk.
    let i = start + Math.floor((low * n) / 10_000);
    let v = lows[i] as number;
    if (v < low) {
      while (++i < end) {
        v = lows[i] as number;
        if (v >= low) return v === low;
      }
      return false;
    }
    while (v > low) {
      if (--i < start) return false;
      v = lows[i] as number;
    }
    return v === low;
  }

  /**
   * Batch membership: `out[i] = 1` when `keys[i]` is held, else 0; returns how many were.
   * Works in blocks so the memory reads of independent lookups overlap (each lookup is about
   * two cache misses on a registry of hundreds of megabytes).
   */
  hasMany(keys: ArrayLike<number>, out: Uint8Array): number {
    if (this.#buckets !== undefined) {
      let found = 0;
      for (let i = 0; i < keys.length; i++) {
        const hit = this.hasKey(keys[i] as number);
        out[i] = hit ? 1 : 0;
        if (hit) found++;
      }
      return found;
    }
    const BLOCK = 64;
    const starts = new Int32Array(BLOCK);
    const ends = new Int32Array(BLOCK);
    const lowsOf = new Int32Array(BLOCK);
    const guesses = new Int32Array(BLOCK);
    const guessed = new Uint16Array(BLOCK);
    const offsets = this.#offsets;
    const lows = this.#lows;
    const base = this.#base;
    const last = offsets.length - 1;
    let found = 0;
    for (let from = 0; from < keys.length; from += BLOCK) {
      const count = Math.min(BLOCK, keys.length - from);
      // Pass 1: bucket bounds (independent reads of the offset table).
      for (let j = 0; j < count; j++) {
        const key = keys[from + j] as number;
        const bucket = Math.floor(key / 10_000);
        const index = bucket - base;
        lowsOf[j] = key - bucket * 10_000;
        if (index < 0 || index >= last) {
          starts[j] = 0;
          ends[j] = 0;
        } else {
          starts[j] = offsets[index] as number;
          ends[j] = offsets[index + 1] as number;
        }
      }
      // Pass 2: the interpolated position, and read it (independent reads of the suffixes;
      // storing the value, rather than adding it up, leaves no chain of work waiting on them).
      for (let j = 0; j < count; j++) {
        const start = starts[j] as number;
        const n = (ends[j] as number) - start;
        const g = n > 0 ? start + Math.floor(((lowsOf[j] as number) * n) / 10_000) : -1;
        guesses[j] = g;
        if (g >= 0) guessed[j] = lows[g] as number;
      }
      // Pass 3: finish each walk from the guess (its neighbours are now cached).
      for (let j = 0; j < count; j++) {
        let i = guesses[j] as number;
        let hit = false;
        if (i >= 0) {
          const low = lowsOf[j] as number;
          const start = starts[j] as number;
          const end = ends[j] as number;
          let v = guessed[j] as number;
          if (v < low) {
            while (++i < end) {
              v = lows[i] as number;
              if (v >= low) break;
            }
            hit = i < end && v === low;
          } else {
            while (v > low && --i >= start) v = lows[i] as number;
            hit = i >= start && v === low;
          }
        }
        out[from + j] = hit ? 1 : 0;
        if (hit) found++;
      }
    }
    return found;
  }

  /** Every key in ascending order. */
  *keys(): IterableIterator<number> {
    const lows = this.#lows;
    const offsets = this.#offsets;
    for (let b = 0; b < offsets.length - 1; b++) {
      const start = offsets[b] as number;
      const end = offsets[b + 1] as number;
      if (start === end) continue;
      const bucket = this.#buckets === undefined ? this.#base + b : (this.#buckets[b] as number);
      for (let i = start; i < end; i++) yield bucket * 10_000 + (lows[i] as number);
    }
  }

  /** Visit every key in ascending order. */
  forEachKey(visit: (key: number) => void): void {
    const lows = this.#lows;
    const offsets = this.#offsets;
    for (let b = 0; b < offsets.length - 1; b++) {
      const start = offsets[b] as number;
      const end = offsets[b + 1] as number;
      if (start === end) continue;
      const head = (this.#buckets === undefined ? this.#base + b : (this.#buckets[b] as number)) * 10_000;
      for (let i = start; i < end; i++) visit(head + (lows[i] as number));
    }
  }
}

/** Largest dense offset table (entries) before the set switches to a sorted bucket list. */
const MAX_DENSE_BUCKETS = 16_777_216;

/** Largest first allocation for the suffixes (keys of dense blocks never land here). */
const MAX_INITIAL_CAPACITY = 1 << 24;

/**
 * Builds {@link SortedSuffixes} from strictly ascending keys (the caller checks the order and
 * drops repeats). 2 bytes per key plus a little per bucket.
 *
 * @internal
 */
export class SortedSuffixesWriter {
  #lows: Uint16Array;
  #count = 0;
  #bucketIds = new Float64Array(1024);
  #bucketStarts = new Uint32Array(1024);
  #buckets = 0;
  #currentBucket = -1;

  /** `capacityHint`: expected number of keys (avoids regrowing). */
  constructor(capacityHint: number) {
    this.#lows = new Uint16Array(Math.max(16, Math.min(capacityHint, MAX_INITIAL_CAPACITY)));
  }

  /** Append `key`, larger than every key before it. */
  push(key: number): void {
    const bucket = Math.floor(key / 10_000);
    if (bucket !== this.#currentBucket) {
      if (this.#buckets === this.#bucketIds.length) {
        this.#bucketIds = grow(this.#bucketIds, Float64Array);
        this.#bucketStarts = grow(this.#bucketStarts, Uint32Array);
      }
      this.#bucketIds[this.#buckets] = bucket;
      this.#bucketStarts[this.#buckets] = this.#count;
      this.#buckets++;
      this.#currentBucket = bucket;
    }
    if (this.#count === this.#lows.length) this.#lows = grow(this.#lows, Uint16Array);
    this.#lows[this.#count++] = key - bucket * 10_000;
  }

  /** The finished suffixes; the writer must not be used afterwards. */
  finish(): SortedSuffixes {
    const lows = this.#count === this.#lows.length ? this.#lows : this.#lows.slice(0, this.#count);
    this.#lows = new Uint16Array(0);
    const n = this.#buckets;
    if (n === 0) return SortedSuffixes.empty();
    const first = this.#bucketIds[0] as number;
    const range = (this.#bucketIds[n - 1] as number) - first + 1;
    if (range <= MAX_DENSE_BUCKETS && range <= 8 * n + 1_048_576) {
      const offsets = new Uint32Array(range + 1);
      let b = 0;
      for (let i = 0; i < range; i++) {
        while (b < n && (this.#bucketIds[b] as number) < first + i) b++;
        offsets[i] = b < n ? (this.#bucketStarts[b] as number) : lows.length;
      }
      offsets[range] = lows.length;
      return new SortedSuffixes(lows, first, offsets, undefined);
    }
    const offsets = new Uint32Array(n + 1);
    offsets.set(this.#bucketStarts.subarray(0, n));
    offsets[n] = lows.length;
    return new SortedSuffixes(lows, 0, offsets, this.#bucketIds.slice(0, n));
  }
}

type TypedArrayCtor<T> = new (length: number) => T;

/** A copy of `array` in a new array twice as long. */
export function grow<T extends Uint16Array | Uint32Array | Float64Array>(array: T, ctor: TypedArrayCtor<T>): T {
  const next = new ctor(array.length * 2);
  next.set(array);
  return next;
}
