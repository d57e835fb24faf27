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
}

/** issue-23 23-xnode: a take's outcome: `kept` — the router rule keeps the agent for outbound calls in flight (the caller waits, offered again later); `unavailable` — the caller already taken, or the agent not ready and fresh. */
export type PoolTake = 'taken' | 'kept' | 'unavailable';

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
   * when the agent is not (or no longer) available.
   */
  reserve(agentId: string, callId: string, now: number, freshSince: number): Promise<boolean>;
  /** issue-23: publish (insert or refresh) a caller waiting in an inbound queue. Optional: without it inbound queues are per node. */
  putWaiting?(caller: PooledWaitingCaller): Promise<void>;
  /** issue-23: the caller no longer waits (served, gone); a no-op for an unknown one. 23-xnode: a caller is its node's (`nodeId`) call id — two nodes' trunks may reuse an id. */
  removeWaiting?(callId: string, nodeId: string): Promise<void>;
  /** issue-23: every node's waiting callers seen at or after `freshSince`, longest waiting first (ties by call id, then node id); 23-pool: taken ones with `takenBy`. */
  listWaiting?(freshSince: number): Promise<PooledWaitingCaller[]>;
  /**
   * issue-23 23-pool: take a waiting caller (node `nodeId`'s call `callId`) for an agent in one
   * atomic step: only when no agent was taken for the caller yet and the agent's entry is
   * `ready` and fresh (`seenAt ≥ freshSince`); then the agent is `reserved` for `callId` since
   * `now` and the caller's waiting entry is marked taken (`takenBy`: listed so, a caller being
   * offered that agent, not one waiting) until its node puts it again (the offer declined) or
   * removes it. Of several takes racing for the same caller or the same agent, exactly one
   * succeeds. 23-xnode: with the pool's commitments (`putCommitment`), the router rule is checked
   * in the same step ({@link PoolTake} `kept`: the caller waits). Optional: without it the leader
   * reserves the agent alone.
   */
  takeWaiting?(callId: string, agentId: string, now: number, freshSince: number, nodeId: string): Promise<PoolTake>;
  /**
   * issue-23 23-xnode: the router rule checked and the agent taken for an inbound call in one
   * atomic step, for an agent its own node gives to a caller (no waiting entry involved): `kept`
   * when, for a blended campaign counting on the agent, the pool's commitments (P, k: fresh
   * entries) and its other fresh ready agents (R) would leave max(0, P − k) > R (the agent's
   * campaigns: `campaignIds`, its node's own record); else the
   * agent's entry (when present) is `reserved` for `callId` since `now` and `taken`. Requires the
   * commitments methods.
   */
  claimAgent?(agentId: string, campaignIds: readonly string[], callId: string, now: number, freshSince: number): Promise<'taken' | 'kept'>;
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
