import type { AgentState } from '../lifecycle/agent-state';

/** One agent as every engine node sees it (distributed mode). */
export interface PooledAgent {
  readonly agentId: string;
  /** The engine node the agent is logged in to: calls for the agent are offered there. */
  readonly nodeId: string;
  readonly campaignIds: readonly string[];
  readonly skills: readonly string[];
  readonly state: AgentState;
  /** Since when the agent is in `state`, epoch ms. */
  readonly since: number;
  /** The call the agent is reserved for (set by {@link AgentPool.reserve}). */
  readonly callId?: string;
  /** When the agent's node last vouched for the entry, epoch ms; a node that stops doing so is gone. */
  readonly seenAt: number;
}

/**
 * issue-23: a caller waiting in an inbound queue on some engine node (the node whose trunk holds
 * the call), so that an agent freed on any node takes the oldest caller across the pool first.
 */
export interface PooledWaitingCaller {
  readonly callId: string;
  readonly queueId: string;
  readonly nodeId: string;
  /** When the caller entered its first queue, epoch ms (its wait counts from here). */
  readonly queuedAt: number;
  /** When its node last vouched for the entry, epoch ms; an entry not refreshed is stale. */
  readonly seenAt: number;
  /** issue-23 23-pool: the agent taken for the caller (`AgentPool.takeWaiting`): it is being offered that agent, no longer waiting for any. */
  readonly takenBy?: string;
  /** issue-23 23-xwait: the agents that declined the caller (or did not answer): never offered it again, so the service order passes them by for it. */
  readonly declined?: readonly string[];
}

/**
 * issue-23 23-xwait: the router's order across nodes, for a take: the taking caller's place
 * (its queue's priority, when it queued, its node's call id) and every inbound queue's priority
 * and skills. The pool serves the callers before it first: in order (queue priority highest
 * first, then longest wait, ties by call id then node id), every fresh waiting caller not yet
 * taken is given the ready agent idle longest with its queue's skills that it has not declined
 * and that the router rule lets it take; the take is refused (`older`) when one of them gets the
 * agent taken, or leaves the rule no room for it.
 */
export interface PoolServiceOrder {
  readonly nodeId: string;
  readonly callId: string;
  readonly priority: number;
  readonly queuedAt: number;
  readonly queues: readonly { readonly id: string; readonly priority: number; readonly skills: readonly string[] }[];
  /** Waiting entries seen at or after this are live (epoch ms). */
  readonly waitingSince: number;
}

/** issue-23 23-xnode: a take's outcome: `kept` — the router rule keeps the agent for outbound calls in flight (the caller waits, offered again later); `unavailable` — the caller already taken, or the agent not ready and fresh; 23-xwait: `older` — an older caller (any node) comes first for the agent ({@link PoolServiceOrder}): the caller waits. */
export type PoolTake = 'taken' | 'kept' | 'unavailable' | 'older';

/**
 * issue-23 23-dist: one engine node's share of what the router rule of a blended campaign (the
 * `demand` blend) counts, so every node decides on the campaign's whole commitments: an inbound
 * caller on any node may take one of the campaign's ready agents only while
 * max(0, P − (R − 1)) ≤ k, with P summed over the nodes' `inFlight` and k the campaign's day
 * absorb (the smallest a fresh node publishes).
 */
export interface PooledCommitment {
  readonly campaignId: string;
  readonly nodeId: string;
  /** Outbound calls of the campaign this node leads that may still answer live and need a ready agent, decided-but-not-created ones included. */
  readonly inFlight: number;
  /** The abandons the campaign's calling day still absorbs within the cap, as this node counts them (a node pacing the campaign); absent: no day read here. */
  readonly absorb?: number;
  /**
   * issue-23 23-xdefer: the arrival deferral's expected live claims of this node's calls of the campaign (live answers
   * waiting for an agent + calls in their greeting × the human share as this node counts it; `expectedLiveClaims`);
   * absent: the node runs no deferral. Every node's deferral adds the other fresh nodes' claims to its own.
   */
  readonly claims?: number;
  /** When the node last vouched for the entry, epoch ms; an entry not refreshed is a dead node's. */
  readonly seenAt: number;
}

/**
 * The agents of every engine node, so a campaign's leader can pace for, and hand live
 * answers to, agents logged in to other nodes. Each node publishes its own agents (on every
 * state change and as a heartbeat); the leader lists them and reserves one atomically before
 * offering it a call. The agent's own node stays the authority: it accepts an offer only
 * when the agent is still ready there.
 *
 * Time is always passed in. The in-memory pool (`@paceline/engine`) serves dialers of one
 * process; `@paceline/store-redis`'s pool serves machines. Both pass the `AgentPool`
 * conformance suite (`test/conformance/agent-pool.ts`).
 */
export interface AgentPool {
  /** Publish (insert or replace) an agent's entry. */
  put(agent: PooledAgent): Promise<void>;
  /** Remove an agent (logged out); a no-op for an unknown one. */
  remove(agentId: string): Promise<void>;
  /** The agents of a campaign whose entry was put at or after `freshSince`, by agent id. */
  list(campaignId: string, freshSince: number): Promise<PooledAgent[]>;
  /** issue-23 23-pool: every campaign's agents put at or after `freshSince`, by agent id (one read for all campaigns). Optional: without it, `list` per campaign. */
  listAll?(freshSince: number): Promise<PooledAgent[]>;
  /**
   * Reserve an agent for a call: only when its entry is `ready` and fresh (`seenAt ≥
   * freshSince`), atomically; the entry becomes `reserved` for `callId` since `now`. False
   * when the agent is not (or no longer) available. issue-23 23-xclaim: with waiting callers
   * (`takeWaiting`), also false while a waiting entry seen since `freshSince` marks the agent
   * `takenBy` (a take gave it an inbound caller), whatever its node republished meanwhile.
   */
  reserve(agentId: string, callId: string, now: number, freshSince: number): Promise<boolean>;
  /** issue-23: publish (insert or refresh) a caller waiting in an inbound queue. Optional: without it inbound queues are per node. */
  putWaiting?(caller: PooledWaitingCaller): Promise<void>;
  /** issue-23: the caller no longer waits (served, gone); a no-op for an unknown one. 23-xnode: a caller is its node's (`nodeId`) call id — two nodes' trunks may reuse an id. */
  removeWaiting?(callId: string, nodeId: string): Promise<void>;
  /** issue-23: every node's waiting callers seen at or after `freshSince`, longest waiting first (ties by call id, then node id); 23-pool: taken ones with `takenBy`. */
  listWaiting?(freshSince: number): Promise<PooledWaitingCaller[]>;
  /**
   * rb12: delete the waiting entries seen before `staleBefore` (epoch ms) — a gone node's, which
   * readers already pass over (`freshSince`) but nothing else removes — with whatever the pool
   * indexes them by, atomically; entries seen at or after it stay. At most a batch per call (the
   * Redis pool: 1,000; the rest on the next call). Returns how many were deleted. Optional.
   */
  sweepWaiting?(staleBefore: number): Promise<number>;
  /**
   * issue-23 23-pool: take a waiting caller (node `nodeId`'s call `callId`) for an agent in one
   * atomic step: only when no agent was taken for the caller yet and the agent's entry is
   * `ready` and fresh (`seenAt ≥ freshSince`); then the agent is `reserved` for `callId` since
   * `now` and the caller's waiting entry is marked taken (`takenBy`: listed so, a caller being
   * offered that agent, not one waiting) until its node puts it again (the offer declined) or
   * removes it. Of several takes racing for the same caller or the same agent, exactly one
   * succeeds. 23-xnode: with the pool's commitments (`putCommitment`), the router rule is checked
   * in the same step ({@link PoolTake} `kept`: the caller waits). 23-xwait: with `order`, the
   * router's order across nodes too ({@link PoolServiceOrder}; `older`: the caller waits).
   * Optional: without it the leader reserves the agent alone.
   */
  takeWaiting?(
    callId: string,
    agentId: string,
    now: number,
    freshSince: number,
    nodeId: string,
    order?: PoolServiceOrder,
  ): Promise<PoolTake>;
  /**
   * issue-23 23-xnode: the router rule checked and the agent taken for an inbound call in one
   * atomic step, for an agent its own node gives to a caller (no waiting entry involved): `kept`
   * when, for a blended campaign counting on the agent, the pool's commitments (P, k: fresh
   * entries) and its other fresh ready agents (R) would leave max(0, P − k) > R (the agent's
   * campaigns: `campaignIds`, its node's own record); else the
   * agent's entry (when present) is `reserved` for `callId` since `now` and `taken`. Requires the
   * commitments methods. 23-xwait: with `order` (the caller's node `order.nodeId`), `older` when
   * an older caller comes first for the agent ({@link PoolServiceOrder}); a waiting entry of the
   * caller is marked taken by the agent in the same step.
   */
  claimAgent?(
    agentId: string,
    campaignIds: readonly string[],
    callId: string,
    now: number,
    freshSince: number,
    order?: PoolServiceOrder,
  ): Promise<'taken' | 'kept' | 'older'>;
  /**
   * issue-23 23-xnode: a node's launch of up to `launch` new calls of a blended campaign,
   * ordered against the takes: in one atomic step, how many of them the router rule allows on
   * the pool's state (m = min(launch, max(0, R + k − P)), P the fresh entries' in flight with
   * this node's `commitment.inFlight` for its own, R the campaign's fresh ready agents, k the
   * smallest absorb), and this node's commitment written with `inFlight + m`. Returns m.
   */
  launchCommitment?(commitment: PooledCommitment, launch: number, freshSince: number): Promise<number>;
  /** issue-23 23-dist: publish (insert or replace) a node's commitments to a blended campaign. Optional: without it each node's router rule sees only its own calls. */
  putCommitment?(commitment: PooledCommitment): Promise<void>;
  /**
   * issue-23 23-dist: every node's commitments to the campaign seen at or after `freshSince`, by
   * node id; entries older than that are a gone node's and are dropped from the pool.
   */
  listCommitments?(campaignId: string, freshSince: number): Promise<PooledCommitment[]>;
}
