import { PacelineError } from '@paceline/core';

/**
 * A set of phone numbers packed for national do-not-call registries (250 million numbers in
 * about 2 bytes each). Each number is its E.164 digits as an integer key; the key's last four
 * digits (0–9999) are stored as a sorted `Uint16Array` per bucket of the remaining digits,
 * and a dense offset table (or, for scattered keys, a sorted bucket list) finds the bucket.
 * Membership: one table read, then an interpolation probe within ~400 sorted 2-byte values.
 * Immutable; build with {@link PackedPhoneSetWriter} (ascending keys) or
 * {@link PackedPhoneSetBuilder} (any order).
 */
export class PackedPhoneSet {
  /** Number of numbers held. */
  readonly size: number;
  readonly #lows: Uint16Array;
  /** Dense mode: first bucket id; offsets has one entry per bucket id in range, plus one. */
  readonly #base: number;
  readonly #offsets: Uint32Array;
  /** Sparse mode: sorted bucket ids (empty in dense mode). */
  readonly #buckets: Float64Array | undefined;

  /** @internal Use a writer or builder. */
  constructor(lows: Uint16Array, base: number, offsets: Uint32Array, buckets: Float64Array | undefined) {
    this.#lows = lows;
    this.#base = base;
    this.#offsets = offsets;
    this.#buckets = buckets;
    this.size = lows.length;
  }

  /** An empty set. */
  static empty(): PackedPhoneSet {
    return new PackedPhoneSet(new Uint16Array(0), 0, new Uint32Array(1), undefined);
  }

  /** Bytes held by the packed arrays. */
  get byteLength(): number {
    return this.#lows.byteLength + this.#offsets.byteLength + (this.#buckets?.byteLength ?? 0);
  }

  /** True when the set holds the E.164 number `e164` (`+14155550123`). */
  has(e164: string): boolean {
    return this.hasKey(Number(e164.slice(1)));
  }

  /** True when the set holds the key (E.164 digits as an integer, e.g. 14155550123). */
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
   * Batch membership for scrubbing a list: `out[i] = 1` when `keys[i]` is held, else 0;
   * returns how many were. Works in blocks so the memory reads of independent lookups
   * overlap (each lookup is about two cache misses on a 500 MB registry).
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
    const offsets = this.#offsets;
    const lows = this.#lows;
    const base = this.#base;
    const last = offsets.length - 1;
    let found = 0;
    let touch = 0;
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
      // Pass 2: the interpolated position, and touch it (independent reads of the suffixes).
      for (let j = 0; j < count; j++) {
        const start = starts[j] as number;
        const n = (ends[j] as number) - start;
        const g = n > 0 ? start + Math.floor(((lowsOf[j] as number) * n) / 10_000) : -1;
        guesses[j] = g;
        if (g >= 0) touch += lows[g] as number;
      }
      // Pass 3: finish each walk from the (now cached) guess.
      for (let j = 0; j < count; j++) {
        let i = guesses[j] as number;
        let hit = false;
        if (i >= 0) {
          const low = lowsOf[j] as number;
          const start = starts[j] as number;
          const end = ends[j] as number;
          let v = lows[i] as number;
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
    // Keeps pass 2's reads from being optimised away; never true.
    return touch < 0 ? -1 : found;
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

  /** Visit every key in ascending order (faster than `keys()` for hundreds of millions). */
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

  /**
   * A new set with `adds` added and `deletes` removed (registry change lists); both are key
   * lists in any order. One merge pass over this set.
   */
  withChanges(adds: readonly number[], deletes: readonly number[]): PackedPhoneSet {
    const add = Float64Array.from(adds).sort();
    const del = new Set(deletes);
    const writer = new PackedPhoneSetWriter(this.size + add.length);
    let a = 0;
    this.forEachKey((key) => {
      while (a < add.length && (add[a] as number) < key) {
        const k = add[a++] as number;
        if (!del.has(k)) writer.push(k);
      }
      if (!del.has(key)) writer.push(key);
    });
    while (a < add.length) {
      const k = add[a++] as number;
      if (!del.has(k)) writer.push(k);
    }
    return writer.finish();
  }
}

/** Largest dense offset table (entries) before the set switches to a sorted bucket list. */
const MAX_DENSE_BUCKETS = 16_777_216;

/**
 * Builds a {@link PackedPhoneSet} from keys pushed in ascending order (repeats are dropped).
 * Uses 2 bytes per number plus a little per bucket, so 250 million numbers can be streamed
 * straight in from a sorted file or a generator.
 */
export class PackedPhoneSetWriter {
  #lows: Uint16Array;
  #count = 0;
  #bucketIds: Float64Array;
  #bucketStarts: Uint32Array;
  #buckets = 0;
  #currentBucket = -1;
  #last = -1;

  /** `capacityHint`: expected number of keys (avoids regrowing). */
  constructor(capacityHint = 1024) {
    this.#lows = new Uint16Array(Math.max(16, capacityHint));
    this.#bucketIds = new Float64Array(1024);
    this.#bucketStarts = new Uint32Array(1024);
  }

  /** Keys pushed so far (after dropping repeats). */
  get count(): number {
    return this.#count;
  }

  /** Append `key` (E.164 digits as an integer); must not be smaller than the previous key. */
  push(key: number): void {
    if (key <= this.#last) {
      if (key === this.#last) return;
      throw new PacelineError('E_INVALID_INPUT', `PackedPhoneSetWriter.push: keys must ascend; ${key} came after ${this.#last}`);
    }
    this.#last = key;
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

  /** The finished set; the writer must not be used afterwards. */
  finish(): PackedPhoneSet {
    const lows = this.#count === this.#lows.length ? this.#lows : this.#lows.slice(0, this.#count);
    this.#lows = new Uint16Array(0);
    const n = this.#buckets;
    if (n === 0) return PackedPhoneSet.empty();
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
      return new PackedPhoneSet(lows, first, offsets, undefined);
    }
    const offsets = new Uint32Array(n + 1);
    offsets.set(this.#bucketStarts.subarray(0, n));
    offsets[n] = lows.length;
    return new PackedPhoneSet(lows, 0, offsets, this.#bucketIds.slice(0, n));
  }
}

type TypedArrayCtor<T> = new (length: number) => T;

function grow<T extends Uint16Array | Uint32Array | Float64Array>(array: T, ctor: TypedArrayCtor<T>): T {
  const next = new ctor(array.length * 2);
  next.set(array);
  return next;
}

/** A growable list of 32-bit unsigned values. */
class U32List {
  values = new Uint32Array(256);
  length = 0;
  push(v: number): void {
    if (this.length === this.values.length) this.values = grow(this.values, Uint32Array);
    this.values[this.length++] = v;
  }
}

/**
 * Builds a {@link PackedPhoneSet} from keys in any order (registry files are not always
 * sorted). Keys are partitioned by all but their last 7 digits and held as 4-byte values
 * until `build()` sorts each partition, so loading needs about 4 bytes per number on top of
 * the finished set's 2.
 */
export class PackedPhoneSetBuilder {
  readonly #partitions = new Map<number, U32List>();
  #added = 0;

  /** Keys added so far (repeats included). */
  get added(): number {
    return this.#added;
  }

  /** Add a key (E.164 digits as an integer). */
  add(key: number): void {
    const head = Math.floor(key / 10_000_000);
    let list = this.#partitions.get(head);
    if (!list) {
      list = new U32List();
      this.#partitions.set(head, list);
    }
    list.push(key - head * 10_000_000);
    this.#added++;
  }

  /** Sort, drop repeats, pack. */
  build(): PackedPhoneSet {
    const writer = new PackedPhoneSetWriter(this.#added);
    const heads = [...this.#partitions.keys()].sort((a, b) => a - b);
    for (const head of heads) {
      const list = this.#partitions.get(head) as U32List;
      const values = list.values.subarray(0, list.length).sort();
      const base = head * 10_000_000;
      for (let i = 0; i < values.length; i++) writer.push(base + (values[i] as number));
      this.#partitions.delete(head);
    }
    return writer.finish();
  }
}
