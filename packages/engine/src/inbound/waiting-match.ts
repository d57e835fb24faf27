/**
 * issue-23 23-pool: the pool's waiting callers matched to the ready agents the router would give
 * them, so every campaign's pacer holds those agents for them (docs/blending.md "A waiting caller
 * holds its agent").
 *
 * The router serves callers in order — queue priority (highest first), then longest wait (ties by
 * call id, then node id) — each to the ready agent with its queue's skills idle longest (ties by agent id). The
 * match replays that order over every node's waiting callers and every node's ready agents: a
 * caller is matched to one agent at most and an agent to one caller at most. It is a function of
 * the pool's state alone (not of which node computes it), so two nodes reading the same pool hold
 * the same agent for a caller, never one each; two campaigns counting on that agent both see it
 * held. A caller with no ready agent is not matched (it stays demand on the agents who will free).
 */

/** A caller waiting in an inbound queue on some node. */
export interface WaitingCaller {
  readonly callId: string;
  /** issue-23 23-xnode: the node whose trunk holds the call (a call id is unique on its node only). */
  readonly nodeId: string;
  readonly queueId: string;
  /** When it entered its first queue, epoch ms. */
  readonly queuedAt: number;
}

/** A ready agent on some node: its skills, and since when it is ready (epoch ms). */
export interface ReadyAgent {
  readonly agentId: string;
  readonly skills: readonly string[];
  readonly since: number;
}

/** What the match needs of a queue. */
export interface MatchQueue {
  readonly id: string;
  readonly priority: number;
  readonly skills: readonly string[];
}

/** One caller's agent: agent id → the caller and its queue; `offered`: the agent is already offered the call (the caller no longer queued). */
export type WaitingMatch = ReadonlyMap<
  string,
  { readonly callId: string; readonly nodeId?: string; readonly queueId: string; readonly offered?: true }
>;

/** The callers (any node) matched to ready agents (any node) in the router's order. Pure. */
export function matchWaiting(
  callers: readonly WaitingCaller[],
  agents: readonly ReadyAgent[],
  queues: ReadonlyMap<string, MatchQueue>,
): WaitingMatch {
  const match = new Map<string, { callId: string; nodeId: string; queueId: string }>();
  if (callers.length === 0 || agents.length === 0) return match;
  const ordered = callers
    .filter((c) => queues.has(c.queueId))
    .sort(
      (x, y) =>
        (queues.get(y.queueId)?.priority ?? 0) - (queues.get(x.queueId)?.priority ?? 0) ||
        x.queuedAt - y.queuedAt ||
        compare(x.callId, y.callId) ||
        compare(x.nodeId, y.nodeId),
    );
  const free = [...agents].sort((x, y) => x.since - y.since || compare(x.agentId, y.agentId));
  for (const caller of ordered) {
    const skills = queues.get(caller.queueId)?.skills ?? [];
    const i = free.findIndex((a) => skills.every((skill) => a.skills.includes(skill)));
    if (i < 0) continue;
    const [agent] = free.splice(i, 1);
    if (agent) match.set(agent.agentId, { callId: caller.callId, nodeId: caller.nodeId, queueId: caller.queueId });
  }
  return match;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
