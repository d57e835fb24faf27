import {
  type AgentPool,
  AgentState,
  type PooledAgent,
  type PooledCommitment,
  type PooledWaitingCaller,
  type PoolTake,
} from '@paceline/core';

/**
 * The embedded `AgentPool`: in memory, shared by the dialers of one process (tests, several
 * tenants' nodes side by side). Machines share `store-redis`'s `RedisAgentPool`.
 */
export class MemoryAgentPool implements AgentPool {
  readonly #agents = new Map<string, PooledAgent>();
  readonly #waiting = new Map<string, PooledWaitingCaller>();
  /** issue-23 23-dist: campaign id → node id → the node's commitments. */
  readonly #commitments = new Map<string, Map<string, PooledCommitment>>();

  async put(agent: PooledAgent): Promise<void> {
    this.#agents.set(agent.agentId, Object.freeze({ ...agent, campaignIds: [...agent.campaignIds], skills: [...agent.skills] }));
  }

  async remove(agentId: string): Promise<void> {
    this.#agents.delete(agentId);
  }

  async list(campaignId: string, freshSince: number): Promise<PooledAgent[]> {
    return [...this.#agents.values()]
      .filter((a) => a.seenAt >= freshSince && a.campaignIds.includes(campaignId))
      .sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
  }

  async listAll(freshSince: number): Promise<PooledAgent[]> {
    return [...this.#agents.values()]
      .filter((a) => a.seenAt >= freshSince)
      .sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
  }

  async reserve(agentId: string, callId: string, now: number, freshSince: number): Promise<boolean> {
    const agent = this.#readyAgent(agentId, freshSince);
    if (!agent) return false;
    this.#reserveAgent(agent, callId, now);
    return true;
  }

  /** The agent step every take shares (the Redis pool's `AGENT_STEP`): its entry when ready and fresh. */
  #readyAgent(agentId: string, freshSince: number): PooledAgent | undefined {
    const agent = this.#agents.get(agentId);
    return agent && agent.state === AgentState.Ready && agent.seenAt >= freshSince ? agent : undefined;
  }

  /** …and that entry reserved for the call since `now`. */
  #reserveAgent(agent: PooledAgent, callId: string, now: number): void {
    this.#agents.set(agent.agentId, Object.freeze({ ...agent, state: AgentState.Reserved, since: now, callId }));
  }

  /**
   * issue-23 23-pool: synchronous from the checks to the writes, so racing takes see each other's;
   * 23-xnode: the router rule's check on the pool's commitments inside the same step.
   */
  async takeWaiting(callId: string, agentId: string, now: number, freshSince: number, nodeId: string): Promise<PoolTake> {
    const key = waitingKey(nodeId, callId);
    const waiting = this.#waiting.get(key);
    if (waiting?.takenBy !== undefined) return 'unavailable';
    const agent = this.#readyAgent(agentId, freshSince);
    if (!agent) return 'unavailable';
    if (this.#kept(agent.campaignIds, agentId, freshSince)) return 'kept';
    this.#reserveAgent(agent, callId, now);
    const marker = waiting ?? { callId, queueId: '', nodeId, queuedAt: now, seenAt: now };
    this.#waiting.set(key, Object.freeze({ ...marker, takenBy: agentId }));
    return 'taken';
  }

  /** issue-23 23-xnode: the rule checked and the agent's entry reserved in one synchronous step. */
  async claimAgent(
    agentId: string,
    campaignIds: readonly string[],
    callId: string,
    now: number,
    freshSince: number,
  ): Promise<'taken' | 'kept'> {
    if (this.#kept(campaignIds, agentId, freshSince)) return 'kept';
    const agent = this.#agents.get(agentId);
    if (agent) this.#reserveAgent(agent, callId, now);
    return 'taken';
  }

  /** issue-23 23-xnode: the launch's room read and the node's commitment written in one synchronous step. */
  async launchCommitment(commitment: PooledCommitment, launch: number, freshSince: number): Promise<number> {
    const { inFlight, absorb } = this.#counts(commitment.campaignId, freshSince, commitment);
    const ready = this.#readyOf(commitment.campaignId, undefined, freshSince);
    const allowed = Math.min(launch, Math.max(0, ready + (absorb ?? 0) - inFlight));
    await this.putCommitment({ ...commitment, inFlight: commitment.inFlight + allowed });
    return allowed;
  }

  /** The router rule on the pool's state: a blended campaign of the agent would have max(0, P − k) > R without it. */
  #kept(campaignIds: readonly string[], agentId: string, freshSince: number): boolean {
    for (const id of campaignIds) {
      const { inFlight, absorb } = this.#counts(id, freshSince);
      if (inFlight > 0 && this.#readyOf(id, agentId, freshSince) < Math.max(0, inFlight - (absorb ?? 0))) return true;
    }
    return false;
  }

  /** P (fresh entries; `mine` replacing its node's) and k (the smallest fresh absorb) of a campaign. */
  #counts(campaignId: string, freshSince: number, mine?: PooledCommitment): { inFlight: number; absorb: number | undefined } {
    let inFlight = mine?.inFlight ?? 0;
    let absorb = mine?.absorb;
    for (const c of this.#commitments.get(campaignId)?.values() ?? []) {
      if (c.seenAt < freshSince || c.nodeId === mine?.nodeId) continue;
      inFlight += c.inFlight;
      if (c.absorb !== undefined) absorb = Math.min(absorb ?? c.absorb, c.absorb);
    }
    return { inFlight, absorb };
  }

  /** R: the campaign's fresh ready agents, `except` one. */
  #readyOf(campaignId: string, except: string | undefined, freshSince: number): number {
    let ready = 0;
    for (const a of this.#agents.values())
      if (a.agentId !== except && a.state === AgentState.Ready && a.seenAt >= freshSince && a.campaignIds.includes(campaignId)) ready++;
    return ready;
  }

  async putWaiting(caller: PooledWaitingCaller): Promise<void> {
    this.#waiting.set(waitingKey(caller.nodeId, caller.callId), Object.freeze({ ...caller }));
  }

  async removeWaiting(callId: string, nodeId: string): Promise<void> {
    this.#waiting.delete(waitingKey(nodeId, callId));
  }

  async listWaiting(freshSince: number): Promise<PooledWaitingCaller[]> {
    return sortWaiting([...this.#waiting.values()].filter((c) => c.seenAt >= freshSince));
  }

  async putCommitment(commitment: PooledCommitment): Promise<void> {
    const nodes = this.#commitments.get(commitment.campaignId) ?? new Map<string, PooledCommitment>();
    this.#commitments.set(commitment.campaignId, nodes);
    nodes.set(commitment.nodeId, Object.freeze({ ...commitment }));
  }

  async listCommitments(campaignId: string, freshSince: number): Promise<PooledCommitment[]> {
    const nodes = this.#commitments.get(campaignId);
    if (!nodes) return [];
    for (const [nodeId, c] of nodes) if (c.seenAt < freshSince) nodes.delete(nodeId);
    return [...nodes.values()].sort((x, y) => (x.nodeId < y.nodeId ? -1 : x.nodeId > y.nodeId ? 1 : 0));
  }
}

/** Longest waiting first; ties by call id, then node id (so every node sees one order). */
export function sortWaiting(callers: PooledWaitingCaller[]): PooledWaitingCaller[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return callers.sort((x, y) => x.queuedAt - y.queuedAt || cmp(x.callId, y.callId) || cmp(x.nodeId, y.nodeId));
}

/** issue-23 23-xnode: a waiting caller is its node's call (two nodes' trunks may reuse a call id). */
export function waitingKey(nodeId: string, callId: string): string {
  return JSON.stringify([nodeId, callId]);
}

/** An in-memory agent pool for the dialers of one process. */
export function createMemoryAgentPool(): MemoryAgentPool {
  return new MemoryAgentPool();
}
