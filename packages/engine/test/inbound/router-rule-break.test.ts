import { VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../support/drive';
import { addPredictiveCampaign, busyCallsDialer, HOUR, SERVICE_LINE, START } from './busy-calls';

/**
 * issue-23 23-dist: an agent goes not ready while outbound calls count on them. Two agents, a
 * predictive campaign of `contacts` contacts at the start of its day (no abandon absorbed), every
 * outbound call busy after 15 s. One second after the first call is placed, `a2` takes a break (back after
 * `breakMs`, if given); a second later an inbound caller dials in. The team the calls count on
 * has shrunk to one: the caller must not take `a1`, and the pacer must not launch on `a2`.
 */
async function scenario(contacts: number, breakMs?: number) {
  const clock = new VirtualClock(START);
  const { dialer, trunk, seen } = busyCallsDialer(clock, 'demand');
  await addPredictiveCampaign(dialer, 'k1', contacts);
  for (const id of ['a1', 'a2']) {
    dialer.loginAgent({ id, name: id }, ['k1']);
    dialer.ready(id);
  }
  let breakAt: number | undefined;
  dialer.on('dialed', () => {
    if (breakAt !== undefined) return;
    breakAt = clock.now() + 1_000;
    clock.setTimer(1_000, () => {
      dialer.notReady('a2', 'break');
      if (breakMs !== undefined) clock.setTimer(breakMs, () => dialer.ready('a2'));
    });
    clock.setTimer(2_000, () => void trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: HOUR, handleMs: 60_000 }));
  });
  await dialer.start('k1');
  await driveUntil(clock, START + 60_000);
  await dialer.close();
  const at = breakAt ?? 0;
  const inFlightAt = (t: number) => seen.dialed.filter((d) => d.attempt.startedAt <= t).length - seen.ended.filter((e) => e.at <= t).length;
  return { seen, at, inFlightAt, connected: seen['inbound.connected'][0], firstEnd: seen.ended[0] };
}

describe('the router rule when an agent goes not ready while calls count on them (issue 23, 23-dist; virtual clock)', () => {
  it('one call in flight, two agents: the caller could take one — until a2 goes on break; then it waits for the call to resolve', async () => {
    const { seen, at, inFlightAt, connected, firstEnd } = await scenario(1);
    expect(seen.error).toEqual([]);
    expect(inFlightAt(at)).toBe(1); // P = 1 when a2 leaves: R 2 → 1, and the rule's room 1 → 0
    expect(connected?.agentId).toBe('a1');
    expect(connected?.at).toBe(firstEnd?.at);
    expect(inFlightAt(connected?.at ?? 0)).toBe(0);
  });

  it('a2 back from the break: the rule is evaluated again at once and the caller is served while the call is still in flight', async () => {
    const { seen, at, connected, firstEnd } = await scenario(1, 4_500);
    expect(seen.error).toEqual([]);
    expect(connected?.at).toBe(at + 4_500);
    expect(connected?.at).toBeLessThan(firstEnd?.at ?? 0);
  });

  it('a full list: the pacer launches nothing more on the shrunken team until its calls resolve; the caller takes a1 only once none counts on it', async () => {
    const { seen, at, inFlightAt, connected, firstEnd } = await scenario(40);
    expect(seen.error).toEqual([]);
    expect(inFlightAt(at)).toBe(2); // P = 2, R drops to 1: one unbudgeted abandon possible (the break is the host's act)
    expect(seen.dialed.filter((d) => d.attempt.startedAt > at && d.attempt.startedAt < (firstEnd?.at ?? 0))).toEqual([]);
    expect(connected?.agentId).toBe('a1');
    expect(inFlightAt(connected?.at ?? 0)).toBe(0);
    expect(connected?.at).toBeGreaterThanOrEqual(firstEnd?.at ?? Number.POSITIVE_INFINITY);
  });
});
