// issue-22 22-early: the estimators' early snapshot and the predictive pacer's early start of a tiny team.
import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { earlyStarted } from '../src/cold-start';
import { type ModelEstimates, type PacerState, PacingEstimators, type PacingEstimatorsOptions, predictivePacer } from '../src/index';
import { agentArb, callArb, type Draw, exponential, lognormal, oneReadyTwoWrapState, pacingOptions, uniform } from './support';

/**
 * A team's first observations, one attempt at a time (a live one in three, a finished call after each
 * live one), the snapshot read after every observation as a campaign reads it: `snapshots[i]` after
 * `i + 1` attempts.
 */
function firstMinutes(
  talk: Draw,
  attempts: number,
  seed: number,
  options: Partial<PacingEstimatorsOptions> = {},
  spread = 0.8,
): ModelEstimates[] {
  const est = new PacingEstimators(options);
  const u = uniform(seed);
  const out: ModelEstimates[] = [];
  for (let i = 0; i < attempts; i++) {
    if (i % 3 === 0) {
      const d = 12_000 * (1 - spread / 2 + spread * u());
      est.observeAttempt({ outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d });
      est.estimates();
      est.observeWork({ talkMs: talk(u), wrapMs: 10_000 * -Math.log(u()) });
    } else est.observeAttempt({ outcome: 'failed', durationMs: 20_000 * (0.6 + 0.8 * u()) });
    out.push(est.estimates());
  }
  return out;
}

/** The warm snapshot's numbers and tables, to compare two estimators field by field. */
function warmFields(e: ModelEstimates): unknown {
  return {
    ...e,
    early: undefined,
    exponentialWork: e.exponentialWork,
    pendingLiveByAnswer: Array.from(e.pendingLiveByAnswer),
    handleFree: Array.from(e.handleFree),
    wrapFree: Array.from(e.wrapFree),
    pendingLive: Array.from(e.pendingLive),
  };
}

// Solved within the decision: a state's decision does not depend on earlier calls (fresh pacers anyway).
const SOLVED = { markovWorkPerDecision: Number.POSITIVE_INFINITY } as const;
const OFF = { earlyAttempts: 60, earlyLiveAnswers: 20, earlyWorkSamples: 15 } as const;

describe('PacingEstimators’ early snapshot (22-early)', () => {
  const snapshots = firstMinutes(exponential(150_000), 400, 2212);

  it('appears on cold snapshots once 40 attempts, 12 live answers and 10 finished calls are in, and goes once warm', () => {
    let firstEarly = -1;
    let firstWarm = -1;
    snapshots.forEach((s, i) => {
      if (s.warm) {
        expect(s.early).toBeUndefined();
        if (firstWarm < 0) firstWarm = i;
        return;
      }
      const enough = s.attempts >= 40 && s.liveAnswers >= 12 && s.workSamples >= 10;
      expect(s.early !== undefined).toBe(enough);
      if (s.early === undefined) return;
      if (firstEarly < 0) firstEarly = i;
      // A model of the data so far: warm, with the counts it was built on (never more than the snapshot's).
      expect(s.early.warm).toBe(true);
      expect(s.early.early).toBeUndefined();
      expect(s.early.horizons).toBeGreaterThan(0);
      expect(s.early.attempts).toBeLessThanOrEqual(s.attempts);
      expect(s.early.liveProbability).toBeGreaterThan(0.2);
      expect(s.early.liveProbability).toBeLessThan(0.5);
    });
    // Attempts 40–59 (the 1-in-3 live answers pass 12 at attempt 34, the 10th call long before).
    expect(firstEarly).toBe(39);
    expect(firstWarm).toBe(59);
  });

  it('leaves the warm snapshots exactly as estimators without it build them (their rebuilds and tables)', () => {
    expectSameWarm(exponential(150_000), 0.8);
    // And on one live delay and one talk time: the horizons and the table's rows never move, so an on-call
    // table cached from the early build would be reused by the first warm one.
    expectSameWarm(() => 150_000, 0);
  });

  function expectSameWarm(talk: Draw, spread: number): void {
    const snapshots = firstMinutes(talk, 400, 2212, {}, spread);
    const without = firstMinutes(talk, 400, 2212, OFF, spread);
    expect(snapshots.some((s) => s.early !== undefined)).toBe(true);
    expect(without.some((s) => s.early !== undefined)).toBe(false);
    let compared = 0;
    for (let i = 0; i < snapshots.length; i++) {
      const a = snapshots[i] as ModelEstimates;
      const b = without[i] as ModelEstimates;
      expect(a.warm).toBe(b.warm);
      // Each rebuild once (a snapshot is reused until the next).
      if (a.warm && a !== snapshots[i - 1]) {
        expect(warmFields(a)).toEqual(warmFields(b));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  }

  it('checks its thresholds', () => {
    expect(() => new PacingEstimators({ earlyLiveAnswers: -1 })).toThrow(/earlyLiveAnswers/);
    expect(() => new PacingEstimators({ earlyAttempts: 1.5 })).toThrow(/earlyAttempts/);
  });
});

describe('the predictive pacer’s early start (22-early)', () => {
  const expCold = firstMinutes(exponential(150_000), 50, 2212).at(-1) as ModelEstimates;
  const lnCold = firstMinutes(lognormal(150_000, 0.8), 50, 2212).at(-1) as ModelEstimates;
  const state = (estimates: ModelEstimates, extraLoggedIn = 0): PacerState => {
    const s = oneReadyTwoWrapState(estimates);
    const onBreak = Array.from({ length: extraLoggedIn }, (_, i) => ({ id: `b${i}`, state: AgentState.NotReady, timeInStateMs: 60_000 }));
    return { ...s, agents: [...s.agents, ...onBreak] };
  };

  it('decides a 3-agent team whose early work looks exponential on the early model, not progressively', () => {
    expect(expCold.warm).toBe(false);
    const early = expCold.early as ModelEstimates;
    expect(early.exponentialWork).toBeGreaterThan(0);
    const d = predictivePacer(SOLVED).decide(state(expCold));
    expect(d.reason).not.toBe('cold-start');
    expect(d).toEqual(predictivePacer(SOLVED).decide(state(early)));
  });

  it('keeps the cold start with 4 logged in, on work that does not look exponential, or with earlyStartBelow 0', () => {
    const cold = (s: PacerState, o = {}) => predictivePacer({ ...SOLVED, ...o }).decide(s).reason;
    expect(cold(state(expCold, 1))).toBe('cold-start');
    expect((lnCold.early as ModelEstimates).exponentialWork).toBeLessThanOrEqual(0);
    expect(cold(state(lnCold))).toBe('cold-start');
    expect(cold(state(expCold), { earlyStartBelow: 0 })).toBe('cold-start');
    expect(cold(state(expCold), { earlyStartBelow: 5 })).not.toBe('cold-start');
    expect(() => predictivePacer({ earlyStartBelow: -1 })).toThrow(RangeError);
    expect(() => predictivePacer({ earlyStartBelow: 2.5 })).toThrow(RangeError);
  });

  it('fast-check: on 4 or more logged in, or on warm estimates, the early model is never read', () => {
    const arb = fc.record({
      agents: fc.array(agentArb, { minLength: 4, maxLength: 10 }),
      calls: fc.array(callArb, { maxLength: 20 }),
      warm: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ agents, calls, warm }) => {
        // Four logged in at least (a logged-out one among the first four made ready), unless the estimates are warm.
        const team = warm
          ? agents
          : agents.map((a, i) => (i < 4 && a.state === AgentState.LoggedOut ? { ...a, state: AgentState.Ready } : a));
        const base = warm ? (expCold.early as ModelEstimates) : expCold;
        const s: PacerState = {
          now: 0,
          agents: team,
          calls,
          options: pacingOptions({ minAgentsForPredictive: 2 }),
          abandons: { liveAnswers: 100, abandoned: 1, windowMs: 86_400_000 },
          estimates: { ...base, early: expCold.early },
        };
        expect(earlyStarted(s, 4)).toBe(s);
        const without: PacerState = { ...s, estimates: { ...s.estimates, early: undefined } };
        expect(predictivePacer(SOLVED).decide(s)).toEqual(predictivePacer(SOLVED).decide(without));
      }),
      { numRuns: 150 },
    );
  });
});
