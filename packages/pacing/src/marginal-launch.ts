import { largestFitting } from './largest-fitting';
import type { LaunchRisk } from './launch-risk';

/**
 * The most calls (≤ `room`, ≥ `floor`) such that the last one's marginal expected abandons —
 * A(n) − A(n − 1), its own and those it causes, from the walk — stay within `allowed × pLive`.
 *
 * Why marginal (issue 22, small teams): the constrained average-reward optimum (the Lagrangian
 * of talk − λ·(abandons − α·live), `markov-dialer-mdp.ts`) is a function of the state
 * after the decision, and it holds a line exactly when that line's own marginal price is below
 * one threshold. The average test `A(n) − A(0) ≤ allowed × pLive × n` is not: the free calls up
 * to the progressive floor (lines for ready agents cannot abandon) each bring a call's worth of
 * budget to the extra calls launched with them, so the same post-decision state was accepted
 * when reached from fewer lines (one ready agent and one in wrap-up: the second line launched
 * with the first, ≈ 0.07 abandons per live answer) and refused when reached from more (two ready
 * agents with two lines: a third line at ≈ 0.05). State by state against the exact optimal
 * policy on small-team-5-markov, 17% of the decisions launched fewer than the optimum, nearly
 * all in the second kind of state, and 1% more, in the first.
 *
 * The feasible launches form a prefix (each extra call's marginal price is at least the one
 * before: the walk is convex in n), so the same search as the average test: `largestFitting`.
 */
export function largestWithinMarginalPrice(risk: LaunchRisk, pLive: number, allowed: number, room: number, floor: number): number {
  const price = allowed * pLive;
  const fits = (n: number) => n <= floor || risk.totalAbandons(n) - risk.totalAbandons(n - 1) <= price;
  return largestFitting(fits, room, floor);
}
