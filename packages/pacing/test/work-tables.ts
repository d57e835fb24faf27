// The work-table shrinkage tests' shared pieces (thin-tail.test.ts, 22-est3; shape-shrink.test.ts,
// 22-smooth3): a seeded uniform, a decaying-histogram curve of samples, the shrinkage options, and
// the mixture bound every shrunk table keeps.
import { seededRandom } from '@paceline/core';
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
