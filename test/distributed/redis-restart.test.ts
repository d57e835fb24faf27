import { ContactState, seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer } from '@paceline/engine';
import { simulateAgents } from '@paceline/sim';
import { createRedisLease, createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { middayZone } from '../support/midday-zone';
import { describeWithRedis } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { peopleOrBusyTrunk } from './sim-trunk';

const CONTACTS = 20;
const DOWN_MS = 3_000;
const RETRY_MS = 2_000;

describeWithRedis('Redis restarted mid-campaign (AOF on, real redis-server, trunk-sim)', (server) => {
  // ioredis's defaults queue commands while it reconnects; "fail fast" refuses them at once,
  // so the engine's own retries carry the bookkeeping. Both must lose nothing.
  const clients: Array<[string, { enableOfflineQueue?: boolean }, boolean]> = [
    ['ioredis defaults (commands wait for the reconnect)', {}, false],
    ['fail fast (enableOfflineQueue: false)', { enableOfflineQueue: false }, true],
  ];
  it.each(clients)(
    'stops dialing while Redis is away, resumes, loses nothing — %s',
    async (name, options, reportsOutage) => {
      const tenant = `restart-${reportsOutage ? 'fast' : 'queued'}`;
      const redis = new Redis(server().url, { ...options, retryStrategy: () => 100 });
      redis.on('error', () => {}); // reconnect attempts while Redis is down; the engine reports the outage itself
      await new Promise((resolve) => redis.once('ready', resolve));
      const clock = systemClock();
      const random = seededRandom(name.length);
      const trunk = peopleOrBusyTrunk(clock, random.split('trunk'));
      const store = createRedisStore({ redis, tenant });
      const dialer = createDialer({
        store,
        leadership: { lease: createRedisLease({ redis, tenant }), ttlMs: 2_000 },
        trunk,
        media: trunk.media,
        clock,
        random: random.split('engine'),
        logger: silentLogger,
        tickIntervalMs: 100,
      });
      const dialedAt = new Map<string, number>(); // attempt id → wall time of the dial
      const dialsOf = new Map<string, number[]>(); // contact → dial times
      const dispositions = new Map<string, string>();
      const availability: boolean[] = [];
      const errors: string[] = [];
      dialer.on('dialed', (e) => {
        dialedAt.set(e.attempt.id, clock.now());
        dialsOf.set(e.attempt.contactId, [...(dialsOf.get(e.attempt.contactId) ?? []), clock.now()]);
      });
      dialer.on('dispositioned', (e) => dispositions.set(e.callId, e.code));
      dialer.on('storeAvailability', (e) => availability.push(e.available));
      dialer.on('error', (e) => errors.push(`${e.where}: ${String((e.error as Error)?.message ?? e.error)}`));

      await dialer.addCampaign({
        id: 'k1',
        name: 'restart',
        goal: 'retention',
        dialMode: 'progressive',
        complianceProfile: 'us-federal',
        callerId: '+12125550100',
        homeTimeZone: 'UTC',
        recycle: { busy: { retryAfterMs: RETRY_MS } },
      });
      const zone = middayZone(clock.now());
      await dialer.addContacts(
        'k1',
        Array.from({ length: CONTACTS }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1212555${4000 + i}` }], timeZones: [zone] })),
      );
      const now = clock.now();
      const agents = Array.from({ length: 3 }, (_, i) => ({
        id: `a${i}`,
        name: `A${i}`,
        campaignIds: ['k1'],
        loginAt: now,
        logoutAt: now + 3_600_000,
      }));
      simulateAgents(dialer, clock, random.split('agents'), agents, {
        talkMs: () => 1_000,
        wrapMs: () => 200,
        disposition: () => ({ code: 'SAVED' }),
      });
      await dialer.start('k1');
      try {
        await waitFor(() => dispositions.size >= 5, 30_000, 'the first dispositions');
        // SIGTERM lets Redis finish what it was doing (a dial whose writes it answered in its
        // last milliseconds is fine), so "away" runs from its exit to its successor's spawn.
        const { exitedAt, relaunchedAt } = await server().restart('SIGTERM', DOWN_MS);
        const upAt = clock.now();

        // Every call's writes precede its dial, so nothing can be dialled while Redis is away.
        expect([...dialedAt.values()].filter((at) => at > exitedAt && at < relaunchedAt)).toEqual([]);
        // The test's own read fails while its client reconnects: that is "not yet".
        const completed = () =>
          store.getCampaign('k1').then(
            (r) => r?.state === 'completed',
            () => false,
          );
        await waitFor(completed, 60_000, 'the campaign to complete');
        expect([...dialedAt.values()].some((at) => at >= upAt)).toBe(true);
        if (reportsOutage) expect(availability).toEqual([false, true]);
        expect(errors).toEqual([]);

        // Nothing lost: every dial's attempt ended in Redis, every disposition is there, no
        // contact is left open, and none was redialled before its retry time.
        expect(await store.listOpenAttempts('k1')).toEqual([]);
        const counts = await store.countContacts('k1');
        expect(counts.done).toBe(CONTACTS);
        for (const id of dialedAt.keys()) {
          const attempt = await store.getAttempt(id);
          expect(attempt?.endedAt, id).toBeDefined();
          if (dispositions.has(id)) expect(attempt?.dispositionCode, id).toBe(dispositions.get(id));
        }
        const done = await store.listContacts('k1', ContactState.Done);
        for (const record of done) {
          const times = dialsOf.get(record.contact.id) ?? [];
          expect(record.attempts, record.contact.id).toBe(times.length);
          for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(RETRY_MS);
        }
        const live = await store.countLiveAnswers('k1', 0, Number.MAX_SAFE_INTEGER);
        expect(live.liveAnswers).toBe(dispositions.size + live.abandoned);
      } finally {
        await dialer.close();
        redis.disconnect();
      }
    },
    120_000,
  );
});
