import { ContactState, type Order, seededRandom, systemClock } from '@paceline/core';
import { FULFILMENT_QUEUE } from '@paceline/engine';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { durabilityViolations } from './durability-checks';
import { type NodeEvent, startNode, waitFor } from './node-process';

const CONTACTS = 36;
/** engine-node.ts's campaign: busy retried after 1 s, failed (a reconciled call) after 8 s. */
const RECYCLE = { busy: { retryAfterMs: 1_000 }, failed: { retryAfterMs: 8_000 } };
const contactIds = Array.from({ length: CONTACTS }, (_, i) => `c${i}`);

describeWithRedis('two engine processes on one campaign (real Redis, trunk-sim)', (server) => {
  it('only the leader dials; kill -9 it and the other takes over within the lease TTL, reconciling its calls; nothing lost, per item', async () => {
    const events: NodeEvent[] = [];
    const a = startNode(server().url, 'a', 3, events, { create: CONTACTS });
    await a.ready;
    const b = startNode(server().url, 'b', 3, events);
    const redis = new Redis(server().url);
    const store = createRedisStore({ redis, tenant: 'dist-test' });
    try {
      await b.ready;
      // Kill a while it has calls in flight, after some dispositions.
      await waitFor(() => events.filter((e) => e.type === 'dispositioned').length >= 6, 30_000, 'the first dispositions');
      await waitFor(
        async () => {
          const c = await store.countContacts('dist');
          return c.queued + c.dialing > 0;
        },
        20_000,
        'a call in flight on a',
      );
      expect(events.filter((e) => e.type === 'dialed' && e.node === 'b')).toEqual([]);

      const exited = new Promise((resolve) => a.child.once('close', resolve)); // exited, and its stdout read to the end
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      await exited;
      // What a left in flight: claimed, dialling, talking or in wrap-up without its disposition.
      const inFlight = new Set([
        ...(await store.listOpenAttempts('dist')).map((x) => x.contactId),
        ...(await store.listContacts('dist', ContactState.Dialing)).map((r) => r.contact.id),
        ...(await store.listContacts('dist', ContactState.Queued)).map((r) => r.contact.id),
      ]);
      // A contact whose disposition a confirmed was not in flight, whatever the store says.
      for (const dial of events.filter((e) => e.node === 'a' && e.type === 'dialed')) {
        const last = events.filter((e) => e.node === 'a' && e.type === 'dialed' && e.contact === dial.contact).at(-1);
        if (events.some((e) => e.node === 'a' && e.type === 'dispositioned' && e.attempt === last?.attempt))
          inFlight.delete(dial.contact ?? '');
      }
      expect(inFlight.size).toBeGreaterThan(0);

      await waitFor(
        () => events.some((e) => e.node === 'b' && e.type === 'leadership' && e.leader),
        15_000,
        `b to take over: ${JSON.stringify(events.filter((e) => e.node === 'b').slice(0, 8))}`,
      );
      const takeover = events.find((e) => e.node === 'b' && e.type === 'leadership' && e.leader) as NodeEvent;
      expect((takeover.at as number) - killedAt).toBeLessThanOrEqual(3_000 + 1_000);
      expect(takeover.reconciled).toBeGreaterThanOrEqual(1);

      // Settled: nothing ready, queued or in flight, and no retry due within the next 30 s (a
      // contact whose conversation on the dead node never got its disposition waits an hour).
      const settled = async () => {
        const c = await store.countContacts('dist');
        if (c.ready + c.queued + c.dialing > 0 || (await store.listOpenAttempts('dist')).length > 0) return false;
        const waiting = await store.listContacts('dist', ContactState.Waiting);
        return waiting.every((r) => (r.dueAt ?? 0) > Date.now() + 30_000);
      };
      // Not settling is reported below, item by item (contacts left dialing, attempts left open).
      await waitFor(settled, 150_000, 'the campaign to settle', 250).catch(() => {});

      // The orders that reached the shared fulfilment queue (BullMQ), one entry per job run.
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
      const sales = events.filter((e) => e.type === 'dispositioned' && e.code === 'SALE').map((e) => e.attempt);
      await waitFor(() => sales.every((id) => orders.includes(id ?? '')), 15_000, 'the confirmed sales’ orders').catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 500)); // a late duplicate would show up here
      await fulfilment.close();
      expect(sales.length).toBeGreaterThan(0);

      const violations = await durabilityViolations({
        store,
        campaignId: 'dist',
        contactIds,
        events,
        recycle: RECYCLE,
        finalCodes: new Set(['SALE', 'SAVED']),
        mayWait: inFlight,
        orders,
      });
      expect(violations).toEqual([]);
      // Each contact got its own code (even ones buy) and a's confirmed dispositions are all there.
      for (const [i, id] of contactIds.entries()) {
        const done = (await store.listAttempts('dist', id)).filter((x) => x.dispositionCode !== undefined);
        for (const x of done) expect(x.dispositionCode, id).toBe(i % 2 === 0 ? 'SALE' : 'SAVED');
      }
      expect(events.filter((e) => e.node === 'a' && e.type === 'dispositioned').length).toBeGreaterThanOrEqual(6);
      // No attempt was dialled by both nodes.
      const dialled = events.filter((e) => e.type === 'dialed');
      expect(new Set(dialled.map((e) => e.attempt)).size).toBe(dialled.length);
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
      redis.disconnect();
    }
  }, 240_000);
});
