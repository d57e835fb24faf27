// tidy: the launch-risk walk tests' shared pictures — launch-risk, supply-groups and
// inbound-demand each built, drew and brute-forced the same picture on their own.
import fc from 'fast-check';
import type { InboundDemand } from '../src/blend/inbound-launch-risk';
import { poissonPmf } from '../src/blend/inbound-launch-risk';
import type { LaunchRisk } from '../src/launch-risk';

/** One random term of a picture: a Bernoulli (or a certain count) in step k, supply (+1) or demand (−1). */
export interface Term {
  readonly k: number;
  readonly q: number;
  readonly sign: 1 | -1;
}

/** A group of identical busy agents who each free at most once: the chance of freeing in each step (Σ ≤ 1). */
export interface AgentGroup {
  readonly count: number;
  readonly freeByStep: readonly number[];
}

/** What a walk is built from: K steps, ready agents and waiting callers at step 0, Bernoulli terms, new calls' live chance per step. */
export interface Picture {
  readonly K: number;
  readonly ready: number;
  readonly waiting: number;
  readonly terms: readonly Term[];
  readonly newLive: readonly number[];
  /** Supply groups (`LaunchRisk.addGroup`; the exact walk only). */
  readonly groups?: readonly AgentGroup[];
}

/** Reset `risk` to `picture` (exact lattice or normal walk) and seal it. */
export function fillRisk<R extends LaunchRisk>(risk: R, picture: Picture, exact: boolean): R {
  risk.reset(picture.K, exact);
  for (let k = 0; k < picture.K; k++) risk.newLive[k] = picture.newLive[k] as number;
  risk.addCertain(0, picture.ready, 1);
  risk.addCertain(0, picture.waiting, -1);
  for (const t of picture.terms) risk.addBernoulli(t.k, t.q, t.sign);
  for (const g of picture.groups ?? [])
    risk.addGroup(
      g.count,
      g.freeByStep.map((q) => q * g.count),
    );
  risk.seal();
  return risk;
}

/**
 * The walk by brute force: every outcome of every Bernoulli term, every step (or none) each
 * group agent frees in and each of the `n` new calls is live in, its probability, and the idle
 * agents stepped through one by one.
 */
export function bruteForce(picture: Picture, n: number): number {
  const { K, terms } = picture;
  // Items that happen in at most one step: the groups' agents (+1), then the new calls (−1).
  const items: { byStep: readonly number[]; never: number; sign: 1 | -1 }[] = [];
  for (const g of picture.groups ?? [])
    for (let a = 0; a < g.count; a++) items.push({ byStep: g.freeByStep, never: 1 - g.freeByStep.reduce((x, y) => x + y, 0), sign: 1 });
  const silent = 1 - picture.newLive.reduce((a, b) => a + b, 0);
  for (let call = 0; call < n; call++) items.push({ byStep: picture.newLive, never: silent, sign: -1 });
  let expected = 0;
  for (let mask = 0; mask < 1 << terms.length; mask++)
    for (let pattern = 0; pattern < (K + 1) ** items.length; pattern++) {
      let weight = 1;
      const net = new Array<number>(K).fill(0);
      net[0] = picture.ready - picture.waiting;
      terms.forEach((t, i) => {
        const hit = (mask >> i) & 1;
        weight *= hit ? t.q : 1 - t.q;
        if (hit) net[t.k] = (net[t.k] as number) + t.sign;
      });
      for (let i = 0, code = pattern; i < items.length; i++, code = Math.floor(code / (K + 1))) {
        const item = items[i] as (typeof items)[number];
        const step = code % (K + 1);
        if (step === K) weight *= item.never;
        else {
          weight *= item.byStep[step] as number;
          net[step] = (net[step] as number) + item.sign;
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

/** A picture whose steps end at `horizonMs` (ms from now): what the inbound walks need for their arrivals. */
export interface InboundPicture extends Picture {
  readonly horizonMs: readonly number[];
}

/**
 * One step k of an inbound walk by brute force: Y (idle − inbound waiting) on entering, the step's
 * freed agents S, inbound callers I and outbound live answers O; Y on leaving and the outbound lost.
 */
export type InboundStepRule = (k: number, y: number, s: number, inbound: number, o: number) => { y: number; lost: number };

/** Inbound first (the plain inbound walk): Y′ = Y + S − I, every outbound answer lost while Y′ < 0. */
export const inboundFirstRule: InboundStepRule = (_k, y, s, inbound, o) => {
  const y1 = y + s - inbound;
  if (y1 < 0) return { y: y1, lost: o };
  const x = y1 - o;
  return { y: Math.max(0, x), lost: Math.max(0, -x) };
};

/**
 * The inbound walk by brute force: every outcome of every Bernoulli term, every inbound count per
 * step (Poisson, cut at `maxArrivals`; the queued callers in step 0), every step each of the `n` new
 * calls is live in, stepped through by `rule` (the walks differ only there).
 */
export function inboundBruteForce(
  picture: InboundPicture,
  demand: InboundDemand,
  n: number,
  maxArrivals: number,
  rule: InboundStepRule = inboundFirstRule,
): number {
  const { K, terms } = picture;
  const none = 1 - picture.newLive.reduce((a, b) => a + b, 0);
  const pmfs = Array.from({ length: K }, (_, k) => {
    const from = k === 0 ? 0 : (picture.horizonMs[k - 1] as number);
    return poissonPmf((demand.arrivalsPerSecond * ((picture.horizonMs[k] as number) - from)) / 1000);
  });
  let expected = 0;
  for (let arrivalsCode = 0; arrivalsCode < (maxArrivals + 1) ** K; arrivalsCode++) {
    let arrivalsWeight = 1;
    const arrivals: number[] = [];
    for (let k = 0, code = arrivalsCode; k < K; k++, code = Math.floor(code / (maxArrivals + 1))) {
      const a = code % (maxArrivals + 1);
      arrivals.push(a);
      arrivalsWeight *= pmfs[k]?.[a] ?? 0;
    }
    if (arrivalsWeight === 0) continue;
    for (let mask = 0; mask < 1 << terms.length; mask++)
      for (let pattern = 0; pattern < (K + 1) ** n; pattern++) {
        let weight = arrivalsWeight;
        const supply = new Array<number>(K).fill(0);
        const outbound = new Array<number>(K).fill(0);
        supply[0] = picture.ready + (demand.reserveIdle ?? 0);
        outbound[0] = picture.waiting;
        terms.forEach((t, i) => {
          const hit = (mask >> i) & 1;
          weight *= hit ? t.q : 1 - t.q;
          if (hit) {
            if (t.sign > 0) supply[t.k] = (supply[t.k] as number) + 1;
            else outbound[t.k] = (outbound[t.k] as number) + 1;
          }
        });
        for (let call = 0, code = pattern; call < n; call++, code = Math.floor(code / (K + 1))) {
          const step = code % (K + 1);
          if (step === K) weight *= none;
          else {
            weight *= picture.newLive[step] as number;
            outbound[step] = (outbound[step] as number) + 1;
          }
        }
        let y = 0;
        let lost = 0;
        for (let k = 0; k < K; k++) {
          const inbound = (arrivals[k] as number) + (k === 0 ? demand.queued : 0);
          const next = rule(k, y, supply[k] as number, inbound, outbound[k] as number);
          y = next.y;
          lost += next.lost;
        }
        expected += weight * lost;
      }
  }
  return expected;
}

/** A chance strictly inside (0, 1). */
export const probability = fc.double({ min: 0.01, max: 0.99, noNaN: true });

/** A picture of 1–`maxK` steps with up to `maxTerms` terms (no groups). */
export const pictureArb = (maxK: number, maxTerms: number): fc.Arbitrary<Picture> =>
  fc.integer({ min: 1, max: maxK }).chain((K) => pictureOf(K, maxTerms));

/** A picture of exactly `K` steps with up to `maxTerms` terms (no groups). */
export const pictureOf = (K: number, maxTerms: number): fc.Arbitrary<Picture> =>
  fc.record({
    K: fc.constant(K),
    ready: fc.integer({ min: 0, max: 3 }),
    waiting: fc.integer({ min: 0, max: 2 }),
    terms: fc.array(fc.record({ k: fc.integer({ min: 0, max: K - 1 }), q: probability, sign: fc.constantFrom<1 | -1>(1, -1) }), {
      maxLength: maxTerms,
    }),
    newLive: fc.array(fc.double({ min: 0, max: 0.24, noNaN: true }), { minLength: K, maxLength: K }),
  });
