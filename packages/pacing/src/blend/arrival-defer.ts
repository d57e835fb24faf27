/**
 * The arrival deferral of the blend (issue 23; 23-morning4 in the simulator, 23-router in the
 * engine's router; docs/blending.md "The arrival deferral"): an inbound caller who finds a ready
 * agent is kept off it while the outbound live answers about to connect are expected to need
 * every ready agent (`claims > ready − 1`): the caller stays first in line for the next agent to
 * free, and takes a ready agent as soon as the claims fall, and at the latest when its window
 * ends. One pure rule, run by the simulator's `InboundQueue` and the engine's `InboundRouter`.
 *
 * The window never reaches past the caller's own answer target (`targetAnswerMs − waitedMs`), so
 * a caller who would still answer within the target without the deferral keeps the chance to.
 * With `room` (the service-level room variant) a caller is kept only while the current 30-minute
 * interval's service level has room for this caller to miss: the interval's callers answered
 * within the target so far are at least the target's share of every caller offered in it — this
 * one and every caller still waiting counted as misses — plus `margin` × (1 − target) of slack.
 */
export interface ArrivalDeferView {
  /** Ready agents the caller could take now. */
  readonly ready: number;
  /** The outbound live answers expected to need an agent now: waiting ones, and those in their greeting × the human share. */
  readonly claims: number;
  /** How long the caller has waited, ms. */
  readonly waitedMs: number;
  /** Longest the rule keeps a caller off a ready agent, counted from its arrival, ms. */
  readonly maxMs: number;
  /** The queue's service-level answer time, ms. */
  readonly targetAnswerMs: number;
  /** The service-level room variant: the current interval's counts (undefined: no room check). */
  readonly room?: ServiceLevelRoom | undefined;
}

/** The current 30-minute interval of a queue, for {@link ArrivalDeferView.room}. */
export interface ServiceLevelRoom {
  /** The service-level target share, e.g. 0.8. */
  readonly target: number;
  /** Callers offered in the interval so far, this caller included. */
  readonly offered: number;
  /** Of them, answered within the answer time. */
  readonly answeredInTarget: number;
  /** Slack above the target as a share of (1 − target): 0 — keep while the interval stays at the target. */
  readonly margin?: number;
}

/**
 * How much longer, ms, the caller is kept off the ready agents (0: it takes one now). Pure.
 * A positive answer is the rest of the caller's window: the caller is offered again then (and
 * earlier whenever the claims may have fallen).
 */
export function arrivalDeferMs(view: ArrivalDeferView): number {
  const { ready, claims, waitedMs, maxMs, targetAnswerMs, room } = view;
  if (ready <= 0 || !(claims > ready - 1)) return 0;
  const rest = Math.min(maxMs, targetAnswerMs) - waitedMs;
  if (!(rest > 0)) return 0;
  if (room !== undefined && !hasRoom(room)) return 0;
  return rest;
}

/** True while the interval's answered-within-target count covers the target (and margin) of every caller offered in it. */
export function hasRoom({ target, offered, answeredInTarget, margin = 0 }: ServiceLevelRoom): boolean {
  const need = target + Math.max(0, margin) * (1 - target);
  return answeredInTarget >= need * offered;
}

/**
 * The expected live claims of an outbound campaign's calls in flight: every live answer waiting
 * for an agent, and every answered call in its greeting (call analysis) × the share of answers
 * found human so far (prior 3 in 4). Ringing calls do not count (measured: counting them costs
 * 1.6–3.1 points of the day's service level, docs/blending.md "Fourteenth session").
 */
export function expectedLiveClaims(waiting: number, inGreeting: number, liveAnswers: number, answered: number): number {
  return waiting + inGreeting * ((liveAnswers + 3) / (answered + 4));
}
