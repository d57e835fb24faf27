import { type AgentPool, AgentState, type PooledAgent, type PooledCommitment, type PooledWaitingCaller } from '@paceline/core';

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
    const agent = this.#agents.get(agentId);
    if (!agent || agent.state !== AgentState.Ready || agent.seenAt < freshSince) return false;
    this.#agents.set(agentId, Object.freeze({ ...agent, state: AgentState.Reserved, since: now, callId }));
    return true;
  }

  /** issue-23 23-pool: synchronous from the checks to the writes, so racing takes see each other's. */
  async takeWaiting(callId: string, agentId: string, now: number, freshSince: number): Promise<boolean> {
    const waiting = this.#waiting.get(callId);
    if (waiting?.takenBy !== undefined) return false;
    const agent = this.#agents.get(agentId);
    if (!agent || agent.state !== AgentState.Ready || agent.seenAt < freshSince) return false;
    this.#agents.set(agentId, Object.freeze({ ...agent, state: AgentState.Reserved, since: now, callId }));
    const marker = waiting ?? { callId, queueId: '', nodeId: '', queuedAt: now, seenAt: now };
    this.#waiting.set(callId, Object.freeze({ ...marker, takenBy: agentId }));
    return true;
  }

  async putWaiting(caller: PooledWaitingCaller): Promise<void> {
    this.#waiting.set(caller.callId, Object.freeze({ ...caller }));
  }

  async removeWaiting(callId: string): Promise<void> {
    this.#waiting.delete(callId);
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

/** Longest waiting first; ties by call id (so every node sees one order). */
export function sortWaiting(callers: PooledWaitingCaller[]): PooledWaitingCaller[] {
  return callers.sort((x, y) => x.queuedAt - y.queuedAt || (x.callId < y.callId ? -1 : x.callId > y.callId ? 1 : 0));
}

/** An in-memory agent pool for the dialers of one process. */
export function createMemoryAgentPool(): MemoryAgentPool {
  return new MemoryAgentPool();
}
