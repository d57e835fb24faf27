/** The outbound caller's grace, ms: as the pacing estimators' (a live caller waits 2 s for an agent). */
export const DEADLINE_GRACE_MS = 2_000;

/**
 * issue-23 23-peak: which steps of the inbound-aware walk must keep inbound first, under the
 * router's deadline rule (docs/blending.md "Eleventh session").
 *
 * The router (the engine's `chooseFlow`, the simulator's `InboundQueue` `routing: 'deadline'`)
 * hands a freeing agent the outbound live caller waiting inside its grace unless the inbound
 * caller it would serve next has an answer deadline (queued-at + the answer target) that is still
 * ahead and comes no later than the outbound caller's (answer + grace). An inbound caller who
 * finds an agent idle takes it, whatever the rule. So in step k of the walk — the outbound live
 * answers placed at h_k, the supply S_k the agents freeing by h_k + grace — a waiting inbound
 * caller is served ahead of the step's outbound callers only when its deadline falls in
 * (h_{k−1}, h_k + grace] (step 0: [0, grace]); one past it has missed it, one after it waits.
 *
 * A step is *inbound first* (every waiting caller ahead, the conservative order the walk used
 * before) when it cannot be shown that no waiting caller is ahead:
 * - some caller queued now has its deadline in the step's window, or the queue's waits are not
 *   known while callers are queued (any of them might be due);
 * - a caller arriving during the walk (from time 0 on) might be due: h_k + grace ≥ the target;
 * - the step is longer than the grace (agents freeing before its outbound answers with no
 *   outbound caller waiting go to the inbound queue), or it is step 0 with callers queued (the
 *   ready agents and the agents freeing now are theirs).
 * In every other step no waiting caller is ahead of the step's outbound answers: the supply
 * serves those first, and the waiting callers take what is left.
 *
 * Never fewer ahead than the router routes ahead: a step marked `false` has no waiting caller
 * whose deadline could fall in its window (tested against the router's comparison, fast-check).
 */
export function inboundFirstSteps(
  horizonMs: ArrayLike<number>,
  queued: number,
  queuedWaitMs: readonly number[] | undefined,
  answerTargetMs: number,
  graceMs: number,
): boolean[] {
  const K = horizonMs.length;
  const steps: boolean[] = new Array(K).fill(true);
  if (!(answerTargetMs > 0)) return steps;
  const waitsKnown = queued <= 0 || (queuedWaitMs !== undefined && queuedWaitMs.length >= queued);
  if (!waitsKnown) return steps;
  for (let k = 0; k < K; k++) {
    const h = horizonMs[k] as number;
    const before = k === 0 ? 0 : (horizonMs[k - 1] as number);
    const from = k === 0 ? 0 : before; // deadlines ≤ from have passed before any routing in the step
    const to = h + graceMs;
    if (to >= answerTargetMs) continue; // a caller arriving in the walk may be due
    if (k > 0 && h - before > graceMs) continue;
    if (k === 0 && queued > 0) continue;
    let due = false;
    for (let i = 0; i < queued && !due; i++) {
      const deadline = answerTargetMs - (queuedWaitMs?.[i] ?? 0);
      if (k === 0 ? deadline >= from && deadline <= to : deadline > from && deadline <= to) due = true;
    }
    if (!due) steps[k] = false;
  }
  return steps;
}
