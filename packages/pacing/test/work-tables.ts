// The work-table shrinkage tests' shared pieces (thin-tail.test.ts, 22-est3; shape-shrink.test.ts,
// 22-smooth3): a seeded uniform, a decaying-histogram curve of samples, the shrinkage options, the
// property tests' cases, and the mixture bound every shrunk table keeps.
import { seededRandom } from '@paceline/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { DecayingHistogram, SurvivalCurve } from '../src/index';

/** A seeded uniform in [0, 1) (core's `seededRandom`). */
export function rng(seed: number): () => number {
  const random = seededRandom(seed);
  return () => random.next();
}

/** The survival curve of `samples` (ms) and its effective sample count. */
export function curveOf(samples: readonly number[], halfLife = 400): { curve: SurvivalCurve; n: number } {
  const h = new DecayingHistogram(1_000, 1_800_000, halfLife);
  for (const x of samples) h.add(x);
  return { curve: new SurvivalCurve(h), n: h.effectiveCount() };
}

/** The shrinkage's options: `priorEvents`, 20-s horizon, 250-ms steps. */
export const opts = (priorEvents: number) => ({ priorEvents, maxMs: 20_000, stepMs: 250 });

/** A shrinkage property's case: the samples (ms) and their curve, an age `a` (ms) the curve has not run out at, a prior (events). */
export interface ShrinkCase {
  readonly samples: readonly number[];
  readonly curve: SurvivalCurve;
  /** The curve's effective sample count. */
  readonly n: number;
  readonly a: number;
  /** S(a), > 1e-9. */
  readonly sa: number;
  readonly prior: number;
}

/** A sample of 0–15 min, ms. */
const sampleMs = fc.integer({ min: 0, max: 900_000 });

/**
 * 1–20 or 100–400 samples of 0–15 min, an age of 0–10 min with S(a) > 1e-9, a prior of 0.5–100
 * events. The long samples are there for the fitted shape: below ~50 samples every sample's bin is
 * an atom (`fitShape`: ≥ 2 % of the mass, 5× its neighbours) and no shape is fitted.
 */
export const shrinkCaseArb: fc.Arbitrary<ShrinkCase> = fc
  .tuple(
    fc.oneof(fc.array(sampleMs, { minLength: 1, maxLength: 20 }), fc.array(sampleMs, { minLength: 100, maxLength: 400 })),
    fc.integer({ min: 0, max: 600_000 }),
    fc.double({ min: 0.5, max: 100, noNaN: true }),
  )
  .map(([samples, a, prior]) => {
    const { curve, n } = curveOf(samples);
    return { samples, curve, n, a, sa: curve.at(a), prior };
  })
  .filter((c) => c.sa > 1e-9);

/** The weight e/(e + prior) of the raw curve: e the case's events within the 20-s horizon after `a`. */
export function rawWeight({ curve, n, a, sa, prior }: ShrinkCase): number {
  const events = n * (sa - curve.at(a + 20_000));
  return events / (events + prior);
}

/**
 * `R`, a table shrunk from the raw conditional survival S(a + u)/S(a) with weight `w` on the raw
 * one, is a survival (1 at 0, non-increasing, in [0, 1]) between w × raw and w × raw + (1 − w).
 */
export function expectMixtureOfRaw(R: Float64Array, curve: SurvivalCurve, a: number, w: number): void {
  const sa = curve.at(a);
  expect(R[0]).toBeCloseTo(1, 12);
  for (let j = 0; j < R.length; j++) {
    const x = R[j] as number;
    const raw = Math.min(1, Math.max(0, curve.at(a + j * 250) / sa));
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(1 + 1e-12);
    if (j > 0) expect(x).toBeLessThanOrEqual((R[j - 1] as number) + 1e-12);
    expect(x).toBeGreaterThanOrEqual(w * raw - 1e-12);
    expect(x).toBeLessThanOrEqual(w * raw + (1 - w) + 1e-12);
  }
}
