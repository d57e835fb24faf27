import type { Lease } from '@paceline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** How a conformance run gets a fresh lease service with no leases, and how it cleans up after. */
export interface LeaseFixture {
  readonly lease: Lease;
  readonly cleanup?: () => Promise<void>;
}

/**
 * The one `Lease` conformance suite (in-memory and Redis). Time is passed in, so the suite
 * runs on made-up instants and never waits.
 */
export function describeLeaseConformance(name: string, makeLease: () => Promise<LeaseFixture>): void {
  describe(`Lease conformance: ${name}`, () => {
    let fixture: LeaseFixture;
    let lease: Lease;

    beforeEach(async () => {
      fixture = await makeLease();
      lease = fixture.lease;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it('grants a free lease to one holder and refuses others until it lapses', async () => {
      const token = await lease.acquire('pacing:k1', 'node-a', 1_000, 10_000);
      expect(token).toBeTypeOf('number');
      expect(await lease.acquire('pacing:k1', 'node-b', 1_000, 10_500)).toBeUndefined();
      expect(await lease.current('pacing:k1', 10_999)).toEqual({ holder: 'node-a', token, expiresAt: 11_000 });
      // a different lease name is independent
      expect(await lease.acquire('pacing:k2', 'node-b', 1_000, 10_500)).toBeTypeOf('number');
    });

    it('lets a lapsed lease be taken over, with a greater fencing token', async () => {
      const first = (await lease.acquire('pacing:k1', 'node-a', 1_000, 0)) as number;
      expect(await lease.current('pacing:k1', 1_000)).toBeUndefined(); // expiresAt is exclusive
      const second = await lease.acquire('pacing:k1', 'node-b', 1_000, 1_000);
      expect(second).toBeGreaterThan(first);
      expect((await lease.current('pacing:k1', 1_500))?.holder).toBe('node-b');
    });

    it('extends the lease on renewal, so a renewing holder keeps it past the first TTL', async () => {
      const token = (await lease.acquire('pacing:k1', 'node-a', 1_000, 0)) as number;
      expect(await lease.renew('pacing:k1', 'node-a', token, 1_000, 800)).toBe(true);
      expect(await lease.acquire('pacing:k1', 'node-b', 1_000, 1_500)).toBeUndefined();
      expect(await lease.current('pacing:k1', 1_500)).toEqual({ holder: 'node-a', token, expiresAt: 1_800 });
      expect(await lease.renew('pacing:k1', 'node-a', token, 1_000, 1_700)).toBe(true);
      expect((await lease.current('pacing:k1', 2_699))?.token).toBe(token);
    });

    it('does not renew a lease that has lapsed, even if nobody took it', async () => {
      const token = (await lease.acquire('pacing:k1', 'node-a', 1_000, 0)) as number;
      expect(await lease.renew('pacing:k1', 'node-a', token, 1_000, 1_000)).toBe(false);
      expect(await lease.current('pacing:k1', 1_000)).toBeUndefined();
    });

    it('fences a stale holder: its renew and release fail after another node took over', async () => {
      const stale = (await lease.acquire('pacing:k1', 'node-a', 1_000, 0)) as number;
      const fresh = (await lease.acquire('pacing:k1', 'node-b', 1_000, 2_000)) as number;
      expect(fresh).toBeGreaterThan(stale);
      expect(await lease.renew('pacing:k1', 'node-a', stale, 1_000, 2_100)).toBe(false);
      expect(await lease.release('pacing:k1', 'node-a', stale)).toBe(false);
      expect(await lease.current('pacing:k1', 2_100)).toEqual({ holder: 'node-b', token: fresh, expiresAt: 3_000 });
      // a wrong token from the right holder is refused too
      expect(await lease.renew('pacing:k1', 'node-b', fresh + 1, 1_000, 2_100)).toBe(false);
      expect(await lease.renew('pacing:k1', 'node-b', fresh, 1_000, 2_100)).toBe(true);
    });

    it('gives a re-acquiring holder a new token, which fences its own previous tenure', async () => {
      const first = (await lease.acquire('pacing:k1', 'node-a', 1_000, 0)) as number;
      const again = (await lease.acquire('pacing:k1', 'node-a', 1_000, 100)) as number;
      expect(again).toBeGreaterThan(first);
      expect(await lease.renew('pacing:k1', 'node-a', first, 1_000, 200)).toBe(false);
      expect(await lease.renew('pacing:k1', 'node-a', again, 1_000, 200)).toBe(true);
    });

    it('frees a released lease at once, and keeps tokens increasing after release', async () => {
      const first = (await lease.acquire('pacing:k1', 'node-a', 60_000, 0)) as number;
      expect(await lease.release('pacing:k1', 'node-a', first)).toBe(true);
      expect(await lease.current('pacing:k1', 1)).toBeUndefined();
      expect(await lease.release('pacing:k1', 'node-a', first)).toBe(false);
      const second = (await lease.acquire('pacing:k1', 'node-b', 60_000, 1)) as number;
      expect(second).toBeGreaterThan(first);
    });

    it('grants a contested lease to exactly one of many concurrent acquirers', async () => {
      const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => lease.acquire('pacing:k1', `node-${i}`, 1_000, 0)));
      expect(tokens.filter((t) => t !== undefined)).toHaveLength(1);
    });

    it('rejects a non-positive TTL', async () => {
      await expect(lease.acquire('pacing:k1', 'node-a', 0, 0)).rejects.toThrow(/ttlMs/);
      await expect(lease.renew('pacing:k1', 'node-a', 1, -5, 0)).rejects.toThrow(/ttlMs/);
    });
  });
}
