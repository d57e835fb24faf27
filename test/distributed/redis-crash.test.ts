// Issue 21: Redis killed with SIGKILL mid-campaign, per `appendfsync` setting — what an
// acknowledged write can lose, checked per item (durability-checks.ts): every disposition the
// engine confirmed is in the store, every dial has its attempt, every confirmed sale its order
// on the BullMQ queue, no contact redialled inside its retry interval, none left in flight.
//
// A SIGKILL of the redis-server process loses nothing acknowledged with `always` nor with
// `everysec`: Redis write()s the AOF before it answers, and the kernel keeps what was written
// when only the process dies. `everysec` loses up to the last second when the *machine* dies
// (the page cache is gone); that is simulated by cutting the AOF back to its size one second
// before the kill; the stores' write journals put that second back. See docs/distributed.md,
// "What a crash can lose".
import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { type Order, seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer, type DispositionData, FULFILMENT_QUEUE } from '@paceline/engine';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { simulateAgents } from '@paceline/sim';
import { createRedisLease, createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { middayZone } from '../support/midday-zone';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { durabilityViolations } from './durability-checks';
import type { NodeEvent } from './node-process';
import { peopleOrBusyTrunk } from './sim-trunk';

const CONTACTS = 24;
const RECYCLE = { busy: { retryAfterMs: 1_000 }, failed: { retryAfterMs: 4_000 } };
/** ioredis and BullMQ report their reconnects; the engine reports the outage with storeAvailability. */
const CONNECTION_ERRORS = /ECONNREFUSED|ECONNRESET|Connection is closed|connect ETIMEDOUT|Stream isn't writeable|EPIPE/;
const ORDER: NonNullable<DispositionData['order']> = {
  items: [{ sku: 'PLAN-PLUS', name: 'Plus plan', quantity: 1, unitPriceMinor: 1_999 }],
  currency: 'USD',
  fulfilment: { kind: 'delivery', address: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' } },
  payment: 'on-delivery',
};

/** What a crash run saw. */
interface CrashRun {
  readonly violations: string[];
  /** Per contact, when the engine last confirmed something about it (a dial or a disposition), `Date.now()`. */
  readonly lastConfirmed: ReadonlyMap<string, number>;
  readonly killedAt: number;
  readonly dispositionsBeforeKill: number;
}

/** One campaign on `server`; Redis is SIGKILLed after a few dispositions, `cutTailMs` of AOF cut off while it is down. */
async function crashRun(server: RedisServer, tenant: string, cutTailMs: number): Promise<CrashRun> {
  const redis = new Redis(server.url, { retryStrategy: () => 100 });
  redis.on('error', () => {});
  await new Promise((resolve) => redis.once('ready', resolve));
  const clock = systemClock();
  const random = seededRandom(tenant.length);
  const trunk = peopleOrBusyTrunk(clock, random.split('trunk'), { human: 0.75, answerDelayMeanMs: 400, failureDelayMeanMs: 200 });
  const store = createRedisStore({ redis, tenant });
  const queue = createBullJobQueue({ connection: { host: server.host, port: server.port }, tenant, clock, random: random.split('queue') });
  const dialer = createDialer({
    store,
    queue,
    leadership: { lease: createRedisLease({ redis, tenant }), ttlMs: 2_000 },
    trunk,
    media: trunk.media,
    clock,
    random: random.split('engine'),
    logger: silentLogger,
    tickIntervalMs: 100,
  });
  const events: NodeEvent[] = [];
  dialer.on('dialed', (e) =>
    events.push({ node: 'a', type: 'dialed', contact: e.attempt.contactId, attempt: e.attempt.id, at: clock.now() }),
  );
  dialer.on('dispositioned', (e) =>
    events.push({ node: 'a', type: 'dispositioned', contact: e.attempt.contactId, attempt: e.callId, code: e.code, at: clock.now() }),
  );
  dialer.on('error', (e) =>
    events.push({ node: 'a', type: 'error', where: e.where, message: String((e.error as Error)?.message ?? e.error) }),
  );
  await dialer.addCampaign({
    id: 'k1',
    name: 'crash',
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'UTC',
    recycle: RECYCLE,
  });
  const zone = middayZone(clock.now());
  const contactIds = Array.from({ length: CONTACTS }, (_, i) => `c${i}`);
  await dialer.addContacts(
    'k1',
    contactIds.map((id, i) => ({ id, phones: [{ number: `+1212555${5000 + i}` }], timeZones: [zone] })),
  );
  const now = clock.now();
  simulateAgents(
    dialer,
    clock,
    random.split('agents'),
    Array.from({ length: 3 }, (_, i) => ({ id: `a${i}`, name: `A${i}`, campaignIds: ['k1'], loginAt: now, logoutAt: now + 3_600_000 })),
    {
      talkMs: () => 800,
      wrapMs: () => 150,
      disposition: (offer) => (Number(offer.contact.id.slice(1)) % 2 === 0 ? { code: 'SALE', data: { order: ORDER } } : { code: 'SAVED' }),
    },
  );
  // The AOF's size over time, to cut it back as a machine crash would (Redis 7: appendonlydir/*.incr.aof).
  const aof = join(server.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  const sizes: Array<[number, number]> = [];
  const sampler = setInterval(() => {
    try {
      sizes.push([Date.now(), statSync(aof).size]);
    } catch {
      // not created yet, or Redis is down
    }
  }, 20);
  await dialer.start('k1');
  const orders: string[] = [];
  try {
    await waitFor(() => events.filter((e) => e.type === 'dispositioned').length >= 6, 30_000, 'the first dispositions');
    const dispositionsBeforeKill = events.filter((e) => e.type === 'dispositioned').length;
    const killedAt = Date.now();
    await server.restart('SIGKILL', 500, () => {
      clearInterval(sampler);
      if (cutTailMs <= 0) return;
      const before = sizes.filter(([at]) => at <= killedAt - cutTailMs).at(-1)?.[1] ?? 0;
      truncateSync(aof, before);
    });
    const completed = () =>
      store.getCampaign('k1').then(
        (r) => r?.state === 'completed',
        () => false,
      );
    // A contact whose confirmed writes the crash took back may never complete: the check below names it.
    await waitFor(completed, 40_000, 'the campaign to complete').catch(() => {});
    const consumer = createBullJobQueue({ connection: { host: server.host, port: server.port }, tenant, clock, random: seededRandom(3) });
    consumer.process<Order>(FULFILMENT_QUEUE, async (job) => {
      orders.push(job.payload.attemptId ?? '');
    });
    const sales = events.filter((e) => e.type === 'dispositioned' && e.code === 'SALE');
    await waitFor(() => sales.every((e) => orders.includes(e.attempt ?? '')), 10_000, 'the orders').catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    await consumer.close();
    const violations = await durabilityViolations({
      store,
      campaignId: 'k1',
      contactIds,
      events,
      recycle: RECYCLE,
      finalCodes: new Set(['SALE', 'SAVED']),
      mayWait: new Set(),
      expectedErrors: CONNECTION_ERRORS,
      orders,
    });
    const lastConfirmed = new Map<string, number>();
    for (const e of events) if (e.contact !== undefined && (e.at ?? 0) <= killedAt) lastConfirmed.set(e.contact, e.at ?? 0);
    return { violations, lastConfirmed, killedAt, dispositionsBeforeKill };
  } finally {
    clearInterval(sampler);
    await dialer.close();
    await queue.close();
    redis.disconnect();
  }
}

describeWithRedis(
  'Redis SIGKILLed mid-campaign, appendfsync always',
  (server) => {
    it('loses nothing acknowledged: every confirmed disposition, dial and sale order survives; no redial inside a retry interval', async () => {
      const run = await crashRun(server(), 'crash-always', 0);
      expect(run.dispositionsBeforeKill).toBeGreaterThanOrEqual(6);
      expect(run.violations).toEqual([]);
    }, 120_000);
  },
  { appendFsync: 'always' },
);

describeWithRedis(
  'Redis SIGKILLed mid-campaign, appendfsync everysec',
  (server) => {
    it('a process crash loses nothing acknowledged either (the kernel keeps what Redis wrote before answering)', async () => {
      const run = await crashRun(server(), 'crash-everysec', 0);
      expect(run.violations).toEqual([]);
    }, 120_000);
  },
  { appendFsync: 'everysec' },
);

describeWithRedis(
  'Redis machine crash (AOF cut back 1 s), appendfsync everysec',
  (server) => {
    it('loses nothing acknowledged either: the store and the queue write their last seconds again when the connection is back', async () => {
      const run = await crashRun(server(), 'crash-machine', 1_000);
      // The cut took the last second's writes off the disk (claims, dispositions, attempts, a
      // sale's order); the Redis store's write journal and the BullMQ queue's journal write them
      // again before the engine reads or claims anything (docs/distributed.md). Without them this
      // run loses a confirmed disposition and redials a contact (the journal off: journalMs 0).
      expect(run.dispositionsBeforeKill).toBeGreaterThanOrEqual(6);
      expect(run.violations).toEqual([]);
    }, 120_000);
  },
  { appendFsync: 'everysec' },
);
