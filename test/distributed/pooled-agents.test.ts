import { createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { type NodeEvent, startNode, stopNodes, waitFor } from './node-process';

const CONTACTS = 30;

describeWithRedis('two engine processes sharing their agents (real Redis: store, lease, agent pool, BullMQ)', (server) => {
  it('the leader dials for both nodes’ agents; all contacts done, each once, no agent on two calls at once', async () => {
    const events: NodeEvent[] = [];
    const a = startNode(server().url, 'a', 2, events, { create: CONTACTS, pool: true });
    await a.ready;
    const b = startNode(server().url, 'b', 2, events, { pool: true });
    const redis = new Redis(server().url);
    try {
      await b.ready;
      const store = createRedisStore({ redis, tenant: 'dist-test' });
      await waitFor(() => events.some((e) => e.type === 'campaign' && e.state === 'completed'), 90_000, 'the campaign to complete');

      // Only a led and dialled; b's agents took calls all the same, within the 2-second rule.
      expect(events.filter((e) => e.type === 'dialed' && e.node === 'b')).toEqual([]);
      const connected = events.filter((e) => e.type === 'connected');
      expect(new Set(connected.filter((e) => e.node === 'b').map((e) => e.agent))).toEqual(new Set(['b-agent-0', 'b-agent-1']));
      expect(connected.filter((e) => e.node === 'a').length).toBeGreaterThan(0);
      for (const e of connected) expect(e.latency).toBeLessThanOrEqual(2_000);

      // Every contact finished with one disposition in the store; every dial was a distinct attempt.
      expect((await store.countContacts('dist')).done).toBe(CONTACTS);
      for (let i = 0; i < CONTACTS; i++) {
        const attempts = await store.listAttempts('dist', `c${i}`);
        expect(attempts.every((x) => x.endedAt !== undefined)).toBe(true);
        expect(
          attempts.filter((x) => x.dispositionCode === (i % 2 === 0 ? 'SALE' : 'SAVED')),
          `c${i}`,
        ).toHaveLength(1);
      }
      const dialled = events.filter((e) => e.type === 'dialed');
      expect(new Set(dialled.map((e) => e.attempt)).size).toBe(dialled.length);
      // None redialled within its retry interval (engine-node.ts: busy 1 s, the shortest).
      for (let i = 0; i < CONTACTS; i++) {
        const times = dialled.filter((e) => e.contact === `c${i}`).map((e) => e.at ?? 0);
        for (let k = 1; k < times.length; k++) expect((times[k] ?? 0) - (times[k - 1] ?? 0)).toBeGreaterThanOrEqual(1_000);
      }

      // Each agent's next call came after the previous one's disposition reached its node.
      for (const node of ['a', 'b']) {
        const released = new Map(events.filter((e) => e.node === node && e.type === 'dispositioned').map((e) => [e.attempt, e.at ?? 0]));
        for (const agent of new Set(connected.filter((e) => e.node === node).map((e) => e.agent))) {
          const calls = connected.filter((e) => e.node === node && e.agent === agent);
          for (let i = 1; i < calls.length; i++) {
            const previous = released.get(calls[i - 1]?.attempt);
            expect(previous, `${agent}: ${calls[i - 1]?.attempt} released`).toBeDefined();
            expect(calls[i]?.at ?? 0).toBeGreaterThanOrEqual(previous ?? Number.POSITIVE_INFINITY);
          }
        }
      }
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
    } finally {
      await stopNodes([a, b], redis);
    }
  }, 120_000);
});
