import { type Order, seededRandom, systemClock } from '@paceline/core';
import { FULFILMENT_QUEUE } from '@paceline/engine';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { type NodeEvent, startNode, waitFor } from './node-process';

const CONTACTS = 24;

describeWithRedis('two engine processes on one campaign (real Redis, trunk-sim)', (server) => {
  it('only the leader dials; kill -9 it and the other takes over within the lease TTL, reconciling its calls; nothing lost', async () => {
    const events: NodeEvent[] = [];
    const a = startNode(server().url, 'a', 3, events, { create: CONTACTS });
    await a.ready;
    const b = startNode(server().url, 'b', 3, events);
    try {
      await b.ready;
      await waitFor(() => events.filter((e) => e.type === 'dispositioned').length >= 6, 30_000, 'the first dispositions');
      expect(events.filter((e) => e.type === 'dialed' && e.node === 'b')).toEqual([]);

      const redis = new Redis(server().url);
      const store = createRedisStore({ redis, tenant: 'dist-test' });
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      const inFlight = (await store.listOpenAttempts('dist')).map((x) => x.contactId);

      await waitFor(
        () => events.some((e) => e.node === 'b' && e.type === 'leadership' && e.leader),
        15_000,
        `b to take over: ${JSON.stringify(events.filter((e) => e.node === 'b').slice(0, 8))}`,
      );
      const takeover = events.find((e) => e.node === 'b' && e.type === 'leadership' && e.leader) as NodeEvent;
      expect((takeover.at as number) - killedAt).toBeLessThanOrEqual(3_000 + 1_000);
      // calls in flight, plus calls in wrap-up (ended, not yet dispositioned) when a died
      expect(takeover.reconciled).toBeGreaterThanOrEqual(inFlight.length);

      // Settled: nothing ready, queued or in flight. A contact whose conversation on the dead
      // node never got its disposition waits for its retry (an hour) rather than being lost.
      const settled = async () => {
        const c = await store.countContacts('dist');
        return (
          c.ready + c.queued + c.dialing === 0 && c.done + c.waiting === CONTACTS && (await store.listOpenAttempts('dist')).length === 0
        );
      };
      const deadline = Date.now() + 150_000;
      while (!(await settled())) {
        if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(await store.countContacts('dist'))}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      for (let i = 0; i < CONTACTS; i++) {
        const contact = await store.getContact('dist', `c${i}`);
        const attempts = await store.listAttempts('dist', `c${i}`);
        expect(attempts.every((x) => x.endedAt !== undefined)).toBe(true);
        if (contact?.state === 'done') {
          // nothing lost: a finished contact has exactly one disposition in the store (even ones buy)
          expect(
            attempts.filter((x) => x.dispositionCode === (i % 2 === 0 ? 'SALE' : 'SAVED')),
            `c${i}`,
          ).toHaveLength(1);
        } else {
          // only a call the dead node left without a disposition is retried, and not before its time
          expect(inFlight.length > 0 || (takeover.reconciled ?? 0) > 0).toBe(true);
          expect(contact?.dueAt ?? 0).toBeGreaterThanOrEqual(takeover.at as number);
        }
      }
      // The dead node's calls were not redialled before their retry time (failed: 8 s).
      for (const contact of inFlight) {
        for (const d of events.filter((e) => e.node === 'b' && e.type === 'dialed' && e.contact === contact)) {
          expect(d.at as number).toBeGreaterThanOrEqual((takeover.at as number) + 8_000 - 50);
        }
      }
      // No order lost: every recorded sale reached the shared fulfilment queue, each once.
      const sales = new Set<string>();
      for (let i = 0; i < CONTACTS; i += 2) {
        for (const x of await store.listAttempts('dist', `c${i}`)) if (x.dispositionCode === 'SALE') sales.add(x.id);
      }
      const orders: string[] = [];
      const { port, host } = server();
      const fulfilment = createBullJobQueue({
        connection: { host, port },
        tenant: 'dist-test',
        clock: systemClock(),
        random: seededRandom(9),
      });
      fulfilment.process<Order>(FULFILMENT_QUEUE, async (job) => {
        orders.push(job.payload.attemptId ?? '');
      });
      await waitFor(() => [...sales].every((id) => orders.includes(id)), 15_000, `the orders of ${sales.size} sales`);
      await fulfilment.close();
      expect(sales.size).toBeGreaterThan(0);
      expect(new Set(orders).size).toBe(orders.length);
      // No contact was ever dialled by both nodes at once.
      const dialled = events.filter((e) => e.type === 'dialed');
      expect(new Set(dialled.map((e) => e.attempt)).size).toBe(dialled.length);
      await redis.quit();
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
    }
  }, 240_000);
});
