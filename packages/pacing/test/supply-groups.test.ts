// issue-22 small: the exact walk with supply groups (agents who free at most once) against brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LaunchRisk } from '../src/launch-risk';
import { largestWithinMarginalPrice } from '../src/marginal-launch';
import { bruteForce, fillRisk, type Picture } from './walk-picture';

// tidy: the picture, its set-up and the brute force are launch-risk.test.ts's (walk-picture.ts), with one supply group.
const walk = (p: Picture, n: number): number => fillRisk(new LaunchRisk(), p, true).totalAbandons(n);

const split = (total: number, parts: readonly number[]) => {
  const sum = parts.reduce((a, b) => a + b, 0) || 1;
  return parts.map((x) => (total * x) / sum);
};

const pictureArb = fc
  .record({
    K: fc.integer({ min: 1, max: 3 }),
    ready: fc.integer({ min: 0, max: 2 }),
    waiting: fc.integer({ min: 0, max: 1 }),
    demand: fc.array(fc.record({ k: fc.integer({ min: 0, max: 2 }), q: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }), {
      maxLength: 3,
    }),
    agents: fc.integer({ min: 1, max: 3 }),
    freeTotal: fc.double({ min: 0.05, max: 1, noNaN: true }),
    freeParts: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
    liveTotal: fc.double({ min: 0.05, max: 1, noNaN: true }),
    liveParts: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
  })
  .map(
    (r): Picture => ({
      K: r.K,
      ready: r.ready,
      waiting: r.waiting,
      terms: r.demand.map((d) => ({ k: Math.min(d.k, r.K - 1), q: d.q, sign: -1 })), // demand Bernoullis
      groups: [{ count: r.agents, freeByStep: split(r.freeTotal, r.freeParts.slice(0, r.K)) }], // identical agents
      newLive: split(r.liveTotal, r.liveParts.slice(0, r.K)),
    }),
  );

describe('the exact walk with supply groups', () => {
  it('equals brute-force enumeration for identical agents who each free at most once', () => {
    fc.assert(
      fc.property(pictureArb, fc.integer({ min: 0, max: 2 }), (picture, n) => {
        expect(walk(picture, n)).toBeCloseTo(bruteForce(picture, n), 9);
      }),
      { numRuns: 150 },
    );
  });

  it('frees an agent once: one busy agent, sure to free in step 0, covers one caller, not two', () => {
    const picture: Picture = {
      K: 2,
      ready: 0,
      waiting: 0,
      terms: [
        { k: 1, q: 1, sign: -1 },
        { k: 1, q: 1, sign: -1 },
      ],
      groups: [{ count: 1, freeByStep: [1, 0] }],
      newLive: [0, 0],
    };
    expect(walk(picture, 0)).toBeCloseTo(1, 12);
  });
});

describe('the marginal launch price (opt-in)', () => {
  it('launches from the floor while the last call’s own marginal abandons fit allowed × P(live), and not one more', () => {
    fc.assert(
      fc.property(
        pictureArb,
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 4 }),
        (picture, allowed, floor, extra) => {
          const risk = fillRisk(new LaunchRisk(), picture, true);
          const pLive = picture.newLive.reduce((a, b) => a + b, 0);
          const room = floor + extra;
          const n = largestWithinMarginalPrice(risk, pLive, allowed, room, floor);
          expect(n).toBeGreaterThanOrEqual(floor);
          expect(n).toBeLessThanOrEqual(room);
          const price = allowed * pLive;
          for (let m = floor + 1; m <= n; m++) expect(risk.totalAbandons(m) - risk.totalAbandons(m - 1)).toBeLessThanOrEqual(price + 1e-12);
          if (n < room) expect(risk.totalAbandons(n + 1) - risk.totalAbandons(n)).toBeGreaterThan(price);
        },
      ),
      { numRuns: 100 },
    );
  });
});
