import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LaunchRisk } from '../src/launch-risk';

/** One random term of a picture: a Bernoulli (or a certain count) in step k, supply (+1) or demand (−1). */
interface Term {
  readonly k: number;
  readonly q: number;
  readonly sign: 1 | -1;
}

interface Picture {
  readonly K: number;
  readonly ready: number;
  readonly waiting: number;
  readonly terms: readonly Term[];
  readonly newLive: readonly number[];
}

function build(picture: Picture, exact: boolean): LaunchRisk {
  const risk = new LaunchRisk();
  risk.reset(picture.K, exact);
  for (let k = 0; k < picture.K; k++) risk.newLive[k] = picture.newLive[k] as number;
  risk.addCertain(0, picture.ready, 1);
  risk.addCertain(0, picture.waiting, -1);
  for (const t of picture.terms) risk.addBernoulli(t.k, t.q, t.sign);
  risk.seal();
  return risk;
}

/**
 * The walk by brute force: every outcome of every Bernoulli term, every step (or none) each
 * new call is live in, its probability, and the idle agents stepped through one by one.
 */
function bruteForce(picture: Picture, n: number): number {
  const all = picture.terms;
  const K = picture.K;
  const none = 1 - picture.newLive.reduce((a, b) => a + b, 0);
  let expected = 0;
  for (let mask = 0; mask < 1 << all.length; mask++)
    for (let pattern = 0; pattern < (K + 1) ** n; pattern++) {
      let weight = 1;
      const net = new Array<number>(K).fill(0);
      net[0] = picture.ready - picture.waiting;
      all.forEach((t, i) => {
        const hit = (mask >> i) & 1;
        weight *= hit ? t.q : 1 - t.q;
        if (hit) net[t.k] = (net[t.k] as number) + t.sign;
      });
      for (let call = 0, code = pattern; call < n; call++, code = Math.floor(code / (K + 1))) {
        const step = code % (K + 1);
        if (step === K) weight *= none;
        else {
          weight *= picture.newLive[step] as number;
          net[step] = (net[step] as number) - 1;
        }
      }
      let idle = 0;
      let lost = 0;
      for (let k = 0; k < K; k++) {
        const x = idle + (net[k] as number);
        if (x < 0) lost -= x;
        idle = Math.max(0, x);
      }
      expected += weight * lost;
    }
  return expected;
}

const probability = fc.double({ min: 0.01, max: 0.99, noNaN: true });
const pictureArb = (maxTerms: number): fc.Arbitrary<Picture> =>
  fc.integer({ min: 1, max: 4 }).chain((K) =>
    fc.record({
      K: fc.constant(K),
      ready: fc.integer({ min: 0, max: 3 }),
      waiting: fc.integer({ min: 0, max: 2 }),
      terms: fc.array(fc.record({ k: fc.integer({ min: 0, max: K - 1 }), q: probability, sign: fc.constantFrom<1 | -1>(1, -1) }), {
        maxLength: maxTerms,
      }),
      newLive: fc.array(fc.double({ min: 0, max: 0.24, noNaN: true }), { minLength: K, maxLength: K }),
    }),
  );

describe('the exact walk', () => {
  it('equals brute-force enumeration of every outcome, with and without new calls', () => {
    fc.assert(
      fc.property(pictureArb(8), fc.integer({ min: 0, max: 2 }), (picture, n) => {
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
      fc.property(pictureArb(30), (picture) => {
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
