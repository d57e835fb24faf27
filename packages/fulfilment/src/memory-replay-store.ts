import type { ReplayStore } from '@paceline/core';

/** A {@link ReplayStore} in one process's memory, with how many entries it holds. */
export interface MemoryReplayStore extends ReplayStore {
  /** Entries currently held (expired ones go at the next sweep). */
  readonly size: number;
}

/**
 * A {@link ReplayStore} in memory, for a receiver that runs on one node (several nodes share
 * `createRedisReplayStore` from `@paceline/store-redis`). Entries stay until their window
 * ends; there is no size cap that could evict a live one. Its size is bounded by the window:
 * only requests with a valid, fresh signature are remembered, each for at most twice the
 * tolerance. Expired entries are swept whenever the map has doubled since the last sweep.
 */
export function createMemoryReplayStore(): MemoryReplayStore {
  const entries = new Map<string, number>();
  let sweepAt = 1_024;
  const sweep = (nowMs: number) => {
    for (const [key, expiresAt] of entries) if (expiresAt <= nowMs) entries.delete(key);
    sweepAt = Math.max(1_024, entries.size * 2);
  };
  return {
    async remember(key, expiresAtMs, nowMs) {
      const expiresAt = entries.get(key);
      if (expiresAt !== undefined && expiresAt > nowMs) return false;
      if (entries.size >= sweepAt) sweep(nowMs);
      entries.set(key, expiresAtMs);
      return true;
    },
    get size() {
      return entries.size;
    },
  };
}
