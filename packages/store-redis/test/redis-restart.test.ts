import { CampaignState, type ContactRecord, ContactState, parseCampaign, parseContact } from '@paceline/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from '../../../test/support/redis-server';
import { createRedisLease, createRedisStore } from '../src/index';

const contact = (id: string) => parseContact({ id, phones: [{ number: '+14155550123' }] });

describeWithRedis(
  'store-redis across a Redis restart (AOF, appendfsync always)',
  (server) => {
    let redis: Redis;

    beforeAll(async () => {
      // Reconnects by itself after the restart; commands issued meanwhile wait in the offline queue.
      redis = new Redis(server().port, server().host, { retryStrategy: () => 50 });
    });
    afterAll(async () => {
      await redis?.quit();
    });

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      it(`keeps campaigns, contacts, the hopper, attempts, the abandon ledger and leases after a ${signal} restart`, async () => {
        const tenant = signal.toLowerCase();
        const store = createRedisStore({ redis, tenant });
        const lease = createRedisLease({ redis, tenant });
        const campaign = parseCampaign({
          id: 'k1',
          name: 'k1',
          goal: 'sales',
          dialMode: 'predictive',
          complianceProfile: 'us-federal',
          callerId: '+14155550100',
          homeTimeZone: 'UTC',
        });
        await store.putCampaign({ campaign, state: CampaignState.Running, updatedAt: 7 });
        await store.addContacts('k1', [contact('c1'), contact('c2'), contact('c3')]);
        const [claimed] = await store.claimDue('k1', 0, 1);
        await store.updateContact({ ...(claimed as ContactRecord), state: ContactState.Waiting, dueAt: 500, attempts: 1 });
        await store.putAttempt({
          id: 'a1',
          campaignId: 'k1',
          contactId: 'c1',
          phone: '+14155550123',
          callerId: '+14155550100',
          startedAt: 10,
          abandoned: false,
        });
        await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a1', at: 20, abandoned: true });
        const token = await lease.acquire('pacing:k1', 'node-a', 60_000, 0);

        await server().restart(signal);

        expect(await store.getCampaign('k1')).toEqual({ campaign, state: CampaignState.Running, updatedAt: 7 });
        expect(await store.getContact('k1', 'c1')).toMatchObject({ state: 'waiting', dueAt: 500, attempts: 1, version: 3 });
        expect(await store.countContacts('k1')).toMatchObject({ ready: 2, waiting: 1 });
        expect(await store.nextDueAt('k1')).toBe(500);
        expect((await store.listOpenAttempts('k1')).map((a) => a.id)).toEqual(['a1']);
        expect(await store.countLiveAnswers('k1', 0, 100)).toEqual({ liveAnswers: 1, abandoned: 1 });
        expect(await lease.current('pacing:k1', 1)).toEqual({ holder: 'node-a', token, expiresAt: 60_000 });
        // The scripts are gone from Redis's cache after a restart; they load again on NOSCRIPT.
        expect((await store.claimDue('k1', 500, 10)).map((r) => r.contact.id)).toEqual(['c1', 'c2', 'c3']);
      });
    }
  },
  { appendFsync: 'always' },
);
