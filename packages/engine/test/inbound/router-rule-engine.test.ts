import { VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../support/drive';
import { addPredictiveCampaign, BUSY_AFTER_MS, busyCallsDialer, HOUR, SERVICE_LINE, START } from './busy-calls';

/**
 * One agent, a predictive campaign at the start of its day (no live answer yet: the day absorbs
 * no abandon), every outbound call busy after 15 s. An inbound caller dials in 2 s after the first
 * outbound call was placed, while it is still in flight.
 */
async function scenario(inboundModel: 'demand' | 'hold') {
  const clock = new VirtualClock(START);
  const { dialer, trunk, seen } = busyCallsDialer(clock, inboundModel);
  await addPredictiveCampaign(dialer, 'k1', 40);
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
