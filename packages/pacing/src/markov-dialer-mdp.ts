// The physical limit of pacing, for Markovian variants of the scenarios: the constrained
// average-reward MDP of a dialer, solved exactly by Lagrangian relative value iteration.
//
// Model (continuous time, uniformised): N agents, each talking (rate μ_T to end), in wrap-up
// (rate μ_W) or idle; l lines in flight, each resolving at rate ν, live with probability p (a
// live answer takes an idle agent, or waits; a waiting caller hangs up at rate θ = 1/grace);
// q callers waiting. At every event the dialer may launch lines (l + q ≤ cap). Maximise the
// mean number of agents talking subject to abandons ≤ α × live answers.
//
// The dialer's observation is (talking, wrap-up, lines, waiting) — exact when live and non-live
// lines share one delay distribution (the lines are then exchangeable, and their count is a
// sufficient statistic). Full information (`fullInformation`): the dialer knows at launch which
// lines will be live and non-live lines do not count against the cap — an upper bound.
//
// Lagrangian: reward rate talking − λ·(abandon rate − α·live rate). For each λ, relative value
// iteration gives a deterministic optimal policy; bisection on λ finds the two policies that
// bracket the constraint, and mixing them (the occupation measures are convex) meets it exactly.

/** The Markovian model's parameters (rates per second). */
export interface MarkovDialer {
  readonly agents: number;
  /** 1 / mean talk, 1 / mean wrap-up (Infinity: no wrap-up). */
  readonly talkRate: number;
  readonly wrapRate: number;
  /** 1 / mean line time (answer delay = non-live line time). */
  readonly lineRate: number;
  /** P(a line is a live answer). */
  readonly liveProbability: number;
  /** 1 / mean patience of a waiting caller (the abandon grace, exponential). */
  readonly abandonRate: number;
  /** Max lines in flight (calls waiting included): maxLinesPerAgent × agents. */
  readonly lineCap: number;
  /** Max callers waiting (beyond: abandoned at once). */
  readonly maxWaiting: number;
  /** The dialer knows which lines will be live, and dead lines are free (an upper bound). */
  readonly fullInformation?: boolean;
}

/** One stationary policy's performance. */
export interface PolicyPerformance {
  /** Mean agents talking / agents. */
  readonly talkFraction: number;
  /** Abandons / live answers. */
  readonly abandonRate: number;
  /** Live answers per second. */
  readonly liveRate: number;
}

/** The optimum at one abandon target. */
export interface Optimum extends PolicyPerformance {
  readonly target: number;
  /** The Lagrange multiplier at the optimum. */
  readonly lambda: number;
  /** The deterministic policy on the safe side (abandons ≤ target): lines to hold per state. */
  readonly policy: MarkovPolicy;
  /** That policy's own performance (what the simulator should reproduce when it runs it). */
  readonly policyPerformance: PolicyPerformance;
}

/** A deterministic policy: the lines in flight to hold after a decision, per observed state. */
export interface MarkovPolicy {
  /** Lines to hold (≥ the lines in flight) when `talking`, `wrapping`, `lines`, `waiting` are observed. */
  linesFor(talking: number, wrapping: number, lines: number, waiting: number): number;
}

/** The state space: index of (t, w, l, q), t + w ≤ N, q > 0 only when no agent is idle. */
class StateSpace {
  readonly index: Int32Array;
  readonly t: number[] = [];
  readonly w: number[] = [];
  readonly l: number[] = [];
  readonly q: number[] = [];
  readonly size: number;
  readonly #dims: [number, number, number, number];

  constructor(readonly m: MarkovDialer) {
    const N = m.agents;
    const W = Number.isFinite(m.wrapRate) ? N : 0;
    this.#dims = [N + 1, W + 1, m.lineCap + 1, m.maxWaiting + 1];
    this.index = new Int32Array(this.#dims.reduce((a, b) => a * b, 1)).fill(-1);
    for (let t = 0; t <= N; t++)
      for (let w = 0; w <= W && t + w <= N; w++)
        for (let q = 0; q <= (t + w === N ? m.maxWaiting : 0); q++)
          for (let l = 0; l + q <= m.lineCap; l++) {
            this.index[this.key(t, w, l, q)] = this.t.length;
            this.t.push(t);
            this.w.push(w);
            this.l.push(l);
            this.q.push(q);
          }
    this.size = this.t.length;
  }

  key(t: number, w: number, l: number, q: number): number {
    const [, dw, dl, dq] = this.#dims;
    return ((t * dw + w) * dl + l) * dq + q;
  }

  at(t: number, w: number, l: number, q: number): number {
    return this.index[this.key(t, w, l, q)] as number;
  }
}

/** Transitions of one post-decision state: targets, probabilities (per uniformised step), and per-step abandon/live counts. */
interface Chain {
  readonly uniform: number;
  readonly from: Int32Array; // CSR offsets
  readonly to: Int32Array;
  readonly prob: Float64Array;
  /** Expected per step: talking agents, abandons, live answers. */
  readonly talk: Float64Array;
  readonly abandons: Float64Array;
  readonly live: Float64Array;
}

function buildChain(space: StateSpace): Chain {
  const m = space.m;
  const N = m.agents;
  const wrap = Number.isFinite(m.wrapRate);
  const p = m.fullInformation ? 1 : m.liveProbability;
  const uniform = 1.02 * (N * Math.max(m.talkRate, wrap ? m.wrapRate : 0) + m.lineCap * m.lineRate + m.maxWaiting * m.abandonRate);
  const from = new Int32Array(space.size + 1);
  const to: number[] = [];
  const prob: number[] = [];
  const talk = new Float64Array(space.size);
  const abandons = new Float64Array(space.size);
  const live = new Float64Array(space.size);
  for (let s = 0; s < space.size; s++) {
    const t = space.t[s] as number;
    const w = space.w[s] as number;
    const l = space.l[s] as number;
    const q = space.q[s] as number;
    const idle = N - t - w;
    const out = new Map<number, number>();
    const add = (target: number, rate: number) => out.set(target, (out.get(target) ?? 0) + rate / uniform);
    let abandonRate = q * m.abandonRate;
    if (l > 0) {
      const resolve = l * m.lineRate;
      live[s] = (resolve * p) / uniform;
      if (idle > 0) add(space.at(t + 1, w, l - 1, q), resolve * p);
      else if (q < m.maxWaiting) add(space.at(t, w, l - 1, q + 1), resolve * p);
      else {
        add(space.at(t, w, l - 1, q), resolve * p);
        abandonRate += resolve * p;
      }
      if (p < 1) add(space.at(t, w, l - 1, q), resolve * (1 - p));
    }
    if (t > 0) {
      const end = t * m.talkRate;
      if (wrap) add(space.at(t - 1, w + 1, l, q), end);
      else if (q > 0) add(space.at(t, w, l, q - 1), end);
      else add(space.at(t - 1, w, l, q), end);
    }
    if (wrap && w > 0) {
      const end = w * m.wrapRate;
      if (q > 0) add(space.at(t + 1, w - 1, l, q - 1), end);
      else add(space.at(t, w - 1, l, q), end);
    }
    if (q > 0) add(space.at(t, w, l, q - 1), q * m.abandonRate);
    abandons[s] = abandonRate / uniform;
    talk[s] = t / uniform;
    let total = 0;
    for (const [target, pr] of out) {
      if (target < 0) throw new Error(`internal: transition out of the state space from (${t}, ${w}, ${l}, ${q})`);
      to.push(target);
      prob.push(pr);
      total += pr;
    }
    to.push(s);
    prob.push(1 - total);
    from[s + 1] = to.length;
  }
  return { uniform, from, to: Int32Array.from(to), prob: Float64Array.from(prob), talk, abandons, live };
}

/** How closely {@link MarkovDialerMdp.optimum} solves (the defaults: the bench's exact optimum). */
export interface OptimumPrecision {
  /** Relative value iteration stops when the span of a step's change is below this. */
  readonly valueTolerance?: number;
  /** A policy's stationary distribution: power iteration stops when the L1 change is below this. */
  readonly evaluationTolerance?: number;
  /** Bisection on λ stops when the bracket is narrower than this fraction of λ. */
  readonly lambdaTolerance?: number;
}

/** A solver for one Markovian dialer: policies for multipliers λ and the optimum at a target. */
export class MarkovDialerMdp {
  readonly space: StateSpace;
  readonly chain: Chain;
  #values: Float64Array<ArrayBufferLike>;

  constructor(readonly model: MarkovDialer) {
    this.space = new StateSpace(model);
    this.chain = buildChain(this.space);
    this.#values = new Float64Array(this.space.size);
  }

  /**
   * The optimal deterministic policy for reward talk − λ(abandons − α·live), by relative value
   * iteration (warm-started from the last solve). Returns, per state, the post-decision state.
   */
  solve(lambda: number, target: number, tolerance = 1e-8, maxIterations = 200_000): Int32Array {
    return drain(this.solveSteps(lambda, target, tolerance, maxIterations));
  }

  /**
   * {@link solve}, one sweep of the chain at a time: yields the edges each sweep visited (the
   * unit of work an online caller budgets) and returns the policy. issue-22 22-markov: a host
   * steps this a bounded amount per decision, so no decision waits for a whole solve.
   */
  *solveSteps(lambda: number, target: number, tolerance = 1e-8, maxIterations = 200_000): Generator<number, Int32Array> {
    const { space, chain } = this;
    const n = space.size;
    const reward = this.#rewards(lambda, target);
    let h: Float64Array = this.#values;
    let next: Float64Array = new Float64Array(n);
    const post = new Float64Array(n);
    const choice = new Int32Array(n);
    const m = this.model;
    for (let iter = 0; iter < maxIterations; iter++) {
      // Value of each post-decision state: reward for one step, then the chain moves.
      for (let s = 0; s < n; s++) {
        let v = reward[s] as number;
        for (let e = chain.from[s] as number; e < (chain.from[s + 1] as number); e++)
          v += (chain.prob[e] as number) * (h[chain.to[e] as number] as number);
        post[s] = v;
      }
      // Decision: hold any l' ≥ l (l' + q ≤ cap); a suffix maximum over l'.
      for (let s = n - 1; s >= 0; s--) {
        const l = space.l[s] as number;
        const q = space.q[s] as number;
        if (l + q >= m.lineCap) {
          next[s] = post[s] as number;
          choice[s] = s;
        } else {
          const up = space.at(space.t[s] as number, space.w[s] as number, l + 1, q);
          // l is the innermost index, so (t, w, l + 1, q) is s + 1, already decided in this reverse sweep.
          const best = next[up] as number;
          if ((post[s] as number) >= best - 1e-15) {
            next[s] = post[s] as number;
            choice[s] = s;
          } else {
            next[s] = best;
            choice[s] = choice[up] as number;
          }
        }
      }
      const offset = next[0] as number;
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let s = 0; s < n; s++) {
        const d = (next[s] as number) - offset - (h[s] as number);
        if (d < lo) lo = d;
        if (d > hi) hi = d;
        next[s] = (next[s] as number) - offset;
      }
      [h, next] = [next, h];
      this.#values = h; // kept current: a caller may stop stepping between sweeps
      if (hi - lo < tolerance) break;
      yield chain.to.length;
    }
    this.#values = h;
    return choice;
  }

  /**
   * The post-decision values of reward talk − λ(abandons − α·live) at the policy {@link solve}
   * converges to (relative: one common offset): for each state, one step's reward and the chain's
   * move, valued by the solve's relative values. A decision in state s is worth
   * max over the lines it may hold of these values; what it held is worth less by the difference
   * (22-st3m's `bench/optimum/decision-values.ts` prices a pacer's decisions by it).
   */
  postDecisionValues(lambda: number, target: number, tolerance = 1e-9, maxIterations = 400_000): Float64Array {
    this.solve(lambda, target, tolerance, maxIterations);
    const { space, chain } = this;
    const h = this.#values;
    const post = this.#rewards(lambda, target);
    for (let s = 0; s < space.size; s++) {
      let v = post[s] as number;
      for (let e = chain.from[s] as number; e < (chain.from[s + 1] as number); e++)
        v += (chain.prob[e] as number) * (h[chain.to[e] as number] as number);
      post[s] = v;
    }
    return post;
  }

  /** Long-run performance of a policy (post-decision state per state), by power iteration of its chain. */
  evaluate(choice: Int32Array, tolerance = 1e-10, maxIterations = 400_000): PolicyPerformance {
    return drain(this.evaluateSteps(choice, tolerance, maxIterations));
  }

  /** {@link evaluate}, one sweep at a time (yields the edges each sweep visited). */
  *evaluateSteps(choice: Int32Array, tolerance = 1e-10, maxIterations = 400_000): Generator<number, PolicyPerformance> {
    const { space, chain } = this;
    const n = space.size;
    // Stationary distribution of the post-decision chain: s → (event) → s'' → choice[s''].
    let pi: Float64Array = new Float64Array(n);
    let next: Float64Array = new Float64Array(n);
    pi[choice[0] as number] = 1;
    for (let iter = 0; iter < maxIterations; iter++) {
      next.fill(0);
      for (let s = 0; s < n; s++) {
        const mass = pi[s] as number;
        if (mass === 0) continue;
        for (let e = chain.from[s] as number; e < (chain.from[s + 1] as number); e++) {
          const target = choice[chain.to[e] as number] as number;
          next[target] = (next[target] as number) + mass * (chain.prob[e] as number);
        }
      }
      let diff = 0;
      for (let s = 0; s < n; s++) diff += Math.abs((next[s] as number) - (pi[s] as number));
      [pi, next] = [next, pi];
      if (diff < tolerance) break;
      yield chain.to.length;
    }
    let talk = 0;
    let abandons = 0;
    let live = 0;
    for (let s = 0; s < n; s++) {
      const mass = pi[s] as number;
      talk += mass * (chain.talk[s] as number);
      abandons += mass * (chain.abandons[s] as number);
      live += mass * (chain.live[s] as number);
    }
    const u = chain.uniform;
    return { talkFraction: (talk * u) / this.model.agents, abandonRate: live > 0 ? abandons / live : 0, liveRate: live * u };
  }

  /**
   * The optimum at abandon target α: the most talk any policy (randomised between two
   * deterministic ones) reaches with abandons ≤ α × live answers.
   */
  optimum(target: number, precision: OptimumPrecision = {}): Optimum {
    return drain(this.optimumSteps(target, precision));
  }

  /** {@link optimum}, one sweep at a time (yields the edges each sweep visited); the same arithmetic. */
  *optimumSteps(target: number, precision: OptimumPrecision = {}): Generator<number, Optimum> {
    const run = (lambda: number) => this.#run(lambda, target, precision);
    let lo = 0;
    let hi = 1;
    let safe = yield* run(hi);
    while (safe.perf.abandonRate > target && hi < 1e7) {
      lo = hi;
      hi *= 4;
      safe = yield* run(hi);
    }
    let bold = yield* run(lo);
    if (bold.perf.abandonRate <= target) return this.#optimumOf(target, lo, bold.perf, bold.choice);
    const lambdaTolerance = precision.lambdaTolerance ?? 1e-3;
    for (let i = 0; i < 30 && hi - lo > lambdaTolerance * hi && bold.perf.talkFraction - safe.perf.talkFraction > 1e-4; i++) {
      const mid = (lo + hi) / 2;
      const r = yield* run(mid);
      if (r.perf.abandonRate > target) {
        lo = mid;
        bold = r;
      } else {
        hi = mid;
        safe = r;
      }
    }
    // Mix the two policies so the constraint binds: slack = abandons − α·live, linear in the mix.
    const slackBold = bold.perf.abandonRate * bold.perf.liveRate - target * bold.perf.liveRate;
    const slackSafe = safe.perf.abandonRate * safe.perf.liveRate - target * safe.perf.liveRate;
    const weight = slackBold - slackSafe !== 0 ? slackBold / (slackBold - slackSafe) : 1; // weight of the safe policy (time share)
    const talk = weight * safe.perf.talkFraction + (1 - weight) * bold.perf.talkFraction;
    const liveRate = weight * safe.perf.liveRate + (1 - weight) * bold.perf.liveRate;
    const abandons = weight * safe.perf.abandonRate * safe.perf.liveRate + (1 - weight) * bold.perf.abandonRate * bold.perf.liveRate;
    return {
      target,
      lambda: hi,
      talkFraction: talk,
      abandonRate: liveRate > 0 ? abandons / liveRate : 0,
      liveRate,
      policy: policyOf(this.space, safe.choice),
      policyPerformance: safe.perf,
    };
  }

  *#run(lambda: number, target: number, precision: OptimumPrecision): Generator<number, { choice: Int32Array; perf: PolicyPerformance }> {
    const choice = yield* this.solveSteps(lambda, target, precision.valueTolerance);
    return { choice, perf: yield* this.evaluateSteps(choice, precision.evaluationTolerance) };
  }

  /** Forget the values the last solve left (the next solve starts from zero, as the first did). */
  resetValues(): void {
    this.#values.fill(0);
  }

  /** One step's reward per post-decision state: talk − λ(abandons − α·live). */
  #rewards(lambda: number, target: number): Float64Array {
    const { chain } = this;
    const reward = new Float64Array(this.space.size);
    for (let s = 0; s < reward.length; s++)
      reward[s] = (chain.talk[s] as number) - lambda * ((chain.abandons[s] as number) - target * (chain.live[s] as number));
    return reward;
  }

  #optimumOf(target: number, lambda: number, perf: PolicyPerformance, choice: Int32Array): Optimum {
    return { target, lambda, ...perf, policy: policyOf(this.space, choice), policyPerformance: perf };
  }
}

/** Runs a stepping solve to its end. */
function drain<T>(steps: Generator<number, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

function policyOf(space: StateSpace, choice: Int32Array): MarkovPolicy {
  const m = space.m;
  return {
    linesFor(talking, wrapping, lines, waiting) {
      const t = Math.min(talking, m.agents);
      const w = Math.min(wrapping, m.agents - t);
      const q = t + w === m.agents ? Math.min(waiting, m.maxWaiting) : 0;
      const l = Math.min(lines, m.lineCap - q);
      const s = space.at(t, w, l, q);
      if (s < 0) return lines;
      return Math.max(lines, space.l[choice[s] as number] as number);
    },
  };
}
