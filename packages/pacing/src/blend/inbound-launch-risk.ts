import { LaunchRisk } from '../launch-risk';
import type { ObservedAgent } from '../pacer';
import { addBernoulliPmf, binomialPmf, chanceGiven, differencePmf, grow, positivePart, shiftPmf } from '../walk-pmf';
import { DEADLINE_GRACE_MS, inboundFirstSteps } from './deadline-steps';

/**
 * The inbound demand the predictive walk competes with (issue 23): callers queued now and a
 * Poisson stream of new inbound arrivals over the look-ahead window.
 */
export interface InboundDemand {
  /** Inbound arrivals per second expected over the walk's horizons (the online estimate). */
  readonly arrivalsPerSecond: number;
  /** Inbound callers waiting in the queue now: they take the first agents to free. */
  readonly queued: number;
  /**
   * Ready agents held idle for inbound (flagged `leaving` in the pacer's view, so neither dialled
   * for nor in the walk's supply): when given, the walk counts them as idle at step 0 behind the
   * inbound callers — an outbound live caller takes one when no other agent is free, as the
   * router gives any ready agent. Absent: 0.
   */
  readonly reserveIdle?: number;
  /**
   * Busy agents held for inbound (flagged `leaving`, so not in the pacer's supply), as they are
   * (not flagged): the walk lets them free at the model's completion law for their state and
   * time in state ({@link walkFor}), as supply the inbound callers take first. They are the
   * agents inbound is counted to take; left out while the arrivals are demand, inbound is
   * counted twice. Absent: none.
   */
  readonly heldBusy?: readonly ObservedAgent[];
  /**
   * issue-23 23-peak: the order inbound and outbound take the agents freeing in a step.
   * `inbound-first` (absent): every waiting inbound caller first, the conservative order.
   * `deadline`: the router's deadline rule — a waiting caller goes first only in the steps
   * {@link inboundFirstSteps} cannot clear (its deadline may fall in the step's outbound grace);
   * in the others the step's outbound live answers take the supply first. Needs
   * `answerTargetMs`; without `queuedWaitMs` for every caller queued, inbound first throughout.
   */
  readonly routing?: 'inbound-first' | 'deadline';
  /** issue-23 23-peak: the queue's answer target, ms (the service level's answer time). */
  readonly answerTargetMs?: number;
  /** issue-23 23-peak: how long each caller queued now has waited, ms (any order). */
  readonly queuedWaitMs?: readonly number[];
}

/** True when the demand has something in it (a rate > 0 or callers queued). */
export function hasInboundDemand(demand: InboundDemand | undefined): demand is InboundDemand {
  return demand !== undefined && (demand.arrivalsPerSecond > 0 || demand.queued > 0 || (demand.reserveIdle ?? 0) > 0);
}

/** The pmf of a certain 0 (for −I_k = 0 − I_k). */
const ONE = Float64Array.of(1);

/** Poisson terms below this are dropped (the pmf's tail). */
const POISSON_TAIL = 1e-13;

/**
 * {@link LaunchRisk}'s walk with inbound callers competing for the agents (issue 23).
 *
 * Per step k the supply S_k (agents freeing) first serves the inbound callers: those queued
 * carried over and the step's arrivals I_k (Poisson, λ·(h_k − h_{k−1}); the callers queued
 * now at k = 0). An inbound caller who finds no agent waits (queue patience is tens of
 * seconds, the walk a few), so the state is Y = idle agents − inbound callers waiting, which
 * may be negative. Then the outbound live answers D_k + B_k(n) take what is idle; an
 * outbound caller finding no agent within the grace is abandoned, as in the plain walk:
 *
 *   Y′ = Y + S_k − I_k;   Y′ < 0: every outbound live answer of the step is lost, Y = Y′;
 *                         Y′ ≥ 0: X = Y′ − D_k − B_k, abandons (X)⁻, Y = (X)⁺.
 *
 * Inbound goes first within a step (the router hands a freeing agent the oldest inbound
 * caller; an outbound caller waits at most the 2-s grace), which is the conservative order for
 * the outbound abandon bound. With no inbound demand the predictive pacer keeps using the
 * plain {@link LaunchRisk} (bit for bit unchanged); this class then equals it as well (tested).
 *
 * Exact on the integer lattice with few terms; with many, a normal walk whose state may be
 * negative: abandons_k = E[(X)⁻] − E[(Y′)⁻] and Y = (X)⁺ − (Y′)⁻ (Clark's moments of the parts).
 */
export class InboundLaunchRisk extends LaunchRisk {
  /** The inbound demand of the next picture (set before the pacer fills it). */
  demand: InboundDemand = { arrivalsPerSecond: 0, queued: 0 };
  /** Horizons (ms from now) of the next picture: step k's arrivals fall in (h_{k−1}, h_k]. */
  horizonMs: Float64Array = new Float64Array(0);
  /** The held busy agents' completion rows (cumulative over the steps), added as supply at `seal`. */
  heldSupply: { table: Float64Array; base: number }[] = [];
  // Exact, while building: per step the supply and outbound-demand pmfs; sealed: supply − inbound.
  readonly #supply: Float64Array[] = [];
  readonly #supplyLen: number[] = [];
  readonly #demand: Float64Array[] = [];
  readonly #demandLen: number[] = [];
  readonly #net: Float64Array[] = [];
  readonly #netLen: number[] = [];
  readonly #netOffset: number[] = [];
  readonly #demandMean: number[] = [];
  // Normal: per step mean and variance of S_k − I_k and of D_k.
  readonly #netMeanN: number[] = [];
  readonly #netVarN: number[] = [];
  readonly #demMeanN: number[] = [];
  readonly #demVarN: number[] = [];
  // issue-23 23-peak: per step, inbound first (true) or the step's outbound first (deadline routing);
  // for the latter, exact: the pmfs of −I_k and of S_k − D_k; normal: the moments of S_k and I_k.
  #first: boolean[] = [];
  readonly #negIn: Float64Array[] = [];
  readonly #negInLen: number[] = [];
  readonly #sd: Float64Array[] = [];
  readonly #sdLen: number[] = [];
  readonly #sdOffset: number[] = [];
  readonly #supMeanN: number[] = [];
  readonly #supVarN: number[] = [];
  readonly #inMeanN: number[] = [];

  /** Expected inbound callers of step k (queued now at k = 0, Poisson arrivals after). */
  inboundMean(k: number): number {
    const lambda = Math.max(0, this.demand.arrivalsPerSecond);
    const from = k === 0 ? 0 : (this.horizonMs[k - 1] ?? 0);
    const to = this.horizonMs[k] ?? from;
    const arrivals = (lambda * Math.max(0, to - from)) / 1000;
    return arrivals + (k === 0 ? Math.max(0, Math.floor(this.demand.queued)) : 0);
  }

  override reset(K: number, exact: boolean): void {
    this.memo.open(); // issue-23 23-speed
    this.K = K;
    this.exact = exact;
    this.newLive.length = K;
    for (const a of [this.#netMeanN, this.#netVarN, this.#demMeanN, this.#demVarN, this.#demandMean]) {
      a.length = K;
      a.fill(0);
    }
    for (let k = 0; k < K; k++) {
      this.newLive[k] = 0;
      if (exact) {
        this.#supply[k] = grow(this.#supply[k], 8);
        this.#demand[k] = grow(this.#demand[k], 8);
        (this.#supply[k] as Float64Array)[0] = 1;
        (this.#demand[k] as Float64Array)[0] = 1;
        this.#supplyLen[k] = 1;
        this.#demandLen[k] = 1;
      }
    }
  }

  override addCertain(k: number, count: number, sign: 1 | -1): void {
    this.memo.open(); // issue-23 23-speed
    if (count <= 0) return;
    this.#moments(k, sign, count, 0);
    if (!this.exact) return;
    if (sign > 0) shiftPmf(this.#supply, this.#supplyLen, k, count);
    else shiftPmf(this.#demand, this.#demandLen, k, count);
  }

  override addBernoulli(k: number, q: number, sign: 1 | -1, count = 1): void {
    this.memo.open(); // issue-23 23-speed
    if (!(q > 1e-12) || count <= 0) return;
    const p = Math.min(1, q);
    this.#moments(k, sign, count * p, count * p * (1 - p));
    if (!this.exact) return;
    if (sign > 0) addBernoulliPmf(this.#supply, this.#supplyLen, k, p, count);
    else addBernoulliPmf(this.#demand, this.#demandLen, k, p, count);
  }

  override addCumulative(table: Float64Array, base: number, sign: 1 | -1, count = 1): void {
    this.memo.open(); // issue-23 23-speed
    let before = 0;
    let varianceBefore = 0;
    for (let k = 0; k < this.K; k++) {
      const cumulative = Math.min(1, Math.max(before, table[base + k] as number));
      const variance = cumulative * (1 - cumulative);
      this.#moments(k, sign, count * (cumulative - before), count * (variance - varianceBefore));
      before = cumulative;
      varianceBefore = variance;
    }
  }

  #moments(k: number, sign: 1 | -1, mean: number, variance: number): void {
    if (sign > 0) {
      this.#netMeanN[k] = (this.#netMeanN[k] as number) + mean;
      this.#netVarN[k] = (this.#netVarN[k] as number) + variance;
    } else {
      this.#demMeanN[k] = (this.#demMeanN[k] as number) + mean;
      this.#demVarN[k] = (this.#demVarN[k] as number) + variance;
      this.#demandMean[k] = (this.#demandMean[k] as number) + mean;
    }
  }

  /** Finish the picture: add the inbound callers to each step (exact: the pmf of S_k − I_k). */
  override seal(): void {
    // issue-23 23-peak: which steps keep inbound first (all of them unless the demand asks for deadline routing).
    const d = this.demand;
    this.#first =
      d.routing === 'deadline' && d.answerTargetMs !== undefined
        ? inboundFirstSteps(
            this.horizonMs.subarray(0, this.K),
            Math.max(0, Math.floor(d.queued)),
            d.queuedWaitMs,
            d.answerTargetMs,
            DEADLINE_GRACE_MS,
          )
        : new Array(this.K).fill(true);
    const reserveIdle = Math.max(0, Math.floor(this.demand.reserveIdle ?? 0));
    if (reserveIdle > 0 && this.K > 0) this.addCertain(0, reserveIdle, 1);
    for (const { table, base } of this.heldSupply) {
      let before = 0;
      for (let k = 0; k < this.K; k++) {
        const cumulative = Math.min(1, Math.max(before, table[base + k] as number));
        if (this.exact) this.addBernoulli(k, cumulative - before, 1);
        before = cumulative;
      }
      if (!this.exact) this.addCumulative(table, base, 1);
    }
    for (let k = 0; k < this.K; k++) {
      const queued = k === 0 ? Math.max(0, Math.floor(this.demand.queued)) : 0;
      const arrivals = this.inboundMean(k) - queued;
      this.#supMeanN[k] = this.#netMeanN[k] as number; // issue-23 23-peak
      this.#supVarN[k] = this.#netVarN[k] as number;
      this.#inMeanN[k] = arrivals + queued;
      // Poisson: mean = variance; the queued callers are certain.
      this.#netMeanN[k] = (this.#netMeanN[k] as number) - arrivals - queued;
      this.#netVarN[k] = (this.#netVarN[k] as number) + arrivals;
      if (!this.exact) continue;
      const inbound = poissonPmf(arrivals, queued);
      const s = this.#supply[k] as Float64Array;
      const sl = this.#supplyLen[k] as number;
      const il = inbound.length;
      if (this.#first[k] === false) {
        // issue-23 23-peak: −I_k, then S_k − D_k (the step's outbound first).
        this.#negIn[k] = differencePmf(this.#negIn[k], ONE, 1, inbound, il);
        this.#negInLen[k] = il;
        const dm = this.#demand[k] as Float64Array;
        const dl = this.#demandLen[k] as number;
        this.#sd[k] = differencePmf(this.#sd[k], s, sl, dm, dl);
        this.#sdLen[k] = sl + dl - 1;
        this.#sdOffset[k] = dl - 1;
        continue;
      }
      this.#net[k] = differencePmf(this.#net[k], s, sl, inbound, il);
      this.#netLen[k] = sl + il - 1;
      this.#netOffset[k] = il - 1;
    }
    this.#sealMemo(); // issue-23 23-speed
  }

  /** issue-23 23-speed: every number the two walks read, for the memo's bit-for-bit comparison. */
  #sealMemo(): void {
    const memo = this.memo;
    this.memoHead();
    for (let k = 0; k < this.K; k++) {
      if (this.#first[k] === false) {
        // issue-23 23-peak: a step with the outbound answers first.
        memo.push(-1);
        if (this.exact) {
          memo.pushAll(this.#negIn[k] as Float64Array, this.#negInLen[k] as number);
          memo.push(this.#sdOffset[k] as number);
          memo.pushAll(this.#sd[k] as Float64Array, this.#sdLen[k] as number);
          memo.push(this.#demandMean[k] as number);
        } else {
          memo.push(this.#supMeanN[k] as number);
          memo.push(this.#supVarN[k] as number);
          memo.push(this.#inMeanN[k] as number);
          memo.push(this.#demMeanN[k] as number);
          memo.push(this.#demVarN[k] as number);
        }
        continue;
      }
      if (this.exact) {
        memo.push(this.#netOffset[k] as number);
        memo.pushAll(this.#net[k] as Float64Array, this.#netLen[k] as number);
        memo.pushAll(this.#demand[k] as Float64Array, this.#demandLen[k] as number);
        memo.push(this.#demandMean[k] as number);
      } else {
        memo.push(this.#netMeanN[k] as number);
        memo.push(this.#netVarN[k] as number);
        memo.push(this.#demMeanN[k] as number);
        memo.push(this.#demVarN[k] as number);
      }
    }
    memo.seal();
  }

  // tidy8: the walks stay this class's own. Their state may be negative (callers waiting) and a
  // step has two parts (S − I, then D + B), where the plain walk's is one net S − D on idle ≥ 0:
  // one walk for both would change the plain walk's arithmetic (the pacer's decisions are kept
  // bit for bit) or branch in its inner loop. The pieces a step is built from are shared (walk-pmf.ts).
  // issue-23 23-speed: `walk` (kept per sealed picture by the base class) instead of `totalAbandons`.
  protected override walk(n: number, base: number, budget: number): number {
    return this.exact ? this.#exactWalk(n, base, budget) : this.#normalWalk(n);
  }

  #cur: Float64Array = new Float64Array(16);
  #mid: Float64Array = new Float64Array(16);
  #next: Float64Array = new Float64Array(16);
  /** The step's Binomial(j, c) weights (`binomialPmf`). */
  #binomial: Float64Array = new Float64Array(16);

  #exactWalk(n: number, base: number, budget: number): number {
    // Joint law of (Y, new calls not yet answered j), flat: j·width + (Y − low).
    let low = 0;
    let width = 1;
    let cur = grow(this.#cur, n + 1);
    cur.fill(0, 0, n + 1);
    cur[n] = 1;
    let abandons = 0;
    let rest = 1;
    for (let k = 0; k < this.K; k++) {
      if (this.#first[k] === false) {
        // issue-23 23-peak: the step's outbound answers before the waiting inbound callers.
        const m = this.newLive[k] as number;
        const c = n > 0 ? chanceGiven(m, rest) : 0;
        rest -= m;
        abandons += this.#deadlineStep(k, n, cur, low, width, c);
        const next = this.#next;
        this.#next = cur;
        cur = next;
        low = this.#stepLow;
        width = this.#stepWidth;
      } else {
        const net = this.#net[k] as Float64Array;
        const netLen = this.#netLen[k] as number;
        const offset = this.#netOffset[k] as number;
        const d = this.#demand[k] as Float64Array;
        const dl = this.#demandLen[k] as number;
        const meanD = this.#demandMean[k] as number;
        // Y′ = Y + S_k − I_k on [low − offset, low + width − 1 + netLen − 1 − offset].
        const midLow = low - offset;
        const midWidth = width + netLen - 1;
        const mid = grow(this.#mid, (n + 1) * midWidth);
        mid.fill(0, 0, (n + 1) * midWidth);
        for (let j = 0; j <= n; j++) {
          for (let y = 0; y < width; y++) {
            const p = cur[j * width + y] as number;
            if (p === 0) continue;
            const row = j * midWidth + y;
            for (let i = 0; i < netLen; i++) mid[row + i] = (mid[row + i] as number) + p * (net[i] as number);
          }
        }
        // Outbound: the new calls' answers B (Binomial(j, c)) and D_k take what is idle.
        const m = this.newLive[k] as number;
        const c = n > 0 ? chanceGiven(m, rest) : 0;
        rest -= m;
        const next = grow(this.#next, (n + 1) * midWidth);
        next.fill(0, 0, (n + 1) * midWidth);
        const zero = -midLow; // index of Y = 0 (midLow ≤ 0)
        const binomial = grow(this.#binomial, n + 1);
        this.#binomial = binomial;
        for (let j = 0; j <= n; j++) {
          binomialPmf(j, c, binomial);
          for (let b = 0; b <= j; b++) {
            const weightB = binomial[b] as number;
            if (weightB < 1e-15) continue;
            const row = (j - b) * midWidth;
            for (let y = 0; y < midWidth; y++) {
              const pr = (mid[j * midWidth + y] as number) * weightB;
              if (pr === 0) continue;
              const value = y + midLow;
              if (value < 0) {
                // Inbound callers still waiting: every outbound live answer of the step is lost.
                abandons += pr * (b + meanD);
                next[row + y] = (next[row + y] as number) + pr;
                continue;
              }
              let atZero = 0;
              for (let i = 0; i < dl; i++) {
                const w = pr * (d[i] as number);
                if (w === 0) continue;
                const x = value - b - i;
                if (x < 0) {
                  abandons -= x * w;
                  atZero += w;
                } else next[row + zero + x] = (next[row + zero + x] as number) + w;
              }
              next[row + zero] = (next[row + zero] as number) + atZero;
            }
          }
        }
        this.#mid = mid;
        this.#next = cur;
        cur = next;
        low = midLow;
        width = midWidth;
      }
      // issue-23 23-speed: over the budget already (every term added is ≥ 0: the total only grows from here).
      if (abandons - base > budget && k < this.K - 1) {
        this.stopped = true;
        break;
      }
      // Drop the values of Y no path reaches (beyond 1e−16 of mass): the lattice grows by the
      // step's spread on both sides, but the far ends hold nothing.
      let lo = width;
      let hi = -1;
      for (let j = 0; j <= n; j++)
        for (let y = 0; y < width; y++)
          if ((cur[j * width + y] as number) > 1e-16) {
            if (y < lo) lo = y;
            if (y > hi) hi = y;
          }
      if (hi < lo) continue;
      // Keep Y = 0 inside (the next step's outbound part indexes it).
      lo = Math.min(lo, -low);
      hi = Math.max(hi, -low);
      if (lo > 0 || hi < width - 1) {
        const kept = hi - lo + 1;
        for (let j = 0; j <= n; j++) cur.copyWithin(j * kept, j * width + lo, j * width + hi + 1);
        low += lo;
        width = kept;
      }
    }
    this.#cur = cur;
    return abandons;
  }

  #stepLow = 0;
  #stepWidth = 1;

  /**
   * issue-23 23-peak: one step with the outbound answers first (deadline routing): the step's
   * inbound callers take the idle agents or wait, Y₁ = Y − I_k; then with Y₁ ≥ 0,
   * X = Y₁ + S_k − D_k − B_k, abandons X⁻, Y = X⁺ (as the plain walk); with Y₁ < 0 (callers
   * waiting, nobody idle) the supply serves the outbound answers first: X = S_k − D_k − B_k,
   * abandons X⁻, Y = Y₁ + X⁺. Reads `cur` on [low, low + width), writes `this.#next` and the
   * new lattice (`#stepLow`, `#stepWidth`); returns the step's expected abandons.
   */
  #deadlineStep(k: number, n: number, cur: Float64Array, low: number, width: number, c: number): number {
    const negIn = this.#negIn[k] as Float64Array;
    const il = this.#negInLen[k] as number;
    // Y₁ = Y − I_k on [low − (il − 1), low + width − 1].
    const midLow = low - (il - 1);
    const midWidth = width + il - 1;
    const mid = grow(this.#mid, (n + 1) * midWidth);
    mid.fill(0, 0, (n + 1) * midWidth);
    for (let j = 0; j <= n; j++) {
      for (let y = 0; y < width; y++) {
        const p = cur[j * width + y] as number;
        if (p === 0) continue;
        const row = j * midWidth + y;
        for (let i = 0; i < il; i++) mid[row + i] = (mid[row + i] as number) + p * (negIn[i] as number);
      }
    }
    this.#mid = mid;
    const sd = this.#sd[k] as Float64Array;
    const sdLen = this.#sdLen[k] as number;
    const sdOffset = this.#sdOffset[k] as number;
    const sMax = Math.max(0, sdLen - 1 - sdOffset);
    // The new lattice: from midLow (callers still waiting) to the highest Y₁ plus every agent freeing.
    const nextWidth = Math.max(midWidth, 1 - midLow) + sMax;
    const next = grow(this.#next, (n + 1) * nextWidth);
    next.fill(0, 0, (n + 1) * nextWidth);
    let abandons = 0;
    const binomial = grow(this.#binomial, n + 1);
    this.#binomial = binomial;
    for (let j = 0; j <= n; j++) {
      binomialPmf(j, c, binomial);
      for (let b = 0; b <= j; b++) {
        const weightB = binomial[b] as number;
        if (weightB < 1e-15) continue;
        const row = (j - b) * nextWidth;
        for (let y = 0; y < midWidth; y++) {
          const pr = (mid[j * midWidth + y] as number) * weightB;
          if (pr === 0) continue;
          const value = y + midLow;
          const base = Math.max(0, value); // idle agents the outbound answers find
          const keep = Math.min(0, value); // inbound callers still waiting
          for (let i = 0; i < sdLen; i++) {
            const w = pr * (sd[i] as number);
            if (w === 0) continue;
            const x = base + i - sdOffset - b;
            if (x < 0) {
              abandons -= x * w;
              next[row + keep - midLow] = (next[row + keep - midLow] as number) + w;
            } else next[row + keep + x - midLow] = (next[row + keep + x - midLow] as number) + w;
          }
        }
      }
    }
    this.#next = next;
    this.#stepLow = midLow;
    this.#stepWidth = nextWidth;
    return abandons;
  }

  #normalWalk(n: number): number {
    let mean = 0;
    let variance = 0;
    let abandons = 0;
    let arrived = 0;
    for (let k = 0; k < this.K; k++) {
      const m = this.newLive[k] as number;
      const newVariance = n * ((arrived + m) * (1 - arrived - m) - arrived * (1 - arrived));
      arrived += m;
      if (this.#first[k] === false) {
        // issue-23 23-peak: Y₁ = Y − I_k; X = Y₁⁺ + S_k − D_k − B_k, abandons X⁻, Y = X⁺ − Y₁⁻ (see #deadlineStep).
        const inMean = this.#inMeanN[k] as number;
        const mean1 = mean - inMean;
        const var1 = Math.max(0, variance + inMean);
        const idle1 = positivePart(mean1, var1);
        const waiting1 = positivePart(-mean1, var1);
        const meanX = idle1.first + (this.#supMeanN[k] as number) - (this.#demMeanN[k] as number) - n * m;
        const varX = Math.max(
          0,
          idle1.second - idle1.first * idle1.first + (this.#supVarN[k] as number) + (this.#demVarN[k] as number) + Math.max(0, newVariance),
        );
        const idle = positivePart(meanX, varX);
        abandons += idle.first - meanX;
        mean = idle.first - waiting1.first;
        // The parts taken as independent (the cross moment is small where both are likely).
        variance = Math.max(0, idle.second + waiting1.second - 2 * idle.first * waiting1.first - mean * mean);
        continue;
      }
      // Y′ = Y + S_k − I_k, then X = Y′ − D_k − B_k.
      const mean1 = mean + (this.#netMeanN[k] as number);
      const var1 = Math.max(0, variance + (this.#netVarN[k] as number));
      const meanX = mean1 - (this.#demMeanN[k] as number) - n * m;
      const varX = Math.max(0, var1 + (this.#demVarN[k] as number) + Math.max(0, newVariance));
      const waiting = positivePart(-mean1, var1); // (Y′)⁻
      const idle = positivePart(meanX, varX); // (X)⁺
      abandons += idle.first - meanX - waiting.first; // E[X⁻] − E[(Y′)⁻]
      mean = idle.first - waiting.first;
      variance = Math.max(0, idle.second + waiting.second - mean * mean);
    }
    return abandons;
  }
}

/** The pmf of `certain` + Poisson(mean) on 0, 1, …, its tail below {@link POISSON_TAIL} dropped. */
export function poissonPmf(mean: number, certain = 0): Float64Array {
  const terms: number[] = [];
  if (!(mean > 0)) terms.push(1);
  else {
    let p = Math.exp(-mean);
    let cumulative = 0;
    for (let i = 0; ; i++) {
      if (i > 0) p = (p * mean) / i;
      terms.push(p);
      cumulative += p;
      if (i >= mean && 1 - cumulative < POISSON_TAIL) break;
    }
  }
  const pmf = new Float64Array(certain + terms.length);
  for (let i = 0; i < terms.length; i++) pmf[certain + i] = terms[i] as number;
  return pmf;
}
