import { PacelineError } from '@paceline/core';
import { grow, SortedSuffixes, SortedSuffixesWriter } from './sorted-suffixes';

/**
 * Keys per block: a key's block is all but its last 7 digits, so for +1 numbers a block is one
 * area code (NPA) and the 7 digits left are the subscriber number.
 */
const BLOCK_KEYS = 10_000_000;
/** A bitmap has one bit per key of its block: 312,500 32-bit words, 1.25 MB. */
const BITMAP_WORDS = BLOCK_KEYS / 32;
const BITMAP_BYTES = BITMAP_WORDS * 4;
/**
 * Default `bitmapMinKeys`: from 625,000 numbers a block's bitmap is no bigger than their
 * 2-byte suffixes, so choosing by size alone never costs memory.
 */
const DEFAULT_BITMAP_MIN_KEYS = BITMAP_BYTES / 2;
/**
 * Bitmap blocks are found through a table indexed from the first one; a block further than
 * this from it (numbers of several countries in one set) keeps sorted suffixes.
 */
const MAX_BITMAP_SPAN = 1 << 20;

/** How a {@link PackedPhoneSet} is laid out. */
export interface PackedPhoneSetOptions {
  /**
   * A block of 10^7 keys (a NANP area code) holding at least this many numbers is stored as a
   * 1.25 MB bitmap, one bit per number: one memory read per lookup instead of two. Default
   * 625,000, where the bitmap becomes the smaller form; 250,000 buys speed for at most 5 bytes
   * a number.
   */
  readonly bitmapMinKeys?: number;
}

function bitmapMinKeysOf(options: PackedPhoneSetOptions): number {
  const value = options.bitmapMinKeys ?? DEFAULT_BITMAP_MIN_KEYS;
  if (!Number.isInteger(value) || value < 1) {
    throw new PacelineError('E_INVALID_CONFIG', `options.bitmapMinKeys: expected a positive integer, got ${value}`);
  }
  return value;
}

/**
 * A set of phone numbers packed for national do-not-call registries (250 million US numbers in
 * under 2 bytes each). Each number is its E.164 digits as an integer key, and keys are grouped
 * in blocks of 10^7 (for +1 numbers, one area code). A dense block is a bitmap with one bit per
 * possible number; the other blocks keep each key's last four digits in sorted 2-byte arrays.
 * Immutable; build with {@link PackedPhoneSetWriter} (ascending keys)
 * or {@link PackedPhoneSetBuilder} (any order).
 */
export class PackedPhoneSet {
  /** Number of numbers held. */
  readonly size: number;
  readonly #sparse: SortedSuffixes;
  /** The first bitmap block; `#slots[block - #bitmapBase]` is its bitmap's index, or -1. */
  readonly #bitmapBase: number;
  readonly #slots: Int32Array;
  /** The bitmaps one after another, `BITMAP_WORDS` words each. */
  readonly #bits: Int32Array;
  readonly #bitmapMinKeys: number;

  /** @internal Use a writer or builder. */
  constructor(sparse: SortedSuffixes, bitmapBase: number, slots: Int32Array, bits: Int32Array, size: number, bitmapMinKeys: number) {
    this.#sparse = sparse;
    this.#bitmapBase = bitmapBase;
    this.#slots = slots;
    this.#bits = bits;
    this.#bitmapMinKeys = bitmapMinKeys;
    this.size = size;
  }

  /** An empty set. */
  static empty(): PackedPhoneSet {
    return new PackedPhoneSet(SortedSuffixes.empty(), 0, new Int32Array(0), new Int32Array(0), 0, DEFAULT_BITMAP_MIN_KEYS);
  }

  /** Bytes held by the packed arrays. */
  get byteLength(): number {
    return this.#sparse.byteLength + this.#slots.byteLength + this.#bits.byteLength;
  }

  /** How many blocks of 10^7 keys (area codes) are held as bitmaps. */
  get bitmapBlocks(): number {
    return this.#bits.length / BITMAP_WORDS;
  }

  /** True when the set holds the E.164 number `e164` (`+14155550123`). */
  has(e164: string): boolean {
    return this.hasKey(Number(e164.slice(1)));
  }

  /** True when the set holds the key (E.164 digits as an integer, e.g. 14155550123). */
  hasKey(key: number): boolean {
    const block = Math.floor(key / BLOCK_KEYS);
    const index = block - this.#bitmapBase;
    if (index >= 0 && index < this.#slots.length) {
      const slot = this.#slots[index] as number;
      if (slot >= 0) {
        const tail = key - block * BLOCK_KEYS;
        return (((this.#bits[slot * BITMAP_WORDS + (tail >>> 5)] as number) >>> (tail & 31)) & 1) === 1;
      }
    }
    return this.#sparse.hasKey(key);
  }

  /**
   * Batch membership for scrubbing a list: `out[i] = 1` when `keys[i]` is held, else 0;
   * returns how many were. A key in a bitmap block is one memory read that depends on no other,
   * so the reads of many keys are in flight at once; the other keys go to the sorted suffixes
   * in blocks for the same reason.
   */
  hasMany(keys: ArrayLike<number>, out: Uint8Array): number {
    const slots = this.#slots;
    if (slots.length === 0) return this.#sparse.hasMany(keys, out);
    const bits = this.#bits;
    const base = this.#bitmapBase;
    const CHUNK = Math.min(4096, keys.length);
    const words = new Int32Array(CHUNK);
    const bitOf = new Uint8Array(CHUNK);
    const loaded = new Int32Array(CHUNK);
    const pendingKeys = new Float64Array(CHUNK);
    const pendingIndex = new Int32Array(CHUNK);
    const pendingOut = new Uint8Array(CHUNK);
    let found = 0;
    for (let from = 0; from < keys.length; from += CHUNK) {
      const count = Math.min(CHUNK, keys.length - from);
      let pending = 0;
      // Pass 1: each key's bit as (word index << 5 | bit), or -1 for keys of other blocks.
      for (let j = 0; j < count; j++) {
        const key = keys[from + j] as number;
        const block = Math.floor(key / BLOCK_KEYS);
        const index = block - base;
        const slot = index >= 0 && index < slots.length ? (slots[index] as number) : -1;
        if (slot < 0) {
          words[j] = -1;
          pendingKeys[pending] = key;
          pendingIndex[pending++] = from + j;
        } else {
          const tail = key - block * BLOCK_KEYS;
          words[j] = slot * BITMAP_WORDS + (tail >>> 5);
          bitOf[j] = tail & 31;
        }
      }
      // Pass 2: the reads, independent of each other and with nothing else waiting on them.
      for (let j = 0; j < count; j++) {
        const word = words[j] as number;
        if (word >= 0) loaded[j] = bits[word] as number;
      }
      // Pass 3: the bits.
      for (let j = 0; j < count; j++) {
        if ((words[j] as number) < 0) continue;
        const hit = ((loaded[j] as number) >>> (bitOf[j] as number)) & 1;
        out[from + j] = hit;
        found += hit;
      }
      if (pending > 0) {
        found += this.#sparse.hasMany(pendingKeys.subarray(0, pending), pendingOut);
        for (let j = 0; j < pending; j++) out[pendingIndex[j] as number] = pendingOut[j] as number;
      }
    }
    return found;
  }

  /** The bitmap of the block at `index` in the slot table, if it has one. */
  #bitmapAt(index: number): Int32Array | undefined {
    const slot = this.#slots[index] as number;
    return slot < 0 ? undefined : this.#bits.subarray(slot * BITMAP_WORDS, (slot + 1) * BITMAP_WORDS);
  }

  /** Every key in ascending order. */
  *keys(): IterableIterator<number> {
    const base = this.#bitmapBase;
    let index = 0;
    for (const key of this.#sparse.keys()) {
      for (; index < this.#slots.length && base + index < Math.floor(key / BLOCK_KEYS); index++) {
        yield* bitmapKeys(this.#bitmapAt(index), base + index);
      }
      yield key;
    }
    for (; index < this.#slots.length; index++) yield* bitmapKeys(this.#bitmapAt(index), base + index);
  }

  /** Visit every key in ascending order (faster than `keys()` for hundreds of millions). */
  forEachKey(visit: (key: number) => void): void {
    const base = this.#bitmapBase;
    let index = 0;
    this.#sparse.forEachKey((key) => {
      for (; index < this.#slots.length && base + index < Math.floor(key / BLOCK_KEYS); index++) {
        forEachBitmapKey(this.#bitmapAt(index), base + index, visit);
      }
      visit(key);
    });
    for (; index < this.#slots.length; index++) forEachBitmapKey(this.#bitmapAt(index), base + index, visit);
  }

  /**
   * A new set with `adds` added and `deletes` removed (registry change lists); both are key
   * lists in any order. One merge pass over this set; a block whose count crosses
   * `bitmapMinKeys` either way changes form.
   */
  withChanges(adds: readonly number[], deletes: readonly number[]): PackedPhoneSet {
    const add = Float64Array.from(adds).sort();
    const del = new Set(deletes);
    const writer = new PackedPhoneSetWriter(this.size + add.length, { bitmapMinKeys: this.#bitmapMinKeys });
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

function* bitmapKeys(bits: Int32Array | undefined, block: number): IterableIterator<number> {
  if (bits === undefined) return;
  const head = block * BLOCK_KEYS;
  for (let w = 0; w < bits.length; w++) {
    for (let word = bits[w] as number; word !== 0; word &= word - 1) yield head + w * 32 + (31 - Math.clz32(word & -word));
  }
}

function forEachBitmapKey(bits: Int32Array | undefined, block: number, visit: (key: number) => void): void {
  if (bits === undefined) return;
  const head = block * BLOCK_KEYS;
  for (let w = 0; w < bits.length; w++) {
    for (let word = bits[w] as number; word !== 0; word &= word - 1) visit(head + w * 32 + (31 - Math.clz32(word & -word)));
  }
}

/**
 * Builds a {@link PackedPhoneSet} from keys pushed in ascending order (repeats are dropped).
 * Holds one block's keys (4 bytes each) until the block ends, then stores it as a bitmap or as
 * sorted suffixes, so 250 million numbers can be streamed straight in from a sorted file or a
 * generator.
 */
export class PackedPhoneSetWriter {
  readonly #sparse: SortedSuffixesWriter;
  readonly #bitmapMinKeys: number;
  readonly #bitmaps: { block: number; bits: Int32Array }[] = [];
  #bitmapKeys = 0;
  /** The current block's keys less `block × 10^7` (0 … 9,999,999). */
  #tails = new Uint32Array(1024);
  #tailCount = 0;
  #block = Number.NaN;
  #last = -1;
  #pushed = 0;

  /** `capacityHint`: expected number of keys (avoids regrowing). */
  constructor(capacityHint = 1024, options: PackedPhoneSetOptions = {}) {
    this.#bitmapMinKeys = bitmapMinKeysOf(options);
    this.#sparse = new SortedSuffixesWriter(capacityHint);
  }

  /** Keys pushed so far (after dropping repeats). */
  get count(): number {
    return this.#pushed;
  }

  /** Append `key` (E.164 digits as an integer); must not be smaller than the previous key. */
  push(key: number): void {
    if (key <= this.#last) {
      if (key === this.#last) return;
      throw new PacelineError('E_INVALID_INPUT', `PackedPhoneSetWriter.push: keys must ascend; ${key} came after ${this.#last}`);
    }
    this.#last = key;
    this.#pushed++;
    const block = Math.floor(key / BLOCK_KEYS);
    if (block !== this.#block) {
      this.#endBlock();
      this.#block = block;
    }
    if (this.#tailCount === this.#tails.length) this.#tails = grow(this.#tails, Uint32Array);
    this.#tails[this.#tailCount++] = key - block * BLOCK_KEYS;
  }

  /** Store the current block as a bitmap or as sorted suffixes. */
  #endBlock(): void {
    const n = this.#tailCount;
    if (n === 0) return;
    this.#tailCount = 0;
    const tails = this.#tails;
    const first = this.#bitmaps[0]?.block ?? this.#block;
    if (n >= this.#bitmapMinKeys && this.#block - first < MAX_BITMAP_SPAN) {
      const bits = new Int32Array(BITMAP_WORDS);
      for (let i = 0; i < n; i++) {
        const tail = tails[i] as number;
        const word = tail >>> 5;
        bits[word] = (bits[word] as number) | (1 << (tail & 31));
      }
      this.#bitmaps.push({ block: this.#block, bits });
      this.#bitmapKeys += n;
      return;
    }
    const head = this.#block * BLOCK_KEYS;
    for (let i = 0; i < n; i++) this.#sparse.push(head + (tails[i] as number));
  }

  /** The finished set; the writer must not be used afterwards. */
  finish(): PackedPhoneSet {
    this.#endBlock();
    this.#tails = new Uint32Array(0);
    const sparse = this.#sparse.finish();
    const bitmaps = this.#bitmaps;
    const base = bitmaps[0]?.block ?? 0;
    const slots = new Int32Array(bitmaps.length === 0 ? 0 : (bitmaps[bitmaps.length - 1]?.block ?? 0) - base + 1).fill(-1);
    // One array for all bitmaps keeps the lookup to a multiply and a read (the copy is brief).
    const bits = new Int32Array(bitmaps.length * BITMAP_WORDS);
    for (const [slot, bitmap] of bitmaps.entries()) {
      slots[bitmap.block - base] = slot;
      bits.set(bitmap.bits, slot * BITMAP_WORDS);
    }
    bitmaps.length = 0;
    return new PackedPhoneSet(sparse, base, slots, bits, sparse.size + this.#bitmapKeys, this.#bitmapMinKeys);
  }
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
 * sorted). Keys are partitioned by block (all but their last 7 digits) and held as 4-byte
 * values until `build()` sorts each partition, so loading needs about 4 bytes per number on
 * top of the finished set's 2.
 */
export class PackedPhoneSetBuilder {
  readonly #partitions = new Map<number, U32List>();
  readonly #bitmapMinKeys: number;
  #added = 0;

  constructor(options: PackedPhoneSetOptions = {}) {
    this.#bitmapMinKeys = bitmapMinKeysOf(options);
  }

  /** Keys added so far (repeats included). */
  get added(): number {
    return this.#added;
  }

  /** Add a key (E.164 digits as an integer). */
  add(key: number): void {
    const head = Math.floor(key / BLOCK_KEYS);
    let list = this.#partitions.get(head);
    if (!list) {
      list = new U32List();
      this.#partitions.set(head, list);
    }
    list.push(key - head * BLOCK_KEYS);
    this.#added++;
  }

  /** Sort, drop repeats, pack. */
  build(): PackedPhoneSet {
    const writer = new PackedPhoneSetWriter(this.#added, { bitmapMinKeys: this.#bitmapMinKeys });
    const heads = [...this.#partitions.keys()].sort((a, b) => a - b);
    for (const head of heads) {
      const list = this.#partitions.get(head) as U32List;
      const values = list.values.subarray(0, list.length).sort();
      const base = head * BLOCK_KEYS;
      for (let i = 0; i < values.length; i++) writer.push(base + (values[i] as number));
      this.#partitions.delete(head);
    }
    return writer.finish();
  }
}
