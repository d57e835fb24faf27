// issue-22 small: the exact walk with supply groups (agents who free at most once) against brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LaunchRisk } from '../src/launch-risk';
import { largestWithinMarginalPrice } from '../src/marginal-launch';

interface Picture {
  readonly K: number;
  readonly ready: number;
  readonly waiting: number;
  /** Demand Bernoullis: (step, chance). */
  readonly demand: readonly { k: number; q: number }[];
  /** Identical agents of one group: count and chance of freeing in each step (Σ ≤ 1). */
  readonly agents: number;
  readonly freeByStep: readonly number[];
  readonly newLive: readonly number[];
}

function walk(p: Picture, n: number): number {
  const risk = new LaunchRisk();
  risk.reset(p.K, true);
  for (let k = 0; k < p.K; k++) risk.newLive[k] = p.newLive[k] as number;
  risk.addCertain(0, p.ready, 1);
  risk.addCertain(0, p.waiting, -1);
  for (const d of p.demand) risk.addBernoulli(d.k, d.q, -1);
  risk.addGroup(
    p.agents,
    p.freeByStep.map((q) => q * p.agents),
  );
  risk.seal();
  return risk.totalAbandons(n);
}

/** Every outcome: each demand term, the step (or none) each agent frees in and each new call answers in. */
function bruteForce(p: Picture, n: number): number {
  const K = p.K;
  const never = 1 - p.freeByStep.reduce((a, b) => a + b, 0);
  const silent = 1 - p.newLive.reduce((a, b) => a + b, 0);
  let expected = 0;
  const items = p.agents + n;
  for (let mask = 0; mask < 1 << p.demand.length; mask++)
    for (let pattern = 0; pattern < (K + 1) ** items; pattern++) {
      let weight = 1;
      const net = new Array<number>(K).fill(0);
      net[0] = p.ready - p.waiting;
      p.demand.forEach((d, i) => {
        const hit = (mask >> i) & 1;
        weight *= hit ? d.q : 1 - d.q;
        if (hit) net[d.k] = (net[d.k] as number) - 1;
      });
      for (let item = 0, code = pattern; item < items; item++, code = Math.floor(code / (K + 1))) {
        const step = code % (K + 1);
        const agent = item < p.agents;
        if (step === K) weight *= agent ? never : silent;
        else {
          weight *= agent ? (p.freeByStep[step] as number) : (p.newLive[step] as number);
          net[step] = (net[step] as number) + (agent ? 1 : -1);
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
      demand: r.demand.map((d) => ({ k: Math.min(d.k, r.K - 1), q: d.q })),
      agents: r.agents,
      freeByStep: split(r.freeTotal, r.freeParts.slice(0, r.K)),
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
      demand: [
        { k: 1, q: 1 },
        { k: 1, q: 1 },
      ],
      agents: 1,
      freeByStep: [1, 0],
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
          const risk = new LaunchRisk();
          risk.reset(picture.K, true);
          for (let k = 0; k < picture.K; k++) risk.newLive[k] = picture.newLive[k] as number;
          risk.addCertain(0, picture.ready, 1);
          risk.addCertain(0, picture.waiting, -1);
          for (const d of picture.demand) risk.addBernoulli(d.k, d.q, -1);
          risk.addGroup(
            picture.agents,
            picture.freeByStep.map((q) => q * picture.agents),
          );
          risk.seal();
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
