import { AgentState, PacelineError } from '@paceline/core';
import type { DispositionData } from '../call/agent-input';
import { checkDisposition } from '../call/disposition';
import type { ForwardedCall, PoolMessage } from '../distributed/pool-protocol';
import { DEFAULT_LEASE_TTL_MS, pacingLease } from '../engine-constants';
import type { EngineCore, RemoteCall } from '../engine-core';
import type { CallOffer } from '../events';

/** The agent's node's side of the agent pool: offers accepted or declined, connects, ends and releases of calls another node leads, and the heartbeat. */
export class PoolMember {
  constructor(readonly core: EngineCore) {}

  /** Agent's node: accept an offer only when the agent is still ready here (it is then reserved for the call). */
  onOffer(m: Extract<PoolMessage, { type: 'offer' }>): void {
    const a = this.core.agents.get(m.agentId);
    if (!a || a.state !== AgentState.Ready || a.preview || a.callId !== undefined || !a.campaigns.has(m.campaignId)) {
      void this.core.pool?.send(m.leader, { type: 'decline', callId: m.callId, agentId: m.agentId });
      return;
    }
    this.core.parts.agents.setAgentState(a, AgentState.Reserved);
    a.callId = m.callId;
    this.core.remoteCalls.set(m.callId, { campaignId: m.campaignId, agentId: m.agentId, leader: m.leader, dispositioned: false });
    void this.core.pool?.send(m.leader, { type: 'accept', callId: m.callId, agentId: m.agentId });
  }

  onRemoteConnect(offer: CallOffer): void {
    const remote = this.core.remoteCalls.get(offer.callId);
    const a = this.core.agents.get(offer.agentId);
    if (!remote || a?.callId !== offer.callId || a.state !== AgentState.Reserved) return;
    remote.offer = offer;
    this.core.parts.agents.setAgentState(a, AgentState.OnCall);
    this.core.events.emit('connected', offer);
  }

  /** Agent's node: the offer was withdrawn; a reserved agent is ready again. */
  releaseRemote(callId: string, agentId: string): void {
    this.core.remoteCalls.delete(callId);
    const a = this.core.agents.get(agentId);
    if (a?.callId !== callId || a.state !== AgentState.Reserved) return;
    delete a.callId;
    this.core.parts.agents.setAgentState(a, AgentState.Ready);
    this.core.parts.agents.agentFree(a);
  }

  onRemoteEnded(m: Extract<PoolMessage, { type: 'ended' }>): void {
    const remote = this.core.remoteCalls.get(m.callId);
    const a = this.core.agents.get(m.agentId);
    if (!remote || a?.callId !== m.callId || a.state !== AgentState.OnCall) return;
    this.core.parts.agents.setAgentState(a, AgentState.WrapUp);
    this.core.events.emit('ended', { campaignId: remote.campaignId, callId: m.callId, outcome: m.outcome, at: m.at, attempt: m.attempt });
  }

  onReleased(m: Extract<PoolMessage, { type: 'released' }>): void {
    const remote = this.core.remoteCalls.get(m.callId);
    this.core.remoteCalls.delete(m.callId);
    if (remote) {
      this.core.events.emit('dispositioned', {
        campaignId: remote.campaignId,
        callId: m.callId,
        code: m.code,
        attempt: m.attempt,
        next: m.next,
      });
    }
    this.core.parts.agents.releaseAfterWrapUp(m.agentId, m.callId, m.agentNext);
  }

  /**
   * issue-17: the leader revised the call to a machine and hangs up on it: the agent is off the
   * call at once, as a local one would be (on-call → wrap-up 'answering machine' → ready), owes no
   * disposition, and the host is told (`revised`). The leader has counted the machine; this node
   * counts nothing. A repeated or late message finds no call here and does nothing.
   */
  onRevised(m: Extract<PoolMessage, { type: 'revised' }>): void {
    const remote = this.core.remoteCalls.get(m.callId);
    const a = this.core.agents.get(m.agentId);
    if (!remote || remote.agentId !== m.agentId || a?.callId !== m.callId || a.state !== AgentState.OnCall) return;
    this.#freeFromMachine(remote, m.callId, m.reason, m.handling, m.at);
  }

  #freeFromMachine(remote: RemoteCall, callId: string, reason: string, handling: string, at: number): void {
    this.core.remoteCalls.delete(callId);
    const a = this.core.agents.get(remote.agentId);
    if (!a || a.callId !== callId || a.state !== AgentState.OnCall) return;
    const media = this.core.deps.media;
    if (media)
      this.core.guard(
        `media disconnect ${callId}`,
        Promise.resolve().then(() => media.disconnect(callId)),
      );
    this.core.parts.agents.setAgentState(a, AgentState.WrapUp, 'answering machine');
    this.core.events.emit('revised', { campaignId: remote.campaignId, callId, reason, at, handling, agentId: remote.agentId });
    this.core.parts.agents.releaseAfterWrapUp(remote.agentId, callId, undefined);
  }

  /**
   * issue-17: a connected call whose leader is alive but whose `ended` or `revised` message never
   * arrived (lost, or the leader crashed between the end and the send and came back): the store's
   * attempt says it ended. A machine the campaign hangs up on frees the agent as `revised` would;
   * any other end moves the agent to wrap-up as `ended` would (the disposition is still owed).
   */
  async #reconcileConnected(callId: string, remote: RemoteCall, now: number): Promise<void> {
    const a = this.core.agents.get(remote.agentId);
    if (!remote.offer || a?.callId !== callId || a.state !== AgentState.OnCall) return;
    const attempt = await this.core.store.getAttempt(callId);
    if (attempt?.endedAt === undefined || this.core.remoteCalls.get(callId) !== remote || a.state !== AgentState.OnCall) return;
    const handling = this.core.campaigns.get(remote.campaignId)?.campaign.machineHandling ?? 'hangup';
    this.core.deps.logger.warn(
      { callId, agentId: remote.agentId },
      'the call ended on its leader without word here; the agent is moved on',
    );
    if (attempt.amd === 'machine' && handling !== 'agent' && attempt.dispositionCode === undefined) {
      this.#freeFromMachine(remote, callId, 'other', handling, now);
      return;
    }
    this.onRemoteEnded({
      type: 'ended',
      callId,
      agentId: remote.agentId,
      outcome: attempt.outcome ?? 'human',
      at: attempt.endedAt,
      attempt,
    });
  }

  /**
   * Every third of the lease TTL (its own timer): vouch for this node's agents in the pool, and release the
   * agents here whose call's leading node has lost its lease (it died: the new leader
   * reconciles the call). A connected call whose leader lives is checked against the store (a
   * lost `ended`/`revised` message must not leave the agent on a call that is over).
   */
  async poolHeartbeat(now: number): Promise<void> {
    await this.core.parts.poolLeader.inboundMember.heartbeat(now); // issue-23: inbound calls led elsewhere
    for (const a of this.core.agents.values())
      if (a.state !== AgentState.LoggedOut) this.core.pool?.publish(a.agent.id, this.core.parts.agents.pooledEntry(a, now));
    for (const [callId, remote] of this.core.remoteCalls) {
      const grant = await this.core.lease?.current(pacingLease(remote.campaignId), now);
      if (grant?.holder === remote.leader) {
        // A store outage is reported by the store's watcher; the check runs again at the next beat.
        await this.#reconcileConnected(callId, remote, now).catch(() => undefined);
        continue;
      }
      this.core.remoteCalls.delete(callId);
      const agent = this.core.agents.get(remote.agentId);
      if (!agent || agent.callId !== callId) continue;
      this.core.deps.logger.warn({ callId, agentId: remote.agentId }, 'the node leading this call is gone; the agent is released');
      if (agent.state === AgentState.OnCall && remote.offer) {
        this.core.parts.agents.setAgentState(agent, AgentState.WrapUp);
        this.core.events.emit('ended', {
          campaignId: remote.campaignId,
          callId,
          outcome: 'failed',
          at: now,
          attempt: remote.offer.attempt,
        });
      }
      delete agent.callId;
      if (agent.state !== AgentState.OnCall) this.core.parts.agents.setAgentState(agent, AgentState.Ready);
      this.core.parts.agents.agentFree(agent);
    }
  }

  /** Pool entries older than the lease TTL belong to a node that is gone. */
  freshSince(now: number): number {
    return now - this.leaseTtlMs;
  }

  get leaseTtlMs(): number {
    return this.core.deps.leadership?.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  }

  /** Agent's node: an agent's action on a call another node leads goes to that node (a disposition once, checked here first). */
  async forward(remote: RemoteCall, callId: string, action: ForwardedCall): Promise<void> {
    if (action.method === 'disposition') {
      // The call's node records it; the agent here is released when it has.
      if (remote.dispositioned) throw new PacelineError('E_CONFLICT', `disposition: call ${callId} already has one`);
      checkDisposition(this.core.parts.campaigns.campaign(remote.campaignId).campaign, action.code, action.data as DispositionData);
      remote.dispositioned = true;
    }
    await this.core.pool?.send(remote.leader, { type: 'forward', callId, call: action });
  }

  /** Agent's node: the agent logs out while reserved for or on a call another node leads; that node ends the call (or its wrap-up) for it. */
  agentLeaving(agentId: string, callId: string): void {
    const remote = this.core.remoteCalls.get(callId);
    if (!remote) return;
    this.core.remoteCalls.delete(callId);
    void this.core.pool?.send(remote.leader, { type: 'agentLeft', callId, agentId });
  }

  /** The call, when another node leads it and an agent of this node is on it (the agent's actions go there). */
  ledElsewhere(callId: string): RemoteCall | undefined {
    return this.core.calls.has(callId) ? undefined : this.core.remoteCalls.get(callId);
  }
}
