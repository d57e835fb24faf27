// issue-23 23-xdefer: the arrival deferral across two engine nodes on a real redis-server (two nodes
// in this process, each its own Redis connections, BullMQ queue and sim trunk, the system clock,
// sharing the Redis store, lease and agent pool). Node a leads the blended campaign k1 (its agent
// on a break), b's agent bo is its only ready agent; a's one call is answered human after a 4-s
// greeting, and 1.5 s into the greeting a caller dials in on b. The day has absorbed enough
// abandons (the store's count shows 400 earlier live answers) that the router rule lets the caller
// have bo: only the deferral decides. With the claims every node publishes in its commitment, b
// keeps the caller off bo and a's live answer gets bo; with the pool read without them (each node
// counting its own calls, the count before 23-xdefer) b hands bo over at once and the live answer
// is abandoned. The virtual-clock version of this case and three more: packages/engine/test/inbound/arrival-deferral-pool.test.ts.
import type { AgentPool, Store } from '@paceline/core';
import type { DialerEvents } from '@paceline/engine';
import { scriptedOutcomeModel } from '@paceline/trunk-sim';
import { expect, it } from 'vitest';
import { replacing } from '../../packages/engine/test/support/replacing';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { aLeadsK1 } from './a-leads-k1';
import { pooledPair } from './pooled-pair';

const SERVICE_LINE = '+12125550199';
const GREETING_MS = 4_000;
const DIAL_IN_AFTER_ANSWER_MS = 1_500;

/** The store with the calling day's earlier live answers (no abandon) added to its count: the day absorbs abandons (k ≥ 1). */
const withDayHistory = (store: Store): Store =>
  replacing(store, 'countLiveAnswers', (t) => async (campaignId: string, from: number, to: number) => {
    const counts = await t.countLiveAnswers(campaignId, from, to);
    return { ...counts, liveAnswers: counts.liveAnswers + 400 };
  });

/** The pool read without the other nodes' deferral claims: each node's deferral counts its own calls. */
const withoutClaims = (pool: AgentPool): AgentPool =>
  replacing(
    pool,
    'listCommitments',
    (t) => async (campaignId: string, freshSince: number) =>
      ((await t.listCommitments?.(campaignId, freshSince)) ?? []).map(({ claims: _, ...rest }) => rest),
  );

async function twoNodes(server: RedisServer, claims: boolean) {
  const { a, b } = pooledPair(
    server.url,
    'xdefer',
    scriptedOutcomeModel({}, { outcome: 'human', ringingAfterMs: 300, resolveAfterMs: 1_000, analysisAfterMs: GREETING_MS }),
    {
      storeView: withDayHistory,
      ...(claims ? {} : { poolView: withoutClaims }),
      inbound: {
        queues: [{ id: 'service', numbers: [SERVICE_LINE], serviceLevel: { fraction: 0.8, answerSeconds: 20 } }],
        blend: { inboundModel: 'demand', arrivalDeferMs: 60_000, arrivalDeferRoom: 'off' },
      },
    },
  );
  const answered: DialerEvents['answered'][0][] = [];
  const outbound: DialerEvents['connected'][0][] = [];
  const abandoned: DialerEvents['abandoned'][0][] = [];
  const queued: DialerEvents['inbound.queued'][0][] = [];
  const inbound: DialerEvents['inbound.connected'][0][] = [];
  const errors: unknown[] = [];
  a.dialer.on('answered', (e) => {
    answered.push(e);
    setTimeout(
      () => b.trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: 120_000, handleMs: 60_000 }),
      DIAL_IN_AFTER_ANSWER_MS,
    );
  });
  a.dialer.on('abandoned', (e) => abandoned.push(e));
  for (const n of [a, b]) {
    n.dialer.on('connected', (e) => outbound.push(e)); // emitted by the agent's node
    n.dialer.on('error', (e) => errors.push(e));
  }
  b.dialer.on('inbound.queued', (e) => queued.push(e));
  b.dialer.on('inbound.connected', (e) => inbound.push(e));
  try {
    await aLeadsK1(a, b, ['+12125551000'], { dialMode: 'predictive' });
    b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ['k1']);
    b.dialer.ready('bo');
    // The greeting's outcome: the live answer connected (to bo) or abandoned.
    await waitFor(() => outbound.length + abandoned.length > 0, 30_000, 'a’s live answer connected or abandoned');
    return { errors, answered, outbound, abandoned, queued, inbound };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

describeWithRedis('issue-23 23-xdefer: the arrival deferral across two engine nodes (real Redis)', (server) => {
  it('the leader’s published claims: b keeps its caller off bo while a’s live answer is in its greeting, and the live answer gets bo', async () => {
    const r = await twoNodes(server(), true);
    expect(r.errors).toEqual([]);
    expect(r.answered).toHaveLength(1);
    expect(r.queued).toHaveLength(1);
    expect(r.outbound.map((c) => c.agentId)).toEqual(['bo']);
    expect(r.abandoned).toEqual([]);
    expect(r.inbound).toEqual([]); // bo is on a's call; the caller waits for an agent to free
  }, 60_000);

  it('the pool read without the other node’s claims (each node’s own calls): b hands bo to the caller at once and a’s live answer is abandoned', async () => {
    const r = await twoNodes(server(), false);
    expect(r.errors).toEqual([]);
    expect(r.inbound.map((c) => c.agentId)).toEqual(['bo']);
    // At once: within the pool's claim round trip, long before the greeting ends.
    expect((r.inbound[0]?.at ?? Number.POSITIVE_INFINITY) - (r.queued[0]?.at ?? 0)).toBeLessThan(GREETING_MS - DIAL_IN_AFTER_ANSWER_MS);
    expect(r.outbound).toEqual([]);
    expect(r.abandoned).toHaveLength(1);
  }, 60_000);
});
