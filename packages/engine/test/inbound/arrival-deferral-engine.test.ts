import { seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { type CampaignObservation, INBOUND_EVENTS } from '../../src/index';
import { testCampaign } from '../support/campaign';
import { driveUntil } from '../support/drive';
import { inboundDialer, simTrunk } from '../support/inbound-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const SERVICE_LINE = '+12125550199';
const HOUR = 3_600_000;
const ANSWER_AT = 10_000 + 3_000; // the one outbound call is placed at 10 s and answered 3 s later

interface Case {
  /** `inbound.blend.arrivalDeferMs` (0: off). */
  readonly deferMs: number;
  /** `inbound.blend.arrivalDeferRoom` (undefined: the default, 0). */
  readonly room?: number | 'off';
  /** Leave `arrivalDeferMs` and `arrivalDeferRoom` to the blend's defaults. */
  readonly defaults?: boolean;
  /** What the outbound call is, and how long its greeting (call analysis) runs. */
  readonly outcome: 'human' | 'machine';
  readonly greetingMs: number;
}

/**
 * One agent, ready, on a campaign whose (host) pacer places one outbound call at 10 s; it is
 * answered at 13 s, and 500 ms into its greeting an inbound caller dials the service line (80 %
 * in 20 s) — the arrival that would take the agent the live answer is about to need. The host
 * pacer has no router rule (`run.blend` is the blended pacer's), so only the deferral acts.
 */
async function scenario({ deferMs, room, outcome, greetingMs, defaults = false }: Case) {
  const clock = new VirtualClock(START);
  let launches = 0;
  const { dialer, trunk, seen } = inboundDialer({
    clock,
    trunkRandom: seededRandom(21),
    plan: { outcome, ringingAfterMs: 500, resolveAfterMs: 3_000, analysisAfterMs: greetingMs },
    trunk: simTrunk,
    random: seededRandom(22),
    tickIntervalMs: 1_000,
    inbound: {
      queues: [{ id: 'service', numbers: [SERVICE_LINE], serviceLevel: { fraction: 0.8, answerSeconds: 20 } }],
      ...(defaults ? {} : { blend: { arrivalDeferMs: deferMs, ...(room !== undefined ? { arrivalDeferRoom: room } : {}) } }),
    },
    createPacer: () => ({
      decide: (o: CampaignObservation) => ({ launch: o.now >= START + 10_000 && launches++ === 0 ? 1 : 0, reason: 'test', inputs: {} }),
      observeOutcome: () => {},
      observeWork: () => {},
    }),
    record: ['answered', 'analysed', 'connected', 'abandoned', 'error', ...INBOUND_EVENTS],
  });
  await dialer.addCampaign(
    testCampaign('k1', { callerId: '+12125550100', homeTimeZone: 'America/New_York', schedule: { endAt: START + 86_400_000 } }),
  );
  await dialer.addContacts('k1', [{ id: 'c1', phones: [{ number: '+12125550001' }], state: 'NY' }]);
  dialer.loginAgent({ id: 'a1', name: 'a1' }, ['k1']);
  dialer.ready('a1');
  dialer.on('answered', () => {
    clock.setTimer(500, () => void trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: HOUR, handleMs: 60_000 }));
  });
  await dialer.start('k1');
  await driveUntil(clock, START + 40_000);
  await dialer.close();
  return {
    seen,
    queued: seen['inbound.queued'][0],
    inbound: seen['inbound.connected'][0],
    outbound: seen.connected[0],
    analysedAt: seen.analysed[0]?.at,
  };
}

describe('the arrival deferral in the engine (issue 23, 23-router; virtual clock, sim trunk)', () => {
  it('keeps the caller off the only ready agent while a live answer is in its greeting: the live answer gets the agent', async () => {
    const { seen, queued, inbound, outbound, analysedAt } = await scenario({
      deferMs: 8_000,
      room: 'off',
      outcome: 'human',
      greetingMs: 1_500,
    });
    expect(seen.error).toEqual([]);
    expect(seen.answered[0]?.at).toBe(START + ANSWER_AT);
    expect(queued?.at).toBe(START + ANSWER_AT + 500);
    expect(outbound?.agentId).toBe('a1');
    expect(outbound?.latencyMs).toBeLessThan(2_000);
    expect(analysedAt).toBe(START + ANSWER_AT + 1_500);
    expect(seen.abandoned).toEqual([]);
    expect(inbound).toBeUndefined(); // a1 is on the outbound call (60 s); the caller waits for the next agent to free
  });

  it('off (0): the arrival takes the agent at once and the live answer is abandoned', async () => {
    const { seen, queued, inbound, outbound } = await scenario({ deferMs: 0, outcome: 'human', greetingMs: 1_500 });
    expect(inbound?.agentId).toBe('a1');
    expect(inbound?.at).toBe(queued?.at);
    expect(outbound).toBeUndefined();
    expect(seen.abandoned).toHaveLength(1);
  });

  it('re-offers the caller the moment the greeting resolves without a claim (a machine)', async () => {
    const { seen, queued, inbound, analysedAt } = await scenario({ deferMs: 8_000, room: 'off', outcome: 'machine', greetingMs: 1_500 });
    expect(seen.error).toEqual([]);
    expect(analysedAt).toBe(START + ANSWER_AT + 1_500);
    expect(inbound?.agentId).toBe('a1');
    expect(inbound?.at).toBe(analysedAt);
    expect(inbound?.waitMs).toBe(1_000);
    expect(queued?.at).toBe(START + ANSWER_AT + 500);
  });

  it('re-offers at the window end: never kept longer than the window, even while the greeting runs on', async () => {
    const { seen, queued, inbound, analysedAt } = await scenario({ deferMs: 4_000, room: 'off', outcome: 'human', greetingMs: 10_000 });
    expect(seen.error).toEqual([]);
    expect(inbound?.agentId).toBe('a1');
    expect(inbound?.at).toBe((queued?.at ?? 0) + 4_000);
    expect(inbound?.waitMs).toBe(4_000);
    expect(analysedAt).toBeGreaterThan(inbound?.at ?? 0);
  });

  it('the default (the service-level room variant): no deferral while the interval has no room for the caller to miss', async () => {
    // First caller of the interval: 0 answered within the target of 1 offered, below 80 %.
    const { queued, inbound, outbound, seen } = await scenario({ deferMs: 0, defaults: true, outcome: 'human', greetingMs: 1_500 });
    expect(inbound?.agentId).toBe('a1');
    expect(inbound?.at).toBe(queued?.at);
    expect(outbound).toBeUndefined();
    expect(seen.abandoned).toHaveLength(1);
  });
});
