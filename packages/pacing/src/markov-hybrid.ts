// issue 22 (22-hybrid5): the hybrid of the MDP policy's allocation and the walk's age-aware price.
//
// Why: on the 5-agent Markovian team the walk's own rule is the loss (22-cold: perfect estimates
// buy only 0.2–0.3 point; 22-est3: the tables 0.3): it under-launches in the states with two or
// three idle agents, where the constrained MDP's Lagrangian policy holds one line more (22-small,
// 22-markov: 17 % of warm decisions, priced by the walk at 1.3–1.9× the allowance). The MDP policy
// itself (`markovPolicy`) closes part of that gap on the Markovian teams but loses 0.6–0.7 point on
// the lognormal ones: its state is counts only (no ages) and its talk and wrap-up exponential.
//
// The hybrid keeps the walk's decision and lets the policy only ADD lines: where the policy holds
// more lines than the walk launches, each further line up to the policy's is launched while its
// own marginal price on the walk — A(k) − A(k − 1), the expected abandons it adds, its own and
// those it causes, read from the walk's age-aware tables — stays within `tolerance × allowed ×
// P(live)`. So the MDP says WHERE an extra line is worth its abandons (the structure), the walk
// says whether THIS state's agents, with their ages, make it too dear (the price). Where the
// policy holds fewer lines than the walk, the walk's decision stands.
import type { LaunchRisk } from './launch-risk';

/** The hybrid's default price tolerance (the walk's marginal price of an added line ≤ this × allowed × P(live)). */
export const HYBRID_TOLERANCE = 2;

/**
 * Lines to launch: `walkLaunch` (the walk's decision), raised towards `policyLaunch` (the MDP
 * policy's, already bounded by the caller's room) one line at a time while each added line's
 * marginal abandons on `risk` stay within `tolerance × allowed × pLive`. Never below
 * `walkLaunch`, never above `max(walkLaunch, policyLaunch)`. `tolerance` Infinity: the larger of
 * the two without a price.
 */
export function hybridLaunch(
  risk: LaunchRisk,
  walkLaunch: number,
  policyLaunch: number,
  pLive: number,
  allowed: number,
  tolerance: number,
): number {
  if (!(policyLaunch > walkLaunch)) return walkLaunch;
  if (tolerance === Number.POSITIVE_INFINITY) return policyLaunch;
  const price = tolerance * allowed * pLive;
  let n = walkLaunch;
  // The walk is convex in n (each added line's marginal price is at least the one before), so
  // the first line over the price ends the search.
  while (n < policyLaunch && risk.totalAbandons(n + 1) - risk.totalAbandons(n) <= price) n++;
  return n;
}

// issue-22 22-hybrid6: the two-sided hybrid. 22-hybrid5's form keeps the walk's launch as a floor, so
// the policy's cuts (one ready, one in wrap-up: the walk launches two, the policy one) — half of
// the policy's advantage over the walk on the Markovian small teams — were never taken. Here the
// policy's lines are followed in both directions: where it holds fewer, the walk's launch is cut
// towards it (never below the progressive floor, the lines that cannot abandon), a line kept only
// while its own marginal price on the walk is below `keep × allowed × P(live)` (`keep` 0: every
// cut followed); where it holds more, lines are added as {@link hybridLaunch} adds them.

/**
 * Lines to launch, two-sided: from `walkLaunch` towards `policyLaunch` (both already bounded by the
 * caller's room). Above: {@link hybridLaunch} on `total` (A(n), the walk's expected abandons with n
 * launched). Below: cut one line at a time down to `max(floor, policyLaunch)` while the line's own
 * marginal A(n) − A(n − 1) is at least `keep × allowed × pLive` (`keep` 0: down to that bound).
 * Never below `min(walkLaunch, max(floor, policyLaunch))`, never above `max(walkLaunch, policyLaunch)`.
 */
export function twoSidedLaunch(
  risk: Pick<LaunchRisk, 'totalAbandons'>,
  walkLaunch: number,
  policyLaunch: number,
  floor: number,
  pLive: number,
  allowed: number,
  tolerance: number,
  keep: number,
): number {
  if (policyLaunch > walkLaunch) return hybridLaunch(risk as LaunchRisk, walkLaunch, policyLaunch, pLive, allowed, tolerance);
  const bound = Math.max(floor, policyLaunch);
  if (!(walkLaunch > bound)) return walkLaunch;
  if (!(keep > 0)) return bound;
  const price = keep * allowed * pLive;
  let n = walkLaunch;
  // The walk is convex in n: once a line's marginal is under the price, every line below it is too.
  while (n > bound && risk.totalAbandons(n) - risk.totalAbandons(n - 1) >= price) n--;
  return n;
}
