import { AgentState, agentLifecycle, PacelineError, type PooledAgent } from '@paceline/core';
import type { AgentRuntime, CallRuntime, EngineCore } from '../engine-core';

/** This node's agents: their states, the idle-longest choice, and serving waiting live answers when an agent frees up. */
export class AgentDesk {
  constructor(readonly core: EngineCore) {}

  setAgentState(agent: AgentRuntime, to: AgentState, reason?: string): void {
    const from = agent.state;
    agent.state = agentLifecycle.transition(from, to, agent.agent.id);
    agent.since = this.core.deps.clock.now();
    if (to === AgentState.Ready) delete agent.notReadyReason;
    this.core.pool?.publish(agent.agent.id, to === AgentState.LoggedOut ? undefined : this.pooledEntry(agent, agent.since));
    this.core.events.emit('agentStateChanged', {
      agentId: agent.agent.id,
      from,
      to,
      at: agent.since,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /** The ready agent of a campaign who has waited longest (fair distribution). */
  freeAgentFor(campaignId: string, want: { owner?: string; skills?: readonly string[] } = {}): AgentRuntime | undefined {
    let best: AgentRuntime | undefined;
    for (const a of this.core.agents.values()) {
      if (a.state !== AgentState.Ready || !a.campaigns.has(campaignId)) continue;
      if (want.owner !== undefined && a.agent.id !== want.owner) continue;
      if (want.skills && !want.skills.every((skill) => a.agent.skills.includes(skill))) continue;
      if (!best || a.since < best.since) best = a;
    }
    return best;
  }

  /** True while `agentId` is in wrap-up of `callId` here. */
  wrappingUp(agentId: string, callId: string): boolean {
    const agent = this.core.agents.get(agentId);
    return agent?.callId === callId && agent.state === AgentState.WrapUp;
  }

  /**
   * The call's disposition is recorded: its agent (in wrap-up of it, on this node) is ready
   * again — or not ready, when asked (`agentNext`) or when a break was asked for meanwhile.
   * The one release after wrap-up, for calls led here or by another node.
   */
  releaseAfterWrapUp(agentId: string, callId: string, agentNext: 'ready' | 'not-ready' | undefined): void {
    const agent = this.core.agents.get(agentId);
    if (!agent || !this.wrappingUp(agentId, callId)) return;
    delete agent.callId;
    if (agentNext === 'not-ready' || agent.notReadyReason !== undefined) {
      this.setAgentState(agent, AgentState.NotReady, agent.notReadyReason ?? 'after wrap-up');
    } else {
      this.setAgentState(agent, AgentState.Ready);
      this.agentFree(agent);
    }
  }

  /** An agent became free: serve the oldest waiting live answer first, else let pacing dial. */
  agentFree(agent: AgentRuntime): void {
    let oldest: CallRuntime | undefined;
    for (const id of agent.campaigns) {
      const call = this.core.campaigns.get(id)?.waiting.find((c) => c.forAgentId === undefined || c.forAgentId === agent.agent.id);
      if (call && (!oldest || (call.greetingEndedAt ?? 0) < (oldest.greetingEndedAt ?? 0))) oldest = call;
    }
    if (oldest) {
      const call = oldest;
      this.core.parts.calls.stopWaiting(call);
      this.core.parts.calls.onChain(call, 'connect', () => this.core.parts.calls.connect(call, agent));
      return;
    }
    // issue-23: after outbound live answers (the 2-second rule), a waiting inbound caller comes first (the blend assumes it).
    if (this.core.parts.inbound?.agentFree(agent)) return;
    for (const id of agent.campaigns) {
      const rt = this.core.campaigns.get(id);
      if (rt) this.core.parts.campaigns.tick(rt);
    }
  }

  hasAgentsFor(campaignId: string): boolean {
    for (const a of this.core.agents.values()) if (a.state !== AgentState.LoggedOut && a.campaigns.has(campaignId)) return true;
    return false;
  }

  agent(agentId: string): AgentRuntime {
    const a = this.core.agents.get(agentId);
    if (!a || a.state === AgentState.LoggedOut) throw new PacelineError('E_NOT_FOUND', `agent "${agentId}" is not logged in`);
    return a;
  }

  pooledEntry(a: AgentRuntime, seenAt: number): PooledAgent {
    return {
      agentId: a.agent.id,
      nodeId: this.core.nodeId,
      campaignIds: [...a.campaigns],
      skills: [...a.agent.skills],
      state: a.state,
      since: a.since,
      seenAt,
      ...(a.callId === undefined ? {} : { callId: a.callId }),
    };
  }
}
