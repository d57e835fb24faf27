import { seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { createMemoryAgentPool, createMemoryJobQueue, createMemoryLease, createMemoryStore } from '../../src/index';
import { driveUntil } from '../support/drive';
import type { Seen } from '../support/inbound-dialer';
import { addPredictiveCampaign, busyCallsDialer, HOUR, SERVICE_LINE, START } from './busy-calls';

const TTL = 6_000;

/**
 * issue-23 23-dist: two engine nodes (one process, one virtual clock) sharing the store, lease,
 * agent pool and job queue, each with an inbound queue on its own sim trunk; every outbound
 * call goes busy after 15 s. Node a leads campaign k1 (its agent ana is logged in but on a
 * break, so a paces for b's agent bo alone); at the start of the day no abandon is absorbed,
 * so a launches one call counting on bo. Two seconds after that call is placed a caller dials
 * in on node b, whose own rule sees no call: without the shared commitments it hands bo to the
 * caller, and a's call, if it answered, would find nobody — an abandon the day cannot absorb.
 * With `shared` false the pool hides its commitment methods (each node's rule on its own calls).
 */
async function twoNodes(options: { shared: boolean; secondCampaign?: boolean; callerOnLeader?: boolean }) {
  const clock = new VirtualClock(START);
  const store = createMemoryStore();
  const lease = createMemoryLease();
  const memoryPool = createMemoryAgentPool();
  const agentPool = options.shared
    ? memoryPool
    : {
        put: memoryPool.put.bind(memoryPool),
        remove: memoryPool.remove.bind(memoryPool),
        list: memoryPool.list.bind(memoryPool),
        reserve: memoryPool.reserve.bind(memoryPool),
        putWaiting: memoryPool.putWaiting.bind(memoryPool),
        removeWaiting: memoryPool.removeWaiting.bind(memoryPool),
        listWaiting: memoryPool.listWaiting.bind(memoryPool),
      };
  const queue = createMemoryJobQueue({ clock, random: seededRandom(3) });
  const node = (nodeId: string, seed: number) =>
    busyCallsDialer(clock, 'demand', {
      trunkRandom: seededRandom(seed),
      random: seededRandom(seed + 10),
      store,
      queue,
      agentPool,
      nodeId,
      leadership: { lease, ttlMs: TTL },
    });
  const a = node('a', 1);
  const b = node('b', 2);
  await addPredictiveCampaign(a.dialer, 'k1', 40);
  // k2: a second blended campaign that also counts on bo, led by b, with nothing to dial (its rule allows).
  if (options.secondCampaign) await addPredictiveCampaign(a.dialer, 'k22', 0);
  a.dialer.loginAgent({ id: 'ana', name: 'ana' }, ['k1']);
  a.dialer.notReady('ana', 'break');
  await a.dialer.start('k1');
  await driveUntil(clock, START + 1_000);
  await b.dialer.recover();
  if (options.secondCampaign) await b.dialer.start('k22');
  b.dialer.loginAgent({ id: 'bo', name: 'bo' }, options.secondCampaign ? ['k22', 'k1'] : ['k1']);
  b.dialer.ready('bo');
  let dialledIn = false;
  a.dialer.on('dialed', () => {
    if (dialledIn) return;
    dialledIn = true;
    const callerTrunk = options.callerOnLeader ? a.trunk : b.trunk;
    clock.setTimer(2_000, () => void callerTrunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: HOUR, handleMs: 60_000 }));
  });
  await driveUntil(clock, START + 60_000);
  await Promise.all([a.dialer.close(), b.dialer.close()]);
  const firstDial = a.seen.dialed[0]?.attempt;
  const firstEnd = a.seen.ended.find((e) => e.callId === firstDial?.id);
  return { a: a.seen, b: b.seen, firstDial, firstEnd };
}

/** The caller b took, and how many of a's calls that may still answer live were in flight then (a's `dialed` minus its `ended` before it). */
function atConnect(a: Seen, b: Seen) {
  const connected = b['inbound.connected'][0] ?? a['inbound.connected'][0];
  const at = connected?.at ?? Number.POSITIVE_INFINITY;
  const inFlight = a.dialed.filter((d) => d.attempt.startedAt <= at).length - a.ended.filter((e) => e.at <= at).length;
  return { connected, inFlight };
}

describe('the router rule across nodes (issue 23, 23-dist; two engine nodes, one virtual clock)', () => {
  it('a caller on the agent’s node waits while the leader’s call in flight counts on that agent, and takes it when the call resolves', async () => {
    const { a, b, firstDial, firstEnd } = await twoNodes({ shared: true });
    expect([...a.error, ...b.error]).toEqual([]);
    expect(firstDial).toBeDefined();
    expect(b['inbound.queued'][0]?.at).toBe((firstDial?.startedAt ?? 0) + 2_000);
    const { connected, inFlight } = atConnect(a, b);
    expect(connected?.agentId).toBe('bo');
    // bo was the campaign's only ready agent: the caller takes bo only once no call of a counts on bo.
    expect(inFlight).toBe(0);
    expect(connected?.at).toBeGreaterThanOrEqual(firstEnd?.at ?? Number.POSITIVE_INFINITY);
    // … and not much later: b learns of the call's end within a refresh or two.
    expect(connected?.at).toBeLessThanOrEqual((firstEnd?.at ?? 0) + 1_000);
  });

  it('per-node rule (the pool without commitments): b hands bo to the caller while a’s call counts on bo', async () => {
    const { a, b, firstDial } = await twoNodes({ shared: false });
    expect([...a.error, ...b.error]).toEqual([]);
    const { connected, inFlight } = atConnect(a, b);
    expect(connected?.at).toBe((firstDial?.startedAt ?? 0) + 2_000);
    expect(inFlight).toBeGreaterThan(0); // the unsafe routing the shared rule prevents
  });

  it('an agent in two blended campaigns goes to inbound only when every campaign counting on it allows: k22 (b’s, nothing in flight) would, k1 (a’s) does not', async () => {
    const { a, b, firstEnd } = await twoNodes({ shared: true, secondCampaign: true });
    expect([...a.error, ...b.error]).toEqual([]);
    const { connected, inFlight } = atConnect(a, b);
    expect(connected?.agentId).toBe('bo');
    expect(inFlight).toBe(0);
    expect(connected?.at).toBeGreaterThanOrEqual(firstEnd?.at ?? Number.POSITIVE_INFINITY);
  });

  it('a caller on the leader waiting for the other node’s agent is served within the service-level target: the leader holds that agent for it instead of relaunching on it (issue-23 23-pool)', async () => {
    const { a, b, firstEnd } = await twoNodes({ shared: true, callerOnLeader: true });
    expect([...a.error, ...b.error]).toEqual([]);
    const queued = a['inbound.queued'][0];
    expect(queued).toBeDefined();
    const { connected, inFlight } = atConnect(a, b);
    // Before 23-pool: offered 28 times in the minute, never connected (the leader relaunched on bo at each call's end).
    expect(connected?.agentId).toBe('bo');
    expect(inFlight).toBe(0); // the router rule still holds
    expect(connected?.at).toBeGreaterThanOrEqual(firstEnd?.at ?? Number.POSITIVE_INFINITY);
    // The queue's service-level target, 20 s (the call in flight when the caller came resolves 13 s later).
    expect((connected?.at ?? Number.POSITIVE_INFINITY) - (queued?.at ?? 0)).toBeLessThanOrEqual(20_000);
    // The leader asks only when its own reading of the rule allows: not once per sweep while the call counts on bo.
    expect(a['inbound.offered'].filter((o) => o.agentId === 'bo').length).toBeLessThanOrEqual(3);
    // No call was launched on bo while the caller waited for it.
    expect(a.dialed.filter((d) => d.attempt.startedAt > (queued?.at ?? 0) && d.attempt.startedAt < (connected?.at ?? 0))).toEqual([]);
  });

  it('… and without the pool’s commitments the leader’s own rule still keeps bo from the offer while its call counts on bo (23-pool: the leader reads the rule before it asks)', async () => {
    const { a, b } = await twoNodes({ shared: false, callerOnLeader: true });
    expect([...a.error, ...b.error]).toEqual([]);
    const { connected, inFlight } = atConnect(a, b);
    expect(connected?.agentId).toBe('bo');
    expect(inFlight).toBe(0);
  });
});
