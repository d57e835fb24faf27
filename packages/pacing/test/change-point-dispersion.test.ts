import { type Random, seededRandom } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChangePointRates } from '../src/change-point-rates';

/**
 * A large dialer's attempts in finish order (issue 22, 22-large): launches go out in bursts of 1 to
 * `maxBurst` calls; a burst's live answers come back first (~12 s) and its no-answers together at
 * the ring timeout, so the stream holds runs of ones then long runs of zeros (large-200's traces show
 * runs of 128 non-live attempts). Each attempt is live with `rate(i)` (i = the attempt's index),
 * independent of the others: only the order is bursty.
 */
function burstyStream(random: Random, length: number, maxBurst: number, rate: (i: number) => number): boolean[] {
  const out: boolean[] = [];
  while (out.length < length) {
    const size = 1 + Math.floor(random.next() * maxBurst);
    const p = rate(out.length);
    let live = 0;
    for (let j = 0; j < size; j++) if (random.next() < p) live++;
    for (let j = 0; j < size && out.length < length; j++) out.push(j < live);
  }
  return out;
}

function cutsOn(
  stream: readonly boolean[],
  options: ConstructorParameters<typeof ChangePointRates>[1] = {},
): { rates: ChangePointRates; cutAt: number[] } {
  const rates = new ChangePointRates(1, options);
  const cutAt: number[] = [];
  stream.forEach((live, i) => {
    if (rates.observe([live])) cutAt.push(i);
  });
  return { rates, cutAt };
}

describe('ChangePointRates on over-dispersed (bursty) attempts', () => {
  it('no false cut on a long stationary bursty day, where the plain Bernoulli test cuts', () => {
    let plainCuts = 0;
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 0.45, noNaN: true }),
        fc.integer({ min: 120, max: 240 }),
        fc.integer({ min: 1, max: 1e6 }),
        (p, maxBurst, seed) => {
          const stream = burstyStream(seededRandom(seed), 60_000, maxBurst, () => p);
          const scaled = cutsOn(stream);
          expect(scaled.rates.dispersion).toBeGreaterThan(3);
          expect(scaled.cutAt).toEqual([]);
          plainCuts += cutsOn(stream, { dispersionBlocks: 0 }).cutAt.length;
        },
      ),
      { numRuns: 12, seed: 22 },
    );
    // The same days fool the test without the dispersion (else this test could not fail).
    expect(plainCuts).toBeGreaterThan(12);
  });

  it('independent attempts keep the dispersion at 1: the test is the Bernoulli one', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.6, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (p, seed) => {
        const random = seededRandom(seed);
        const rates = new ChangePointRates(1);
        for (let i = 0; i < 20_000; i++) rates.observe([random.next() < p]);
        expect(rates.dispersion).toBeLessThan(1.25);
      }),
      { numRuns: 20, seed: 22 },
    );
  });

  it('a real step in a bursty stream (φ ≈ 1.7) is still cut within 800 attempts, median 600 (midday-drop’s 35% → 12% and back)', () => {
    for (const [from, to] of [
      [0.35, 0.12],
      [0.12, 0.35],
    ] as const) {
      const delays: number[] = [];
      for (let seed = 1; seed <= 15; seed++) {
        const stepAt = 20_000;
        const stream = burstyStream(seededRandom(seed), stepAt + 3_000, 40, (i) => (i < stepAt ? from : to));
        const { cutAt } = cutsOn(stream);
        const first = cutAt.find((i) => i >= stepAt);
        expect(cutAt.filter((i) => i < stepAt)).toEqual([]);
        delays.push(first === undefined ? Number.POSITIVE_INFINITY : first - stepAt);
      }
      delays.sort((a, b) => a - b);
      expect(delays[7]).toBeLessThanOrEqual(600);
      expect(delays[delays.length - 1]).toBeLessThanOrEqual(800);
    }
  });

  it('dispersionBlocks 0 is exactly the plain test (same cuts, same rates)', () => {
    const random = seededRandom(9);
    const stream = Array.from({ length: 8_000 }, (_, i) => random.next() < (i < 4_000 ? 0.4 : 0.15));
    const a = cutsOn(stream, { dispersionBlocks: 0 });
    const b = cutsOn(stream, { dispersionBlocks: 0 });
    expect(a.rates.dispersion).toBe(1);
    expect(a.cutAt).toEqual(b.cutAt);
    expect(a.cutAt.length).toBeGreaterThanOrEqual(1);
  });
});
