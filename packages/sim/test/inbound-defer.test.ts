import { AgentState, seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import {
  AgentRoster,
  createDistribution,
  InboundQueue,
  parseBlendScenario,
  runBlendedSimulation,
  SIM_BLEND_DEFER_MS,
  type SimAgent,
} from '../src/index';

const HOUR = 3_600_000;
const DEFER_MS = 8_000;

/**
 * issue-23 23-morning4: two agents, a1 busy for the hour on a first caller, a2 ready. The next
 * caller arrives to one ready agent while `claims` (the outbound calls in flight's expected live
 * answers) is set by the test. Runs until just after that caller's arrival, or `extraMs` later.
 */
function run(claims: number | undefined, extraMs = 0, freeA1At?: number, roomMargin?: number) {
  const clock = new VirtualClock(0);
  const random = seededRandom(11);
  const roster = new AgentRoster(
    clock,
    0,
    [{ count: 2, loginAtMs: 0, logoutAtMs: 2 * HOUR, wrap: { kind: 'constant', valueMs: 0 } }],
    random.split('agents'),
  );
  let claimsNow = claims ?? 0;
  const arrivals: number[] = [];
  const answered: number[] = [];
  let first = true;
  const queue: InboundQueue = new InboundQueue({
    clock,
    startAt: 0,
    startHour: 9,
    durationMs: 2 * HOUR,
    roster,
    arrivalsPerHour: () => 60,
    patience: createDistribution({ kind: 'constant', valueMs: HOUR }),
    talk: createDistribution({ kind: 'constant', valueMs: HOUR }),
    targetAnswerMs: 20_000,
    arrivalRandom: random.split('arrivals'),
    callerRandom: random.split('callers'),
    // The first caller goes to a1 only (a2 is out of inbound's reach until then).
    eligible: (a) => !first || a.id === 'a1',
    observer: {
      arrival: (at) => arrivals.push(at),
      answered: (waitMs) => {
        answered.push(waitMs);
        first = false;
      },
      abandoned: () => {},
      work: () => {},
    },
    // No claims until the first caller has a1 (the test's caller is the second).
    ...(claims !== undefined ? { defer: { maxMs: DEFER_MS, claims: () => (first ? 0 : claimsNow), roomMargin, targetShare: 0.8 } } : {}),
  });
  queue.start();
  // Up to the second arrival.
  while (arrivals.length < 2) clock.advanceTo(clock.now() + 100);
  const a1 = roster.agents.find((a) => a.id === 'a1') as SimAgent;
  const a2 = roster.agents.find((a) => a.id === 'a2') as SimAgent;
  const secondAt = arrivals[1] as number;
  return {
    queue,
    a2,
    answered,
    secondAt,
    setClaims: (c: number) => {
      claimsNow = c;
    },
    advance(ms: number) {
      clock.advanceTo(clock.now() + ms);
    },
    freeA1() {
      // a1 frees now (as the roster would after their call) and is offered to the queue first.
      roster.transition(a1, AgentState.Ready);
      return queue.offerAgent(a1);
    },
    extraMs,
    freeA1At,
  };
}

describe('an arriving inbound caller kept off a ready agent the outbound calls claim (issue-23 23-morning4)', () => {
  it('claims ≥ the ready agents: the caller queues, a2 stays ready; after maxMs it takes a2', () => {
    const r = run(0.4);
    expect(r.answered).toHaveLength(1); // only the first caller
    expect(r.queue.queued).toBe(1);
    expect(r.queue.deferred).toBe(1);
    expect(r.a2.state).toBe(AgentState.Ready);
    r.advance(DEFER_MS);
    expect(r.queue.queued).toBe(0);
    expect(r.a2.state).toBe(AgentState.OnCall);
    expect(r.answered[1]).toBeGreaterThanOrEqual(DEFER_MS - 100);
    expect(r.answered[1]).toBeLessThanOrEqual(DEFER_MS + 100);
  });

  it('the claims fall (a call resolved): recheck hands the caller the ready agent at once', () => {
    const r = run(0.4);
    r.advance(1_000);
    r.queue.recheck();
    expect(r.queue.queued).toBe(1); // still claimed
    r.setClaims(0);
    r.queue.recheck();
    expect(r.queue.queued).toBe(0);
    expect(r.a2.state).toBe(AgentState.OnCall);
    expect(r.answered[1]).toBeLessThan(2_000);
  });

  it('an agent freeing while the caller waits takes the caller; the ready agent stays for outbound', () => {
    const r = run(0.9);
    r.advance(2_000);
    expect(r.freeA1()).toBe(true);
    expect(r.queue.queued).toBe(0);
    expect(r.a2.state).toBe(AgentState.Ready);
  });

  it('issue-23 23-router, the room variant: the interval has no room for the caller to miss (1 of 2 within the target < 80 %): no deferral', () => {
    const r = run(0.4, 0, undefined, 0);
    expect(r.queue.queued).toBe(0);
    expect(r.queue.deferred).toBe(0);
    expect(r.a2.state).toBe(AgentState.OnCall);
    expect(r.answered[1]).toBe(0);
  });

  it('no claims, or no defer: the caller takes the ready agent on arrival (the old routing)', () => {
    for (const claims of [0, undefined]) {
      const r = run(claims);
      expect(r.queue.queued).toBe(0);
      expect(r.a2.state).toBe(AgentState.OnCall);
      expect(r.answered[1]).toBe(0);
      expect(r.queue.deferred).toBe(0);
      r.queue.recheck(); // a no-op
      expect(r.answered).toHaveLength(2);
    }
  });
});

describe('the blend’s day with the deferral (issue-23 23-morning4, 23-router)', () => {
  // blend-15-morning's first two hours (bench/scenarios/blend).
  const s = parseBlendScenario({
    name: 'defer-test',
    description: 'issue-23 23-morning4: blend-15-morning’s first two hours',
    jurisdiction: 'us',
    startHour: 9,
    durationHours: 2,
    pacing: { abandonTarget: 0.03, maxLinesPerAgent: 3, powerRatio: 2, ringTimeoutMs: 25_000, minAgentsForPredictive: 2 },
    shifts: [{ count: 15, loginAtHour: 0, logoutAtHour: 2, staggerMinutes: 10, wrap: { kind: 'lognormal', meanMs: 15_000, cv: 0.6 } }],
    model: {
      base: {
        mix: { live: 0.35, machine: 0.12, busy: 0.08, noAnswer: 0.38, failed: 0.05, invalid: 0.02 },
        talk: { kind: 'lognormal', meanMs: 100_000, cv: 0.9 },
        answerDelay: { kind: 'lognormal', meanMs: 12_000, cv: 0.5 },
        failedDelay: { kind: 'lognormal', meanMs: 5_000, cv: 0.6 },
        greeting: { kind: 'lognormal', meanMs: 2_500, cv: 0.3 },
        machineTalk: { kind: 'constant', valueMs: 6_000 },
        amd: { falseMachine: 0.03, falseHuman: 0.1 },
      },
    },
    inbound: {
      arrivalsPerHour: [0, 0, 0, 0, 0, 0, 0, 0, 0, 170, 190, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      patience: { kind: 'lognormal', meanMs: 60_000, cv: 1 },
      talk: { kind: 'lognormal', meanMs: 180_000, cv: 0.8 },
      serviceLevelTarget: 0.8,
      targetAnswerSeconds: 20,
    },
  });

  it('on by default for blend (23-router: the shared defaults, room variant); without the room check callers deferred, a different day from inboundDeferMs 0 with the same callers, replayed exactly; the baselines never defer', () => {
    expect(SIM_BLEND_DEFER_MS).toBeGreaterThan(0);
    const byDefault = runBlendedSimulation({ scenario: s, seed: 3, policy: 'blend' });
    const explicit = runBlendedSimulation({
      scenario: s,
      seed: 3,
      policy: 'blend',
      inboundDeferMs: SIM_BLEND_DEFER_MS,
      inboundDeferRoomMargin: 0,
    });
    expect(JSON.stringify(explicit)).toBe(JSON.stringify(byDefault));
    const on = runBlendedSimulation({ scenario: s, seed: 3, policy: 'blend', inboundDeferRoomMargin: 'off' });
    const off = runBlendedSimulation({ scenario: s, seed: 3, policy: 'blend', inboundDeferMs: 0 });
    expect(JSON.stringify(runBlendedSimulation({ scenario: s, seed: 3, policy: 'blend', inboundDeferRoomMargin: 'off' }))).toBe(
      JSON.stringify(on),
    );
    expect(on.inbound.offered).toBe(off.inbound.offered);
    expect(on.inboundDeferred).toBeGreaterThan(0);
    expect(off.inboundDeferred).toBe(0);
    expect(on.outbound.dials).not.toBe(off.outbound.dials);
    const a = runBlendedSimulation({ scenario: s, seed: 3, policy: 'inbound-first' });
    const b = runBlendedSimulation({ scenario: s, seed: 3, policy: 'inbound-first', inboundDeferMs: 4_000 });
    expect(a.inboundDeferred).toBe(0);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  }, 180_000);
});
