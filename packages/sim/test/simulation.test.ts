import { createCampaignPacer, type PacingDecision } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import { type OutcomeModelSpec, runSimulation, type SimPacer, type SimulationOptions } from '../src/index';

const HOUR = 3_600_000;

function model(overrides: Partial<OutcomeModelSpec['base']> = {}): OutcomeModelSpec {
  return {
    base: {
      mix: { live: 1 / 3, machine: 0, busy: 0, noAnswer: 0, failed: 2 / 3, invalid: 0 },
      answerDelay: { kind: 'lognormal', meanMs: 10_000, cv: 0.3 },
      failedDelay: { kind: 'lognormal', meanMs: 20_000, cv: 0.3 },
      greeting: { kind: 'constant', valueMs: 1_500 },
      talk: { kind: 'lognormal', meanMs: 90_000, cv: 0.3 },
      machineTalk: { kind: 'constant', valueMs: 5_000 },
      amd: { falseMachine: 0, falseHuman: 0 },
      ...overrides,
    },
  };
}

describe('progressive against its closed form', () => {
  it('talk fraction = S / (S + W + R + ((1 − p)/p)·F) within 1% on a long run', () => {
    // Progressive keeps exactly one line per ready agent, so each agent runs a renewal cycle:
    // failed attempts (each F long) until a live answer, which rings R before it reaches the
    // agent, then talk S and wrap-up W. Renewal-reward gives the closed form, with
    //   S = mean talk = 90 s,
    //   W = mean wrap-up = 10 s (the agents' constant wrap),
    //   R = mean answer delay + greeting (call analysis reports at the greeting's end, and the
    //       agent is connected then) = 10 s + 1.5 s,
    //   F = mean time to the failure response = 20 s (every non-live attempt is `failed`),
    //   p = 1/3 (answers never outlast the 60 s ring timeout here, so p is the live share).
    // The decision latency is zero: the simulator asks the pacer as soon as an agent is ready.
    const S = 90;
    const W = 10;
    const R = 10 + 1.5;
    const F = 20;
    const p = 1 / 3;
    const closedForm = S / (S + W + R + ((1 - p) / p) * F);
    const result = runSimulation({
      seed: 7,
      durationMs: 50 * HOUR,
      shifts: [{ count: 30, loginAtMs: 0, logoutAtMs: 50 * HOUR, wrap: { kind: 'constant', valueMs: 10_000 } }],
      model: model(),
      pacing: { ringTimeoutMs: 60_000 },
      pacer: createCampaignPacer({ dialMode: 'progressive' }),
    });
    expect(result.counters.abandoned).toBe(0);
    expect(Math.abs(result.talkFraction / closedForm - 1)).toBeLessThan(0.01);
  });
});

const day = (pacer: SimPacer, seed: number): SimulationOptions => ({
  seed,
  durationMs: 2 * HOUR,
  shifts: [
    { count: 12, loginAtMs: 0, logoutAtMs: 2 * HOUR, breaks: [{ atMs: HOUR, durationMs: 600_000 }], staggerMs: 300_000 },
    { count: 4, loginAtMs: 0.5 * HOUR, logoutAtMs: 1.5 * HOUR },
  ],
  model: model({
    mix: { live: 0.3, machine: 0.2, busy: 0.1, noAnswer: 0.3, failed: 0.08, invalid: 0.02 },
    amd: { falseMachine: 0.05, falseHuman: 0.1 },
  }),
  pacer,
});

describe('determinism', () => {
  it('replays the same seed exactly, and another seed differs', () => {
    const run = (seed: number) => {
      const decisions: PacingDecision[] = [];
      const r = runSimulation({ ...day(createCampaignPacer({ dialMode: 'predictive' }), seed), onDecision: (d) => decisions.push(d) });
      return { r, decisions };
    };
    const a = run(42);
    const b = run(42);
    expect(b.r).toEqual(a.r);
    expect(b.decisions).toEqual(a.decisions);
    expect(run(43).r.counters.dials).not.toBe(a.r.counters.dials);
  });
});

/** A pacer that places exactly `n` calls at its first decision and none after. */
function placeOnce(n: number): SimPacer {
  let done = false;
  return {
    decide: () => {
      const launch = done ? 0 : n;
      done = true;
      return { launch, reason: 'test', inputs: {} };
    },
    observeOutcome: () => {},
    observeWork: () => {},
  };
}

describe('the 2-second abandon rule', () => {
  // One agent, one live call answered at 10 s (no greeting). The agent goes on a break at
  // 1 s and is back at `backAtMs`: within 2 s of the greeting's end the call is connected,
  // later it is abandoned.
  const oneCall = (backAtMs: number) =>
    runSimulation({
      seed: 1,
      durationMs: 120_000,
      shifts: [{ count: 1, loginAtMs: 0, logoutAtMs: 120_000, breaks: [{ atMs: 1_000, durationMs: backAtMs - 1_000 }] }],
      model: model({
        mix: { live: 1, machine: 0, busy: 0, noAnswer: 0, failed: 0, invalid: 0 },
        answerDelay: { kind: 'constant', valueMs: 10_000 },
        greeting: { kind: 'constant', valueMs: 0 },
      }),
      pacer: placeOnce(1),
    }).counters;

  it('connects a live answer an agent reaches within 2 s of the greeting’s end', () => {
    expect(oneCall(11_900)).toMatchObject({ liveAnswers: 1, connected: 1, abandoned: 0 });
  });

  it('abandons it when no agent is free 2 s after the greeting’s end', () => {
    expect(oneCall(12_100)).toMatchObject({ liveAnswers: 1, connected: 0, abandoned: 1 });
  });

  it('accounts every live answer as connected or abandoned', () => {
    const c = runSimulation({ ...day(placeOnce(200), 3), durationMs: HOUR }).counters;
    expect(c.abandoned).toBeGreaterThan(0);
    expect(c.connected + c.abandoned).toBe(c.liveAnswers);
  });
});

describe('agents', () => {
  it('account logged-in time by shift, and finish a call before a break or logout', () => {
    const r = runSimulation({ ...day(createCampaignPacer({ dialMode: 'progressive' }), 5) });
    // 12 agents × 2 h + 4 agents × 1 h; a call running at logout is finished first (overtime).
    expect(r.loggedInMs).toBeGreaterThanOrEqual(28 * HOUR - 12 * 300_000);
    expect(r.notReadyMs).toBeGreaterThanOrEqual(12 * 600_000 - 1);
    expect(r.talkFraction).toBeGreaterThan(0);
    expect(r.occupancy).toBeGreaterThanOrEqual(r.talkFraction);
  });
});
