import { seededRandom, VirtualClock } from '@paceline/core';
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import * as prom from 'prom-client';
import { describe, expect, it } from 'vitest';
import { instrumentDialer } from '../src/index';
import { simulateAgents } from './support/agents';
import { driveUntil } from './support/drive';
import { testDialer } from './support/test-dialer';

describe('instrumentDialer (prom-client)', () => {
  it('counts dials, live answers, outcomes and dispositions in a registry, and stops when asked', async () => {
    const start = Date.UTC(2026, 10, 23, 15, 0);
    const clock = new VirtualClock(start);
    const trunk = createSimTrunk({
      clock,
      random: seededRandom(1),
      model: scriptedOutcomeModel(
        { '+14155550002': { outcome: 'busy', resolveAfterMs: 1_000 } },
        { outcome: 'human', resolveAfterMs: 2_000, analysisAfterMs: 500 },
      ),
    });
    const dialer = testDialer({
      trunk,
      clock,
    }).dialer;
    const registry = new prom.Registry();
    const stop = instrumentDialer(dialer, prom, { registry });
    await dialer.addCampaign({
      id: 'k1',
      name: 'k',
      goal: 'sales',
      dialMode: 'progressive',
      complianceProfile: 'us-federal',
      callerId: '+14155550100',
      homeTimeZone: 'UTC',
    });
    await dialer.addContacts('k1', [
      { id: 'c1', phones: [{ number: '+14155550001' }] },
      { id: 'c2', phones: [{ number: '+14155550002' }] },
    ]);
    simulateAgents(dialer, clock, { talkMs: () => 5_000, wrapMs: () => 1_000, disposition: () => ({ code: 'SALE' }) });
    dialer.loginAgent({ id: 'a1', name: 'A' }, ['k1']);
    dialer.ready('a1');
    await dialer.start('k1');
    await driveUntil(clock, start + 120_000);
    const text = await registry.metrics();
    expect(text).toContain('paceline_dials_total{campaign="k1"} 2');
    expect(text).toContain('paceline_live_answers_total{campaign="k1"} 1');
    expect(text).toContain('paceline_call_outcomes_total{campaign="k1",outcome="busy"} 1');
    expect(text).toContain('paceline_dispositions_total{campaign="k1",code="SALE"} 1');
    expect(text).toMatch(/paceline_connect_latency_seconds_count\{campaign="k1"\} 1/);
    stop();
    await dialer.close();
  });
});

describe('instrumentDialer registries', () => {
  const dialerOn = (clock: VirtualClock) =>
    testDialer({
      trunk: createSimTrunk({
        clock,
        random: seededRandom(1),
        model: scriptedOutcomeModel({}, { outcome: 'busy', resolveAfterMs: 1_000 }),
      }),
      clock,
    }).dialer;

  it('gives each dialer a registry of its own when the host passes none: two dialers do not collide', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 23, 15, 0));
    const first = instrumentDialer(dialerOn(clock), prom);
    const second = instrumentDialer(dialerOn(clock), prom);
    expect(first.registry).not.toBe(second.registry);
    expect(first.registry).not.toBe(prom.register);
    expect(await prom.register.getMetricsAsJSON()).toEqual([]);
    expect(await first.registry.metrics()).toContain('paceline_dials_total');
    first();
    second();
  });

  it('names no gauge with a _total suffix', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 23, 15, 0));
    const registry = new prom.Registry();
    const stop = instrumentDialer(dialerOn(clock), prom, { registry });
    const all = await registry.getMetricsAsJSON();
    expect(all.length).toBeGreaterThan(5);
    for (const metric of all) if (String(metric.type) === 'gauge') expect(metric.name).not.toMatch(/_total$/);
    stop();
  });
});
