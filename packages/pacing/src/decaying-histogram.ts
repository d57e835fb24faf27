import { PacelineError } from '@paceline/core';

/** Weights are rescaled before they overflow a double (see `add`). */
const RESCALE_AT = 1e200;

/**
 * An empirical distribution of durations (ms) that forgets: each new sample weighs
 * 2^(1/halfLife) times the previous one, so a sample `halfLife` observations old counts half.
 * That follows drift (answer delays change during the day) without assuming a shape.
 *
 * Why growing weights instead of decaying bins: decaying every bin per sample is O(bins);
 * growing the newcomer's weight is O(1), with a rare rescale. Samples above `maxMs` go to an
 * overflow bin whose mean excess gives an exponential tail.
 */
export class DecayingHistogram {
  /** Bin width, ms. */
  readonly binMs: number;
  /** Number of bins over [0, maxMs). */
  readonly bins: number;
  readonly #weights: Float64Array;
  readonly #growth: number;
  #weight = 1;
  #total = 0;
  #sum = 0;
  #overflow = 0;
  #overflowExcess = 0;
  #count = 0;

  /**
   * @param binMs bin width, ms
   * @param maxMs the histogram's range, ms (samples above it feed the exponential tail)
   * @param halfLife in observations; `Infinity` weighs every sample equally
   */
  constructor(binMs: number, maxMs: number, halfLife: number) {
    if (!(binMs > 0) || !(maxMs > binMs) || !(halfLife > 0)) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `DecayingHistogram: expected 0 < binMs < maxMs and halfLife > 0, got ${binMs}, ${maxMs}, ${halfLife}`,
      );
    }
    this.binMs = binMs;
    this.bins = Math.ceil(maxMs / binMs);
    this.#weights = new Float64Array(this.bins);
    this.#growth = Number.isFinite(halfLife) ? 2 ** (1 / halfLife) : 1;
  }

  /** Samples seen (raw count, not weighted). */
  get count(): number {
    return this.#count;
  }

  /**
   * issue-22 22-est3: the effective sample size (Σw)²/Σw² of the geometric weights — `count`
   * while it is small against the half-life, about 2.885 × halfLife past it.
   */
  effectiveCount(): number {
    const n = this.#count;
    const g = this.#growth;
    if (g === 1 || n === 0) return n;
    const r = g ** -n;
    return ((1 - r) * (g + 1)) / ((g - 1) * (1 + r));
  }

  /** Upper end of the binned range, ms. */
  get maxMs(): number {
    return this.bins * this.binMs;
  }

  /** Add one sample, ms (negative values count as 0). */
  add(valueMs: number): void {
    const x = Math.max(valueMs, 0);
    const w = this.#weight;
    const i = Math.floor(x / this.binMs);
    if (i < this.bins) this.#weights[i] = (this.#weights[i] ?? 0) + w;
    else {
      this.#overflow += w;
      this.#overflowExcess += w * (x - this.maxMs);
    }
    this.#total += w;
    this.#sum += w * x;
    this.#count++;
    this.#weight = w * this.#growth;
    if (this.#weight > RESCALE_AT) this.#rescale(1 / this.#weight);
  }

  /** Weighted mean, ms (0 with no samples). */
  mean(): number {
    return this.#total > 0 ? this.#sum / this.#total : 0;
  }

  /**
   * Survival table: `S[i]` = P(X > i·binMs) for i in 0..bins (linear within a bin). `S[bins]`
   * is the overflow mass.
   */
  survivalTable(): Float64Array {
    const s = new Float64Array(this.bins + 1);
    if (this.#total <= 0) return s;
    let above = this.#total;
    for (let i = 0; i < this.bins; i++) {
      s[i] = above / this.#total;
      above -= this.#weights[i] ?? 0;
    }
    s[this.bins] = Math.max(0, this.#overflow / this.#total);
    return s;
  }

  /** Mean excess over `maxMs` of the overflow samples, ms (the exponential tail's mean); 0 with none. */
  tailMeanMs(): number {
    return this.#overflow > 0 ? this.#overflowExcess / this.#overflow : 0;
  }

  #rescale(factor: number): void {
    for (let i = 0; i < this.bins; i++) this.#weights[i] = (this.#weights[i] ?? 0) * factor;
    this.#total *= factor;
    this.#sum *= factor;
    this.#overflow *= factor;
    this.#overflowExcess *= factor;
    this.#weight *= factor;
  }
}

/**
 * A survival function read from a `DecayingHistogram`'s table: linear inside the range,
 * an exponential tail beyond it.
 */
export class SurvivalCurve {
  readonly #s: Float64Array;
  readonly #binMs: number;
  readonly #bins: number;
  readonly #tailMeanMs: number;
  /** The distribution's mean, ms (a fallback residual life past every observation). */
  readonly meanMs: number;
  /** issue-22 22-est3: the histogram's effective sample size (see `DecayingHistogram.effectiveCount`). */
  readonly effectiveCount: number;

  constructor(histogram: DecayingHistogram) {
    this.#s = histogram.survivalTable();
    this.#binMs = histogram.binMs;
    this.#bins = histogram.bins;
    this.#tailMeanMs = histogram.tailMeanMs();
    this.meanMs = histogram.mean();
    this.effectiveCount = histogram.effectiveCount();
  }

  /** P(X > tMs). */
  at(tMs: number): number {
    if (tMs <= 0) return this.#s[0] ?? 0;
    const x = tMs / this.#binMs;
    const i = Math.floor(x);
    if (i >= this.#bins) {
      const edge = this.#s[this.#bins] ?? 0;
      if (edge <= 0 || this.#tailMeanMs <= 0) return 0;
      return edge * Math.exp(-(tMs - this.#bins * this.#binMs) / this.#tailMeanMs);
    }
    const lo = this.#s[i] ?? 0;
    const hi = this.#s[i + 1] ?? 0;
    return lo + (hi - lo) * (x - i);
  }

  /**
   * issue-22 22-smooth3: the in-range bins' masses (fractions of the whole; bin `i` covers
   * [i·binMs, (i+1)·binMs)) — what a shape fit reads (`thin-tail.ts` `fitShape`).
   */
  binned(): { readonly binMs: number; readonly masses: Float64Array } {
    const masses = new Float64Array(this.#bins);
    for (let i = 0; i < this.#bins; i++) masses[i] = Math.max(0, (this.#s[i] ?? 0) - (this.#s[i + 1] ?? 0));
    return { binMs: this.#binMs, masses };
  }

  /** P(X ≤ tMs). */
  cdf(tMs: number): number {
    return 1 - this.at(tMs);
  }

  /**
   * P(X ≤ a + h | X > a): the chance something already `aMs` old ends within `hMs`
   * (1 − S(a+h)/S(a)). Past every observation, an exponential with the mean's residual.
   */
  endsWithin(aMs: number, hMs: number): number {
    const sa = this.at(aMs);
    if (sa > 1e-9) return Math.min(1, Math.max(0, 1 - this.at(aMs + hMs) / sa));
    const residualMs = this.#tailMeanMs > 0 ? this.#tailMeanMs : this.meanMs;
    return residualMs > 0 ? 1 - Math.exp(-hMs / residualMs) : 1;
  }

  /** The smallest t with P(X ≤ t) ≥ q, ms (bisection on the monotone CDF). */
  quantile(q: number): number {
    let lo = 0;
    let hi = this.#bins * this.#binMs;
    if (this.cdf(hi) < q) return hi;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (this.cdf(mid) >= q) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}
