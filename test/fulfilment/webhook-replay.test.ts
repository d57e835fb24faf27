// Webhook replay protection across nodes: two receivers, each with its own connection to one
// real redis-server, share createRedisReplayStore. A request accepted by one is a replay on
// the other, however they race; entries live exactly as long as their window; a Redis that is
// out of memory makes verification fail closed and keeps what it remembers.
import { createMemoryReplayStore, signWebhook, verifyWebhook } from '@paceline/fulfilment';
import { createRedisReplayStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';

const SECRET = 'whsec_0123456789abcdef';
const EVENT = 'delivery.result';
const TOLERANCE = 300_000;

describeWithRedis(
  'webhook replays across nodes on a real redis-server',
  (server) => {
    let nodeA: Redis;
    let nodeB: Redis;
    beforeAll(async () => {
      nodeA = new Redis(server().port, server().host);
      nodeB = new Redis(server().port, server().host);
    });
    afterAll(async () => {
      nodeA?.disconnect();
      nodeB?.disconnect();
    });

    it('refuses on a second node a request the first accepted, and lets exactly one of racing nodes accept', async () => {
      const a = createRedisReplayStore({ redis: nodeA, tenant: 'shop' });
      const b = createRedisReplayStore({ redis: nodeB, tenant: 'shop' });
      const now = Date.now();
      const body = JSON.stringify({ orderId: 'o-1', result: 'delivered-paid' });
      const headers = signWebhook(SECRET, body, now, EVENT);
      expect(await verifyWebhook(SECRET, headers, body, now, TOLERANCE, a)).toMatchObject({ ok: true, event: EVENT });
      expect(await verifyWebhook(SECRET, headers, body, now + 5, TOLERANCE, b)).toEqual({ ok: false, reason: 'replayed' });
      // A node with only its own memory would have accepted it: the shared store is what refuses it.
      expect((await verifyWebhook(SECRET, headers, body, now + 5, TOLERANCE, createMemoryReplayStore())).ok).toBe(true);

      for (let round = 0; round < 20; round++) {
        const raced = JSON.stringify({ orderId: `o-race-${round}`, result: 'refused' });
        const signed = signWebhook(SECRET, raced, now, EVENT);
        const verdicts = await Promise.all(
          Array.from({ length: 8 }, (_, i) => verifyWebhook(SECRET, signed, raced, now, TOLERANCE, i % 2 === 0 ? a : b)),
        );
        expect(verdicts.filter((v) => v.ok)).toHaveLength(1);
      }
    });

    it('keeps each entry until its window ends, and no longer', async () => {
      const store = createRedisReplayStore({ redis: nodeA, tenant: 'ttl' });
      const now = Date.now();
      const body = '{"orderId":"o-ttl","result":"damaged"}';
      expect((await verifyWebhook(SECRET, signWebhook(SECRET, body, now - 100_000, EVENT), body, now, TOLERANCE, store)).ok).toBe(true);
      const [key] = await nodeA.keys('paceline:ttl:replay:*');
      const ttl = await nodeA.pttl(key as string);
      // signed 100 s ago with a 300 s tolerance: stale (and forgettable) in 200 s, not before
      // (copies, flake sweep: the TTL runs down in real time between the write and PTTL — 10 s of
      // slack for a loaded machine, still far from the 100 s or 300 s a wrong window would give)
      expect(ttl).toBeGreaterThan(190_000);
      expect(ttl).toBeLessThanOrEqual(200_001);
      // Short windows really expire in Redis (real time, so a 1 s window: copies, flake sweep —
      // a 150 ms one could end between the first two round trips on a loaded machine).
      expect(await store.remember('short', Date.now() + 1_000, Date.now())).toBe(true);
      expect(await store.remember('short', Date.now() + 1_000, Date.now())).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect(await store.remember('short', Date.now() + 1_000, Date.now())).toBe(true);
    });
  },
  { appendOnly: false },
);

describeWithRedis(
  'webhook replays when redis-server is out of memory',
  (server) => {
    let redis: Redis;
    beforeAll(async () => {
      redis = new Redis(server().port, server().host, { maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      redis?.disconnect();
    });

    it('fails closed when Redis is full, and still refuses what it remembered (nothing evicted)', async () => {
      const store = createRedisReplayStore({ redis, tenant: 'oom' });
      const now = Date.now();
      const body = '{"orderId":"o-oom","result":"refused"}';
      const headers = signWebhook(SECRET, body, now, EVENT);
      expect((await verifyWebhook(SECRET, headers, body, now, TOLERANCE, store)).ok).toBe(true);
      // Fill Redis up to its maxmemory with unrelated data, until even a small write is refused.
      const fill = async (size: number) => {
        const filler = 'x'.repeat(size);
        for (let i = 0; i < 100_000; i++) await redis.set(`filler:${size}:${i}`, filler);
      };
      await expect(fill(64 * 1024)).rejects.toThrow(/OOM/);
      await expect(fill(64)).rejects.toThrow(/OOM/);
      const other = '{"orderId":"o-new","result":"refused"}';
      await expect(verifyWebhook(SECRET, signWebhook(SECRET, other, now, EVENT), other, now, TOLERANCE, store)).rejects.toThrow(/OOM/);
      expect(await verifyWebhook(SECRET, headers, body, now + 1_000, TOLERANCE, store)).toEqual({ ok: false, reason: 'replayed' });
    });
  },
  { appendOnly: false, extraArgs: ['--maxmemory', '4mb'] },
);
