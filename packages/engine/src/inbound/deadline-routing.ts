import type { QueueStats } from './queue-stats';

/**
 * Deadline routing for blended agents (issue 23): when an agent frees while an outbound live
 * answer waits inside its 2-second connect deadline and inbound callers queue, the agent takes
 * the caller whose deadline comes first —
 * - the outbound caller's deadline is the call machine's `deadlineOf` (greeting end + 2 s: the
 *   FTC TSR 310.4(b)(4)(iii) connect rule; past it the call is abandoned);
 * - the inbound caller's is queued-at + its queue's service-level answer target (e.g. 20 s).
 * A tie goes to inbound. A deadline already passed no longer counts: an inbound caller past the
 * target has missed it (the outbound caller can still be saved), and an outbound caller past its
 * deadline cannot be saved (the inbound caller is still answered).
 *
 * The same rule as the simulator's `InboundQueue` with `routing: 'deadline'`
 * (packages/sim/src/blend/inbound-queue.ts), which the blend bench measures. Which inbound caller
 * is the candidate is the inbound desk's own order (queue priority, then longest wait); which
 * outbound caller, the agent desk's (the earliest greeting end, i.e. the earliest deadline).
 */
export type RoutedFlow = 'outbound' | 'inbound';

/** The two candidates' deadlines, epoch ms (undefined: nobody of that flow waits for this agent). */
export interface RoutingCandidates {
  readonly now: number;
  readonly outboundDeadline?: number | undefined;
  readonly inboundDeadline?: number | undefined;
}

/** Which flow a freeing agent serves (undefined when nobody waits). Pure. */
export function chooseFlow({ now, outboundDeadline, inboundDeadline }: RoutingCandidates): RoutedFlow | undefined {
  if (outboundDeadline === undefined) return inboundDeadline === undefined ? undefined : 'inbound';
  if (inboundDeadline === undefined) return 'outbound';
  if (now >= outboundDeadline) return 'inbound';
  if (now >= inboundDeadline) return 'outbound';
  return inboundDeadline > outboundDeadline ? 'outbound' : 'inbound';
}

/** The inbound caller a freeing agent would take, with its answer deadline (epoch ms). */
export interface NextInboundCaller<C> {
  readonly call: C;
  readonly priority: number;
  readonly queuedAt: number;
  /** queued-at + the queue's service-level answer target. */
  readonly deadline: number;
}

/**
 * The waiting caller an agent with `skills` can serve: the head of each queue whose skills it
 * has, highest queue priority first, then the longest wait (`queuedAt`: the first queue's entry).
 */
export function nextInboundCaller<C extends { readonly snapshot: { readonly queuedAt?: number } }>(
  skills: readonly string[],
  queues: Iterable<QueueStats>,
  calls: ReadonlyMap<string, C>,
): NextInboundCaller<C> | undefined {
  let best: NextInboundCaller<C> | undefined;
  for (const stats of queues) {
    const { queue } = stats;
    if (!queue.skills.every((skill) => skills.includes(skill))) continue;
    const callId = stats.waitingCalls()[0];
    const call = callId === undefined ? undefined : calls.get(callId);
    if (!call) continue;
    const queuedAt = call.snapshot.queuedAt ?? 0;
    if (!best || queue.priority > best.priority || (queue.priority === best.priority && queuedAt < best.queuedAt)) {
      best = { call, priority: queue.priority, queuedAt, deadline: queuedAt + queue.serviceLevel.answerSeconds * 1_000 };
    }
  }
  return best;
}
