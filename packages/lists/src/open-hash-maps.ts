/**
 * Open-addressing hash maps (linear probing, at most half full) for the import's dedupe,
 * keyed by phone key or by text, with number values. Everything a slot holds sits in one
 * `Float64Array` row, so a lookup, and the insert that follows it, touch one cache line of a
 * table that is far bigger than the cache: a JS `Map` touches a bucket, an entry and a key
 * string, and boxes every phone key above 2^31.
 *
 * Each map is {@link SHARDS} tables chosen by the hash's top bits: a table grows by copying
 * every slot into one twice its size, synchronously, and one table of a million keys took
 * 60–150 ms to do it in the middle of an upload (the longest stall of the dialer's event
 * loop); a shard holds 1/64th of the keys.
 *
 * @internal
 */

/** Tables per map (a power of two; the hash's top 6 bits choose one). */
const SHARDS = 64;
const SHARD_SHIFT = 26;
/** Slots per table at first: the 64 tables start with as many slots as one table of 65,536 did. */
const INITIAL_SLOTS = 1 << 10;
/** A phone key's hash (keys are exact integers below 2^53). */
function hashKey(key: number): number {
  const hi = Math.floor(key / 4_294_967_296);
  let h = Math.imul((key >>> 0) ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ hi;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units; never 0, which marks an empty slot. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h | 1) >>> 0;
}

/** One shard of a {@link NumberMap}: `[key, value]` per slot, key 0 when empty. */
class NumberTable {
  #slots = new Float64Array(2 * INITIAL_SLOTS);
  #mask = INITIAL_SLOTS - 1;
  size = 0;

  /** The slot holding `key`, or the empty slot where it would go. */
  slot(key: number, hash: number): number {
    const slots = this.#slots;
    let i = hash & this.#mask;
    for (;;) {
      const k = slots[2 * i] as number;
      if (k === 0 || k === key) return i;
      i = (i + 1) & this.#mask;
    }
  }

  keyAt(slot: number): number {
    return this.#slots[2 * slot] as number;
  }

  valueAt(slot: number): number {
    return this.#slots[2 * slot + 1] as number;
  }

  /** The first slot a lookup of `hash` reads (for prefetching). */
  peek(hash: number): number {
    return this.#slots[2 * (hash & this.#mask)] as number;
  }

  set(key: number, hash: number, value: number): void {
    let i = this.slot(key, hash);
    if (this.#slots[2 * i] !== key) {
      if ((this.size + 1) * 2 > this.#mask + 1) {
        this.#grow();
        i = this.slot(key, hash);
      }
      this.#slots[2 * i] = key;
      this.size++;
    }
    this.#slots[2 * i + 1] = value;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Float64Array(2 * old.length);
    this.#mask = old.length - 1;
    for (let j = 0; j < old.length; j += 2) {
      const key = old[j] as number;
      if (key === 0) continue;
      const i = this.slot(key, hashKey(key));
      this.#slots[2 * i] = key;
      this.#slots[2 * i + 1] = old[j + 1] as number;
    }
  }
}

/** Phone keys (E.164 digits as integers, never 0) to numbers. */
export class NumberMap {
  readonly #tables = Array.from({ length: SHARDS }, () => new NumberTable());
  size = 0;
  /** What `prefetch` read, kept so the compiler cannot drop the reads. */
  readAhead = 0;

  has(key: number): boolean {
    const hash = hashKey(key);
    const table = this.#tables[hash >>> SHARD_SHIFT] as NumberTable;
    return table.keyAt(table.slot(key, hash)) === key;
  }

  /**
   * Read the slots where lookups of `keys` will start, in one loop so that their cache misses
   * overlap (the lookups then find them in cache).
   */
  prefetch(keys: ArrayLike<number>): void {
    let read = 0;
    for (let j = 0; j < keys.length; j++) {
      const hash = hashKey(keys[j] as number);
      read += (this.#tables[hash >>> SHARD_SHIFT] as NumberTable).peek(hash);
    }
    this.readAhead = read;
  }

  get(key: number): number | undefined {
    const hash = hashKey(key);
    const table = this.#tables[hash >>> SHARD_SHIFT] as NumberTable;
    const i = table.slot(key, hash);
    return table.keyAt(i) === key ? table.valueAt(i) : undefined;
  }

  set(key: number, value: number): void {
    const hash = hashKey(key);
    const table = this.#tables[hash >>> SHARD_SHIFT] as NumberTable;
    const before = table.size;
    table.set(key, hash, value);
    this.size += table.size - before;
  }
}

/**
 * One shard of a {@link StringMap}: per slot five 32-bit lanes, `[hash, value low, value high,
 * start, length]`, hash 0 when empty (20 bytes a slot, where five `Float64Array` lanes took 32:
 * half a million ids are ~12 MB less for the whole upload). The keys' characters are copied into
 * one growing `Uint16Array` (start, length): a million id strings held as objects would each be
 * copied out of the young generation and then scanned by every old-generation collection.
 */
class StringTable {
  #slots = new Uint32Array(LANES * INITIAL_SLOTS);
  #mask = INITIAL_SLOTS - 1;
  #chars = new Uint16Array(8 * INITIAL_SLOTS);
  #charCount = 0;
  size = 0;

  /** The slot holding `key`, or the empty slot where it would go. */
  slot(key: string, hash: number): number {
    const slots = this.#slots;
    let i = hash & this.#mask;
    for (;;) {
      const h = slots[LANES * i] as number;
      if (h === 0 || (h === hash && this.#keyIs(i, key))) return i;
      i = (i + 1) & this.#mask;
    }
  }

  #keyIs(slot: number, key: string): boolean {
    if (this.#slots[LANES * slot + LENGTH] !== key.length) return false;
    const chars = this.#chars;
    const start = this.#slots[LANES * slot + START] as number;
    for (let i = 0; i < key.length; i++) if (chars[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  occupied(slot: number): boolean {
    return this.#slots[LANES * slot] !== 0;
  }

  valueAt(slot: number): number {
    return (this.#slots[LANES * slot + HIGH] as number) * 4_294_967_296 + (this.#slots[LANES * slot + LOW] as number);
  }

  /** The first slot a lookup of `hash` reads (for prefetching). */
  peek(hash: number): number {
    return this.#slots[LANES * (hash & this.#mask)] as number;
  }

  set(key: string, hash: number, value: number): void {
    let i = this.slot(key, hash);
    if (this.#slots[LANES * i] === 0) {
      if ((this.size + 1) * 2 > this.#mask + 1) {
        this.#grow();
        i = this.slot(key, hash);
      }
      if (this.#charCount + key.length > this.#chars.length) {
        const chars = new Uint16Array(Math.max(2 * this.#chars.length, this.#charCount + key.length));
        chars.set(this.#chars.subarray(0, this.#charCount));
        this.#chars = chars;
      }
      for (let c = 0; c < key.length; c++) this.#chars[this.#charCount + c] = key.charCodeAt(c);
      this.#slots[LANES * i] = hash;
      this.#slots[LANES * i + START] = this.#charCount;
      this.#slots[LANES * i + LENGTH] = key.length;
      this.#charCount += key.length;
      this.size++;
    }
    const high = Math.floor(value / 4_294_967_296);
    this.#slots[LANES * i + LOW] = value - high * 4_294_967_296;
    this.#slots[LANES * i + HIGH] = high;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(2 * old.length);
    this.#mask = (2 * old.length) / LANES - 1;
    for (let j = 0; j < old.length; j += LANES) {
      const hash = old[j] as number;
      if (hash === 0) continue;
      // Keys are distinct, so the first empty slot is the place.
      let i = hash & this.#mask;
      while (this.#slots[LANES * i] !== 0) i = (i + 1) & this.#mask;
      for (let f = 0; f < LANES; f++) this.#slots[LANES * i + f] = old[j + f] as number;
    }
  }
}

/** A {@link StringTable} slot's lanes: the hash (0: empty) at 0, then these. */
const LANES = 5;
const LOW = 1;
const HIGH = 2;
const START = 3;
const LENGTH = 4;

/** Strings (contact keys, ids) to whole numbers from 0 to 2^53 − 1 (the dedupe's list and row codes). */
export class StringMap {
  readonly #tables = Array.from({ length: SHARDS }, () => new StringTable());
  size = 0;
  /** What `prefetch` read, kept so the compiler cannot drop the reads. */
  readAhead = 0;

  has(key: string): boolean {
    const hash = hashText(key);
    const table = this.#tables[hash >>> SHARD_SHIFT] as StringTable;
    return table.occupied(table.slot(key, hash));
  }

  /** As {@link NumberMap.prefetch}. */
  prefetch(keys: readonly string[]): void {
    let read = 0;
    for (let j = 0; j < keys.length; j++) {
      const hash = hashText(keys[j] as string);
      read += (this.#tables[hash >>> SHARD_SHIFT] as StringTable).peek(hash);
    }
    this.readAhead = read;
  }

  get(key: string): number | undefined {
    const hash = hashText(key);
    const table = this.#tables[hash >>> SHARD_SHIFT] as StringTable;
    const i = table.slot(key, hash);
    return table.occupied(i) ? table.valueAt(i) : undefined;
  }

  set(key: string, value: number): void {
    const hash = hashText(key);
    const table = this.#tables[hash >>> SHARD_SHIFT] as StringTable;
    const before = table.size;
    table.set(key, hash, value);
    this.size += table.size - before;
  }
}
