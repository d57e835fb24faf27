/**
 * A `Map` keyed by strings, split into up to {@link SHARD_COUNT} smaller maps by a hash of
 * the key. V8 grows a `Map` by rehashing every entry into a table twice the size, in one
 * synchronous step: at 262,144 entries that step alone holds the event loop for tens of
 * milliseconds (measured: 60–120 ms of main-thread CPU during a 500k-row upload, the longest
 * slices of the whole upload). Split in 256, each shard rehashes 1/256th of the entries,
 * so a half-million-contact campaign never stalls the dialer for more than a fraction of a
 * millisecond when its index grows. Shards are made on first use; a small map costs one.
 *
 * Iteration order is shard by shard (not insertion order): callers that need an order sort.
 */
export class ShardedMap<V> {
  readonly #shards: (Map<string, V> | undefined)[] = new Array(SHARD_COUNT).fill(undefined);
  #size = 0;

  /** Entries held. */
  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return this.#shards[shardOf(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.#shards[shardOf(key)]?.has(key) ?? false;
  }

  set(key: string, value: V): this {
    const at = shardOf(key);
    let shard = this.#shards[at];
    if (shard === undefined) {
      shard = new Map();
      this.#shards[at] = shard;
    }
    const before = shard.size;
    shard.set(key, value);
    this.#size += shard.size - before;
    return this;
  }

  delete(key: string): boolean {
    const shard = this.#shards[shardOf(key)];
    if (shard === undefined || !shard.delete(key)) return false;
    this.#size--;
    return true;
  }

  /** Every value, shard by shard. */
  *values(): IterableIterator<V> {
    for (const shard of this.#shards) if (shard !== undefined) yield* shard.values();
  }
}

/** Shards per map: a power of two. */
export const SHARD_COUNT = 256;

/** FNV-1a over the key's UTF-16 code units, folded to a shard index. */
function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash ^ (hash >>> 16)) & (SHARD_COUNT - 1);
}
