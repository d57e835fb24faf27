import { WalkMemo } from './walk-memo'; // issue-23 23-speed
import { addBernoulliPmf, binomialPmf, chanceGiven, differencePmf, grow, positivePart, shiftPmf } from './walk-pmf';

/**
 * The abandon risk of launching calls now, as a walk over the K horizons.
 *
 * Between horizon k−1 and k, agents free up (supply increment S_k: independent Bernoullis, one
 * per agent busy now, plus the ready agents at k = 0) and live answers arrive (demand
 * increment D_k: independent Bernoullis, one per call in flight, plus the callers already
 * waiting at k = 0). Idle agents carry over; a caller not served within the 2-s grace is
 * gone. So the idle agents R follow
 *
 *   X_k = R_{k−1} + S_k − D_k − B_k(n),   abandons_k = (X_k)⁻,   R_k = (X_k)⁺,
 *
 * with B_k(n) the live answers of the n new calls in step k (jointly multinomial: a call is
 * live in at most one step). Counting X_k⁻ as
 * lost and restarting from 0 is what removes the old model's bias (an abandoned caller never
 * takes an agent, yet the cumulative D − S kept counting it at every later horizon).
 *
 * Few terms: S_k and D_k are Poisson-binomial and the walk is computed exactly on the integer
 * lattice (convolution). Many terms: each X_k is moment-matched by a normal (Clark 1961, the
 * moments of max(0, X) in closed form), accurate once every step's spread is several calls.
 */
export class LaunchRisk {
  /** Steps (horizons). */
  K = 0;
  /** True: the lattice is exact (few terms); false: the normal walk. */
  exact = true;
  /** Scratch for the caller: calls in flight per age bin. */
  rows: Int32Array = new Int32Array(0);
  /** Live probability of a new call per step (sums to ≤ P(live)). */
  readonly newLive: number[] = [];
  // Exact: per step the pmf of S_k − D_k on offset support (value = index − offset[k]).
  readonly #net: Float64Array[] = [];
  readonly #netOffset: number[] = [];
  // Exact, while building: per step the supply and demand pmfs.
  readonly #supply: Float64Array[] = [];
  readonly #supplyLen: number[] = [];
  readonly #demand: Float64Array[] = [];
  readonly #demandLen: number[] = [];
  // Normal: per step mean and variance of S_k − D_k.
  readonly #mean: number[] = [];
  readonly #variance: number[] = [];

  /**
   * issue-23 23-speed: the complete walks' totals on the sealed picture, kept while a re-sealed
   * picture is the same bit for bit (`walk-memo.ts`). A subclass opens it when it resets or adds a
   * term and feeds it every number its walks read when it seals.
   */
  protected readonly memo = new WalkMemo();
  /** issue-23 23-speed: set by a walk that stopped early (its running total already over the budget it was given). */
  protected stopped = false;

  /** Start a picture of K steps; `exact` selects the lattice. */
  reset(K: number, exact: boolean): void {
    this.memo.open(); // issue-23 23-speed
    this.K = K;
    this.exact = exact;
    this.#groups.length = 0; // issue-22 small
    this.newLive.length = K;
    this.#mean.length = K;
    this.#variance.length = K;
    for (let k = 0; k < K; k++) {
      this.newLive[k] = 0;
      this.#mean[k] = 0;
      this.#variance[k] = 0;
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

  /** `count` agents (or waiting callers, `sign` −1) certain in step `k`. */
  addCertain(k: number, count: number, sign: 1 | -1): void {
    this.memo.open(); // issue-23 23-speed
    if (count <= 0) return;
    this.#mean[k] = (this.#mean[k] as number) + sign * count;
    if (!this.exact) return;
    if (sign > 0) shiftPmf(this.#supply, this.#supplyLen, k, count);
    else shiftPmf(this.#demand, this.#demandLen, k, count);
  }

  /** `count` independent Bernoullis with probability `q` in step `k`: supply (+1) or demand (−1). */
  addBernoulli(k: number, q: number, sign: 1 | -1, count = 1): void {
    this.memo.open(); // issue-23 23-speed
    if (!(q > 1e-12) || count <= 0) return;
    const p = Math.min(1, q);
    this.#mean[k] = (this.#mean[k] as number) + sign * count * p;
    this.#variance[k] = (this.#variance[k] as number) + count * p * (1 - p);
    if (!this.exact) return;
    if (sign > 0) addBernoulliPmf(this.#supply, this.#supplyLen, k, p, count);
    else addBernoulliPmf(this.#demand, this.#demandLen, k, p, count);
  }

  /**
   * issue-22 small — exact walk only: a group of `count` agents who each free at most once, with
   * `eventsByStep[k]` the expected number of them freeing in step k (Σ over the group's items of
   * their chance in that step). The walk carries how many have not freed yet and frees each of
   * those in step k with the group's hazard (events in k ÷ expected still busy before k): exact
   * for identical items (memoryless talk and wrap-up), and for any items it keeps each step's
   * expected frees and never frees an agent twice. Per-step pieces (two frees of one agent) and
   * one placed Bernoulli (the whole chance at one step) both misstate a single agent's timing —
   * which decides whether a small team's next call abandons (see `supply-groups.ts`).
   */
  addGroup(count: number, eventsByStep: ArrayLike<number>): void {
    this.memo.open(); // issue-23 23-speed
    if (count <= 0 || !this.exact) return;
    const hazard = new Float64Array(this.K);
    let remaining = count;
    for (let k = 0; k < this.K; k++) {
      const events = Math.max(0, eventsByStep[k] ?? 0);
      hazard[k] = chanceGiven(events, remaining); // tidy: the placement the walks use for new calls
      remaining -= events;
    }
    this.#groups.push({ count, hazard });
  }

  readonly #groups: { count: number; hazard: Float64Array }[] = [];

  /**
   * Normal walk only: `count` items whose event happens by step k with cumulative probability
   * `table[base + k]` (an agent freeing, a call answering — at most once each). The means go
   * step by step; the variances so that the running sum has the right variance at every step,
   * Q_k(1 − Q_k), instead of the larger sum of independent pieces.
   */
  addCumulative(table: Float64Array, base: number, sign: 1 | -1, count = 1): void {
    this.memo.open(); // issue-23 23-speed
    let before = 0;
    let varianceBefore = 0;
    for (let k = 0; k < this.K; k++) {
      const cumulative = Math.min(1, Math.max(before, table[base + k] as number));
      const variance = cumulative * (1 - cumulative);
      this.#mean[k] = (this.#mean[k] as number) + sign * count * (cumulative - before);
      this.#variance[k] = (this.#variance[k] as number) + count * (variance - varianceBefore);
      before = cumulative;
      varianceBefore = variance;
    }
  }

  /** Finish the picture (exact: form each step's net pmf S_k − D_k). */
  seal(): void {
    if (this.exact)
      for (let k = 0; k < this.K; k++) {
        const s = this.#supply[k] as Float64Array;
        const d = this.#demand[k] as Float64Array;
        const sl = this.#supplyLen[k] as number;
        const dl = this.#demandLen[k] as number;
        this.#net[k] = differencePmf(this.#net[k], s, sl, d, dl);
        this.#netOffset[k] = dl - 1;
        this.#netLen[k] = sl + dl - 1;
      }
    this.#sealMemo(); // issue-23 23-speed
  }

  /** issue-23 23-speed: every number the three walks read, for the memo's bit-for-bit comparison. */
  #sealMemo(): void {
    const memo = this.memo;
    this.memoHead();
    if (this.exact) {
      for (let k = 0; k < this.K; k++) {
        memo.push(this.#netOffset[k] as number);
        memo.pushAll(this.#net[k] as Float64Array, this.#netLen[k] as number);
      }
      memo.push(this.#groups.length);
      for (const g of this.#groups) {
        memo.push(g.count);
        memo.pushAll(g.hazard, g.hazard.length);
      }
    } else {
      memo.pushAll(this.#mean, this.K);
      memo.pushAll(this.#variance, this.K);
    }
    memo.seal();
  }

  /** issue-23 23-speed: what every walk reads first, pushed by each class's own memo (the steps, lattice or normal, the new calls' live chances). */
  protected memoHead(): void {
    this.memo.push(this.K);
    this.memo.push(this.exact ? 1 : 0);
    this.memo.pushAll(this.newLive, this.K);
  }

  readonly #netLen: number[] = [];

  /** Expected abandons over the K steps (old and new callers) when `n` calls are launched now. */
  totalAbandons(n: number): number {
    return this.#memoWalk(n, 0, Number.POSITIVE_INFINITY); // issue-23 23-speed: kept per sealed picture
  }

  /**
   * issue-23 23-speed: the predictive pacer's budget test, `totalAbandons(n) − base ≤ budget`, with
   * the same answer. The exact lattice walk's running total only grows (every term it adds is ≥ 0),
   * so it stops at the first step where the running total minus `base` is already over the budget:
   * the complete total could only be larger.
   */
  withinBudget(n: number, base: number, budget: number): boolean {
    return this.#memoWalk(n, base, budget) - base <= budget;
  }

  /** issue-23 23-speed: a kept total, else the walk (kept when it ran to the end). */
  #memoWalk(n: number, base: number, budget: number): number {
    const kept = this.memo.get(n);
    if (kept !== undefined) return kept;
    this.stopped = false;
    const total = this.walk(n, base, budget);
    if (!this.stopped) this.memo.set(n, total);
    return total;
  }

  /**
   * The walk of the sealed picture with `n` new calls. issue-23 23-speed: a walk may stop early, set
   * `stopped` and return its running total once that total minus `base` is over `budget` (none
   * does with an infinite budget).
   */
  protected walk(n: number, base: number, budget: number): number {
    if (!this.exact) return this.#normalWalk(n);
    return this.#groups.length > 0 ? this.#groupWalk(n) : this.#exactWalk(n, base, budget); // issue-22 small
  }

  /** Expected abandons caused by launching `n` calls now (total with them − total without). */
  launchAbandons(n: number): number {
    if (n <= 0) return 0;
    return Math.max(0, this.totalAbandons(n) - this.totalAbandons(0));
  }

  /**
   * tidy: step `k` of an exact walk — its net pmf S_k − D_k (value = index − offset) and the
   * chance that one of the `n` new calls not answered yet answers in it (`rest`: the live chance
   * not placed in the steps before).
   */
  #step(k: number, n: number, rest: number): { net: Float64Array; netLen: number; offset: number; answer: number } {
    return {
      net: this.#net[k] as Float64Array,
      netLen: this.#netLen[k] as number,
      offset: this.#netOffset[k] as number,
      answer: n > 0 ? chanceGiven(this.newLive[k] as number, rest) : 0,
    };
  }

  #idle: Float64Array = new Float64Array(16);
  #next: Float64Array = new Float64Array(16);
  /** The step's Binomial(j, c) weights (`binomialPmf`). */
  #binomial: Float64Array = new Float64Array(16);

  #exactWalk(n: number, base: number, budget: number): number {
    // Joint distribution of (idle agents r, new calls not yet answered j): each new call is
    // live in at most one step (multinomial), so j is part of the state. Flat: j·width + r.
    let width = 1;
    let cur = grow(this.#idle, n + 1);
    cur.fill(0, 0, n + 1);
    cur[n] = 1; // r = 0, j = n
    let abandons = 0;
    let rest = 1;
    for (let k = 0; k < this.K; k++) {
      const { net, netLen, offset, answer: c } = this.#step(k, n, rest); // tidy: one step set-up for both walks
      rest -= this.newLive[k] as number;
      // New idle values reach (width − 1) + (netLen − 1 − offset).
      const nextWidth = Math.max(1, width + netLen - 1 - offset);
      const next = grow(this.#next, (n + 1) * nextWidth);
      next.fill(0, 0, (n + 1) * nextWidth);
      const binomial = grow(this.#binomial, n + 1);
      this.#binomial = binomial;
      for (let j = 0; j <= n; j++) {
        // P(b of the j answer in this step) = Binomial(j, c), b = 0..j.
        binomialPmf(j, c, binomial);
        for (let bCount = 0; bCount <= j; bCount++) {
          const weightB = binomial[bCount] as number;
          if (weightB < 1e-15) continue;
          const row = (j - bCount) * nextWidth;
          for (let r = 0; r < width; r++) {
            const pr = (cur[j * width + r] as number) * weightB;
            if (pr === 0) continue;
            let atZero = 0;
            for (let i = 0; i < netLen; i++) {
              const w = pr * (net[i] as number);
              const x = r - bCount + i - offset;
              if (x < 0) {
                abandons -= x * w;
                atZero += w;
              } else next[row + x] = (next[row + x] as number) + w;
            }
            next[row] = (next[row] as number) + atZero;
          }
        }
      }
      this.#next = cur;
      cur = next;
      width = nextWidth;
      // issue-23 23-speed: over the budget already (the total only grows from here).
      if (abandons - base > budget && k < this.K - 1) {
        this.stopped = true;
        break;
      }
    }
    this.#idle = cur;
    return abandons;
  }

  /**
   * issue-22 small: the exact walk with supply groups — the state is (agents of each group still
   * busy, new calls not yet answered, idle agents). Each step first frees agents of each group
   * (binomial in those still busy, the group's hazard), then adds the step's other supply and
   * demand and the new calls' answers, as {@link #exactWalk} does.
   */
  #groupWalk(n: number): number {
    const groups = this.#groups;
    const G = groups.length;
    const radix: number[] = [];
    let combos = 1;
    let width = 1 + n;
    for (const g of groups) {
      radix.push(combos);
      combos *= g.count + 1;
      width += g.count;
    }
    for (let k = 0; k < this.K; k++) width += Math.max(0, (this.#netLen[k] as number) - 1 - (this.#netOffset[k] as number));
    const plane = (n + 1) * width;
    const cur = new Float64Array(combos * plane);
    const pre = new Float64Array(combos * plane);
    // Everyone still busy, all n new calls unanswered, no idle agent (the ready ones are in step 0's net).
    let full = 0;
    for (let g = 0; g < G; g++) full += (groups[g] as { count: number }).count * (radix[g] as number);
    cur[full * plane + n * width] = 1;
    const counts = new Int32Array(G);
    const draws = new Int32Array(G);
    let abandons = 0;
    let rest = 1;
    for (let k = 0; k < this.K; k++) {
      // Free agents of each group: pre[combo − draws][j][r + Σ draws] += P(draws) · cur[combo][j][r].
      pre.fill(0);
      for (let combo = 0; combo < combos; combo++) {
        let rem = combo;
        for (let g = G - 1; g >= 0; g--) {
          counts[g] = Math.floor(rem / (radix[g] as number));
          rem -= (counts[g] as number) * (radix[g] as number);
        }
        const src = combo * plane;
        let any = false;
        for (let i = 0; i < plane; i++)
          if ((cur[src + i] as number) !== 0) {
            any = true;
            break;
          }
        if (!any) continue;
        draws.fill(0);
        for (;;) {
          let weight = 1;
          let freed = 0;
          let target = combo;
          for (let g = 0; g < G; g++) {
            const m = counts[g] as number;
            const b = draws[g] as number;
            weight *= binomial(m, b, (groups[g] as { hazard: Float64Array }).hazard[k] as number);
            freed += b;
            target -= b * (radix[g] as number);
          }
          if (weight > 1e-15) {
            const dst = target * plane;
            for (let j = 0; j <= n; j++)
              for (let r = 0; r + freed < width; r++) {
                const v = cur[src + j * width + r] as number;
                if (v !== 0) pre[dst + j * width + r + freed] = (pre[dst + j * width + r + freed] as number) + weight * v;
              }
          }
          let g = 0;
          while (g < G && (draws[g] as number) === (counts[g] as number)) draws[g++] = 0;
          if (g === G) break;
          draws[g] = (draws[g] as number) + 1;
        }
      }
      // The step's other supply and demand, and the new calls' answers (as in #exactWalk).
      const { net, netLen, offset, answer: c } = this.#step(k, n, rest); // tidy: one step set-up for both walks
      rest -= this.newLive[k] as number;
      cur.fill(0);
      for (let combo = 0; combo < combos; combo++) {
        const base = combo * plane;
        for (let j = 0; j <= n; j++)
          for (let answered = 0; answered <= j; answered++) {
            const weightB = binomial(j, answered, c);
            if (weightB < 1e-15) continue;
            const row = base + (j - answered) * width;
            for (let r = 0; r < width; r++) {
              const pr = (pre[base + j * width + r] as number) * weightB;
              if (pr === 0) continue;
              let atZero = 0;
              for (let i = 0; i < netLen; i++) {
                const w = pr * (net[i] as number);
                if (w === 0) continue;
                const x = r - answered + i - offset;
                if (x < 0) {
                  abandons -= x * w;
                  atZero += w;
                } else cur[row + Math.min(x, width - 1)] = (cur[row + Math.min(x, width - 1)] as number) + w;
              }
              cur[row] = (cur[row] as number) + atZero;
            }
          }
      }
    }
    return abandons;
  }

  #normalWalk(n: number): number {
    let idleMean = 0;
    let idleVar = 0;
    let abandons = 0;
    // New calls: cumulative live answers by step k are Binomial(n, M_k); match that variance.
    let arrived = 0;
    for (let k = 0; k < this.K; k++) {
      const m = this.newLive[k] as number;
      const newVariance = n * ((arrived + m) * (1 - arrived - m) - arrived * (1 - arrived));
      arrived += m;
      const mean = idleMean + (this.#mean[k] as number) - n * m;
      const variance = Math.max(0, idleVar + Math.max(0, (this.#variance[k] as number) + newVariance));
      const idle = positivePart(mean, variance); // E[X⁺], E[(X⁺)²]
      abandons += idle.first - mean; // E[X⁻] = E[X⁺] − E[X]
      idleMean = idle.first;
      idleVar = Math.max(0, idle.second - idle.first * idle.first);
    }
    return abandons;
  }
}

/** P(Binomial(m, q) = b). */
function binomial(m: number, b: number, q: number): number {
  if (q <= 0) return b === 0 ? 1 : 0;
  if (q >= 1) return b === m ? 1 : 0;
  let coefficient = 1;
  for (let i = 0; i < b; i++) coefficient = (coefficient * (m - i)) / (i + 1);
  return coefficient * q ** b * (1 - q) ** (m - b);
}
