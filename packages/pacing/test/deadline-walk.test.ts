// issue-23 23-peak: the inbound walk under the router's deadline rule (docs/blending.md "Eleventh session").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEADLINE_GRACE_MS, inboundFirstSteps } from '../src/blend/deadline-steps';
import { type InboundDemand, InboundLaunchRisk } from '../src/blend/inbound-launch-risk';
import {
  fillRisk,
  type InboundStepRule,
  inboundBruteForce,
  inboundFirstRule,
  type InboundPicture as Picture,
  pictureOf,
} from './walk-picture';

const TARGET_MS = 20_000;

function walk(picture: Picture, demand: InboundDemand, exact = true): InboundLaunchRisk {
  const risk = new InboundLaunchRisk();
  risk.demand = demand;
  risk.horizonMs = Float64Array.from(picture.horizonMs);
  return fillRisk(risk, picture, exact);
}

/**
 * The router's order per step, for the brute force: a step marked inbound first is the plain
 * inbound walk's; otherwise Y₁ = Y − I; Y₁ ≥ 0: X = Y₁ + S − O; Y₁ < 0: the supply serves the
 * outbound answers first, X = S − O, Y = Y₁ + X⁺.
 */
const deadlineRule =
  (first: readonly boolean[]): InboundStepRule =>
  (k, y, s, inbound, o) => {
    if (first[k] !== false) return inboundFirstRule(k, y, s, inbound, o);
    const y1 = y - inbound;
    const x = Math.max(0, y1) + s - o;
    return { y: Math.min(0, y1) + Math.max(0, x), lost: Math.max(0, -x) };
  };

/** Horizons from 0 with gaps up to `maxGapMs`. */
const horizonsArb = (K: number, maxGapMs: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.integer({ min: 1, max: maxGapMs }), { minLength: K, maxLength: K })
    .map((gaps) => gaps.map((_, i) => (i === 0 ? 0 : gaps.slice(1, i + 1).reduce((a, b) => a + b, 0))));

const pictureArb = (maxK: number, maxTerms: number, maxGapMs = 2_500): fc.Arbitrary<Picture> =>
  fc
    .integer({ min: 1, max: maxK })
    .chain((K) => fc.tuple(pictureOf(K, maxTerms), horizonsArb(K, maxGapMs)).map(([picture, horizonMs]) => ({ ...picture, horizonMs })));

const deadlineDemand = (perSecond: number, queuedWaitMs: readonly number[]): InboundDemand => ({
  arrivalsPerSecond: perSecond,
  queued: queuedWaitMs.length,
  routing: 'deadline',
  answerTargetMs: TARGET_MS,
  queuedWaitMs,
});

describe('inboundFirstSteps: the steps a waiting inbound caller may be routed ahead in', () => {
  it('never clears a step in which the router could route a waiting caller ahead of the step’s outbound answer', () => {
    // The router (InboundQueue `deadline`, the engine's chooseFlow): an agent freeing at t takes
    // the inbound caller ahead of an outbound caller waiting since a iff t < d_in ≤ a + grace.
    // In step k the outbound answers come in (h_{k−1}, h_k] (step 0: at 0) and the agents free by
    // h_k + grace; callers queued now have d_in = target − wait, callers arriving at u ≥ 0 during
    // the walk d_in = u + target.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }).chain((K) => horizonsArb(K, 3_000)),
        fc.array(fc.integer({ min: 0, max: 40_000 }), { maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (horizonMs, waits, fa, ft, fu) => {
          const first = inboundFirstSteps(horizonMs, waits.length, waits, TARGET_MS, DEADLINE_GRACE_MS);
          const h = horizonMs[horizonMs.length - 1] as number;
          for (let k = 0; k < horizonMs.length; k++) {
            if (first[k] !== false) continue;
            const hk = horizonMs[k] as number;
            const before = k === 0 ? 0 : (horizonMs[k - 1] as number);
            // An outbound answer a in the step, an agent freeing at t in [a, a + grace] (no later than h_k + grace).
            const a = k === 0 ? 0 : before + fa * (hk - before) + 1e-9;
            const t = a + ft * Math.min(DEADLINE_GRACE_MS, hk + DEADLINE_GRACE_MS - a);
            const ahead = (dIn: number) => t < dIn && dIn <= a + DEADLINE_GRACE_MS;
            for (const w of waits) expect(ahead(TARGET_MS - w)).toBe(false);
            // A caller arriving during the walk, at u in [0, h_k].
            expect(ahead(fu * Math.min(h, hk) + TARGET_MS)).toBe(false);
            // No caller queued now is due anywhere in the step's window, its edges included.
            for (const w of waits) expect(TARGET_MS - w > before && TARGET_MS - w <= hk + DEADLINE_GRACE_MS).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps inbound first everywhere while callers are queued with unknown waits, at step 0 with callers queued, and in long steps', () => {
    const horizonMs = [0, 1_500, 3_000, 6_000, 7_000];
    expect(inboundFirstSteps(horizonMs, 2, undefined, TARGET_MS, DEADLINE_GRACE_MS)).toEqual([true, true, true, true, true]);
    expect(inboundFirstSteps(horizonMs, 0, undefined, TARGET_MS, DEADLINE_GRACE_MS)).toEqual([false, false, false, true, false]);
    // Waited 15 s: due at 5 s, in step 2's window (1.5, 3 + 2]; step 0 (callers queued) and step 3
    // (3 s long) stay first as well.
    expect(inboundFirstSteps(horizonMs, 1, [15_000], TARGET_MS, DEADLINE_GRACE_MS)).toEqual([true, false, true, true, false]);
    // Waited 16.5 s: due at 3.5 s, in the windows of step 1 (0, 1.5 + 2] and step 2 (1.5, 3 + 2].
    expect(inboundFirstSteps(horizonMs, 1, [16_500], TARGET_MS, DEADLINE_GRACE_MS)).toEqual([true, true, true, true, false]);
    // Past the target already: never ahead.
    expect(inboundFirstSteps(horizonMs, 1, [25_000], TARGET_MS, DEADLINE_GRACE_MS)).toEqual([true, false, false, true, false]);
    // A walk reaching the target minus the grace: arrivals during it may be due.
    const even = Array.from({ length: 10 }, (_, k) => k * 2_000); // 0 … 18 s
    expect(inboundFirstSteps(even, 0, [], TARGET_MS, DEADLINE_GRACE_MS)).toEqual([...new Array(9).fill(false), true]);
  });
});

describe('the inbound walk with deadline routing', () => {
  it('equals brute-force enumeration under its steps’ order (queued callers with waits, Poisson arrivals)', () => {
    fc.assert(
      fc.property(
        pictureArb(3, 4),
        fc.double({ min: 0, max: 0.25, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 25_000 }), { maxLength: 2 }),
        fc.integer({ min: 0, max: 2 }),
        (picture, perSecond, waits, n) => {
          const demand = deadlineDemand(perSecond, waits);
          const first = inboundFirstSteps(picture.horizonMs, waits.length, waits, TARGET_MS, DEADLINE_GRACE_MS);
          expect(walk(picture, demand).totalAbandons(n)).toBeCloseTo(inboundBruteForce(picture, demand, n, 10, deadlineRule(first)), 7);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is the inbound-first walk bit for bit when every step keeps inbound first', () => {
    fc.assert(
      fc.property(
        pictureArb(5, 20),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        (picture, perSecond, n) => {
          // Waits unknown with callers queued: every step inbound first.
          const demand: InboundDemand = { arrivalsPerSecond: perSecond, queued: 2, routing: 'deadline', answerTargetMs: TARGET_MS };
          const plain = walk(picture, { arrivalsPerSecond: perSecond, queued: 2 });
          expect(walk(picture, demand).totalAbandons(n)).toBe(plain.totalAbandons(n));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never predicts more abandons than the inbound-first walk (exact lattice)', () => {
    fc.assert(
      fc.property(
        pictureArb(6, 20),
        fc.double({ min: 0, max: 0.4, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 25_000 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 5 }),
        (picture, perSecond, waits, n) => {
          const deadline = walk(picture, deadlineDemand(perSecond, waits)).totalAbandons(n);
          const first = walk(picture, { arrivalsPerSecond: perSecond, queued: waits.length }).totalAbandons(n);
          expect(deadline).toBeLessThanOrEqual(first + 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lets the outbound answers of a busy step take the freeing agents ahead of inbound callers with slack', () => {
    // Nobody idle, one agent surely freeing in step 1, one outbound caller answering there, two
    // callers who have waited 1 s (due at 19 s): by the router the outbound caller gets the agent.
    const picture: Picture = {
      K: 2,
      ready: 0,
      waiting: 0,
      terms: [
        { k: 1, q: 1, sign: 1 },
        { k: 1, q: 1, sign: -1 },
      ],
      newLive: [0, 0],
      horizonMs: [0, 1_500],
    };
    expect(walk(picture, deadlineDemand(0, [1_000, 1_000])).totalAbandons(0)).toBeCloseTo(0, 12);
    expect(walk(picture, { arrivalsPerSecond: 0, queued: 2 }).totalAbandons(0)).toBeCloseTo(1, 12);
    // A caller due inside the step's grace (waited 18.5 s: due at 1.5 s) is served first.
    expect(walk(picture, deadlineDemand(0, [18_500, 1_000])).totalAbandons(0)).toBeCloseTo(1, 12);
  });

  it('keeps the callers it let wait: a later inbound-first step serves them before its outbound answers', () => {
    // Step 0: one caller queued, nobody free (inbound first). Step 1 (1 s): an agent frees and an
    // outbound caller answers — outbound first, the inbound caller waits on. Step 2 (3.5 s long, so
    // inbound first): an agent frees and an outbound caller answers — the waiting caller takes it.
    const picture: Picture = {
      K: 3,
      ready: 0,
      waiting: 0,
      terms: [
        { k: 1, q: 1, sign: 1 },
        { k: 1, q: 1, sign: -1 },
        { k: 2, q: 1, sign: 1 },
        { k: 2, q: 1, sign: -1 },
      ],
      newLive: [0, 0, 0],
      horizonMs: [0, 1_000, 4_500],
    };
    expect(walk(picture, deadlineDemand(0, [0])).totalAbandons(0)).toBeCloseTo(1, 12);
    expect(walk(picture, { arrivalsPerSecond: 0, queued: 1 }).totalAbandons(0)).toBeCloseTo(1, 12);
  });

  it('the normal walk agrees with the exact one where it is used (many terms, a steady inbound stream)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 120 }),
        fc.double({ min: 0.05, max: 0.4, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 3 }),
        (terms, perSecond, waits) => {
          const K = 6;
          const picture: Picture = {
            K,
            ready: 2,
            waiting: 0,
            terms: Array.from({ length: terms }, (_, i) => ({ k: i % K, q: 0.1 + ((i * 37) % 50) / 100, sign: i % 3 === 0 ? -1 : 1 })),
            newLive: Array.from({ length: K }, () => 0.05),
            horizonMs: Array.from({ length: K }, (_, k) => k * 2000),
          };
          const demand = deadlineDemand(perSecond, waits);
          const exact = walk(picture, demand, true);
          const normal = walk(picture, demand, false);
          for (const n of [2, 6, 12]) {
            const want = exact.launchAbandons(n);
            expect(Math.abs(normal.launchAbandons(n) - want)).toBeLessThan(0.15 * want + 0.1);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
