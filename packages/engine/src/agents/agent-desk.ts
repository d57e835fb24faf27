import { type Agent, type AgentInput, AgentState, agentLifecycle, PacelineError, type PooledAgent, parseAgent } from '@paceline/core';
import { deadlineOf } from '../call/call-machine';
import type { AgentRuntime, CallRuntime, EngineCore } from '../engine-core';
import { chooseFlow } from '../inbound/deadline-routing';

/** This node's agents: log in and out, their states, the idle-longest choice, and serving waiting live answers when an agent frees up. */
export class AgentDesk {
  constructor(readonly core: EngineCore) {}

  /** Log an agent in to campaigns (state not-ready until `ready`). */
  login(input: AgentInput, campaignIds: readonly string[]): Agent {
    const agent = parseAgent(input);
    const current = this.core.agents.get(agent.id)?.state;
    if (current !== undefined && current !== AgentState.LoggedOut) {
      throw new PacelineError('E_CONFLICT', `agent ${agent.id} is already logged in; log out first`);
    }
    for (const id of campaignIds) this.core.parts.campaigns.campaign(id);
    const runtime: AgentRuntime = {
      agent,
      campaigns: new Set(campaignIds),
      state: AgentState.LoggedOut,
      since: this.core.deps.clock.now(),
    };
    this.core.agents.set(agent.id, runtime);
    this.setAgentState(runtime, AgentState.NotReady, 'login');
    return agent;
  }

  /** Ready for calls; while busy (reserved, on a call, in wrap-up) it cancels a pending not-ready instead. */
  ready(agentId: string): void {
    const agent = this.agent(agentId);
    if (agent.state !== AgentState.NotReady) {
      delete agent.notReadyReason;
      return;
    }
    this.setAgentState(agent, AgentState.Ready);
    this.agentFree(agent);
  }

  /** A break (`reason` is reported); from a call or wrap-up it applies after the disposition. */
  notReady(agentId: string, reason: string): void {
    const agent = this.agent(agentId);
    agent.notReadyReason = reason;
    if (agent.state === AgentState.Ready) this.setAgentState(agent, AgentState.NotReady, reason);
  }

  /**
   * Log an agent out, even mid-call. Its call learns it as an input (`agentLeft`): an offered
   * live answer looks for another agent, a connected call is hung up and dispositioned by the
   * engine; a call another node leads is told through the pool.
   */
  async logout(agentId: string): Promise<void> {
    const agent = this.agent(agentId);
    const callId = agent.callId;
    if (callId !== undefined) this.core.parts.poolMember.agentLeaving(agentId, callId);
    if (agent.preview) await this.core.parts.previews.skip(agentId);
    this.setAgentState(agent, AgentState.LoggedOut, 'logout');
    delete agent.callId;
    const call = callId === undefined ? undefined : this.core.calls.get(callId);
    if (call) await this.core.parts.calls.agentLeft(call, agentId);
  }

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
      agentName: agent.agent.name, // issue-24: the floor shows agents by name
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

  /** An agent became free: serve the waiting caller whose deadline comes first (outbound live answer or inbound), else let pacing dial. */
  agentFree(agent: AgentRuntime): void {
    let oldest: CallRuntime | undefined;
    const mayTake = (c: CallRuntime) => c.snapshot.previewAgentId === undefined || c.snapshot.previewAgentId === agent.agent.id;
    const greetingEnd = (c: CallRuntime) => c.snapshot.greetingEndedAt ?? 0;
    for (const id of agent.campaigns) {
      const call = this.core.campaigns.get(id)?.waiting.find(mayTake);
      if (call && (!oldest || greetingEnd(call) < greetingEnd(oldest))) oldest = call;
    }
    // issue-23: deadline routing (inbound/deadline-routing.ts) — the waiting outbound live answer, unless the
    // waiting inbound caller's answer target comes sooner (it was inbound after outbound, whatever the deadlines).
    const inbound = this.core.parts.inbound;
    const outboundDeadline = oldest && deadlineOf(oldest.snapshot);
    const flow = chooseFlow({ now: this.core.deps.clock.now(), outboundDeadline, inboundDeadline: inbound?.nextDeadlineFor(agent) });
    if ((flow === 'inbound' || !oldest) && inbound?.agentFree(agent)) return; // no local caller: the pool's, if any
    if (oldest) {
      const call = oldest;
      const calls = this.core.parts.calls;
      calls.leaveWaitingList(call);
      void calls.onChain(call, 'connect', () => calls.serve(call, agent));
      return;
    }
    for (const id of agent.campaigns) {
      const run = this.core.campaigns.get(id);
      if (run) this.core.parts.campaigns.tick(run);
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
