import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LaunchRisk } from '../src/launch-risk';
import { bruteForce, fillRisk, type Picture, pictureArb, type Term } from './walk-picture'; // tidy: shared with supply-groups and inbound-demand

const build = (picture: Picture, exact: boolean): LaunchRisk => fillRisk(new LaunchRisk(), picture, exact);

describe('the exact walk', () => {
  it('equals brute-force enumeration of every outcome, with and without new calls', () => {
    fc.assert(
      fc.property(pictureArb(4, 8), fc.integer({ min: 0, max: 2 }), (picture, n) => {
        const risk = build(picture, true);
        const want = bruteForce(picture, n);
        expect(risk.totalAbandons(n)).toBeCloseTo(want, 10);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the first extra call 0 risk when a ready agent waits and nothing is in flight', () => {
    // One ready agent, four busy ones (each may free): the old normal model put 26–29% on "no agent".
    const risk = new LaunchRisk();
    risk.reset(4, true);
    for (let k = 0; k < 4; k++) risk.newLive[k] = 0.25 / 4;
    risk.addCertain(0, 1, 1);
    for (let a = 0; a < 4; a++) for (let k = 0; k < 4; k++) risk.addBernoulli(k, 0.02, 1);
    risk.seal();
    expect(risk.launchAbandons(1)).toBe(0);
    expect(risk.launchAbandons(2)).toBeGreaterThan(0);
  });

  it('an extra call never lowers expected abandons, and each costs at least as much as the one before', () => {
    fc.assert(
      fc.property(pictureArb(4, 30), (picture) => {
        const risk = build(picture, true);
        let before = risk.totalAbandons(0);
        let step = 0;
        for (let n = 1; n <= 6; n++) {
          const now = risk.totalAbandons(n);
          expect(now).toBeGreaterThanOrEqual(before - 1e-12);
          expect(now - before).toBeGreaterThanOrEqual(step - 1e-9);
          step = now - before;
          before = now;
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('the normal walk', () => {
  it('agrees with the exact walk where it is used: many terms, each step several calls of spread', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 160 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.double({ min: 0.02, max: 0.5, noNaN: true }), { minLength: 400, maxLength: 400 }),
        (terms, ready, qs) => {
          const picture: Picture = {
            K: 4,
            ready,
            waiting: 0,
            terms: Array.from({ length: terms }, (_, i) => ({ k: i % 4, q: qs[i] as number, sign: i % 2 === 0 ? 1 : -1 }) as Term),
            newLive: [0.08, 0.08, 0.08, 0.08],
          };
          const exact = build(picture, true);
          const normal = build(picture, false);
          for (const n of [1, 4, 12]) {
            const e = exact.launchAbandons(n);
            const g = normal.launchAbandons(n);
            // Within 10% of the exact value, or 0.01 abandons when both are tiny.
            expect(Math.abs(g - e)).toBeLessThanOrEqual(Math.max(0.1 * e, 0.01 * n));
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
