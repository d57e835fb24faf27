import { seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { INBOUND_EVENTS } from '../../src/index';
import { testCampaign } from '../support/campaign';
import { driveUntil } from '../support/drive';
import { inboundDialer, simTrunk } from '../support/inbound-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const SERVICE_LINE = '+12125550199';
const HOUR = 3_600_000;
const BUSY_AFTER_MS = 15_000;

/**
 * One agent, a predictive campaign at the start of its day (no live answer yet: the day absorbs
 * no abandon), every outbound call busy after 15 s. An inbound caller dials in 2 s after the first
 * outbound call was placed, while it is still in flight.
 */
async function scenario(inboundModel: 'demand' | 'hold') {
  const clock = new VirtualClock(START);
  const { dialer, trunk, seen } = inboundDialer({
    clock,
    trunkRandom: seededRandom(3),
    plan: { outcome: 'busy', ringingAfterMs: 500, resolveAfterMs: BUSY_AFTER_MS },
    trunk: simTrunk,
    random: seededRandom(4),
    tickIntervalMs: 1_000,
    inbound: { queues: [{ id: 'service', numbers: [SERVICE_LINE] }], blend: { inboundModel } },
    record: ['dialed', 'ended', 'error', ...INBOUND_EVENTS],
  });
  await dialer.addCampaign(
    testCampaign('k1', {
      dialMode: 'predictive',
      callerId: '+12125550100',
      homeTimeZone: 'America/New_York',
      schedule: { endAt: START + 86_400_000 },
    }),
  );
  await dialer.addContacts(
    'k1',
    Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1212555${String(1000 + i)}` }], state: 'NY' })),
  );
  dialer.loginAgent({ id: 'a1', name: 'a1' }, ['k1']);
  dialer.ready('a1');
  let dialledIn = false;
  dialer.on('dialed', () => {
    if (dialledIn) return;
    dialledIn = true;
    clock.setTimer(2_000, () => void trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: HOUR, handleMs: 60_000 }));
  });
  await dialer.start('k1');
  await driveUntil(clock, START + 60_000);
  await dialer.close();
  const firstDial = seen.dialed[0]?.attempt;
  const firstEnd = seen.ended.find((e) => e.callId === firstDial?.id);
  return { seen, firstDial, firstEnd, queued: seen['inbound.queued'][0], connected: seen['inbound.connected'][0] };
}

describe('the router rule in the engine (issue 23, 23-router; virtual clock, sim trunk)', () => {
  it('demand: the caller waits while the only ready agent is counted on by a call in flight, and takes it the moment that call resolves', async () => {
    const { seen, firstDial, firstEnd, queued, connected } = await scenario('demand');
    expect(seen.error).toEqual([]);
    expect(firstDial).toBeDefined();
    expect(queued?.at).toBe((firstDial?.startedAt ?? 0) + 2_000);
    // Not before the call it counted on ended busy (15 s after it was placed), and not later than then: tried again at once.
    expect(firstEnd?.outcome).toBe('busy');
    expect(connected?.agentId).toBe('a1');
    expect(connected?.at).toBe(firstEnd?.at);
    expect(connected?.waitMs).toBe(BUSY_AFTER_MS - 2_000);
  });

  it('hold (no rule): the caller takes the ready agent at once, whatever is in flight', async () => {
    const { firstDial, queued, connected } = await scenario('hold');
    expect(firstDial).toBeDefined();
    expect(connected?.agentId).toBe('a1');
    expect(connected?.at).toBe(queued?.at);
  });
});
