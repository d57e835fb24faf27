import { describe, expect, it } from 'vitest';
import {
  DecayingHistogram,
  exponentialEvidence,
  exponentialWorkEvidence,
  type ModelEstimates,
  PacingEstimators,
  predictivePacer,
  SurvivalCurve,
} from '../src/index';
import { type Draw, exponential, lognormal, oneReadyTwoWrapState, uniform } from './support';

/** The survival curve of `n` draws, on the estimators' talk histogram (1-s bins to 30 min, half-life 400). */
function talkCurve(draw: Draw, n: number, seed: number): SurvivalCurve {
  const h = new DecayingHistogram(1_000, 1_800_000, 400);
  const u = uniform(seed);
  for (let i = 0; i < n; i++) h.add(draw(u));
  return new SurvivalCurve(h);
}

/** Warm estimates of small-team-3's traffic with the given talk and wrap-up. */
function teamEstimates(talk: Draw, wrap: Draw, seed: number): ModelEstimates {
  const est = new PacingEstimators();
  const u = uniform(seed);
  for (let i = 0; i < 2_000; i++) {
    if (u() < 0.25) {
      const d = 12_000 * (0.6 + 0.8 * u());
      est.observeAttempt({ outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d });
      est.observeWork({ talkMs: talk(u), wrapMs: wrap(u) });
    } else est.observeAttempt({ outcome: 'failed', durationMs: 20_000 * (0.6 + 0.8 * u()) });
  }
  return est.estimates();
}

describe('exponentialEvidence', () => {
  it('favours the exponential on exponential samples and the lognormal on lognormal ones, more so with more data', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const small = exponentialEvidence(talkCurve(exponential(150_000), 60, seed));
      const large = exponentialEvidence(talkCurve(exponential(150_000), 500, seed));
      expect(small).toBeGreaterThan(0);
      expect(large).toBeGreaterThan(small);
      expect(exponentialEvidence(talkCurve(lognormal(150_000, 0.8), 500, seed))).toBeLessThan(0);
      expect(exponentialEvidence(talkCurve(lognormal(150_000, 0.5), 200, seed))).toBeLessThan(0);
      // A heavier tail than the exponential's (cv 2) is not exponential either.
      expect(exponentialEvidence(talkCurve(lognormal(150_000, 2), 500, seed))).toBeLessThan(0);
    }
  });

  it('reads no wrap-up as exact, a constant as not exponential, and no samples as no evidence', () => {
    expect(exponentialEvidence(talkCurve(() => 0, 100, 1))).toBe(Number.POSITIVE_INFINITY);
    expect(exponentialEvidence(talkCurve(() => 20_500, 100, 1))).toBe(Number.NEGATIVE_INFINITY);
    expect(exponentialEvidence(new SurvivalCurve(new DecayingHistogram(1_000, 1_800_000, 400)))).toBe(0);
  });

  it('needs both talk and wrap-up exponential', () => {
    const exp = talkCurve(exponential(150_000), 400, 7);
    const ln = talkCurve(lognormal(150_000, 0.8), 400, 7);
    expect(exponentialWorkEvidence(exp, exp)).toBeGreaterThan(0);
    expect(exponentialWorkEvidence(exp, ln)).toBeLessThan(0);
    expect(exponentialWorkEvidence(ln, exp)).toBeLessThan(0);
  });
});

describe('PacingEstimators.exponentialWork', () => {
  it('is positive for exponential talk and wrap-up, negative for lognormal ones or a lognormal wrap-up', () => {
    expect(teamEstimates(exponential(150_000), exponential(20_000), 11).exponentialWork).toBeGreaterThan(0);
    expect(teamEstimates(lognormal(150_000, 0.8), lognormal(20_000, 0.5), 11).exponentialWork).toBeLessThan(0);
    expect(teamEstimates(exponential(150_000), lognormal(20_000, 0.5), 11).exponentialWork).toBeLessThan(0);
    expect(teamEstimates(exponential(150_000), () => 0, 11).exponentialWork).toBeGreaterThan(0);
  });
});

// Solved within the decision (no work budget): a state's decision does not depend on earlier calls.
const SOLVED = { markovWorkPerDecision: Number.POSITIVE_INFINITY } as const;

describe('predictive with markovHybridGate', () => {
  const walk = predictivePacer({ markovHybrid: false });
  const twoSided = predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridGate: false, ...SOLVED });
  const gated = predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridGate: true, ...SOLVED });
  const markovian = teamEstimates(exponential(150_000), exponential(20_000), 2211);

  it('follows the policy’s cut while the work is exponential, and decides as the walk once the evidence is against it', () => {
    const state = oneReadyTwoWrapState(markovian);
    expect(markovian.exponentialWork).toBeGreaterThan(0);
    const byWalk = walk.decide(state);
    const cut = twoSided.decide(state);
    expect(cut.launch).toBeLessThan(byWalk.launch);
    expect(gated.decide(state)).toEqual(cut);
    // The same state read with evidence against the exponential (or none): the walk's decision, whole.
    for (const evidence of [-1, 0, undefined]) {
      const doubted = oneReadyTwoWrapState({ ...markovian, exponentialWork: evidence });
      expect(twoSided.decide(doubted).launch).toBe(cut.launch);
      expect(gated.decide(doubted)).toEqual(walk.decide(doubted));
    }
  });

  it('decides as the walk on a lognormal team’s estimates', () => {
    const state = oneReadyTwoWrapState(teamEstimates(lognormal(150_000, 0.8), lognormal(20_000, 0.5), 2211));
    expect(gated.decide(state)).toEqual(walk.decide(state));
  });

  it('checks its option', () => {
    expect(() => predictivePacer({ markovHybrid: false, markovHybridGate: true })).toThrow(RangeError);
    expect(() => predictivePacer({ markovPolicy: 'small-teams', markovHybridGate: true })).toThrow(RangeError); // no hybrid with the policy
  });
});

// issue-22 22-default: the gated two-sided hybrid is the default; `markovHybrid: false` is the walk alone (the old default).
describe('predictive by default (the gated two-sided hybrid)', () => {
  const explicit = predictivePacer({
    markovHybrid: 'small-teams',
    markovHybridCut: 0,
    markovHybridTolerance: 2,
    markovHybridGate: true,
    ...SOLVED,
  });
  const markovian = teamEstimates(exponential(150_000), exponential(20_000), 2211);
  const lognormalTeam = teamEstimates(lognormal(150_000, 0.8), lognormal(20_000, 0.5), 2211);

  it('decides as the explicit gated options: the policy’s cut on exponential work, the walk’s lines on lognormal work', () => {
    const byDefault = predictivePacer(SOLVED);
    for (const estimates of [markovian, lognormalTeam, { ...markovian, exponentialWork: -1 }, { ...markovian, exponentialWork: undefined }])
      expect(byDefault.decide(oneReadyTwoWrapState(estimates))).toEqual(explicit.decide(oneReadyTwoWrapState(estimates)));
    const walkAlone = predictivePacer({ markovHybrid: false });
    expect(byDefault.decide(oneReadyTwoWrapState(markovian)).launch).toBe(2); // the policy's cut (22-hybrid6's state)
    expect(walkAlone.decide(oneReadyTwoWrapState(markovian)).launch).toBe(3);
    expect(byDefault.decide(oneReadyTwoWrapState(lognormalTeam))).toEqual(walkAlone.decide(oneReadyTwoWrapState(lognormalTeam))); // the gate closed
  });

  it('with markovHybrid: false decides as the walk alone (the default before 22-default)', () => {
    const walkAlone = predictivePacer({ markovHybrid: false });
    const d = walkAlone.decide(oneReadyTwoWrapState(markovian));
    expect(d.launch).toBe(3);
    expect(d.inputs.forecast).toBeUndefined();
    expect(d.reason).toBe('model');
  });

  it('leaves the hybrid off for a caller who asks for the MDP policy, and keeps the options checked', () => {
    const policy = predictivePacer({ markovPolicy: 'small-teams', ...SOLVED });
    expect(policy.decide(oneReadyTwoWrapState(markovian)).inputs.forecast).toBe('markov');
    expect(() => predictivePacer({ markovPolicy: true })).not.toThrow();
    expect(() => predictivePacer({ markovPolicy: true, markovHybrid: 'small-teams' })).toThrow(RangeError);
    expect(() => predictivePacer({ markovHybridCut: -1 })).toThrow(RangeError);
    expect(() => predictivePacer({ markovHybridTolerance: -1 })).toThrow(RangeError);
  });
});
