// issue 22 (22-markov): the small team's launch rule from the exact constrained MDP of a dialer,
// solved online from the rates the pacer ESTIMATES (never a scenario's true parameters).
//
// Why: the predictive pacer's budget test prices every launch against the same allowance
// (abandons ≤ allowed × expected live answers). On small teams that spends the budget in the
// wrong states: against the exact optimum of the Markovian variants it under-dials in 17 % of
// decisions (two or more idle agents with as many lines in flight) and over-dials where one
// agent is free and the rest are busy. The optimum is a Lagrangian policy: in each observed state
// (talking, wrap-up, lines, waiting) it holds the lines that maximise the long-run
// talk − λ·(abandons − α·live answers), so the abandons go where the marginal talk per abandon is
// highest. Here that policy is solved for the model the estimators see: exponential talk,
// wrap-up and line times with the estimated means, the estimated live probability, a waiting
// caller's patience the 2-s grace. α is the governor's allowed rate of the moment (so the
// realised rate is still steered under the target by the window's own feedback), and λ is the
// smallest multiplier whose policy keeps the model's long-run abandons within α (bisection; the
// deterministic policy on the safe side of the constraint).
//
// Cost: a few hundred states for a team of ≤ 8 agents (660 for 5 agents with a wrap-up); a solve
// (bisection on λ, each step a relative value iteration and a policy evaluation) takes 0.4–1.7 s
// for 3 agents and 6–7 s for 5 at load ~2. issue-22 22-markov (second session): it is never
// run whole inside a decision — each decision steps it by a bounded budget of work (edges of the
// chain visited, 1.5 M: measured 13–26 ms mean, 40–131 ms at most at load ~4, up to 0.59 s at load
// ~20, for 3–5 agents on 2 shared cores — bounded, not yet small; `markovWorkPerDecision` sets it) and the walk decides until the policy is paid for; then the
// policy at the largest solved α' ≤ α decides. Solves are memoised by the rounded rates and α
// (rates on an 8 % log grid, α rounded down on a 12 % log grid) process-wide, each from zero values
// on its own solver, and each instance pays a solve's work from its own budget before it uses it:
// the memo saves CPU without changing any instance's decisions (seeded runs replay exactly).
import { AgentState } from '@paceline/core';
import { type MarkovDialer, MarkovDialerMdp, type MarkovPolicy, type Optimum } from './markov-dialer-mdp';
import { type FrozenAbandons, frozenAbandons } from './markov-forecast'; // issue-22 22-mdpcal: the policy's own forecast
import type { ModelEstimates } from './model-estimates';
import type { PacerState } from './pacer';

/** Teams up to this many agents at work use the MDP policy (its states grow as agents² × lines). */
export const MARKOV_MAX_AGENTS = 8;

/** The abandon grace (DESIGN.md: 2 s); in the model a waiting caller's patience is exponential with this mean. */
const GRACE_MS = 2_000;
/** Callers waiting at once in the model (more are abandoned at once; with a 2-s grace 4 are rare). */
const MAX_WAITING = 4;
/** Rates are rounded on a log grid of this ratio before the solve (the memo's key). */
const RATE_GRID = Math.log(1.08);
/** α is rounded down on a log grid of this ratio from {@link ALPHA_BASE} (a policy is never solved for more than allowed). */
const ALPHA_GRID = Math.log(1.12);
const ALPHA_BASE = 0.001;
/** Models whose solved policies an instance keeps (oldest dropped first). */
const MEMO_MODELS = 64;
/** Solves kept in the process-wide memo (oldest dropped first). */
const MEMO_SOLVES = 256;
/** An online solve's precision: the policy, not the optimum's fourth digit, is what is used. */
const PRECISION = { valueTolerance: 1e-6, evaluationTolerance: 1e-7, lambdaTolerance: 0.02 } as const;

/** The observed state of a small team, as the MDP sees it. */
export interface MarkovObservation {
  readonly talking: number;
  readonly wrapping: number;
  /** Calls in flight that are not a caller waiting for an agent. */
  readonly lines: number;
  readonly waiting: number;
}

/** What the dialer observes, counted from the pacer's state (agents leaving are not at work). */
export function observeMarkov(state: PacerState): MarkovObservation {
  let talking = 0;
  let wrapping = 0;
  for (const a of state.agents) {
    if (a.leaving === true) continue;
    if (a.state === AgentState.OnCall || a.state === AgentState.Reserved) talking++;
    else if (a.state === AgentState.WrapUp) wrapping++;
  }
  let waiting = 0;
  for (const c of state.calls) if (c.phase === 'waiting') waiting++;
  return { talking, wrapping, lines: state.calls.length - waiting, waiting };
}

const round = (x: number): number => Math.exp(Math.round(Math.log(x) / RATE_GRID) * RATE_GRID);

/** α rounded down on the log grid (0 below its base: no abandons allowed). */
function alphaOf(allowedRate: number): number {
  if (!(allowedRate >= ALPHA_BASE)) return 0;
  return ALPHA_BASE * Math.exp(Math.floor(Math.log(allowedRate / ALPHA_BASE) / ALPHA_GRID + 1e-9) * ALPHA_GRID);
}

/** One solve: for a model key and α, stepped by the pacers that need it until it returns. */
interface Solve {
  readonly steps: Generator<number, Optimum>;
  /** Edges visited so far (the work done). */
  work: number;
  /** The policy once the solve has returned. */
  policy?: MarkovPolicy;
}

/**
 * Solves, shared by every {@link MarkovLaunch} in the process. A solve's result and the work it
 * takes depend only on its key (each runs on its own solver from zero values), and an instance
 * uses a policy only once it has itself spent that solve's work from its per-decision budget
 * (see {@link MarkovLaunch.launch}): sharing saves CPU, and changes no instance's decisions.
 */
const memo = new Map<string, Solve>();

/** The per-decision work budget (edges visited) an online solve may spend (bench:pacing-speed: 13–26 ms a decision at load ~4, ≈ 0.1 s at load ~20). */
export const MARKOV_WORK_PER_DECISION = 1_500_000;

/**
 * The online MDP launch rule: per team size and rounded estimates, the Lagrangian policy at the
 * allowed abandon rate. One instance per pacer.
 *
 * issue-22 22-markov: the solve never blocks a decision. Each decision spends at most
 * `workPerDecision` (edges of the chain visited) on the solve it needs, then launches by the
 * policy for its model at the largest allowed rate ≤ α this instance has finished; with none
 * `launch` returns `undefined` (the caller's walk decides). So decisions depend on the
 * instance's history (what it has solved), deterministically: a seeded run replays exactly.
 */
export class MarkovLaunch {
  /** Solves this instance finished (for the bench's cost report and tests). */
  solves = 0;
  /** Decisions that spent work on a solve, and the work they spent (edges). */
  busyDecisions = 0;
  work = 0;
  /** Work this instance has spent per solve key (a solve is usable once this reaches its total). */
  readonly #spent = new Map<string, number>();
  /** α of the finished solves per model key, and their policies. */
  readonly #ready = new Map<string, Map<number, MarkovPolicy>>();
  /** issue-22 22-mdpcal: the frozen chains' expected abandons per model key, and the last policy launch's. */
  readonly #frozen = new Map<string, FrozenAbandons>();
  #last: FrozenAbandons | undefined;

  constructor(readonly workPerDecision = MARKOV_WORK_PER_DECISION) {}

  /**
   * Lines to launch now (≥ 0) under the policy for `agents` at work, the estimates and the
   * allowed abandon rate; `undefined` when the estimates cannot define the model (a mean of 0)
   * or no policy for this model at or below α is solved yet.
   */
  launch(observed: MarkovObservation, agents: number, est: ModelEstimates, allowedRate: number, cap: number): number | undefined {
    const p = est.liveProbability;
    const lineMs = p * est.meanLiveDelayMs + (1 - p) * est.meanNonLiveMs;
    if (!(p > 0 && p <= 1 && lineMs > 0 && est.meanTalkMs > 0) || agents < 1) return undefined;
    const talkMs = round(est.meanTalkMs);
    const wrapMs = est.meanWrapMs > 0 ? round(est.meanWrapMs) : 0;
    const line = round(lineMs);
    const live = Math.min(1, round(p));
    const key = `${agents}/${cap}/${talkMs}/${wrapMs}/${line}/${live}`;
    const alpha = alphaOf(allowedRate);
    if (alpha === 0) return 0; // no abandons allowed: nothing beyond the progressive floor (the caller's)
    const model: MarkovDialer = {
      agents,
      talkRate: 1_000 / talkMs,
      wrapRate: wrapMs > 0 ? 1_000 / wrapMs : Number.POSITIVE_INFINITY,
      lineRate: 1_000 / line,
      liveProbability: live,
      abandonRate: 1_000 / GRACE_MS,
      lineCap: cap,
      maxWaiting: MAX_WAITING,
    };
    let ready = this.#ready.get(key);
    if (ready?.has(alpha) !== true) {
      const policy = this.#step(`${key}@${alpha}`, model, alpha);
      if (policy !== undefined) {
        if (ready === undefined) {
          ready = new Map();
          if (this.#ready.size >= MEMO_MODELS) this.#ready.delete(this.#ready.keys().next().value as string);
          this.#ready.set(key, ready);
        }
        ready.set(alpha, policy);
        this.solves++;
      }
    }
    // The policy at the largest solved α' ≤ α (on the safe side of what is allowed now).
    let best: MarkovPolicy | undefined;
    let bestAlpha = -1;
    if (ready !== undefined)
      for (const [a, policy] of ready)
        if (a <= alpha && a > bestAlpha) {
          bestAlpha = a;
          best = policy;
        }
    if (best === undefined) return undefined;
    this.#last = this.#frozenFor(key, model); // issue-22 22-mdpcal
    const { talking, wrapping, lines, waiting } = observed;
    return Math.max(0, best.linesFor(talking, wrapping, lines, waiting) - lines);
  }

  /**
   * issue-22 22-mdpcal: the policy's own forecast of launching `n` lines in `observed` — the
   * expected abandons they add in the model of the last {@link launch} that returned a policy's
   * lines (`markov-forecast.ts`; 0 before any). Raw: the run-learnt scale is the caller's.
   */
  forecast(observed: MarkovObservation, n: number): number {
    if (this.#last === undefined || !(n > 0)) return 0;
    const { talking, wrapping, lines, waiting } = observed;
    return this.#last.launch(talking, wrapping, lines, waiting, n);
  }

  /** The frozen chain of a model (a pass of dynamic programming, kept per model key). */
  #frozenFor(key: string, model: MarkovDialer): FrozenAbandons {
    let f = this.#frozen.get(key);
    if (f === undefined) {
      f = frozenAbandons(model);
      if (this.#frozen.size >= MEMO_MODELS) this.#frozen.delete(this.#frozen.keys().next().value as string);
      this.#frozen.set(key, f);
    }
    return f;
  }

  /** Spends this decision's budget on the solve `id`; its policy once this instance has paid for all of it. */
  #step(id: string, model: MarkovDialer, alpha: number): MarkovPolicy | undefined {
    let solve = memo.get(id);
    if (solve === undefined) {
      solve = { steps: new MarkovDialerMdp(model).optimumSteps(alpha, PRECISION), work: 0 };
      if (memo.size >= MEMO_SOLVES) memo.delete(memo.keys().next().value as string);
      memo.set(id, solve);
    }
    const spent = this.#spent.get(id) ?? 0;
    // This instance pays for the solve's work in order, `workPerDecision` a decision: work another
    // instance already did costs no CPU, the rest is done now (a sweep at a time). So when it may use
    // the policy depends only on its own decisions, not on what else ran in the process.
    let mine = spent;
    let budget = this.workPerDecision;
    let cpu = 0;
    for (;;) {
      const pay = Math.min(budget, Math.max(0, solve.work - mine));
      mine += pay;
      budget -= pay;
      if (budget <= 0 || solve.policy !== undefined || cpu >= this.workPerDecision) break;
      const r = solve.steps.next();
      if (r.done === true) solve.policy = r.value.policy;
      else {
        solve.work += r.value;
        cpu += r.value;
      }
    }
    if (mine > spent) this.busyDecisions++;
    this.work += cpu;
    if (solve.policy !== undefined && mine >= solve.work) {
      this.#spent.delete(id);
      return solve.policy;
    }
    this.#spent.set(id, mine);
    if (this.#spent.size > MEMO_SOLVES) this.#spent.delete(this.#spent.keys().next().value as string);
    return undefined;
  }
}
