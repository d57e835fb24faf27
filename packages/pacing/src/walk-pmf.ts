import { normalCdf, normalPdf } from './normal';

// tidy8: the pieces the launch-risk walks share — the plain walk's (launch-risk.ts) and the
// inbound walk's (blend/inbound-launch-risk.ts). Each step's law is built the same way in both:
// count pmfs on 0, 1, … grown by certain counts and Bernoulli terms, a difference of two of them
// as the step's net, and the normal walk's moments of a positive part (Clark 1961).

/** `buffer` when it holds `size` values, else a larger copy of it (at least double). */
export function grow(buffer: Float64Array | undefined, size: number): Float64Array {
  if (buffer !== undefined && buffer.length >= size) return buffer;
  const next = new Float64Array(Math.max(size, 2 * (buffer?.length ?? 4)));
  if (buffer !== undefined) next.set(buffer);
  return next;
}

/**
 * P(B = b), b = 0…j, for B ~ Binomial(j, c) (the j new calls not yet answered, each answering in
 * the step with chance c), into `out[0..j]` (`out` holds at least j + 1 values): the product
 * recurrence from (1 − c)^j; c ≥ 1 puts all the mass at j. Both walks weigh their steps by it.
 */
export function binomialPmf(j: number, c: number, out: Float64Array): void {
  let pb = c < 1 ? (1 - c) ** j : j === 0 ? 1 : 0;
  for (let b = 0; b <= j; b++) {
    out[b] = c >= 1 ? (b === j ? 1 : 0) : pb;
    if (c < 1) pb = b < j ? (pb * (j - b) * c) / ((b + 1) * (1 - c)) : 0;
  }
}

/** Length of `pmf[0..len)` once trailing mass below 1e−14 is dropped (at least 1). */
export function trimTail(pmf: Float64Array, len: number): number {
  let end = len;
  while (end > 1 && (pmf[end - 1] as number) < 1e-14) end--;
  return end;
}

/** Step `k`'s count pmf (`pmfs[k][0..lens[k])`) plus `by` certain: shifted up by `by`. */
export function shiftPmf(pmfs: Float64Array[], lens: number[], k: number, by: number): void {
  const len = lens[k] as number;
  const pmf = grow(pmfs[k], len + by);
  pmfs[k] = pmf;
  for (let j = len - 1; j >= 0; j--) pmf[j + by] = pmf[j] as number;
  pmf.fill(0, 0, by);
  lens[k] = len + by;
}

/** Step `k`'s count pmf plus `count` independent Bernoulli(`p`) terms (its negligible tail trimmed). */
export function addBernoulliPmf(pmfs: Float64Array[], lens: number[], k: number, p: number, count: number): void {
  for (let c = 0; c < count; c++) {
    const len = lens[k] as number;
    const pmf = grow(pmfs[k], len + 1);
    pmfs[k] = pmf;
    pmf[len] = 0;
    for (let j = len; j > 0; j--) pmf[j] = (pmf[j] as number) * (1 - p) + (pmf[j - 1] as number) * p;
    pmf[0] = (pmf[0] as number) * (1 - p);
    lens[k] = trimTail(pmf, len + 1);
  }
}

/**
 * The pmf of A − B for independent counts A (`a[0..al)`) and B (`b[0..bl)`), written into `into`
 * (grown as needed, returned): value = index − (bl − 1), length al + bl − 1.
 */
export function differencePmf(into: Float64Array | undefined, a: Float64Array, al: number, b: ArrayLike<number>, bl: number): Float64Array {
  const net = grow(into, al + bl - 1);
  net.fill(0, 0, al + bl - 1);
  // value = i − j; index = i − j + (bl − 1).
  for (let i = 0; i < al; i++) {
    const ai = a[i] as number;
    if (ai === 0) continue;
    for (let j = 0; j < bl; j++) {
      const idx = i - j + bl - 1;
      net[idx] = (net[idx] as number) + ai * (b[j] as number);
    }
  }
  return net;
}

/** E[Z⁺] and E[(Z⁺)²] for Z normal (Clark 1961); a variance below 1e−9 counts as none. */
export function positivePart(mean: number, variance: number): { first: number; second: number } {
  if (variance < 1e-9) {
    const v = Math.max(0, mean);
    return { first: v, second: v * v };
  }
  const sd = Math.sqrt(variance);
  const z = mean / sd;
  const cdf = normalCdf(z);
  const pdf = normalPdf(z);
  return { first: mean * cdf + sd * pdf, second: (mean * mean + variance) * cdf + mean * sd * pdf };
}

/**
 * The chance that an item not placed yet lands in this step, given `mass` of its chance here and
 * `rest` not placed in the steps before (0 once nothing is left; at most 1).
 */
export function chanceGiven(mass: number, rest: number): number {
  return rest > 1e-12 ? Math.min(1, mass / rest) : 0;
}
