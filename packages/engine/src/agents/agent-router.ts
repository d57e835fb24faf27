import type { AgentRuntime, CallRuntime, EngineCore } from '../engine-core';

/**
 * Where a live answer's agent comes from: this node's desk first — the callback's own agent,
 * else a skilled one, else whoever has waited longest (skill routing never lets a live answer
 * wait for a skill) — then another node's agent through the pool. The call runner asks it.
 */
export class AgentRouter {
  constructor(readonly core: EngineCore) {}

  /**
   * This node's free agent for the call, chosen and returned at once (no await between the
   * choice and the reservation, or two calls could take one agent).
   */
  local(call: CallRuntime): AgentRuntime | undefined {
    const desk = this.core.parts.agents;
    const campaignId = call.run.campaign.id;
    const owner = call.record.callbackAgentId;
    return (
      (owner === undefined ? undefined : desk.freeAgentFor(campaignId, { owner })) ??
      (call.requiredSkills ? desk.freeAgentFor(campaignId, { skills: call.requiredSkills }) : undefined) ??
      desk.freeAgentFor(campaignId)
    );
  }

  /** No agent here is free: offer the call to another node's agent (distributed mode). False when none could be reserved. */
  offerToPool(call: CallRuntime): Promise<boolean> {
    return this.core.parts.poolLeader.offerRemote(call);
  }
}
