import { AgentState, type PooledAgent } from '@paceline/core';
import type { ConnectResult, OfferResponse } from '@paceline/scripting';
import type { DispositionData, ScriptAnswer } from '../call/agent-input';
import { CallPhase } from '../call/call-machine';
import type { PoolMessage } from '../distributed/pool-protocol';
import type { CallRuntime, CampaignRuntime, EngineCore } from '../engine-core';
import type { CallOffer } from '../events';
import { InboundMember } from './inbound-member'; // issue-23
import { toInboundLeader } from './inbound-protocol'; // issue-23

/**
 * The leader's side of the agent pool: other nodes' agents listed, reserved and offered live
 * answers. Their nodes' messages become inputs to the calls (accept, decline, agent left) or
 * go straight to the part that carries out the agent's action (disposition, script answers);
 * nothing comes back through the `Dialer`.
 */
export class PoolLeader {
  /** issue-23: this node's agents on inbound calls other nodes lead. */
  readonly inboundMember: InboundMember;

  constructor(readonly core: EngineCore) {
    this.inboundMember = new InboundMember(core);
  }

  /**
   * Leader: re-list the other nodes' agents of the campaign; a connected call whose agent
   * vanished from the pool (its node died) is ended as if the agent had logged out; waiting
   * live answers go to other nodes' ready agents.
   */
  async refreshPool(run: CampaignRuntime, now: number): Promise<void> {
    const pool = this.core.pool;
    if (!pool) return;
    run.pooled = await pool.others(run.campaign.id, this.core.parts.poolMember.freshSince(now));
    const calls = this.core.parts.calls;
    for (const call of this.core.calls.values()) {
      const agent = call.run === run ? call.snapshot.agent : undefined;
      const phase = call.snapshot.phase;
      if (agent?.node === undefined || (phase !== CallPhase.Connected && phase !== CallPhase.WrapUp)) continue;
      if (run.pooled.some((a) => a.agentId === agent.id && a.nodeId === agent.node)) continue;
      void calls.agentLeft(call, agent.id);
    }
    for (const call of [...run.waiting]) {
      if (call.snapshot.previewAgentId !== undefined) continue;
      const agent = this.pickRemote(run, call);
      if (!agent) break;
      calls.leaveWaitingList(call);
      void calls.onChain(call, 'offer', async () => {
        if (call.snapshot.phase !== CallPhase.Waiting) return;
        if (!(await this.offerRemote(call, agent))) calls.wait(call);
      });
    }
  }

  /** The other nodes' ready agent for a live answer: its callback owner, else a skilled one, else the longest waiting. */
  pickRemote(run: CampaignRuntime, call: CallRuntime): PooledAgent | undefined {
    const ready = run.pooled.filter((a) => a.state === AgentState.Ready).sort((x, y) => x.since - y.since);
    const owner = call.record.callbackAgentId;
    const skills = call.requiredSkills;
    return (
      ready.find((a) => a.agentId === owner) ??
      (skills ? ready.find((a) => skills.every((skill) => a.skills.includes(skill))) : undefined) ??
      ready[0]
    );
  }

  /**
   * Leader: offer a live answer to another node's ready agent — reserved in the pool first, so
   * two calls never go to one agent — until the 2-second deadline. False when no agent could
   * be reserved.
   */
  async offerRemote(call: CallRuntime, first?: PooledAgent): Promise<boolean> {
    const pool = this.core.pool;
    if (!pool || call.snapshot.previewAgentId !== undefined || call.snapshot.phase !== CallPhase.Waiting) return false;
    const { run } = call;
    const callId = call.attempt.id;
    for (let agent = first ?? this.pickRemote(run, call); agent; agent = this.pickRemote(run, call)) {
      const { agentId, nodeId } = agent;
      // Taken for this round whatever the pool says: never offered twice.
      run.pooled = run.pooled.map((a) => (a.agentId === agentId ? { ...a, state: AgentState.Reserved } : a));
      const now = this.core.deps.clock.now();
      let reserved: boolean;
      try {
        reserved = await pool.reserve(agentId, callId, now, this.core.parts.poolMember.freshSince(now));
      } catch (error) {
        // issue-23 23-xclaim: the pool away: no other node's agent for now. False, so the caller puts the live
        // answer back in the waiting list (one of this node's agents may still take it); before, the throw skipped that.
        this.core.report(`agent pool reserve ${callId}`, error);
        return false;
      }
      if (!reserved) continue;
      if (call.snapshot.phase !== CallPhase.Waiting) return true; // the caller hung up meanwhile; the agent's node refreshes its entry
      await this.core.parts.calls.apply(call, { type: 'agentReserved', agentId, node: nodeId, at: this.core.deps.clock.now() });
      await pool.send(nodeId, { type: 'offer', callId, agentId, campaignId: run.campaign.id, leader: this.core.nodeId });
      return true;
    }
    return false;
  }

  /** Leader: the call is connected to another node's agent: that node's desk gets the offer. */
  async connectRemote(node: string, offer: CallOffer): Promise<void> {
    await this.core.pool?.send(node, { type: 'connect', offer });
  }

  /** Leader: take back an offer (the agent's node puts the agent back to ready). */
  withdraw(callId: string, agentId: string, node: string): void {
    void this.core.pool?.send(node, { type: 'cancel', callId, agentId });
  }

  /** Leader: the call ended; the agent's node moves the agent to wrap-up. */
  async endedRemote(node: string, m: Omit<Extract<PoolMessage, { type: 'ended' }>, 'type'>): Promise<void> {
    await this.core.pool?.send(node, { type: 'ended', ...m });
  }

  /** Leader (issue-17): the call was revised to a machine and is hung up on; the agent's node frees the agent at once. */
  async revisedRemote(node: string, m: Omit<Extract<PoolMessage, { type: 'revised' }>, 'type'>): Promise<void> {
    await this.core.pool?.send(node, { type: 'revised', ...m });
  }

  /** Leader: the disposition is recorded; the agent's node releases the agent. */
  async released(node: string, m: Omit<Extract<PoolMessage, { type: 'released' }>, 'type'>): Promise<void> {
    await this.core.pool?.send(node, { type: 'released', ...m });
  }

  /** Leader: the `onConnect` script for another node's agent. */
  async sendScript(node: string, callId: string, script: ConnectResult & { fallback: boolean }): Promise<void> {
    await this.core.pool?.send(node, { type: 'script', callId, script });
  }

  /** A pool message about a call led here: an input to the call when its agent is the one the call has. */
  #toCall(callId: string, agentId: string, what: string, work: (call: CallRuntime) => Promise<unknown>): void {
    const call = this.core.calls.get(callId);
    if (!call) return;
    void this.core.parts.calls.onChain(call, what, () => (call.snapshot.agent?.id === agentId ? work(call) : undefined));
  }

  onPoolMessage(m: PoolMessage): void {
    const call = 'callId' in m ? this.core.calls.get(m.callId) : undefined;
    const onCall = (what: string, work: (c: CallRuntime) => Promise<unknown> | undefined) => {
      if (call) void this.core.parts.calls.onChain(call, what, () => work(call));
    };
    switch (m.type) {
      // ── on the leader
      case 'accept':
        if (!call) {
          this.cancelLate(m.callId, m.agentId);
          return;
        }
        onCall('connect', async (c) => {
          const agent = c.snapshot.agent;
          if (c.snapshot.phase !== CallPhase.Offered || agent?.id !== m.agentId || agent.node === undefined) {
            this.cancelLate(m.callId, m.agentId);
            return;
          }
          await this.core.parts.calls.apply(c, { type: 'accepted', at: this.core.deps.clock.now() });
        });
        return;
      case 'decline':
        this.#toCall(m.callId, m.agentId, 'declined offer', (c) =>
          this.core.parts.calls.apply(c, { type: 'declined', at: this.core.deps.clock.now() }),
        );
        return;
      case 'hangup':
        onCall('hangup', (c) => this.core.deps.trunk.hangup(c.attempt.id));
        return;
      case 'agentLeft':
        if (call) void this.core.parts.calls.agentLeft(call, m.agentId);
        return;
      case 'forward': {
        const f = m.call;
        if (f.method === 'disposition') {
          this.core.guard(`disposition ${m.callId}`, this.core.parts.dispositions.take(m.callId, f.code, f.data as DispositionData));
          return;
        }
        if (f.method === 'scriptAnswer') {
          this.core.guard(`scriptAnswer ${m.callId}`, this.core.parts.calls.scriptAnswer(m.callId, f.answer as ScriptAnswer));
          return;
        }
        this.core.guard(`offerResponse ${m.callId}`, this.core.parts.calls.offerResponse(m.callId, f.response as OfferResponse));
        return;
      }
      // ── on the agent's node
      case 'offer':
        this.core.parts.poolMember.onOffer(m);
        return;
      case 'connect':
        this.core.parts.poolMember.onRemoteConnect(m.offer);
        return;
      case 'cancel':
        this.core.parts.poolMember.releaseRemote(m.callId, m.agentId);
        return;
      case 'script': {
        const remote = this.core.remoteCalls.get(m.callId) ?? this.inboundMember.campaignOf(m.callId); // issue-23: a returned call's script
        if (remote) this.core.parts.calls.emitScript(remote.campaignId, m.callId, remote.agentId, m.script);
        return;
      }
      // issue-23: an inbound call whose agent is on another node
      case 'inbound':
        if (toInboundLeader(m.message)) this.core.parts.inbound?.pool?.onMessage(m.message);
        else this.inboundMember.onMessage(m.message);
        return;
      case 'ended':
        this.core.parts.poolMember.onRemoteEnded(m);
        return;
      case 'released':
        this.core.parts.poolMember.onReleased(m);
        return;
      case 'revised':
        this.core.parts.poolMember.onRevised(m);
        return;
    }
  }

  /** Leader: an accept that came too late (the call was abandoned, ended or went elsewhere): free the agent. */
  cancelLate(callId: string, agentId: string): void {
    for (const run of this.core.campaigns.values()) {
      const node = run.pooled.find((a) => a.agentId === agentId)?.nodeId;
      if (node) {
        void this.core.pool?.send(node, { type: 'cancel', callId, agentId });
        return;
      }
    }
  }
}
