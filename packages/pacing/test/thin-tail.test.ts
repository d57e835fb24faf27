// issue 22 (22-est3): the on-call / wrap-up tables shrunk where the data are thin
// (`workPriorEvents`, opt-in). Property-tested: the shrunk conditional survival is a survival
// (1 at 0, non-increasing, in [0, 1]) within the Gamma–Poisson weight of the raw curve; with no
// prior it is the raw curve; on few exponential samples it is nearer the truth than the raw
// curve; the estimators' tables with the option off are the default's bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecayingHistogram, PacingEstimators } from '../src/index';
import { shrunkConditionalSurvival } from '../src/thin-tail';
import { curveOf, expectMixtureOfRaw, opts, rawWeight, rng, shrinkCaseArb } from './work-tables';

describe('thin-tail shrinkage (issue 22, 22-est3)', () => {
  it('effectiveCount is (Σw)²/Σw² of the geometric weights, and the count with no decay', () => {
    for (const [n, halfLife] of [
      [1, 400],
      [37, 400],
      [900, 400],
      [5_000, 50],
    ] as const) {
      const h = new DecayingHistogram(1_000, 10_000, halfLife);
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        h.add(1_000);
        const w = 2 ** (i / halfLife);
        s1 += w;
        s2 += w * w;
      }
      expect(h.effectiveCount()).toBeCloseTo((s1 * s1) / s2, 6);
    }
    const flat = new DecayingHistogram(1_000, 10_000, Number.POSITIVE_INFINITY);
    for (let i = 0; i < 123; i++) flat.add(i * 10);
    expect(flat.effectiveCount()).toBe(123);
  });

  it('with no prior it is the raw conditional survival S(a+u)/S(a)', () => {
    const r = rng(7);
    const { curve, n } = curveOf(Array.from({ length: 200 }, () => -150_000 * Math.log(1 - r())));
    for (const a of [0, 60_000, 200_000]) {
      const R = shrunkConditionalSurvival(curve, n, a, opts(0));
      for (let j = 0; j < R.length; j++) expect(R[j]).toBeCloseTo(curve.at(a + j * 250) / curve.at(a), 12);
    }
  });

  it('fast-check: a survival within the weight e/(e+prior) of the raw curve', () => {
    fc.assert(
      fc.property(shrinkCaseArb, (c) => {
        const R = shrunkConditionalSurvival(c.curve, c.n, c.a, opts(c.prior));
        expectMixtureOfRaw(R, c.curve, c.a, rawWeight(c));
      }),
      { seed: 2206, numRuns: 60 },
    );
  });

  it('on few exponential samples, its 10-s free probability is nearer the truth than the raw one', () => {
    // 60 talk samples (mean 150 s): agents 0–400 s into a call; truth 1 − e^(−10/150).
    const truth = 1 - Math.exp(-10 / 150);
    let rawSq = 0;
    let shrunkSq = 0;
    let cases = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const { curve, n } = curveOf(Array.from({ length: 60 }, () => -150_000 * Math.log(1 - r())));
      for (let a = 0; a <= 400_000; a += 50_000) {
        const sa = curve.at(a);
        if (sa <= 1e-9) continue;
        const raw = 1 - curve.at(a + 10_000) / sa;
        const R = shrunkConditionalSurvival(curve, n, a, { priorEvents: 10, maxMs: 20_000, stepMs: 250 });
        const shrunk = 1 - (R[40] as number);
        rawSq += (raw - truth) ** 2;
        shrunkSq += (shrunk - truth) ** 2;
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(200);
    // Measured: the shrunk error is a fraction of the raw one; half is a wide bound.
    expect(shrunkSq).toBeLessThan(0.5 * rawSq);
  });

  it('estimators: workPriorEvents 0 leaves every table the default bit for bit; > 0 keeps them probabilities, monotone in the horizon', () => {
    const feed = (e: PacingEstimators, seed: number) => {
      const r = rng(seed);
      for (let i = 0; i < 600; i++) {
        const d = -12_000 * Math.log(1 - r());
        e.observeAttempt(
          r() < 0.25 ? { outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d } : { outcome: 'failed', durationMs: d },
        );
        if (i % 3 === 0) e.observeWork({ talkMs: -150_000 * Math.log(1 - r()), wrapMs: -20_000 * Math.log(1 - r()) });
      }
    };
    const base = new PacingEstimators();
    const off = new PacingEstimators({ workPriorEvents: 0 });
    const on = new PacingEstimators({ workPriorEvents: 10 });
    feed(base, 3);
    feed(off, 3);
    feed(on, 3);
    const b = base.estimates();
    const o = off.estimates();
    const s = on.estimates();
    expect(b.warm).toBe(true);
    expect(Array.from(o.handleFree)).toEqual(Array.from(b.handleFree));
    expect(Array.from(o.wrapFree)).toEqual(Array.from(b.wrapFree));
    expect(Array.from(s.pendingLive)).toEqual(Array.from(b.pendingLive));
    expect(Array.from(s.handleFree)).not.toEqual(Array.from(b.handleFree));
    const K = s.horizons;
    for (const [table, rows] of [
      [s.handleFree, s.handleBins],
      [s.wrapFree, s.wrapBins],
    ] as const) {
      for (let i = 0; i <= rows; i++)
        for (let k = 0; k < K; k++) {
          const x = table[i * K + k] as number;
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          if (k > 0) expect(x).toBeGreaterThanOrEqual((table[i * K + k - 1] as number) - 1e-12);
        }
    }
  });
});
