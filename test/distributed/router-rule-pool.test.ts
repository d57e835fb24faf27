// issue-23 23-dist: the router rule of the `demand` blend across engine nodes, on a real
// redis-server. Two engine nodes in this process (each its own Redis connections, BullMQ queue
// and sim trunk, the system clock), sharing the Redis store, lease and agent pool. Node a leads
// the blended campaign with its only agent on a break, so it paces for node b's agent bo alone;
// at the start of the day no abandon is absorbed, so each call a launches counts on bo. A caller
// dials in on node b while a's first call is in flight. With the commitments shared through the
// pool, b keeps bo for a's calls until none is left; with the per-node rule (the pool's
// commitment methods hidden) b hands bo to the caller at once — the case the shared rule closes.
import type { AgentPool } from '@paceline/core';
import type { DialerEvents } from '@paceline/engine';
import { scriptedOutcomeModel } from '@paceline/trunk-sim';
import { expect, it } from 'vitest';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { aLeadsK1 } from './a-leads-k1';
import { pooledPair } from './pooled-pair';

const SERVICE_LINE = '+12125550199';
const BUSY_AFTER_MS = 5_000;

/** The pool as a node sees it without the router-rule commitments (each node's rule on its own calls). */
const perNode = (pool: AgentPool): AgentPool => ({
  put: (a) => pool.put(a),
  remove: (id) => pool.remove(id),
  list: (c, f) => pool.list(c, f),
  reserve: (id, c, n, f) => pool.reserve(id, c, n, f),
  putWaiting: (c) => pool.putWaiting?.(c) ?? Promise.resolve(),
  removeWaiting: (id, n) => pool.removeWaiting?.(id, n) ?? Promise.resolve(),
  listWaiting: (f) => pool.listWaiting?.(f) ?? Promise.resolve([]),
});

async function twoNodes(server: RedisServer, shared: boolean, callerOnLeader = false) {
  const { a, b } = pooledPair(
    server.url,
    'rule',
    scriptedOutcomeModel({}, { outcome: 'busy', ringingAfterMs: 300, resolveAfterMs: BUSY_AFTER_MS }),
    {
      ...(shared ? {} : { poolView: perNode }),
      inbound: { queues: [{ id: 'service', numbers: [SERVICE_LINE] }], blend: { inboundModel: 'demand' } },
    },
  );
  const dialed: DialerEvents['dialed'][0][] = [];
  const ended: DialerEvents['ended'][0][] = [];
  const connected: DialerEvents['inbound.connected'][0][] = [];
  const errors: unknown[] = [];
  a.dialer.on('dialed', (e) => dialed.push(e));
  a.dialer.on('ended', (e) => ended.push(e));
  b.dialer.on('inbound.connected', (e) => connected.push(e));
  if (callerOnLeader) a.dialer.on('inbound.connected', (e) => connected.push(e)); // issue-23 23-pool
  for (const n of [a, b]) n.dialer.on('error', (e) => errors.push(e));
  try {
    const numbers = Array.from({ length: 30 }, (_, i) => `+1212555${String(1000 + i)}`);
    await aLeadsK1(a, b, numbers, { dialMode: 'predictive' });
    b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ['k1']);
    b.dialer.ready('bo');
    await waitFor(() => dialed.length > 0, 20_000, "a's first call");
    (callerOnLeader ? a : b).trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: 120_000, handleMs: 60_000 });
    const dialledInAt = b.clock.now();
    await waitFor(() => connected.length > 0, 30_000, "b's caller connected");
    connected.sort((x, y) => x.at - y.at);
    const at = connected[0]?.at ?? 0;
    const inFlight = dialed.filter((d) => d.attempt.startedAt <= at).length - ended.filter((e) => e.at <= at).length;
    return { errors, connected: connected[0], at, inFlight, dialledInAt, firstEnd: ended[0] };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

describeWithRedis('issue-23 23-dist: the router rule across two engine nodes (real Redis)', (server) => {
  it('shared commitments: b gives its agent to the caller only once no call of a’s counts on that agent', async () => {
    const { errors, connected, inFlight, at, firstEnd } = await twoNodes(server(), true);
    expect(errors).toEqual([]);
    expect(connected?.agentId).toBe('bo');
    expect(inFlight).toBe(0);
    expect(at).toBeGreaterThanOrEqual(firstEnd?.at ?? Number.POSITIVE_INFINITY);
  }, 60_000);

  it('per-node rule (the pool without commitments): b hands bo to the caller while a’s call counts on bo — the cap unguarded', async () => {
    const { errors, connected, inFlight } = await twoNodes(server(), false);
    expect(errors).toEqual([]);
    expect(connected?.agentId).toBe('bo');
    expect(inFlight).toBeGreaterThan(0);
  }, 60_000);

  // issue-23 23-pool: the caller on the leader, its only possible agent on b. Before 23-pool the leader relaunched on bo at
  // each call's end, before its sweep offered the caller again (starved in the virtual-clock test: 28 offers a minute).
  it('a caller on the leader waiting for b’s agent: connected within the service-level target, no call counting on bo at the connect', async () => {
    const { errors, connected, inFlight, at, dialledInAt } = await twoNodes(server(), true, true);
    expect(errors).toEqual([]);
    expect(connected?.agentId).toBe('bo');
    expect(inFlight).toBe(0);
    expect(at - dialledInAt).toBeLessThanOrEqual(20_000);
  }, 60_000);
});
