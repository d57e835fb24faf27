import { AgentState, type PacingOptions } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLEND_POLICY_NAMES,
  type BlendScenario,
  INBOUND_FIRST_CAP_GUARD,
  inboundRateAt,
  parseBlendScenario,
  runBlendedSimulation,
  staticSplitAgents,
  wirePolicy,
} from '../src/index';

/** A short blended day: 8 agents, one hour and a half, inbound busy enough to queue. */
function scenario(overrides: Partial<BlendScenario['inbound']> = {}, agents = 8): BlendScenario {
  const arrivalsPerHour = new Array<number>(24).fill(0);
  arrivalsPerHour[9] = 60;
  arrivalsPerHour[10] = 90;
  return parseBlendScenario({
    name: 'blend-test',
    description: 'test',
    startHour: 9,
    durationHours: 1.5,
    jurisdiction: 'us',
    pacing: { abandonTarget: 0.03, maxLinesPerAgent: 3, powerRatio: 2, ringTimeoutMs: 25000, minAgentsForPredictive: 2 },
    shifts: [{ count: agents, loginAtHour: 0, logoutAtHour: 1.5, wrap: { kind: 'constant', valueMs: 10_000 } }],
    model: {
      base: {
        mix: { live: 0.3, machine: 0.1, busy: 0.1, noAnswer: 0.4, failed: 0.08, invalid: 0.02 },
        answerDelay: { kind: 'lognormal', meanMs: 10_000, cv: 0.4 },
        failedDelay: { kind: 'exponential', meanMs: 5_000 },
        greeting: { kind: 'constant', valueMs: 2_000 },
        talk: { kind: 'exponential', meanMs: 90_000 },
        machineTalk: { kind: 'constant', valueMs: 5_000 },
        amd: { falseMachine: 0.03, falseHuman: 0.1 },
      },
    },
    inbound: {
      arrivalsPerHour,
      patience: { kind: 'exponential', meanMs: 60_000 },
      talk: { kind: 'exponential', meanMs: 150_000 },
      serviceLevelTarget: 0.8,
      targetAnswerSeconds: 20,
      ...overrides,
    },
  });
}

describe('blended simulation', () => {
  it('replays exactly: same seed and policy, the same result bit for bit (every policy)', () => {
    const s = scenario();
    for (const policy of BLEND_POLICY_NAMES) {
      const a = runBlendedSimulation({ scenario: s, seed: 11, policy });
      const b = runBlendedSimulation({ scenario: s, seed: 11, policy });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('replays any seed exactly, and different seeds give different days', () => {
    const s = scenario();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const a = runBlendedSimulation({ scenario: s, seed, policy: 'blend' });
        expect(JSON.stringify(runBlendedSimulation({ scenario: s, seed, policy: 'blend' }))).toBe(JSON.stringify(a));
        const other = runBlendedSimulation({ scenario: s, seed: seed + 1, policy: 'blend' });
        expect(JSON.stringify(other)).not.toBe(JSON.stringify(a));
      }),
      { numRuns: 2 },
    );
  });

  it('gives every policy the same inbound callers for a seed', () => {
    const s = scenario();
    const offered = (['blend', 'inbound-first', 'static-split'] as const).map(
      (policy) => runBlendedSimulation({ scenario: s, seed: 5, policy }).inbound.offered,
    );
    expect(new Set(offered).size).toBe(1);
  });

  it('counts every inbound caller once — answered, hung up in the queue, or still waiting at the end — apart from outbound abandons', () => {
    // One inbound agent for 60–90 calls an hour: the queue overflows and callers hang up.
    const r = runBlendedSimulation({ scenario: scenario(), seed: 3, policy: 'static-split', staticInboundAgents: 1 });
    let offered = 0;
    for (const iv of r.intervals) {
      expect(iv.answered + iv.abandoned).toBeLessThanOrEqual(iv.offered);
      expect(iv.answeredInTarget).toBeLessThanOrEqual(iv.answered);
      offered += iv.offered;
    }
    expect(r.inbound.offered).toBe(offered);
    expect(r.inbound.abandoned).toBeGreaterThan(20);
    // The outbound ledger only sees outbound live answers: its abandons are its own.
    expect(r.outbound.abandoned).toBeLessThanOrEqual(r.outbound.liveAnswers);
    expect(r.outbound.abandoned).toBeLessThan(r.inbound.abandoned);
  });

  it('follows the time-of-day profile and the spike (no calls in a silent hour, ×1.5 in the spike hour)', () => {
    const s = scenario({ spike: { atHour: 10, hours: 1, factor: 1.5 } });
    expect(inboundRateAt(s.inbound, 9.5)).toBe(60);
    expect(inboundRateAt(s.inbound, 10.2)).toBe(135);
    const silent = new Array<number>(24).fill(0);
    const r = runBlendedSimulation({ scenario: scenario({ arrivalsPerHour: silent }), seed: 2, policy: 'blend' });
    expect(r.inbound.offered).toBe(0);
    expect(r.meanReserve).toBe(0);
    const spiked = runBlendedSimulation({ scenario: s, seed: 2, policy: 'inbound-first' });
    expect(spiked.intervals.map((iv) => iv.inSpike)).toEqual([false, false, true]);
  });

  it('sizes the static split by Erlang A for the busiest hour, and keeps its agents apart', () => {
    const s = scenario();
    const k = staticSplitAgents(s, 0.9);
    expect(k).toBeGreaterThanOrEqual(3);
    expect(k).toBeLessThan(8);
    const r = runBlendedSimulation({ scenario: s, seed: 4, policy: 'static-split' });
    expect(r.staticInboundAgents).toBe(k);
  });

  it('refuses a bad scenario naming the field', () => {
    expect(() => parseBlendScenario({ ...scenario(), inbound: { ...scenario().inbound, arrivalsPerHour: [1, 2] } })).toThrow(
      /scenario\.inbound\.arrivalsPerHour/,
    );
  });

  it('inbound-first-capped dials one ready agent fewer while the abandon rate is at the guard, and like inbound-first below it', () => {
    const s = scenario();
    const capped = wirePolicy('inbound-first-capped', { scenario: s, queued: () => 0 });
    const raw = wirePolicy('inbound-first', { scenario: s, queued: () => 0 });
    const pacing: PacingOptions = {
      abandonTarget: 0.03,
      maxLinesPerAgent: 3,
      powerRatio: 2,
      ringTimeoutMs: 25_000,
      minAgentsForPredictive: 2,
    };
    const agents = Array.from({ length: 6 }, (_, i) => ({
      id: `a${i + 1}`,
      state: i < 4 ? AgentState.Ready : AgentState.OnCall,
      timeInStateMs: 5_000,
    }));
    const calls = [{ id: 'c1', ageMs: 3_000, phase: 'ringing' as const }];
    const at = (abandoned: number) => ({
      now: 0,
      campaign: { pacing },
      agents,
      calls,
      liveAnswers: 1000,
      abandoned,
      windowMs: 30 * 86_400_000,
    });
    const guardAbandons = Math.ceil(INBOUND_FIRST_CAP_GUARD * pacing.abandonTarget * 1000);
    for (const abandoned of [0, guardAbandons - 1]) {
      expect(capped.pacer.decide(at(abandoned)).launch).toBe(raw.pacer.decide(at(abandoned)).launch);
      expect(capped.pacer.decide(at(abandoned)).launch).toBe(3); // 4 ready − 1 in flight
    }
    for (const abandoned of [guardAbandons, 80]) expect(capped.pacer.decide(at(abandoned)).launch).toBe(2);
  });
  it('inboundModel demand (issue 23): replays exactly, and with no inbound at all runs the plain pacer’s day bit for bit', () => {
    const s = scenario();
    const a = runBlendedSimulation({ scenario: s, seed: 7, policy: 'blend', blend: { inboundModel: 'demand' } });
    expect(JSON.stringify(runBlendedSimulation({ scenario: s, seed: 7, policy: 'blend', blend: { inboundModel: 'demand' } }))).toBe(
      JSON.stringify(a),
    );
    // With inbound the demand model decides differently from the hold model (same reserve goal).
    const held = runBlendedSimulation({ scenario: s, seed: 7, policy: 'blend', blend: { inboundModel: 'hold' } });
    expect(held.outbound.dials).not.toBe(a.outbound.dials);
    // No inbound: no reserve, no demand, so the inbound term is zero and both models run the plain predictive pacer.
    const silent = scenario({ arrivalsPerHour: new Array<number>(24).fill(0) }, 4);
    const demand = runBlendedSimulation({ scenario: silent, seed: 7, policy: 'blend', blend: { inboundModel: 'demand' } });
    const hold = runBlendedSimulation({ scenario: silent, seed: 7, policy: 'blend', blend: { inboundModel: 'hold' } });
    expect(demand.inbound.offered).toBe(0);
    expect(demand.outbound.dials).toBeGreaterThan(0);
    expect(JSON.stringify(demand)).toBe(JSON.stringify(hold));
  });

  it('workByFlow (issue-23 23-flowtab): the walk reads each busy agent’s flow’s table — a different day, replayed exactly; no inbound, the same day bit for bit', () => {
    const s = scenario({}, 10);
    const off = runBlendedSimulation({ scenario: s, seed: 5, policy: 'blend' });
    const on = runBlendedSimulation({ scenario: s, seed: 5, policy: 'blend', workByFlow: true });
    expect(JSON.stringify(runBlendedSimulation({ scenario: s, seed: 5, policy: 'blend', workByFlow: true }))).toBe(JSON.stringify(on));
    // The same inbound callers; the outbound pacing changed (inbound agents, 150 s, read their own table, outbound 90 s theirs).
    expect(on.inbound.offered).toBe(off.inbound.offered);
    expect(on.outbound.dials).not.toBe(off.outbound.dials);
    // No inbound flow: nothing but outbound work is seen, so the pacer keeps the pooled table — the option-off day.
    const silent = scenario({ arrivalsPerHour: new Array<number>(24).fill(0) }, 6);
    const silentOff = runBlendedSimulation({ scenario: silent, seed: 5, policy: 'blend' });
    const silentOn = runBlendedSimulation({ scenario: silent, seed: 5, policy: 'blend', workByFlow: true });
    expect(silentOn.outbound.dials).toBeGreaterThan(0);
    expect(JSON.stringify(silentOn)).toBe(JSON.stringify(silentOff));
  });
});
