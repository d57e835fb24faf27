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
// (bisection on λ, each step a relative value iteration and a policy evaluation) took 3.5–8 s
// for 5 agents on a heavily loaded machine (bench/results/pacing-markov.json's run), and is memoised by the rounded rates and α (rates on an 8 % log grid, α rounded down on a 12 % log
// grid), so a day with settled estimates solves a handful of times. The memo is a pure
// function's cache (every solve starts from zero values): the same state always gives the same
// decision, whatever was solved before.
import { AgentState } from '@paceline/core';
import { MarkovDialerMdp, type MarkovPolicy } from './markov-dialer-mdp';
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
/** Models kept in the memo (least recently used dropped first). */
const MEMO_MODELS = 64;
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

interface MemoModel {
  readonly mdp: MarkovDialerMdp;
  readonly policies: Map<number, MarkovPolicy>;
}

/**
 * Solved policies, shared by every {@link MarkovLaunch} in the process: a policy depends only on
 * its key (each solve starts from zero values), so sharing changes no decision, only its cost.
 */
const memo = new Map<string, MemoModel>();

/**
 * The online MDP launch rule: per team size and rounded estimates, the Lagrangian policy at the
 * allowed abandon rate. One instance per pacer (the memo is its only state).
 */
export class MarkovLaunch {
  /** Solves this instance asked for (memo misses; for the bench's cost report and tests). */
  solves = 0;

  /**
   * Lines to launch now (≥ 0) under the policy for `agents` at work, the estimates and the
   * allowed abandon rate; `undefined` when the estimates cannot define the model (a mean of 0).
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
    let model = memo.get(key);
    if (model === undefined) {
      model = {
        mdp: new MarkovDialerMdp({
          agents,
          talkRate: 1_000 / talkMs,
          wrapRate: wrapMs > 0 ? 1_000 / wrapMs : Number.POSITIVE_INFINITY,
          lineRate: 1_000 / line,
          liveProbability: live,
          abandonRate: 1_000 / GRACE_MS,
          lineCap: cap,
          maxWaiting: MAX_WAITING,
        }),
        policies: new Map(),
      };
      if (memo.size >= MEMO_MODELS) memo.delete(memo.keys().next().value as string);
    } else memo.delete(key);
    memo.set(key, model); // most recently used last
    const alpha = alphaOf(allowedRate);
    if (alpha === 0) return 0; // no abandons allowed: nothing beyond the progressive floor (the caller's)
    let policy = model.policies.get(alpha);
    if (policy === undefined) {
      model.mdp.resetValues();
      policy = model.mdp.optimum(alpha, PRECISION).policy;
      this.solves++;
      model.policies.set(alpha, policy);
    }
    const { talking, wrapping, lines, waiting } = observed;
    return Math.max(0, policy.linesFor(talking, wrapping, lines, waiting) - lines);
  }
}
