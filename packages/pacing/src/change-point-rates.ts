/**
 * Exponentially weighted rates of a stream of attempts (several 0/1 channels per attempt, e.g.
 * live, answered, machine) whose memory is cut when the first channel's rate changes: an
 * adaptive window in the manner of ADWIN (Bifet & Gavaldà, "Learning from time-changing data
 * with adaptive windowing", SDM 2007), with a likelihood-ratio test in place of ADWIN's Hoeffding
 * bound.
 *
 * Why: a decaying mean with a half-life long enough to be quiet in steady state (400 attempts)
 * lags a step. On midday-drop (live rate 35% → 12% at noon) the pacer's live rate still read
 * 0.15 on average over the hour after the drop, and its forecast of abandons ran 3–4× the
 * realised ones that hour. A shorter half-life would follow the step but make every steady hour
 * noisier; a test keeps the long memory until the data say it is stale.
 *
 * How: attempts are grouped into blocks of `blockSize`. After each full block, every split of
 * the blocks since the last cut into an older part (n₁ attempts, x₁ ones) and a recent part
 * (n₂, x₂), each at least `minSideAttempts`, is tested with the generalised likelihood ratio of
 * "two Bernoulli rates" against "one":
 *   G = 2·[n₁·KL(p̂₁ ‖ p̂) + n₂·KL(p̂₂ ‖ p̂)],  p̂ᵢ = xᵢ/nᵢ, p̂ = (x₁+x₂)/(n₁+n₂),
 * asymptotically χ²₁ under no change (for independent attempts). When the largest G exceeds `threshold`, everything before
 * that split is forgotten: the weighted sums restart from the recent part (and keep decaying
 * with `halfLife` from there). A change of rate from p to q is found after about
 * threshold / (2·KL(q ‖ p)) attempts (at 60: 35% → 12% ~240, 12% → 35% ~170; the half-life alone ~400); a small one may never be
 * cut, and the half-life follows it as before. The threshold bounds false cuts by a union bound
 * over the splits tested; a false cut only shortens the memory for a while.
 *
 * Over-dispersion (issue 22, 22-large): a dialer's attempts in finish order are not independent.
 * A burst of launches returns its live answers ~12 s in and its no-answers together at the ring
 * timeout, so a large team's stream holds runs of 100+ non-live attempts in a row (large-200: four
 * false cuts a day at threshold 60, each one costing talk). So G is divided by a quasi-likelihood
 * dispersion φ (McCullagh & Nelder, Generalized Linear Models, §4.5): the variance of the live count
 * of `dispersionBlocks` blocks (the smallest side the test compares, 64 attempts) against its
 * binomial variance, measured on the difference of each two adjacent such groups (a step in the rate
 * moves a few differences, not the level the others are measured against) and averaged with a
 * half-life of `dispersionHalfLife` blocks over the day, never below 1. Independent attempts keep
 * φ ≈ 1 (the floor: the test is never more eager than the Bernoulli one); large-200 measures
 * 1.3–2.9, a 30-agent campaign ≈ 1.0–1.3.
 *
 * Deterministic and allocation-free per attempt (the blocks are a ring); no clock, no randomness.
 */
export class ChangePointRates {
  readonly channels: number;
  readonly halfLife: number;
  readonly blockSize: number;
  readonly maxBlocks: number;
  readonly threshold: number;
  readonly minSideBlocks: number;
  readonly #grow: number;
  /** Weight of the next attempt, in the current weight unit (it grows; old attempts stay put). */
  #weight = 1;
  #weightSum = 0;
  readonly #channelSums: Float64Array;
  /** Ring of full blocks since the last cut: count of attempts, of channel-0 ones, and their weighted sums. */
  readonly #blockCount: Float64Array;
  readonly #blockOnes: Float64Array;
  readonly #blockWeight: Float64Array;
  readonly #blockChannel: Float64Array;
  #head = 0;
  #blocks = 0;
  /** The block being filled. */
  #openCount = 0;
  #openOnes = 0;
  #openWeight = 0;
  readonly #openChannel: Float64Array;
  #attempts = 0;
  #cuts = 0;
  /** Blocks per group whose live count's variance measures the over-dispersion (0: the plain test). */
  readonly dispersionBlocks: number;
  readonly #dispersionDecay: number;
  /** Ring of the last 2·dispersionBlocks closed blocks' channel-0 ones (not cut: the dispersion outlives a step). */
  readonly #recentOnes: Float64Array;
  #recentClosed = 0;
  /** Decaying sums of the group-difference statistics and of their count (a prior of φ = 1 at weight 64). */
  #dispersionSum = 64;
  #dispersionWeight = 64;

  /**
   * @param channels 0/1 values per attempt; channel 0 is the one tested for a change.
   * @param options `halfLife` attempts after which an old one counts half (default 400);
   *   `blockSize` attempts per tested block (16); `maxBlocks` blocks kept for the test (128);
   *   `threshold` of the likelihood-ratio statistic (default 60: a dialer's attempts in finish
   *   order are over-dispersed against i.i.d. Bernoulli, and at 30 a steady 100-agent campaign
   *   was cut ~4 times a day; Infinity disables cutting); `minSideAttempts` attempts each
   *   side of a split must hold (64); `dispersionBlocks` blocks per group whose variance measures the
   *   over-dispersion (4; 0 turns the scaling off: the plain Bernoulli test); `dispersionHalfLife`
   *   blocks after which an old group difference counts half (512, ~8,000 attempts).
   */
  constructor(
    channels: number,
    options: {
      halfLife?: number;
      blockSize?: number;
      maxBlocks?: number;
      threshold?: number;
      minSideAttempts?: number;
      dispersionBlocks?: number;
      dispersionHalfLife?: number;
    } = {},
  ) {
    this.channels = Math.max(1, Math.floor(channels));
    this.halfLife = options.halfLife ?? 400;
    this.blockSize = Math.max(1, Math.floor(options.blockSize ?? 16));
    this.maxBlocks = Math.max(2, Math.floor(options.maxBlocks ?? 128));
    this.threshold = options.threshold ?? 60;
    this.minSideBlocks = Math.max(1, Math.ceil((options.minSideAttempts ?? 64) / this.blockSize));
    this.#grow = 2 ** (1 / this.halfLife);
    this.#channelSums = new Float64Array(this.channels);
    this.#blockCount = new Float64Array(this.maxBlocks);
    this.#blockOnes = new Float64Array(this.maxBlocks);
    this.#blockWeight = new Float64Array(this.maxBlocks);
    this.#blockChannel = new Float64Array(this.maxBlocks * this.channels);
    this.#openChannel = new Float64Array(this.channels);
    this.dispersionBlocks = Math.max(0, Math.floor(options.dispersionBlocks ?? 4));
    this.#dispersionDecay = 2 ** (-1 / (options.dispersionHalfLife ?? 512));
    this.#recentOnes = new Float64Array(Math.max(1, 2 * this.dispersionBlocks));
  }

  /**
   * The over-dispersion φ ≥ 1 the likelihood-ratio statistic is divided by: the measured variance
   * of a group's live count over the binomial one (1 with scaling off).
   */
  get dispersion(): number {
    if (this.dispersionBlocks === 0) return 1;
    return Math.max(1, this.#dispersionSum / this.#dispersionWeight);
  }

  /** Attempts observed. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Cuts made so far (changes detected). */
  get cuts(): number {
    return this.#cuts;
  }

  /** The weighted total of the attempts remembered (0 before any). */
  get weight(): number {
    return this.#weightSum;
  }

  /** The weighted sum of `channel`'s ones, in the same unit as {@link weight}. */
  sum(channel: number): number {
    return this.#channelSums[channel] ?? 0;
  }

  /** The weighted rate of `channel` (0 before any attempt). */
  rate(channel: number): number {
    return this.#weightSum > 0 ? this.sum(channel) / this.#weightSum : 0;
  }

  /**
   * One attempt: `values[c]` is channel c's 0/1 outcome (missing ones count 0). Returns true
   * when this attempt completed a block whose test cut the memory.
   */
  observe(values: readonly (boolean | number)[]): boolean {
    const w = this.#weight;
    this.#weightSum += w;
    this.#openWeight += w;
    this.#openCount++;
    for (let c = 0; c < this.channels; c++) {
      const v = values[c] ? 1 : 0;
      if (v === 0) continue;
      this.#channelSums[c] = (this.#channelSums[c] as number) + w;
      this.#openChannel[c] = (this.#openChannel[c] as number) + w;
      if (c === 0) this.#openOnes++;
    }
    this.#attempts++;
    this.#weight = w * this.#grow;
    if (this.#weight > 1e200) this.#rescale(1 / this.#weight);
    if (this.#openCount < this.blockSize) return false;
    this.#closeBlock();
    return this.#test();
  }

  #closeBlock(): void {
    const slot = (this.#head + this.#blocks) % this.maxBlocks;
    if (this.#blocks === this.maxBlocks) this.#head = (this.#head + 1) % this.maxBlocks;
    else this.#blocks++;
    this.#blockCount[slot] = this.#openCount;
    this.#blockOnes[slot] = this.#openOnes;
    this.#blockWeight[slot] = this.#openWeight;
    for (let c = 0; c < this.channels; c++) {
      this.#blockChannel[slot * this.channels + c] = this.#openChannel[c] as number;
      this.#openChannel[c] = 0;
    }
    this.#observeDispersion(this.#openOnes);
    this.#openCount = 0;
    this.#openOnes = 0;
    this.#openWeight = 0;
  }

  /** One closed block's ones into the dispersion: the difference of the two newest groups. */
  #observeDispersion(ones: number): void {
    const group = this.dispersionBlocks;
    if (group === 0) return;
    const span = 2 * group;
    this.#recentOnes[this.#recentClosed % span] = ones;
    this.#recentClosed++;
    if (this.#recentClosed < span) return;
    let newer = 0;
    let older = 0;
    for (let i = 0; i < span; i++) {
      const v = this.#recentOnes[(this.#recentClosed - 1 - i) % span] as number;
      if (i < group) newer += v;
      else older += v;
    }
    const n = group * this.blockSize;
    const p = (newer + older) / (2 * n);
    if (p <= 0 || p >= 1) return;
    // E[(newer − older)²] = 2·n·p(1−p)·φ for two groups of n attempts with the same rate.
    const d = newer - older;
    this.#dispersionSum = this.#dispersionSum * this.#dispersionDecay + (d * d) / (2 * n * p * (1 - p));
    this.#dispersionWeight = this.#dispersionWeight * this.#dispersionDecay + 1;
  }

  /** The likelihood-ratio test over every split of the blocks; cuts at the most likely one. */
  #test(): boolean {
    const blocks = this.#blocks;
    const min = this.minSideBlocks;
    if (blocks < 2 * min) return false;
    let totalN = 0;
    let totalX = 0;
    for (let i = 0; i < blocks; i++) {
      const slot = (this.#head + i) % this.maxBlocks;
      totalN += this.#blockCount[slot] as number;
      totalX += this.#blockOnes[slot] as number;
    }
    const pooled = totalX / totalN;
    let recentN = 0;
    let recentX = 0;
    let best = 0;
    let bestKeep = 0;
    const dispersion = this.dispersion;
    // k = blocks in the recent part, newest first.
    for (let k = 1; k <= blocks - min; k++) {
      const slot = (this.#head + blocks - k) % this.maxBlocks;
      recentN += this.#blockCount[slot] as number;
      recentX += this.#blockOnes[slot] as number;
      if (k < min) continue;
      // The quasi-likelihood ratio: the binomial one over the measured dispersion.
      const g =
        (2 * (bernoulliDivergence(recentX, recentN, pooled) + bernoulliDivergence(totalX - recentX, totalN - recentN, pooled))) /
        dispersion;
      if (g > best) {
        best = g;
        bestKeep = k;
      }
    }
    if (best <= this.threshold) return false;
    this.#cut(bestKeep);
    return true;
  }

  /** Forget every block but the newest `keep` (the open block stays). */
  #cut(keep: number): void {
    let weight = this.#openWeight;
    for (let c = 0; c < this.channels; c++) this.#channelSums[c] = this.#openChannel[c] as number;
    const first = this.#blocks - keep;
    for (let i = first; i < this.#blocks; i++) {
      const slot = (this.#head + i) % this.maxBlocks;
      weight += this.#blockWeight[slot] as number;
      for (let c = 0; c < this.channels; c++)
        this.#channelSums[c] = (this.#channelSums[c] as number) + (this.#blockChannel[slot * this.channels + c] as number);
    }
    this.#weightSum = weight;
    this.#head = (this.#head + first) % this.maxBlocks;
    this.#blocks = keep;
    this.#cuts++;
  }

  #rescale(f: number): void {
    this.#weight *= f;
    this.#weightSum *= f;
    this.#openWeight *= f;
    for (let c = 0; c < this.channels; c++) {
      this.#channelSums[c] = (this.#channelSums[c] as number) * f;
      this.#openChannel[c] = (this.#openChannel[c] as number) * f;
    }
    for (let i = 0; i < this.#blockWeight.length; i++) this.#blockWeight[i] = (this.#blockWeight[i] as number) * f;
    for (let i = 0; i < this.#blockChannel.length; i++) this.#blockChannel[i] = (this.#blockChannel[i] as number) * f;
  }
}

/** n·KL(x/n ‖ p) for a Bernoulli sample of n with x ones (0·log 0 = 0). */
function bernoulliDivergence(x: number, n: number, p: number): number {
  if (n <= 0) return 0;
  const q = x / n;
  let d = 0;
  if (x > 0) d += x * Math.log(q / p);
  if (x < n) d += (n - x) * Math.log((1 - q) / (1 - p));
  return d;
}
