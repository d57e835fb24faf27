import { isPacelineError } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecayingHistogram, governAbandons, PacingEstimators, parseAbandonGovernorOptions, SurvivalCurve } from '../src/index';

describe('SurvivalCurve', () => {
  it('gives the memoryless answer for exponential samples: 1 − S(a+h)/S(a) ≈ 1 − e^(−h/mean) whatever a', () => {
    const h = new DecayingHistogram(1_000, 1_800_000, Number.POSITIVE_INFINITY);
    const n = 20_000;
    // Exact quantiles of an exponential with mean 90 s, so the check is not at the mercy of sampling.
    for (let i = 0; i < n; i++) h.add(-90_000 * Math.log(1 - (i + 0.5) / n));
    const s = new SurvivalCurve(h);
    for (const a of [0, 30_000, 90_000, 180_000]) expect(s.endsWithin(a, 10_000)).toBeCloseTo(1 - Math.exp(-10 / 90), 2);
  });

  it('knows a nearly fixed duration: an agent 80 s into 90 s calls frees within 15 s, one 10 s in does not', () => {
    const h = new DecayingHistogram(1_000, 600_000, Number.POSITIVE_INFINITY);
    for (let i = 0; i < 1_000; i++) h.add(88_000 + (i % 5) * 1_000);
    const s = new SurvivalCurve(h);
    expect(s.endsWithin(80_000, 15_000)).toBeGreaterThan(0.99);
    expect(s.endsWithin(10_000, 15_000)).toBeLessThan(0.01);
  });
});

describe('PacingEstimators', () => {
  it('is cold until enough attempts, live answers and calls were seen', () => {
    const est = new PacingEstimators({ warmAttempts: 10, warmLiveAnswers: 3, warmWorkSamples: 3 });
    for (let i = 0; i < 9; i++)
      est.observeAttempt({ outcome: i % 3 === 0 ? 'human' : 'no-answer', answerDelayMs: 5_000, durationMs: 25_000 });
    for (let i = 0; i < 3; i++) est.observeWork({ talkMs: 60_000, wrapMs: 0 });
    expect(est.estimates().warm).toBe(false);
    est.observeAttempt({ outcome: 'human', answerDelayMs: 5_000, durationMs: 5_000 });
    expect(est.estimates().warm).toBe(true);
    expect(est.estimates().liveProbability).toBeCloseTo(0.4, 5);
  });

  it('conditions a ringing call on not being answered yet: a call answered less than a greeting ago is in analysis, not ringing', () => {
    // Live answers at 10 s (a 3-s greeting: they need an agent at 13 s), machines answered at
    // 9 s, unanswered lines ringing 25 s: 30% live, 10% machine, 60% no answer.
    const est = new PacingEstimators({ halfLifeAttempts: 1e9, ringingByAnswer: true });
    for (let i = 0; i < 1_000; i++) {
      if (i % 10 < 3) est.observeAttempt({ outcome: 'human', answerDelayMs: 10_000, liveDelayMs: 13_000, durationMs: 13_000 });
      else if (i % 10 === 3) est.observeAttempt({ outcome: 'machine', answerDelayMs: 9_000, durationMs: 12_000 });
      else est.observeAttempt({ outcome: 'no-answer', durationMs: 25_000 });
      if (i % 10 === 0) est.observeWork({ talkMs: 90_000, wrapMs: 0 });
    }
    const e = est.estimates();
    const K = e.horizons;
    const last = (ageMs: number) => e.pendingLive[Math.floor(ageMs / e.pendingBinMs) * K + K - 1] as number;
    // Still ringing at 11 s: every live call would have been answered at 10 s, so none is live
    // (the old conditioning on live delay > 11 s gave it 0.3 / (0.3 + 0.7·P(line > 11 s)) ≈ 0.36).
    expect(last(11_000)).toBeLessThan(1e-6);
    // Ringing at 5 s: everyone still rings; live (needing an agent at 13 s) with p = 0.3 within the walk.
    expect(e.horizonMs[K - 1] as number).toBeGreaterThanOrEqual(8_000);
    expect(last(5_000)).toBeCloseTo(0.3, 2);
    // At the first step nothing ringing can already be live.
    expect(e.pendingLive[Math.floor(5_000 / e.pendingBinMs) * K] as number).toBeLessThan(1e-9);
  });

  it('keeps the older conditioning on the live delay by default (ringingByAnswer off)', () => {
    const est = new PacingEstimators({ halfLifeAttempts: 1e9 });
    for (let i = 0; i < 1_000; i++) {
      if (i % 10 < 3) est.observeAttempt({ outcome: 'human', answerDelayMs: 10_000, liveDelayMs: 13_000, durationMs: 13_000 });
      else if (i % 10 === 3) est.observeAttempt({ outcome: 'machine', answerDelayMs: 9_000, durationMs: 12_000 });
      else est.observeAttempt({ outcome: 'no-answer', durationMs: 25_000 });
      if (i % 10 === 0) est.observeWork({ talkMs: 90_000, wrapMs: 0 });
    }
    const e = est.estimates();
    const K = e.horizons;
    // Ringing at 11 s still "live" with 0.3 / (0.3 + 0.1 + 0.6) = 0.3 — the bias: none is.
    expect(e.pendingLive[Math.floor(11_000 / e.pendingBinMs) * K + K - 1] as number).toBeCloseTo(0.3, 3);
  });

  it('does not count an agent as free before the wrap-up that follows their call is over', () => {
    // Exponential talk (mean 90 s) and a fixed 30-s wrap-up; the horizons (~10 s + 2 s grace)
    // are shorter than the wrap-up, so nobody on a call can be free in time, however long the
    // call has lasted; an agent 25 s into wrap-up is.
    const est = new PacingEstimators({ rebuildEvery: 1 });
    for (let i = 0; i < 400; i++)
      est.observeAttempt({ outcome: i % 3 === 0 ? 'human' : 'failed', answerDelayMs: 10_000, durationMs: 20_000 });
    const n = 2_000;
    for (let i = 0; i < n; i++) est.observeWork({ talkMs: -90_000 * Math.log(1 - (((i * 7_919) % n) + 0.5) / n), wrapMs: 30_000 });
    const e = est.estimates();
    expect(e.warm).toBe(true);
    for (const row of [0, 30, 90, 200])
      for (let k = 0; k < e.horizons; k++) expect(e.handleFree[Math.min(row, e.handleBins) * e.horizons + k]).toBeLessThan(1e-6);
    // 25 s into a 30-s wrap-up: free by every horizon whose h + 2 s reaches the 5 s left, never before.
    for (let k = 0; k < e.horizons; k++) {
      const tau = (e.horizonMs[k] as number) + 2_000;
      if (tau > 5_500) expect(e.wrapFree[25 * e.horizons + k]).toBeGreaterThan(0.99);
      if (tau < 4_500) expect(e.wrapFree[25 * e.horizons + k]).toBeLessThan(0.01);
    }
    // The walk's steps start at 0 and are never more than the 2-s grace apart before the quantiles.
    expect(e.horizonMs[0]).toBe(0);
    for (let k = 1; k < e.horizons; k++)
      expect((e.horizonMs[k] as number) - (e.horizonMs[k - 1] as number)).toBeLessThanOrEqual(2_000 + 1e-6);
  });

  it('with no wrap-up, frees an agent on a call with 1 − S(a+τ)/S(a) of the talk time', () => {
    const est = new PacingEstimators({ rebuildEvery: 1 });
    for (let i = 0; i < 400; i++)
      est.observeAttempt({ outcome: i % 3 === 0 ? 'human' : 'failed', answerDelayMs: 10_000, durationMs: 20_000 });
    // Exact exponential quantiles in a scrambled order (the estimators weigh recent calls more).
    const n = 4_000;
    for (let i = 0; i < n; i++) est.observeWork({ talkMs: -90_000 * Math.log(1 - (((i * 7_919) % n) + 0.5) / n), wrapMs: 0 });
    const e = est.estimates();
    for (const row of [0, 60, 180])
      for (let k = 0; k < e.horizons; k++) {
        const tau = (e.horizonMs[k] as number) + 2_000;
        expect(Math.abs((e.handleFree[row * e.horizons + k] as number) - (1 - Math.exp(-tau / 90_000)))).toBeLessThan(0.02);
      }
  });

  it('follows a drifting live rate (35% → 15%) within a few half-lives', () => {
    const est = new PacingEstimators({ halfLifeAttempts: 200, rebuildEvery: 1 });
    const feed = (p: number, n: number) => {
      for (let i = 0; i < n; i++) {
        const live = (i * p) % 1 >= 1 - p;
        est.observeAttempt(live ? { outcome: 'human', answerDelayMs: 8_000, durationMs: 8_000 } : { outcome: 'busy', durationMs: 10_000 });
        if (live) est.observeWork({ talkMs: 60_000 });
      }
    };
    feed(0.35, 3_000);
    expect(est.estimates().liveProbability).toBeCloseTo(0.35, 1);
    feed(0.15, 1_000);
    expect(est.estimates().liveProbability).toBeCloseTo(0.15, 1);
  });

  it('rejects bad options naming the field', () => {
    try {
      new PacingEstimators({ halfLifeAttempts: -1 });
      expect.unreachable();
    } catch (error) {
      expect(isPacelineError(error) && error.code).toBe('E_INVALID_CONFIG');
      expect(String(error)).toContain('estimators.halfLifeAttempts');
    }
  });
});

describe('abandon governor', () => {
  const options = parseAbandonGovernorOptions({});
  const window = fc.record({ liveAnswers: fc.integer({ min: 0, max: 100_000 }), share: fc.double({ min: 0, max: 0.1, noNaN: true }) });

  it('never allows more than maxBoost × the steered rate, and falls back at fallbackAt × target', () => {
    fc.assert(
      fc.property(window, fc.double({ min: 0.001, max: 0.03, noNaN: true }), ({ liveAnswers, share }, target) => {
        const abandoned = Math.floor(liveAnswers * share);
        const v = governAbandons({ liveAnswers, abandoned, windowMs: 1 }, target, options);
        expect(v.allowedRate).toBeLessThanOrEqual(target * (1 - options.margin) * options.maxBoost + 1e-12);
        if (abandoned / Math.max(liveAnswers, options.minLiveAnswers) >= options.fallbackAt * target) expect(v.mode).toBe('fallback');
        if (v.mode === 'fallback') expect(v.allowedRate).toBe(0);
      }),
    );
  });

  it('tightens monotonically: one more abandon never allows more', () => {
    fc.assert(
      fc.property(window, ({ liveAnswers, share }) => {
        const abandoned = Math.floor(liveAnswers * share);
        const a = governAbandons({ liveAnswers, abandoned, windowMs: 1 }, 0.03, options).allowedRate;
        const b = governAbandons({ liveAnswers, abandoned: abandoned + 1, windowMs: 1 }, 0.03, options).allowedRate;
        expect(b).toBeLessThanOrEqual(a + 1e-15);
      }),
    );
  });
});
