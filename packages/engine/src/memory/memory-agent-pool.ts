import {
  type AgentPool,
  AgentState,
  type PooledAgent,
  type PooledCommitment,
  type PooledWaitingCaller,
  type PoolServiceOrder,
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

  /** issue-23 23-xclaim: an agent a take gave a caller (a fresh waiting entry's `takenBy`) is not reserved for another call, whatever its node republished. */
  async reserve(agentId: string, callId: string, now: number, freshSince: number): Promise<boolean> {
    const agent = this.#readyAgent(agentId, freshSince);
    if (!agent || this.#taken(freshSince).has(agentId)) return false;
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
  async takeWaiting(
    callId: string,
    agentId: string,
    now: number,
    freshSince: number,
    nodeId: string,
    order?: PoolServiceOrder,
  ): Promise<PoolTake> {
    const key = waitingKey(nodeId, callId);
    const waiting = this.#waiting.get(key);
    if (waiting?.takenBy !== undefined) return 'unavailable';
    const agent = this.#readyAgent(agentId, freshSince);
    if (!agent || this.#taken(freshSince, { nodeId, callId }).has(agentId)) return 'unavailable';
    const refused = order ? this.#inOrder(agent.agentId, agent.campaignIds, freshSince, order) : undefined;
    if (refused) return refused;
    if (this.#kept(agent.campaignIds, agentId, freshSince)) return 'kept';
    this.#reserveAgent(agent, callId, now);
    const marker = waiting ?? { callId, queueId: '', nodeId, queuedAt: now, seenAt: now };
    this.#waiting.set(key, Object.freeze({ ...marker, takenBy: agentId }));
    return 'taken';
  }

  /**
   * issue-23 23-xwait: the router's order across nodes on the pool's state (the Redis pool's
   * `ORDER_STEP`): the fresh waiting callers before the taker, in order, each given the ready
   * agent idle longest with its queue's skills that it has not declined and that the rule lets
   * it take (R of its campaigns lowered by one per agent given). `older` when one of them gets
   * `agentId`, or leaves the rule no room for it; `kept` when the rule keeps it anyway.
   */
  #inOrder(agentId: string, campaignIds: readonly string[], freshSince: number, order: PoolServiceOrder): 'older' | 'kept' | undefined {
    // An agent a take gave another caller (being offered it; its node's next sweep clears the mark) is that caller's.
    const taken = this.#taken(freshSince, order);
    if (taken.has(agentId)) return 'older';
    const queues = new Map(order.queues.map((q) => [q.id, q]));
    const before = (c: PooledWaitingCaller, priority: number) =>
      priority > order.priority ||
      (priority === order.priority &&
        (c.queuedAt < order.queuedAt ||
          (c.queuedAt === order.queuedAt && (c.callId < order.callId || (c.callId === order.callId && c.nodeId < order.nodeId)))));
    const older = sortWaiting(
      [...this.#waiting.values()].filter((c) => {
        const q = queues.get(c.queueId);
        return q !== undefined && c.takenBy === undefined && c.seenAt >= order.waitingSince && before(c, q.priority);
      }),
    ).sort((x, y) => (queues.get(y.queueId)?.priority ?? 0) - (queues.get(x.queueId)?.priority ?? 0));
    if (older.length === 0) return undefined;
    // Spare per campaign with calls in flight: R (its fresh ready agents, the taken one counted) − max(0, P − k).
    const spare = new Map<string, number>();
    const spareOf = (id: string) => {
      let n = spare.get(id);
      if (n === undefined) {
        const { inFlight, absorb } = this.#counts(id, freshSince);
        n = inFlight > 0 ? this.#readyOf(id, agentId, freshSince) + 1 - Math.max(0, inFlight - (absorb ?? 0)) : Number.POSITIVE_INFINITY;
        spare.set(id, n);
      }
      return n;
    };
    const allowed = (ids: readonly string[]) => ids.every((id) => spareOf(id) >= 1);
    const free = [...this.#agents.values()]
      .filter((a) => a.agentId === agentId || this.#isReady(a, freshSince, taken))
      .sort((x, y) => x.since - y.since || (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
    let consumed = false;
    for (const caller of older) {
      const skills = queues.get(caller.queueId)?.skills ?? [];
      const i = free.findIndex(
        (a) => skills.every((skill) => a.skills.includes(skill)) && !caller.declined?.includes(a.agentId) && allowed(a.campaignIds),
      );
      const agent = free[i];
      if (!agent) continue;
      if (agent.agentId === agentId) return 'older';
      free.splice(i, 1);
      for (const id of agent.campaignIds) if (spareOf(id) !== Number.POSITIVE_INFINITY) spare.set(id, spareOf(id) - 1);
      consumed ||= campaignIds.some((id) => agent.campaignIds.includes(id));
    }
    if (allowed(campaignIds)) return undefined;
    return consumed ? 'older' : 'kept';
  }

  /** issue-23 23-xnode: the rule checked and the agent's entry reserved in one synchronous step. */
  async claimAgent(
    agentId: string,
    campaignIds: readonly string[],
    callId: string,
    now: number,
    freshSince: number,
    order?: PoolServiceOrder,
  ): Promise<'taken' | 'kept' | 'older'> {
    const refused = order ? this.#inOrder(agentId, campaignIds, freshSince, order) : undefined;
    if (refused) return refused;
    if (this.#kept(campaignIds, agentId, freshSince)) return 'kept';
    const agent = this.#agents.get(agentId);
    if (agent) this.#reserveAgent(agent, callId, now);
    // issue-23 23-xwait: the caller's waiting entry (when published) taken by the agent: no longer first for another.
    const key = order && waitingKey(order.nodeId, callId);
    const waiting = key === undefined ? undefined : this.#waiting.get(key);
    if (key !== undefined && waiting) this.#waiting.set(key, Object.freeze({ ...waiting, takenBy: agentId }));
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

  /** R: the campaign's fresh ready agents, `except` one; 23-xwait: an agent a take gave a caller (`takenBy`) is not ready, whatever its node last put. */
  #readyOf(campaignId: string, except: string | undefined, freshSince: number): number {
    const taken = this.#taken(freshSince);
    let ready = 0;
    for (const a of this.#agents.values())
      if (a.agentId !== except && this.#isReady(a, freshSince, taken) && a.campaignIds.includes(campaignId)) ready++;
    return ready;
  }

  #isReady(a: PooledAgent, freshSince: number, taken: ReadonlySet<string>): boolean {
    return a.state === AgentState.Ready && a.seenAt >= freshSince && !taken.has(a.agentId);
  }

  /**
   * issue-23 23-xwait: the agents takes gave callers being offered them (fresh waiting entries'
   * `takenBy`; but the `except` caller's, node and call id): theirs until the caller's node puts
   * it back waiting or removes it, even when the agent's node republishes the agent `ready`
   * meanwhile (its heartbeat, or a claim of its own given back) before the offer arrives.
   */
  #taken(freshSince: number, except?: { readonly nodeId: string; readonly callId: string }): Set<string> {
    const taken = new Set<string>();
    for (const c of this.#waiting.values())
      if (c.takenBy !== undefined && c.seenAt >= freshSince && !(c.nodeId === except?.nodeId && c.callId === except.callId))
        taken.add(c.takenBy);
    return taken;
  }

  async putWaiting(caller: PooledWaitingCaller): Promise<void> {
    this.#waiting.set(waitingKey(caller.nodeId, caller.callId), Object.freeze({ ...caller }));
  }

  async removeWaiting(callId: string, nodeId: string): Promise<void> {
    this.#waiting.delete(waitingKey(nodeId, callId));
  }

  /** rb12: a gone node's entries deleted (one map, no index to keep). */
  async sweepWaiting(staleBefore: number): Promise<number> {
    let deleted = 0;
    for (const [key, c] of this.#waiting) if (c.seenAt < staleBefore && this.#waiting.delete(key)) deleted++;
    return deleted;
  }

  /** rb12: the entries held (the conformance suite's check that a sweep frees them). */
  waitingEntries(): number {
    return this.#waiting.size;
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
