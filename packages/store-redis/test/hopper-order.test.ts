import { type ContactRecord, type ContactState, parseContact, type Store } from '@paceline/core';
import { createMemoryStore } from '@paceline/engine';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from '../../../test/support/redis-server';
import { createRedisStore } from '../src/index';

/** One step of a random hopper history. */
type Step =
  | { kind: 'set'; contact: number; state: 'ready' | 'waiting' | 'callback' | 'done'; dueAt: number; agent: 'ana' | 'bob' | undefined }
  | { kind: 'claim'; now: number; limit: number; agents: ('ana' | 'bob')[] };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    contact: fc.nat(11),
    state: fc.constantFrom('ready' as const, 'waiting' as const, 'callback' as const, 'done' as const),
    dueAt: fc.nat(1_000),
    agent: fc.option(fc.constantFrom('ana' as const, 'bob' as const), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('claim' as const),
    now: fc.nat(1_200),
    limit: fc.integer({ min: 1, max: 5 }),
    agents: fc.subarray(['ana', 'bob'] as ('ana' | 'bob')[]),
  }),
);

describeWithRedis('store-redis hopper order', (server) => {
  let redis: Redis;
  let runs = 0;
  beforeAll(async () => {
    redis = new Redis(server().port, server().host);
  });
  afterAll(async () => {
    await redis?.quit();
  });

  /** Apply a history to a store; returns what each claim returned, as ids. */
  async function replay(store: Store, priorities: readonly number[], steps: readonly Step[]): Promise<string[][]> {
    await store.addContacts(
      'k1',
      priorities.map((priority, i) => parseContact({ id: `c${i}`, phones: [{ number: '+14155550123' }], priority })),
    );
    const claims: string[][] = [];
    for (const s of steps) {
      if (s.kind === 'claim') {
        claims.push((await store.claimDue('k1', s.now, s.limit, s.agents)).map((r) => r.contact.id));
        continue;
      }
      const current = (await store.getContact('k1', `c${s.contact}`)) as ContactRecord;
      const { dueAt: _d, callbackAgentId: _a, ...rest } = current;
      await store.updateContact({
        ...rest,
        state: s.state as ContactState,
        ...(s.state === 'waiting' || s.state === 'callback' ? { dueAt: s.dueAt } : {}),
        ...(s.state === 'callback' && s.agent ? { callbackAgentId: s.agent } : {}),
      });
    }
    claims.push((await store.claimDue('k1', 10_000, 100, ['ana', 'bob'])).map((r) => r.contact.id));
    return claims;
  }

  it('claims exactly what the in-memory reference claims, in the same order, for random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -2, max: 3 }), { minLength: 12, maxLength: 12 }),
        fc.array(step, { maxLength: 40 }),
        async (priorities, steps) => {
          const expected = await replay(createMemoryStore(), priorities, steps);
          const actual = await replay(createRedisStore({ redis, tenant: `p${++runs}` }), priorities, steps);
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
