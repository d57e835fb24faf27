import { seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { type CampaignObservation, INBOUND_EVENTS } from '../../src/index';
import { testCampaign } from '../support/campaign';
import { driveUntil } from '../support/drive';
import { inboundDialer, simTrunk } from '../support/inbound-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const SERVICE_LINE = '+12125550199';
const HOUR = 3_600_000;

/**
 * Two blended agents, each on a long inbound call. One outbound live answer is placed; when its
 * greeting ends (no agent free: it waits inside its 2-s connect deadline) caller B dials the
 * service line and queues, and 500 ms later a1's inbound call ends (a1 frees with 1.5 s of the
 * outbound grace left and B's whole answer target ahead). a2 frees `a2FreesAfterMs` after B queued.
 */
async function scenario(answerSeconds: number, a2FreesAfterMs: number) {
  const clock = new VirtualClock(START);
  let launches = 0;
  const { dialer, trunk, seen } = inboundDialer({
    clock,
    trunkRandom: seededRandom(11),
    plan: { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 3_000, analysisAfterMs: 1_500 },
    trunk: simTrunk,
    random: seededRandom(12),
    tickIntervalMs: 1_000,
    inbound: { queues: [{ id: 'service', numbers: [SERVICE_LINE], serviceLevel: { fraction: 0.8, answerSeconds } }] },
    // One outbound call, placed when the test says: the test is about who a freeing agent serves.
    createPacer: () => ({
      decide: (o: CampaignObservation) => ({ launch: o.now >= START + 10_000 && launches++ === 0 ? 1 : 0, reason: 'test', inputs: {} }),
      observeOutcome: () => {},
      observeWork: () => {},
    }),
    record: ['analysed', 'connected', 'abandoned', 'error', ...INBOUND_EVENTS],
  });
  await dialer.addCampaign(
    testCampaign('k1', { callerId: '+12125550100', homeTimeZone: 'America/New_York', schedule: { endAt: START + 86_400_000 } }),
  );
  await dialer.addContacts('k1', [{ id: 'c1', phones: [{ number: '+12125550001' }], state: 'NY' }]);
  for (const id of ['a1', 'a2']) {
    dialer.loginAgent({ id, name: id }, ['k1']);
    dialer.ready(id);
  }
  const inbound = dialer.inbound;
  if (!inbound) throw new Error('no inbound desk');
  const first = ['+12125550301', '+12125550302'].map((from) => trunk.dialIn({ from, to: SERVICE_LINE, patienceMs: HOUR, handleMs: HOUR }));
  await driveUntil(clock, START + 2_000);
  const busyOn = new Map(seen['inbound.connected'].map((c) => [c.agentId, c.callId]));
  expect([...busyOn.keys()].sort()).toEqual(['a1', 'a2']);
  expect(first.every((c) => c !== undefined)).toBe(true);
  const free = (agentId: string) => async () => {
    const callId = busyOn.get(agentId) as string;
    await inbound.hangup(callId);
    await inbound.disposition(callId, 'DONE');
  };
  dialer.on('analysed', ({ at }) => {
    clock.setTimer(0, () => void trunk.dialIn({ from: '+12125550303', to: SERVICE_LINE, patienceMs: HOUR, handleMs: HOUR }));
    clock.setTimer(500, () => void free('a1')());
    clock.setTimer(a2FreesAfterMs, () => void free('a2')());
    expect(at).toBe(clock.now());
  });
  await dialer.start('k1');
  await driveUntil(clock, START + 60_000);
  const analysedAt = seen.analysed[0]?.at as number;
  const b = seen['inbound.queued'].find((q) => q.at >= analysedAt);
  const bConnected = seen['inbound.connected'].find((c) => c.callId === b?.callId);
  await dialer.close();
  return { seen, analysedAt, b, bConnected, status: inbound.status().queues[0] };
}

describe('deadline routing in the engine (issue 23, virtual clock, sim trunk)', () => {
  it('a freeing agent takes the outbound live answer waiting inside its grace; the inbound caller is still answered within target', async () => {
    const { seen, analysedAt, b, bConnected, status } = await scenario(20, 10_000);
    expect(seen.analysed).toHaveLength(1);
    expect(seen.abandoned).toEqual([]);
    expect(seen.connected).toHaveLength(1);
    expect(seen.connected[0]).toMatchObject({ agentId: 'a1' });
    expect(seen.connected[0]?.latencyMs).toBeLessThan(2_000);
    expect(b).toBeDefined();
    expect(bConnected?.agentId).toBe('a2');
    expect((bConnected?.at ?? Number.POSITIVE_INFINITY) - (b?.at ?? 0)).toBeLessThanOrEqual(20_000);
    expect(bConnected?.at).toBeGreaterThan(analysedAt + 500); // B waited: a1 went outbound
    expect(status).toMatchObject({ answered: 3, abandoned: 0 });
    expect(seen.error).toEqual([]);
  });

  it('the inbound caller whose answer target comes sooner (a 1-s target) takes the freeing agent; the outbound caller is abandoned', async () => {
    const { seen, b, bConnected } = await scenario(1, 30_000);
    expect(bConnected?.agentId).toBe('a1');
    expect((bConnected?.at ?? Number.POSITIVE_INFINITY) - (b?.at ?? 0)).toBeLessThanOrEqual(1_000);
    expect(seen.connected).toEqual([]);
    expect(seen.abandoned).toHaveLength(1);
    expect(seen.error).toEqual([]);
  });
});
