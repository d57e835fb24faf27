import { type ContactRecord, ContactState, isPacelineError, parseContact } from '@paceline/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeAgentPoolConformance } from '../../../test/conformance/agent-pool';
import { describeLeaseConformance } from '../../../test/conformance/lease';
import { describeStoreConformance } from '../../../test/conformance/store';
import { redisPoolFootprint } from '../../../test/support/redis-pool-footprint';
import { describeWithRedis } from '../../../test/support/redis-server';
import { createRedisAgentPool, createRedisLease, createRedisStore, RedisKeys, RedisStore } from '../src/index';

const contact = (id: string, priority = 0) => parseContact({ id, phones: [{ number: '+14155550123' }], priority });

describeWithRedis('store-redis on a real redis-server', (server) => {
  let redis: Redis;
  let other: Redis;
  let tenants = 0;
  /** A fresh tenant per test: an empty store without flushing what other tests wrote. */
  const freshTenant = () => `t${++tenants}`;

  beforeAll(async () => {
    redis = new Redis(server().port, server().host);
    other = new Redis(server().port, server().host);
  });
  afterAll(async () => {
    await redis?.quit();
    await other?.quit();
  });

  describeStoreConformance('redis', async () => ({ store: createRedisStore({ redis, tenant: freshTenant() }) }));
  describeLeaseConformance('redis', async () => ({ lease: createRedisLease({ redis, tenant: freshTenant() }) }));
  describeAgentPoolConformance('redis', async () => {
    const tenant = freshTenant();
    return { pool: createRedisAgentPool({ redis, tenant }), footprint: redisPoolFootprint(redis, new RedisKeys('paceline', tenant)) };
  });

  it('keeps tenants apart: nothing one tenant writes is visible to another, and every key carries its tenant', async () => {
    const a = createRedisStore({ redis, tenant: 'acme' });
    const b = createRedisStore({ redis, tenant: 'acme-2' });
    await a.addContacts('k1', [contact('c1')]);
    await a.putAttempt({
      id: 'a1',
      campaignId: 'k1',
      contactId: 'c1',
      phone: '+14155550123',
      callerId: '+14155550100',
      startedAt: 1,
      abandoned: false,
    });
    await a.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a1', at: 5, abandoned: true });
    const leaseA = createRedisLease({ redis, tenant: 'acme' });
    const leaseB = createRedisLease({ redis, tenant: 'acme-2' });
    expect(await leaseA.acquire('pacing:k1', 'node-a', 10_000, 0)).toBeDefined();

    expect(await b.getContact('k1', 'c1')).toBeUndefined();
    expect(await b.claimDue('k1', 0, 10)).toEqual([]);
    expect(await b.getAttempt('a1')).toBeUndefined();
    expect(await b.countLiveAnswers('k1', 0, 100)).toEqual({ liveAnswers: 0, abandoned: 0 });
    expect((await b.countContacts('k1')).ready).toBe(0);
    expect(await leaseB.current('pacing:k1', 1)).toBeUndefined();
    expect(await leaseB.acquire('pacing:k1', 'node-b', 10_000, 0)).toBeDefined();
    // the other tenant's writes changed nothing here
    expect((await a.claimDue('k1', 0, 10)).map((r) => r.contact.id)).toEqual(['c1']);
    expect((await leaseA.current('pacing:k1', 1))?.holder).toBe('node-a');

    const keys = await redis.keys('paceline:acme:*');
    expect(keys.length).toBeGreaterThan(5);
    for (const key of await redis.keys('paceline:acme-2:*')) expect(key.startsWith('paceline:acme:')).toBe(false);
  });

  it('refuses tenant ids and prefixes that could reach another tenant’s keys', () => {
    for (const tenant of ['', 'a:b', 'x{y}', 'a b', 'é']) {
      try {
        createRedisStore({ redis, tenant });
        expect.unreachable(`tenant ${JSON.stringify(tenant)} was accepted`);
      } catch (error) {
        expect(isPacelineError(error) && error.code).toBe('E_INVALID_CONFIG');
      }
    }
    expect(() => createRedisLease({ redis, tenant: 'ok', keyPrefix: 'p:q' })).toThrow(/keyPrefix/);
  });

  it('keeps every key of a campaign in one Cluster slot (the {campaignId} hash tag)', async () => {
    const store = createRedisStore({ redis, tenant: 'slots' });
    await store.addContacts('camp-7', [contact('c1'), contact('c2')]);
    const [first] = await store.claimDue('camp-7', 0, 1);
    await store.updateContact({ ...(first as ContactRecord), state: ContactState.Waiting, dueAt: 50 });
    await store.putAttempt({
      id: 'x1',
      campaignId: 'camp-7',
      contactId: 'c1',
      phone: '+14155550123',
      callerId: '+14155550100',
      startedAt: 1,
      abandoned: false,
    });
    await store.recordLiveAnswer({ campaignId: 'camp-7', attemptId: 'x1', at: 5, abandoned: false });
    const keys = await redis.keys('paceline:slots:k:*');
    expect(keys.length).toBeGreaterThanOrEqual(8);
    // Redis Cluster hashes only the first {…} of a key.
    for (const key of keys) expect(/^[^{]*\{([^}]*)\}/.exec(key)?.[1]).toBe('camp-7');
  });

  it('never hands one contact to two claims racing on two connections, and loses none', async () => {
    const tenant = freshTenant();
    const one = new RedisStore({ redis, tenant });
    const two = new RedisStore({ redis: other, tenant });
    const ids = Array.from({ length: 2_000 }, (_, i) => `c${i}`);
    await one.addContacts(
      'k1',
      ids.map((id, i) => contact(id, i % 3)),
    );
    const claimed: string[] = [];
    const worker = async (store: RedisStore, limit: number) => {
      for (;;) {
        const batch = await store.claimDue('k1', 0, limit);
        if (batch.length === 0) return;
        claimed.push(...batch.map((r) => r.contact.id));
      }
    };
    await Promise.all([worker(one, 7), worker(two, 13), worker(one, 5), worker(two, 11)]);
    expect(claimed).toHaveLength(ids.length);
    expect(new Set(claimed).size).toBe(ids.length);
    expect((await one.countContacts('k1')).queued).toBe(ids.length);
  });

  it('keeps one winner when two connections update one version at the same time', async () => {
    const tenant = freshTenant();
    const one = new RedisStore({ redis, tenant });
    const two = new RedisStore({ redis: other, tenant });
    await one.addContacts('k1', [contact('c1')]);
    for (let round = 0; round < 20; round++) {
      const current = (await one.getContact('k1', 'c1')) as ContactRecord;
      const results = await Promise.all([
        one.updateContact({ ...current, attempts: current.attempts + 1 }),
        two.updateContact({ ...current, attempts: current.attempts + 1 }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
    expect(await one.getContact('k1', 'c1')).toMatchObject({ attempts: 20, version: 21 });
  });

  it('keeps the claimed records, dueAt and callback agent exactly as written', async () => {
    const store = createRedisStore({ redis, tenant: freshTenant() });
    await store.addContacts('k1', [contact('c1', 4)]);
    const v1 = (await store.getContact('k1', 'c1')) as ContactRecord;
    const v2 = await store.updateContact({
      ...v1,
      state: ContactState.Callback,
      dueAt: 1_700_000_000_123,
      callbackAgentId: 'ana',
      attempts: 2,
    });
    expect(v2).toMatchObject({ state: 'callback', dueAt: 1_700_000_000_123, callbackAgentId: 'ana', attempts: 2, version: 2, seq: 0 });
    expect(await store.getContact('k1', 'c1')).toEqual(v2);
    expect(await store.nextDueAt('k1')).toBe(1_700_000_000_123);
    expect(await store.claimDue('k1', 1_700_000_000_122, 5, ['ana'])).toEqual([]);
    const [claimed] = await store.claimDue('k1', 1_700_000_000_123, 5, ['ana']);
    expect(claimed).toEqual({ ...v2, state: 'queued', version: 3 });
    expect(await store.nextDueAt('k1')).toBeUndefined();
  });
});
