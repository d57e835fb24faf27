// issue 22 (22-smooth3): the small-team walk's work tables shrunk toward a fitted shape where the
// data are thin (`workShapePriorEvents`, opt-in). Property-tested: the fit finds the family and the
// distribution it was drawn from; the shrunk conditional survival is a survival (1 at 0,
// non-increasing, in [0, 1]) within the weight e/(e+prior) of the raw one; it converges to the raw
// (empirical) one as the data grow; it is deterministic; on few samples it is nearer the truth than
// the raw one for exponential AND lognormal times (the constant-hazard shrinkage of 22-est3 is not,
// on lognormal ones); the estimators' default tables are untouched and the small-team tables are
// probabilities, monotone in the horizon.
import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessLaunch, type ObservedAgent, PacingEstimators } from '../src/index';
import { normalCdf } from '../src/normal';
import { fitShape, shapeShrunkConditionalSurvival, shrunkConditionalSurvival } from '../src/thin-tail';
import { observedAgent, smallTeamState } from './support';
import { curveOf, expectMixtureOfRaw, opts, rawWeight, rng, shrinkCaseArb } from './work-tables';

const exponential = (r: () => number, meanMs: number) => -meanMs * Math.log(1 - r());
/** Lognormal with this mean and coefficient of variation (Box–Muller). */
function lognormal(r: () => number, meanMs: number, cv: number): number {
  const s2 = Math.log(1 + cv * cv);
  const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Math.exp(Math.log(meanMs) - s2 / 2 + Math.sqrt(s2) * z);
}
/** Exact survival of that lognormal (core's normal CDF). */
function lognormalSurvival(t: number, meanMs: number, cv: number): number {
  if (t <= 0) return 1;
  const s2 = Math.log(1 + cv * cv);
  return 1 - normalCdf((Math.log(t) - (Math.log(meanMs) - s2 / 2)) / Math.sqrt(s2));
}

describe('shape-keeping shrinkage (issue 22, 22-smooth3)', () => {
  it('the fit picks the family and the distribution the samples came from', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = rng(seed);
      const exp = fitShape(
        curveOf(
          Array.from({ length: 3_000 }, () => exponential(r, 150_000)),
          Infinity,
        ).curve.binned(),
      );
      const logn = fitShape(
        curveOf(
          Array.from({ length: 3_000 }, () => lognormal(r, 150_000, 0.8)),
          Infinity,
        ).curve.binned(),
      );
      expect(exp?.family).toBe('weibull');
      expect(logn?.family).toBe('lognormal');
      for (const t of [10_000, 60_000, 150_000, 300_000, 500_000]) {
        expect(Math.abs((exp?.survival(t) ?? 0) - Math.exp(-t / 150_000))).toBeLessThan(0.03);
        expect(Math.abs((logn?.survival(t) ?? 0) - lognormalSurvival(t, 150_000, 0.8))).toBeLessThan(0.03);
      }
    }
    expect(fitShape({ binMs: 1_000, masses: [0, 0, 1, 0] })).toBeUndefined();
    expect(fitShape({ binMs: 1_000, masses: [] })).toBeUndefined();
  });

  it('keeps an atom as it is and fits the body around it (8% of the calls at exactly 6 s, the rest lognormal)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = rng(seed);
      const { curve } = curveOf(
        Array.from({ length: 3_000 }, () => (r() < 0.08 ? 6_000 : lognormal(r, 150_000, 0.8))),
        Infinity,
      );
      const shape = fitShape(curve.binned());
      expect(shape?.family).toBe('lognormal');
      const truth = (t: number) => 0.08 * Math.min(1, Math.max(0, (7_000 - t) / 1_000)) + 0.92 * lognormalSurvival(t, 150_000, 0.8);
      for (const t of [3_000, 6_500, 7_000, 30_000, 60_000, 150_000, 300_000, 500_000])
        expect(Math.abs((shape?.survival(t) ?? 0) - truth(t))).toBeLessThan(0.03);
    }
  });

  it('fast-check: a survival within the weight e/(e+prior) of the raw curve, and deterministic', () => {
    fc.assert(
      fc.property(shrinkCaseArb, (c) => {
        const { curve, n, a, prior } = c;
        const shape = fitShape(curve.binned());
        const R = shapeShrunkConditionalSurvival(curve, n, shape, a, opts(prior));
        // Deterministic: the same data give the same fit and the same table, bit for bit.
        const again = shapeShrunkConditionalSurvival(
          curveOf(c.samples).curve,
          n,
          fitShape(curveOf(c.samples).curve.binned()),
          a,
          opts(prior),
        );
        expect(Array.from(again)).toEqual(Array.from(R));
        expectMixtureOfRaw(R, curve, a, shape !== undefined && shape.survival(a) > 1e-12 ? rawWeight(c) : 1);
      }),
      { seed: 2207, numRuns: 60 },
    );
  });

  it('fast-check: it converges to the empirical conditional survival as the data grow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), (seed, logn) => {
        const r = rng(seed);
        const draw = () => (logn ? lognormal(r, 150_000, 0.8) : exponential(r, 150_000));
        const all = Array.from({ length: 40_000 }, draw);
        let last = Number.POSITIVE_INFINITY;
        for (const n of [100, 2_000, 40_000]) {
          const { curve, n: e } = curveOf(all.slice(0, n), Infinity);
          const shape = fitShape(curve.binned());
          let worst = 0;
          for (const a of [0, 60_000, 150_000]) {
            const sa = curve.at(a);
            if (sa <= 1e-9) continue;
            const R = shapeShrunkConditionalSurvival(curve, e, shape, a, opts(30));
            for (let j = 0; j < R.length; j++) worst = Math.max(worst, Math.abs((R[j] as number) - curve.at(a + j * 250) / sa));
          }
          expect(worst).toBeLessThanOrEqual(last + 1e-12);
          last = worst;
        }
        expect(last).toBeLessThan(0.005);
      }),
      { seed: 2208, numRuns: 8 },
    );
  });

  it('on few samples its 10-s free probability is nearer the truth than the raw one — exponential and lognormal', () => {
    // 60 samples, mean 150 s; agents 0–400 s into a call. Truth: the generating distribution's.
    const cases: { name: string; draw: (r: () => number) => number; surv: (t: number) => number }[] = [
      { name: 'exponential', draw: (r) => exponential(r, 150_000), surv: (t) => Math.exp(-t / 150_000) },
      { name: 'lognormal', draw: (r) => lognormal(r, 150_000, 0.8), surv: (t) => lognormalSurvival(t, 150_000, 0.8) },
    ];
    const sq = { raw: 0, shape: 0, hazard: 0 };
    const lognormalSq = { raw: 0, shape: 0, hazard: 0 };
    for (const c of cases) {
      for (let seed = 1; seed <= 40; seed++) {
        const r = rng(seed);
        const { curve, n } = curveOf(Array.from({ length: 60 }, () => c.draw(r)));
        const shape = fitShape(curve.binned());
        for (let a = 0; a <= 400_000; a += 50_000) {
          const sa = curve.at(a);
          if (sa <= 1e-9) continue;
          const truth = 1 - c.surv(a + 10_000) / c.surv(a);
          const raw = 1 - curve.at(a + 10_000) / sa;
          const shaped = 1 - (shapeShrunkConditionalSurvival(curve, n, shape, a, opts(30))[40] as number);
          const hazard = 1 - (shrunkConditionalSurvival(curve, n, a, opts(30))[40] as number);
          const into = c.name === 'lognormal' ? lognormalSq : sq;
          into.raw += (raw - truth) ** 2;
          into.shape += (shaped - truth) ** 2;
          into.hazard += (hazard - truth) ** 2;
        }
      }
    }
    // Exponential: both shrinkages beat the raw table by far.
    expect(sq.shape).toBeLessThan(0.5 * sq.raw);
    // Lognormal: the fitted shape beats the raw table, and beats the constant hazard.
    expect(lognormalSq.shape).toBeLessThan(0.5 * lognormalSq.raw);
    expect(lognormalSq.shape).toBeLessThan(lognormalSq.hazard);
  });

  it('estimators: workShapePriorEvents 0 gives no small-team tables and the default ones bit for bit; > 0 small-team tables are probabilities, monotone in the horizon', () => {
    const feed = (e: PacingEstimators, seed: number) => {
      const r = rng(seed);
      for (let i = 0; i < 600; i++) {
        const d = exponential(r, 12_000);
        e.observeAttempt(
          r() < 0.25 ? { outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d } : { outcome: 'failed', durationMs: d },
        );
        if (i % 3 === 0) e.observeWork({ talkMs: lognormal(r, 150_000, 0.8), wrapMs: lognormal(r, 20_000, 0.5) });
      }
    };
    const base = new PacingEstimators();
    const on = new PacingEstimators({ workShapePriorEvents: 30 });
    feed(base, 3);
    feed(on, 3);
    const b = base.estimates();
    const s = on.estimates();
    expect(b.warm).toBe(true);
    expect(b.handleFreeSmall).toBeUndefined();
    expect(b.wrapFreeSmall).toBeUndefined();
    expect(Array.from(s.handleFree)).toEqual(Array.from(b.handleFree));
    expect(Array.from(s.wrapFree)).toEqual(Array.from(b.wrapFree));
    const handle = s.handleFreeSmall as Float64Array;
    const wrap = s.wrapFreeSmall as Float64Array;
    expect(handle.length).toBe(b.handleFree.length);
    expect(wrap.length).toBe(b.wrapFree.length);
    expect(Array.from(handle)).not.toEqual(Array.from(b.handleFree));
    expect(Array.from(wrap)).not.toEqual(Array.from(b.wrapFree));
    const K = s.horizons;
    for (const [table, rows] of [
      [handle, s.handleBins],
      [wrap, s.wrapBins],
    ] as const) {
      for (let i = 0; i <= rows; i++)
        for (let k = 0; k < K; k++) {
          const x = table[i * K + k] as number;
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          if (k > 0) expect(x).toBeGreaterThanOrEqual((table[i * K + k - 1] as number) - 1e-12);
        }
    }
  }, 120_000); // a table build is ~1 s of CPU, 20+ s on the shared machine under load

  it('the walk reads the small-team tables only where it walks each agent (< 6 logged in)', () => {
    const est = new PacingEstimators({ workShapePriorEvents: 30 });
    const r = rng(11);
    for (let i = 0; i < 600; i++) {
      const d = exponential(r, 12_000);
      est.observeAttempt(
        r() < 0.25 ? { outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d } : { outcome: 'failed', durationMs: d },
      );
      if (i % 3 === 0) est.observeWork({ talkMs: lognormal(r, 150_000, 0.8), wrapMs: lognormal(r, 20_000, 0.5) });
    }
    const shaped = est.estimates();
    // The same snapshot without the small-team tables: what the walk reads with the option off.
    const raw = { ...shaped, handleFreeSmall: undefined, wrapFreeSmall: undefined };
    const small: ObservedAgent[] = [];
    expect(assessLaunch(smallTeamState(shaped, small), 2).expectedAbandons).not.toBe(
      assessLaunch(smallTeamState(raw, small), 2).expectedAbandons,
    );
    const six = [observedAgent(5, AgentState.NotReady, 60_000), observedAgent(6, AgentState.OnCall, 20_000)];
    expect(assessLaunch(smallTeamState(shaped, six), 2)).toEqual(assessLaunch(smallTeamState(raw, six), 2));
  });
});
