/**
 * Signatures already accepted, each remembered until it expires (when its timestamp leaves
 * the tolerance window and the staleness check rejects it anyway). Bounded: past `maxEntries`
 * the oldest entries go first.
 */
export interface ReplayCache {
  /** True when `key` was already seen and has not expired at `nowMs`; otherwise remembers it until `expiresAtMs`. */
  checkAndRemember(key: string, expiresAtMs: number, nowMs: number): boolean;
  /** Entries currently held. */
  readonly size: number;
}

/** A {@link ReplayCache} in memory. One per receiver; share one between receivers of the same secret. */
export function createReplayCache(options: { maxEntries?: number } = {}): ReplayCache {
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, number>();
  const purge = (nowMs: number) => {
    for (const [key, expiresAt] of entries) if (expiresAt <= nowMs) entries.delete(key);
  };
  return {
    checkAndRemember(key, expiresAtMs, nowMs) {
      const expiresAt = entries.get(key);
      if (expiresAt !== undefined && expiresAt > nowMs) return true;
      if (entries.size >= maxEntries) purge(nowMs);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      entries.set(key, expiresAtMs);
      return false;
    },
    get size() {
      return entries.size;
    },
  };
}
