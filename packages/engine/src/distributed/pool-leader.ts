import { AgentState, CallState, type PooledAgent } from '@paceline/core';
import type { OfferResponse, ScriptRun } from '@paceline/scripting';
import type { PoolMessage } from '../distributed/pool-protocol';
import type { CallRuntime, CampaignRuntime, DispositionData, EngineCore } from '../engine-core';

/** An agent's actions on a call, as the `Dialer` takes them (forwarded here from the agent's node). */
export interface AgentActions {
  disposition(callId: string, code: string, data?: DispositionData): Promise<void>;
  scriptAnswer(callId: string, answer: { stepId: string; answer: ScriptRun['answers'][string]; run: ScriptRun }): Promise<void>;
  offerResponse(callId: string, response: OfferResponse): Promise<void>;
}

/** The leader's side of the agent pool: other nodes' agents listed, reserved and offered live answers; their messages become the call's inputs. */
export class PoolLeader {
  /** `agentActions`: where an agent's actions forwarded from its node are carried out (the dialer's own methods). */
  constructor(
    readonly core: EngineCore,
    readonly agentActions: AgentActions,
  ) {}

  /**
   * Leader: re-list the other nodes' agents of the campaign; a connected call whose agent
   * vanished from the pool (its node died) is ended as if the agent had logged out; waiting
   * live answers go to other nodes' ready agents.
   */
  async refreshPool(run: CampaignRuntime, now: number): Promise<void> {
    const pool = this.core.pool;
    if (!pool) return;
    run.pooled = await pool.others(run.campaign.id, this.core.parts.poolMember.freshSince(now));
    for (const call of this.core.calls.values()) {
      const remote = call.run === run ? call.remote : undefined;
      if (!remote?.accepted || call.agentLeft) continue;
      if (run.pooled.some((a) => a.agentId === remote.agentId && a.nodeId === remote.nodeId)) continue;
      this.agentLeft(call.attempt.id, remote.agentId);
    }
    for (const call of [...run.waiting]) {
      if (call.forAgentId !== undefined) continue;
      const agent = this.pickRemote(run, call);
      if (!agent) break;
      this.core.parts.calls.stopWaiting(call);
      this.core.parts.calls.onChain(call, 'offer', async () => {
        if (!(await this.offerRemote(call, agent)) && call.state === CallState.Analysing) this.core.parts.calls.waitForAgent(call);
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
    if (!pool || call.forAgentId !== undefined || call.state !== CallState.Analysing) return false;
    const { run } = call;
    const callId = call.attempt.id;
    for (let agent = first ?? this.pickRemote(run, call); agent; agent = this.pickRemote(run, call)) {
      const { agentId, nodeId } = agent;
      // Taken for this round whatever the pool says: never offered twice.
      run.pooled = run.pooled.map((a) => (a.agentId === agentId ? { ...a, state: AgentState.Reserved } : a));
      const now = this.core.deps.clock.now();
      if (!(await pool.reserve(agentId, callId, now, this.core.parts.poolMember.freshSince(now)))) continue;
      if (call.state !== CallState.Analysing) return true; // the caller hung up meanwhile; the agent's node refreshes its entry
      call.remote = { agentId, nodeId, accepted: false };
      call.agentId = agentId;
      this.core.parts.calls.atDeadline(call, async () => {
        if (!call.remote || call.remote.accepted) return;
        this.withdrawOffer(call);
        await this.core.parts.calls.abandon(call);
      });
      await pool.send(nodeId, { type: 'offer', callId, agentId, campaignId: run.campaign.id, leader: this.core.nodeId });
      return true;
    }
    return false;
  }

  /** Leader: take back an offer not yet accepted (the agent's node puts the agent back to ready). */
  withdrawOffer(call: CallRuntime): void {
    const remote = call.remote;
    if (!remote || remote.accepted) return;
    this.dropOffer(call);
    void this.core.pool?.send(remote.nodeId, { type: 'cancel', callId: call.attempt.id, agentId: remote.agentId });
  }

  /** Leader: the call is no longer offered to another node's agent. */
  dropOffer(call: CallRuntime): void {
    this.core.parts.calls.clearDeadline(call);
    delete call.remote;
    delete call.agentId;
  }

  /** Another node's agent declined the offer: the live answer looks for another agent while its deadline runs. */
  declined(callId: string, agentId: string): void {
    const call = this.core.calls.get(callId);
    if (!call) return;
    this.core.parts.calls.onChain(call, 'declined offer', async () => {
      if (call.remote?.agentId !== agentId || call.remote.accepted) return;
      this.dropOffer(call);
      if (call.state !== CallState.Analysing) return;
      const local = this.core.parts.router.local(call);
      if (local) await this.core.parts.calls.connect(call, local);
      else if (!(await this.core.parts.router.offerToPool(call))) this.core.parts.calls.waitForAgent(call);
    });
  }

  /** Another node's agent left (logged out, or its node vanished from the pool): an offer counts as declined; a connected call is hung up, a wrap-up closed by the engine. */
  agentLeft(callId: string, agentId: string): void {
    const call = this.core.calls.get(callId);
    if (!call) return;
    this.core.parts.calls.onChain(call, 'agent left', async () => {
      if (call.remote?.agentId !== agentId) return;
      if (!call.remote.accepted) {
        this.declined(callId, agentId);
        return;
      }
      call.agentLeft = true;
      if (call.state === CallState.Connected) await this.core.deps.trunk.hangup(call.attempt.id);
      else if (call.state === CallState.Ended && !call.dispositioned)
        await this.core.parts.dispositions.autoDisposition(call, 'agent left during wrap-up');
    });
  }

  onPoolMessage(m: PoolMessage): void {
    const call = 'callId' in m ? this.core.calls.get(m.callId) : undefined;
    const onCall = (what: string, work: (c: CallRuntime) => Promise<void> | void) => {
      if (call) this.core.parts.calls.onChain(call, what, () => work(call));
    };
    switch (m.type) {
      // ── on the leader
      case 'accept':
        if (!call) {
          this.cancelLate(m.callId, m.agentId);
          return;
        }
        onCall('connect', async (c) => {
          const remote = c.remote;
          if (remote?.agentId !== m.agentId || remote.accepted || c.state !== CallState.Analysing) {
            this.cancelLate(m.callId, m.agentId);
            return;
          }
          remote.accepted = true;
          this.core.parts.calls.clearDeadline(c);
          const offer = this.core.parts.calls.markConnected(c, m.agentId);
          await this.core.pool?.send(remote.nodeId, { type: 'connect', offer });
          this.core.parts.calls.runOnConnect(offer, remote.nodeId);
        });
        return;
      case 'decline':
        this.declined(m.callId, m.agentId);
        return;
      case 'hangup':
        onCall('hangup', (c) => this.core.deps.trunk.hangup(c.attempt.id));
        return;
      case 'agentLeft':
        this.agentLeft(m.callId, m.agentId);
        return;
      case 'forward': {
        const f = m.call;
        if (f.method === 'disposition') {
          this.core.guard(`disposition ${m.callId}`, this.agentActions.disposition(m.callId, f.code, f.data as DispositionData));
          return;
        }
        if (f.method === 'scriptAnswer') {
          this.core.guard(
            `scriptAnswer ${m.callId}`,
            this.agentActions.scriptAnswer(m.callId, f.answer as Parameters<AgentActions['scriptAnswer']>[1]),
          );
          return;
        }
        this.core.guard(`offerResponse ${m.callId}`, this.agentActions.offerResponse(m.callId, f.response as OfferResponse));
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
        const remote = this.core.remoteCalls.get(m.callId);
        if (remote) this.core.parts.calls.emitScript(remote.campaignId, m.callId, remote.agentId, m.script);
        return;
      }
      case 'ended':
        this.core.parts.poolMember.onRemoteEnded(m);
        return;
      case 'released':
        this.core.parts.poolMember.onReleased(m);
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
