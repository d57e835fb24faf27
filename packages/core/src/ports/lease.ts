/** Who holds a lease now, under which fencing token, and until when. */
export interface LeaseGrant {
  readonly holder: string;
  /** The fencing token of this tenure: strictly greater than every token issued before for the same lease name. */
  readonly token: number;
  /** Epoch ms at which the lease lapses unless renewed. */
  readonly expiresAt: number;
}

/**
 * Time-bound, fenced leases: how several engine processes agree on one leader per campaign
 * (only the holder of `pacing:<campaignId>` launches calls for it). A lease lapses by itself
 * when its holder stops renewing (a crashed node), so another node takes over within the TTL.
 *
 * Every call takes the caller's time (`now`, epoch ms from the injected `Clock`): an
 * implementation never reads a clock of its own, so simulations replay and Redis never
 * needs `TIME`. Holders on different machines must have clocks in step to well under the TTL.
 *
 * Each acquisition issues a new fencing token, strictly increasing per lease name (also
 * across expiries and releases), so a stale holder — paused, partitioned, or restarted —
 * is recognised: its `renew` and `release` fail once anyone else took the lease, and writes
 * it tags with its token can be refused downstream. Every implementation passes the one
 * conformance suite (`test/conformance/lease.ts`).
 */
export interface Lease {
  /**
   * Take the lease `name` for `holder` until `now + ttlMs` if it is free, lapsed, or already
   * held by `holder`; returns the new fencing token, or `undefined` while someone else holds it.
   */
  acquire(name: string, holder: string, ttlMs: number, now: number): Promise<number | undefined>;
  /**
   * Extend the lease to `now + ttlMs`; true only while `holder` holds it under `token` and it
   * has not lapsed (`now < expiresAt`). False means leadership is lost: stop acting on it.
   */
  renew(name: string, holder: string, token: number, ttlMs: number, now: number): Promise<boolean>;
  /** Give the lease up so another node can take it at once; true when `holder` held it under `token`. */
  release(name: string, holder: string, token: number): Promise<boolean>;
  /** The current grant, or `undefined` when the lease is free or has lapsed at `now`. */
  current(name: string, now: number): Promise<LeaseGrant | undefined>;
}
