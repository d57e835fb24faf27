import { parseContact } from '@paceline/core';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithRedis } from '../../../test/support/redis-server';
import { createRedisStore, RedisKeys } from '../src/index';

/** Ids made to break a key layout: braces, colons, percent signs, the layout's own words, and long strings. */
const nastyId = fc.oneof(
  fc.string({ unit: fc.constantFrom('{', '}', ':', '%', '7', 'B', 'D', 'a', 'c', 'x', 's', 'k'), minLength: 1, maxLength: 12 }),
  fc.constantFrom('a', 'x', 'a}:c:x', 'x}:hopper', '}', '{', '{}', ':', 'c:', 'a:', 'hopper', 'seq', '%7D', '%7B', '%25', 'x}:c:y', 'a}'),
  fc.string({ minLength: 1, maxLength: 128 }),
);
const tenant = fc.constantFrom('t', 't-1', 't.1', 'T_1');
type Triple = [string, string, string];
/**
 * Two triples, often built to collide under a naive layout: a contact id that closes the
 * hash tag and names a campaign key (`x}:hopper`), or one campaign id that is another's
 * tag plus `}:c:` and the rest of a contact id.
 */
const pair: fc.Arbitrary<[Triple, Triple]> = fc.oneof(
  fc.tuple(fc.tuple(tenant, nastyId, nastyId), fc.tuple(tenant, nastyId, nastyId)),
  fc
    .tuple(tenant, nastyId, nastyId, fc.constantFrom('hopper', 'seq', 'due', 'sched', 's:ready', 'attempts', 'live'))
    .map(([t, x, y, name]): [Triple, Triple] => [
      [t, x, `${y}}:${name}`],
      [t, `${x}}:c:${y}`, 'z'],
    ]),
  fc.tuple(tenant, nastyId, nastyId, nastyId).map(([t, x, p, q]): [Triple, Triple] => [
    [t, x, `${p}}:c:${q}`],
    [t, `${x}}:c:${p}`, q],
  ]),
);

/** Every key a triple's contact lives at, and the campaign-level keys of its (tenant, campaign). */
function keysOf(t: string, campaignId: string, contactId: string) {
  const k = new RedisKeys('paceline', t).campaign(campaignId);
  return {
    contact: [k.contact(contactId), k.contactAttempts(contactId)],
    campaign: [k.seq, k.hopper, k.sched, k.due, k.attempts, k.openAttempts, k.attemptSeq, k.live, k.abandoned, k.state('ready')],
  };
}

describe('store-redis key layout', () => {
  it('gives distinct (tenant, campaign, contact) triples distinct keys, and no contact key is a campaign key (property)', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        fc.pre(a.join('\u0000') !== b.join('\u0000'));
        const ka = keysOf(...a);
        const kb = keysOf(...b);
        for (const key of ka.contact) {
          expect(kb.contact).not.toContain(key);
          expect(kb.campaign).not.toContain(key);
        }
        if (a[0] !== b[0] || a[1] !== b[1]) for (const key of ka.campaign) expect(kb.campaign).not.toContain(key);
      }),
      { numRuns: 1_500 },
    );
  });

  it('keeps a campaign’s keys in one hash tag whatever its id', () => {
    fc.assert(
      fc.property(nastyId, nastyId, (campaignId, contactId) => {
        const { contact, campaign } = keysOf('t', campaignId, contactId);
        const tags = new Set([...contact, ...campaign].map((key) => /\{([^}]*)\}/.exec(key)?.[1]));
        expect(tags.size).toBe(1);
        expect([...tags][0]).not.toBe('');
      }),
    );
  });

  it('refuses an empty campaign id with a clear error', () => {
    expect(() => new RedisKeys('paceline', 't').campaign('')).toThrow(/campaignId: expected a non-empty id/);
  });
});

describeWithRedis('store-redis keys against a real redis-server', (server) => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(server().port, server().host);
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it('the reported collision: contact "x}:hopper" of campaign "a" and campaign "a}:c:x" stay apart', async () => {
    const store = createRedisStore({ redis, tenant: 'collide', keyPrefix: 'p0' });
    await store.addContacts('a', [parseContact({ id: 'x}:hopper', phones: [{ number: '+14155550123' }] })]);
    await store.addContacts('a}:c:x', [parseContact({ id: 'y', phones: [{ number: '+14155550124' }] })]);
    expect((await store.getContact('a', 'x}:hopper'))?.contact.phones[0]?.number).toBe('+14155550123');
    expect((await store.claimDue('a}:c:x', 0, 10)).map((r) => r.contact.id)).toEqual(['y']);
    expect((await store.claimDue('a', 0, 10)).map((r) => r.contact.id)).toEqual(['x}:hopper']);
  });

  it('stores every distinct triple on its own keys: each reads back its own contact, counts add up (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 12 }), async (pairs) => {
        const triples = [...new Map(pairs.flat().map((t) => [t.join('\u0000'), t])).values()];
        const prefix = `prop${++run}`;
        const byCampaign = new Map<string, Array<[string, string, string]>>();
        for (const triple of triples) {
          const key = `${triple[0]}\u0000${triple[1]}`;
          byCampaign.set(key, [...(byCampaign.get(key) ?? []), triple]);
        }
        for (const group of byCampaign.values()) {
          const [t, campaignId] = group[0] as [string, string, string];
          const store = createRedisStore({ redis, tenant: t, keyPrefix: prefix });
          const added = await store.addContacts(
            campaignId,
            group.map(([, , contactId], i) => parseContact({ id: contactId, phones: [{ number: `+1415555${String(1000 + i)}` }] })),
          );
          expect(added).toBe(group.length);
        }
        for (const group of byCampaign.values()) {
          const [t, campaignId] = group[0] as [string, string, string];
          const store = createRedisStore({ redis, tenant: t, keyPrefix: prefix });
          expect((await store.countContacts(campaignId)).ready).toBe(group.length);
          for (const [i, [, , contactId]] of group.entries()) {
            const record = await store.getContact(campaignId, contactId);
            expect(record?.contact.id).toBe(contactId);
            expect(record?.campaignId).toBe(campaignId);
            expect(record?.contact.phones[0]?.number).toBe(`+1415555${String(1000 + i)}`);
          }
        }
        // One hash per triple in Redis: no two triples wrote the same key.
        const keys = await redis.keys(`${prefix}:*`);
        const types = await Promise.all(keys.map((key) => redis.type(key)));
        expect(types.filter((type) => type === 'hash')).toHaveLength(triples.length);
        await redis.del(...keys);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
