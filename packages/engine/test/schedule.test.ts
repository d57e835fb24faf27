import { VirtualClock } from '@paceline/core';
import { scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { MIN, overflowingClock, START, testContacts, testDialer } from './support/test-dialer';

const DAY = 86_400_000;
const MODEL = scriptedOutcomeModel({}, { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 20_000, analysisAfterMs: 1_000 });

async function scheduled(schedule: { startAt?: number; endAt?: number }) {
  const virtual = new VirtualClock(START);
  const { dialer } = testDialer({ clock: overflowingClock(virtual), model: MODEL });
  await dialer.addCampaign(testCampaign('k1', { schedule }));
  await dialer.addContacts('k1', testContacts(50));
  const dials: number[] = [];
  const states: string[] = [];
  dialer.on('dialed', (e) => dials.push(e.attempt.startedAt));
  dialer.on('campaignStateChanged', (e) => states.push(e.to));
  simulateAgents(dialer, virtual, { talkMs: () => 30_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
  dialer.loginAgent({ id: 'a0', name: 'Agent 0' }, ['k1']);
  dialer.ready('a0');
  return { virtual, dialer, dials, states };
}

describe('schedule.startAt and endAt on a clock whose long timers fire early', () => {
  it('dials nothing before a start 30 days away', async () => {
    const { virtual, dialer, dials } = await scheduled({ startAt: START + 30 * DAY });
    await dialer.start('k1');
    await driveUntil(virtual, START + 30 * MIN);
    expect(dials).toEqual([]);
    expect((await dialer.status('k1')).lastDecision?.reason ?? '').toMatch(/start/);
    await dialer.close();
  });

  it('dials nothing from its end on, contacts left or not, and completes there', async () => {
    const { virtual, dialer, dials, states } = await scheduled({ endAt: START + 20 * MIN });
    await dialer.start('k1');
    await driveUntil(virtual, START + 10 * MIN);
    expect(dials.length).toBeGreaterThan(0);
    expect(states).toEqual(['scheduled', 'running']);
    await driveUntil(virtual, START + 60 * MIN);
    for (const at of dials) expect(at).toBeLessThan(START + 20 * MIN);
    expect(states).toEqual(['scheduled', 'running', 'completed']);
    await dialer.close();
  });

  it('does not end a campaign whose end is 30 days away when its timer fires early', async () => {
    const { virtual, dialer, dials, states } = await scheduled({ endAt: START + 30 * DAY });
    await dialer.start('k1');
    await driveUntil(virtual, START + 30 * MIN);
    expect(dials.length).toBeGreaterThan(30);
    expect(states).toEqual(['scheduled', 'running']);
    await dialer.close();
  });
});
