// Issue 21: two engine processes on one campaign over a real Redis Cluster (3 masters + 3
// replicas): store, lease and BullMQ (hash-tagged prefix) all on the cluster. Mid-campaign the
// master serving the campaign's slot is SIGKILLed; its replica is promoted; the campaign
// finishes and nothing is lost beyond the documented bound (docs/distributed.md: replication is
// asynchronous, so a failover can lose what the dead master acknowledged but had not yet sent
// to its replica — the last moments before the kill), checked per item.
import { type Order, seededRandom, systemClock } from '@paceline/core';
import { FULFILMENT_QUEUE } from '@paceline/engine';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { createRedisStore } from '@paceline/store-redis';
import { Cluster } from 'ioredis';
import { expect, it } from 'vitest';
import { durabilityViolations } from '../distributed/durability-checks';
import { type NodeEvent, startNode, waitFor } from '../distributed/node-process';
import { describeWithRedisCluster } from '../support/describe-with-redis-cluster';

const CONTACTS = 30;
const RECYCLE = { busy: { retryAfterMs: 1_000 }, failed: { retryAfterMs: 8_000 } };
const contactIds = Array.from({ length: CONTACTS }, (_, i) => `c${i}`);
/** Connection errors while a master is down and the cluster fails over (ioredis, BullMQ). */
const FAILOVER_ERRORS =
  /ECONNREFUSED|ECONNRESET|Connection is closed|CLUSTERDOWN|MaxRetriesPerRequest|Too many Cluster redirections|Failed to refresh slots cache|max retries per request|TRYAGAIN|MOVED|timeout/i;
/** How far before the kill an acknowledged write may be lost (replication lag, plus the clocks of three processes). */
const LOSS_WINDOW_MS = 1_000;

describeWithRedisCluster('two engine processes on a Redis Cluster, a master failover mid-campaign', (cluster) => {
  it('both nodes run on the cluster; the campaign slot’s master is killed, its replica promoted; nothing lost beyond the bound', async () => {
    const url = `cluster://${cluster()
      .nodes.map((n) => `${n.host}:${n.port}`)
      .join(',')}`;
    const events: NodeEvent[] = [];
    const a = startNode(url, 'a', 3, events, { create: CONTACTS });
    await a.ready;
    const b = startNode(url, 'b', 3, events);
    const redis = new Cluster([...cluster().nodes], { redisOptions: { maxRetriesPerRequest: 5 } });
    redis.on('error', () => {});
    const store = createRedisStore({ redis, tenant: 'dist-test' });
    try {
      await b.ready;
      await waitFor(() => events.filter((e) => e.type === 'dispositioned').length >= 6, 60_000, 'the first dispositions');
      const victim = await cluster().masterOf('{dist}');
      // What the victim had acknowledged so far reaches its replica (under load a replica can
      // lag seconds); what the nodes write from here on is replication's own window, the bound.
      await cluster().waitReplicated(victim);
      const killedAt = Date.now();
      await cluster().kill(victim);
      // The replica takes over once the others agree the master failed (a few node timeouts).
      await waitFor(
        async () =>
          (
            await cluster()
              .masterOf('{dist}')
              .catch(() => victim)
          ).port !== victim.port,
        30_000,
        'the replica to be promoted',
        100,
      );
      await cluster().waitHealthy(30_000);
      const healedAt = Date.now();

      const settled = async () => {
        try {
          const c = await store.countContacts('dist');
          return c.ready + c.queued + c.dialing === 0 && c.waiting === 0 && (await store.listOpenAttempts('dist')).length === 0;
        } catch {
          return false;
        }
      };
      await waitFor(settled, 120_000, 'the campaign to finish', 250).catch(() => {});

      const orders: string[] = [];
      const consumer = createBullJobQueue({
        connection: new Cluster([...cluster().nodes], { redisOptions: { maxRetriesPerRequest: null } }),
        prefix: '{paceline:dist-test}:bull',
        tenant: 'dist-test',
        clock: systemClock(),
        random: seededRandom(9),
      });
      consumer.process<Order>(FULFILMENT_QUEUE, async (job) => {
        orders.push(job.payload.attemptId ?? '');
      });
      const sales = events.filter((e) => e.type === 'dispositioned' && e.code === 'SALE').map((e) => e.attempt ?? '');
      await waitFor(() => sales.every((id) => orders.includes(id)), 20_000, 'the orders').catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 500));
      await consumer.close();

      const violations = await durabilityViolations({
        store,
        campaignId: 'dist',
        contactIds,
        events,
        recycle: RECYCLE,
        finalCodes: new Set(['SALE', 'SAVED']),
        mayWait: new Set(),
        expectedErrors: FAILOVER_ERRORS,
        orders,
      });
      const lastConfirmed = new Map<string, number>();
      for (const e of events) if (e.contact !== undefined && (e.at ?? 0) <= killedAt) lastConfirmed.set(e.contact, e.at ?? 0);
      console.log(
        `cluster failover: master ${victim.port} killed, healthy again after ${healedAt - killedAt} ms; ` +
          `${events.filter((e) => e.type === 'dialed').length} dials, ${sales.length} sales; violations: ${JSON.stringify(violations)}`,
      );
      for (const line of violations) {
        const contact = /\b(c\d+)\b/.exec(line)?.[1];
        expect(contact, line).toBeDefined();
        expect(lastConfirmed.get(contact ?? '') ?? 0, line).toBeGreaterThanOrEqual(killedAt - LOSS_WINDOW_MS);
      }
      expect((await store.countContacts('dist')).done).toBeGreaterThan(CONTACTS - 3);
      expect(events.filter((e) => e.type === 'dialed' && e.node === 'b')).toEqual([]); // a led throughout (its lease key lives on)
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
      redis.disconnect();
    }
  }, 240_000);
});
