import { AgentState, type Attempt, CallState, callLifecycle, PacelineError, type TrunkEvent } from '@paceline/core';
import type { ConnectResult } from '@paceline/scripting';
import { CONNECT_DEADLINE_MS, MACHINE_MESSAGE, SAFE_HARBOUR_MESSAGE } from '../engine-constants';
import type { AgentRuntime, CallRuntime, EngineCore } from '../engine-core';
import type { CallOffer } from '../events';
import { recycle } from '../recycle';

/** The calls in flight: each call's mailbox (its events handled one at a time), the 2-second deadline, connect and abandon. */
export class CallRunner {
  constructor(readonly core: EngineCore) {}

  onTrunkEvent(event: TrunkEvent): void {
    const call = this.core.calls.get(event.callId);
    if (!call) return;
    this.onChain(call, 'call', () => this.handle(call, event));
  }

  async handle(call: CallRuntime, event: TrunkEvent): Promise<void> {
    const { campaign } = call.run;
    const base = { campaignId: campaign.id, callId: call.attempt.id, at: event.at };
    switch (event.type) {
      case 'ringing':
        if (call.state === CallState.Dialing) this.setCallState(call, CallState.Ringing);
        this.core.events.emit('ringing', base);
        return;
      case 'answered':
        if (call.state === CallState.Dialing || call.state === CallState.Ringing) this.setCallState(call, CallState.Answered);
        call.attempt = { ...call.attempt, answeredAt: event.at };
        this.core.events.emit('answered', base);
        return;
      case 'analysed':
        return this.analysed(call, event.result, event.greetingEndedAt, event.at);
      case 'ended':
        return this.ended(call, event.outcome, event.at);
    }
  }

  async analysed(call: CallRuntime, detected: 'human' | 'machine' | 'unknown', greetingEndedAt: number, at: number): Promise<void> {
    if (call.state === CallState.Answered) this.setCallState(call, CallState.Analysing);
    if (call.state !== CallState.Analysing) return;
    // Detection switched off for the campaign sends every answer to agents; machine decisions feed calibration.
    const result = call.run.campaign.answeringMachineDetection === false ? 'unknown' : detected;
    if (result === 'machine' && call.run.campaign.machineHandling !== 'agent') {
      this.core.amdCalibration.machineDecided(call.run.campaign.id, call.attempt.id, at);
    }
    call.attempt = { ...call.attempt, amd: result };
    call.greetingEndedAt = greetingEndedAt;
    const { campaign } = call.run;
    this.core.events.emit('analysed', { campaignId: campaign.id, callId: call.attempt.id, result, at });
    // An undecided analysis is treated as a person: hanging up on a human is worse.
    if (result === 'machine' && campaign.machineHandling !== 'agent') {
      this.recordForCompliance(call, 'machine', at);
      if (campaign.machineHandling === 'message') await this.core.deps.trunk.playMessage(call.attempt.id, MACHINE_MESSAGE);
      await this.core.deps.trunk.hangup(call.attempt.id);
      return;
    }
    // An agent-owned callback goes to its agent when that agent is free.
    // Skill routing prefers a skilled agent but never lets a live answer wait for one.
    if (call.forAgentId !== undefined) {
      const mine = this.core.parts.agents.freeAgentFor(campaign.id, { owner: call.forAgentId });
      if (mine) await this.connect(call, mine);
      else this.waitForAgent(call);
      return;
    }
    const local = this.core.parts.router.local(call);
    if (local) await this.connect(call, local);
    else if (!(await this.core.parts.router.offerToPool(call))) this.waitForAgent(call);
  }

  /** No agent is free: wait until 2 s after the greeting ended, then abandon. */
  waitForAgent(call: CallRuntime): void {
    call.waiting = true;
    call.run.waiting.push(call);
    this.atDeadline(call, async () => {
      if (call.waiting) await this.abandon(call);
    });
    this.core.parts.campaigns.tick(call.run);
  }

  /** At the 2-second deadline (2 s after the greeting ended), run `expire` on the call's chain. */
  atDeadline(call: CallRuntime, expire: () => Promise<void>): void {
    const now = this.core.deps.clock.now();
    const deadline = (call.greetingEndedAt ?? now) + CONNECT_DEADLINE_MS;
    call.waitTimer = this.core.deps.clock.setTimer(Math.max(0, deadline - now), () => {
      delete call.waitTimer;
      this.onChain(call, 'abandon', expire);
    });
  }

  clearDeadline(call: CallRuntime): void {
    if (call.waitTimer !== undefined) this.core.deps.clock.clearTimer(call.waitTimer);
    delete call.waitTimer;
  }

  stopWaiting(call: CallRuntime): void {
    call.waiting = false;
    this.clearDeadline(call);
    const i = call.run.waiting.indexOf(call);
    if (i >= 0) call.run.waiting.splice(i, 1);
  }

  async connect(call: CallRuntime, agent: AgentRuntime): Promise<void> {
    this.stopWaiting(call);
    this.core.parts.agents.setAgentState(agent, AgentState.Reserved);
    agent.callId = call.attempt.id;
    call.agentId = agent.agent.id;
    try {
      await this.core.deps.media?.connect(call.attempt.id, agent.agent.id);
    } catch (error) {
      this.core.report(`media connect ${call.attempt.id}`, error);
      if (agent.state === AgentState.Reserved) {
        delete agent.callId;
        this.core.parts.agents.setAgentState(agent, AgentState.Ready);
      }
      delete call.agentId;
      await this.abandon(call);
      return;
    }
    if (call.state !== CallState.Analysing || agent.state !== AgentState.Reserved || agent.callId !== call.attempt.id) {
      // The caller hung up or the agent logged out while the audio was being bridged.
      if (agent.state === AgentState.Reserved && agent.callId === call.attempt.id) {
        delete agent.callId;
        this.core.parts.agents.setAgentState(agent, AgentState.Ready);
        this.core.parts.agents.agentFree(agent);
      }
      return;
    }
    this.core.parts.agents.setAgentState(agent, AgentState.OnCall);
    const offer = this.markConnected(call, agent.agent.id);
    this.core.events.emit('connected', offer);
    this.runOnConnect(offer);
  }

  /** The call is connected to `agentId` (of this node or another): record it; returns the offer for the agent desk. */
  markConnected(call: CallRuntime, agentId: string): CallOffer {
    const now = this.core.deps.clock.now();
    this.setCallState(call, CallState.Connected);
    call.attempt = { ...call.attempt, connectedAt: now, agentId };
    const connected = call.attempt;
    this.core.parts.writes.persist(call, 'connected attempt', () => this.core.store.putAttempt(connected));
    this.core.parts.ledger.liveAnswer(call, false, now);
    const { campaign } = call.run;
    this.recordForCompliance(call, 'conversation', now);
    return {
      campaignId: campaign.id,
      callId: call.attempt.id,
      agentId,
      contact: call.record.contact,
      attempt: call.attempt,
      ...(campaign.scriptId === undefined ? {} : { scriptId: campaign.scriptId }),
      ...(call.record.callbackReason === undefined ? {} : { callbackReason: call.record.callbackReason }),
      latencyMs: now - (call.greetingEndedAt ?? now),
    };
  }

  /**
   * The script comes after the connect, never before it: a slow or failing hook must not
   * delay a live call. The runner bounds it and falls back to the campaign's script. For an
   * agent of another node, the script goes to that node.
   */
  runOnConnect(offer: CallOffer, agentNode?: string): void {
    const hooks = this.core.campaigns.get(offer.campaignId)?.hooks;
    if (!hooks) return;
    this.core.guard(
      `onConnect ${offer.callId}`,
      hooks.onConnect(offer).then(async (outcome) => {
        const script = { ...outcome.value, fallback: !outcome.ok };
        if (agentNode) await this.core.pool?.send(agentNode, { type: 'script', callId: offer.callId, script });
        else this.emitScript(offer.campaignId, offer.callId, offer.agentId, script);
      }),
    );
  }

  emitScript(campaignId: string, callId: string, agentId: string, script: ConnectResult & { fallback: boolean }): void {
    this.core.events.emit('scriptReady', { ...script, campaignId, callId, agentId });
  }

  async abandon(call: CallRuntime): Promise<void> {
    this.stopWaiting(call);
    if (call.state !== CallState.Analysing) return;
    const now = this.core.deps.clock.now();
    this.setCallState(call, CallState.Abandoned);
    call.attempt = { ...call.attempt, abandoned: true };
    let messagePlayed = false;
    try {
      // FTC TSR 310.4(b)(4)(iii) / Ofcom: the safe-harbour message, within 2 s of the greeting.
      await this.core.deps.trunk.playMessage(call.attempt.id, SAFE_HARBOUR_MESSAGE);
      messagePlayed = true;
    } catch (error) {
      this.core.report(`safe-harbour message ${call.attempt.id}`, error);
    }
    this.core.parts.ledger.liveAnswer(call, true, now);
    const { campaign } = call.run;
    this.recordForCompliance(call, 'abandon', now);
    this.core.events.emit('abandoned', { campaignId: campaign.id, callId: call.attempt.id, at: now, attempt: call.attempt, messagePlayed });
    await this.core.deps.trunk.hangup(call.attempt.id);
  }

  /** Record what happened on a call in the compliance ledger (caps and locks read it). */
  recordForCompliance(call: CallRuntime, kind: 'conversation' | 'abandon' | 'machine' | 'refusal', at: number): void {
    const { phone, id } = call.attempt;
    this.core.deps.compliance.record({ kind, at, phone, campaignId: call.run.campaign.id, contact: call.record.contact, attemptId: id });
  }

  async ended(call: CallRuntime, outcome: Attempt['outcome'] & string, at: number): Promise<void> {
    const { run } = call;
    const wasConnected = call.state === CallState.Connected;
    const offered = call.remote !== undefined && !call.remote.accepted;
    if (offered) this.core.parts.poolLeader.withdrawOffer(call);
    if (call.waiting || offered) {
      // The caller hung up before an agent was free: a live answer not connected in time.
      this.setCallState(call, CallState.Abandoned);
      call.attempt = { ...call.attempt, abandoned: true };
      this.stopWaiting(call);
      this.core.parts.ledger.liveAnswer(call, true, at);
      this.recordForCompliance(call, 'abandon', at);
      this.core.events.emit('abandoned', {
        campaignId: run.campaign.id,
        callId: call.attempt.id,
        at,
        attempt: call.attempt,
        messagePlayed: false,
      });
    }
    if (call.state === CallState.Ended) return; // a duplicate `ended`
    this.setCallState(call, CallState.Ended);
    call.markEnded();
    call.attempt = { ...call.attempt, endedAt: at, outcome };
    const endedAttempt = call.attempt;
    this.core.parts.writes.persist(call, 'ended attempt', () => this.core.store.putAttempt(endedAttempt));
    const { startedAt, answeredAt } = call.attempt;
    run.pacer.observeOutcome({
      outcome: call.attempt.abandoned || wasConnected ? 'human' : outcome,
      ...(answeredAt === undefined ? {} : { answerDelayMs: answeredAt - startedAt }),
      ...(call.greetingEndedAt === undefined ? {} : { liveDelayMs: call.greetingEndedAt - startedAt }),
      durationMs: at - startedAt,
    });
    this.core.events.emit('ended', { campaignId: run.campaign.id, callId: call.attempt.id, outcome, at, attempt: call.attempt });
    if (wasConnected) this.disconnectMedia(call);

    const agent = call.agentId ? this.core.agents.get(call.agentId) : undefined;
    if (wasConnected && agent && agent.callId === call.attempt.id && agent.state === AgentState.OnCall) {
      run.pacer.observeWork({ talkMs: at - (call.attempt.connectedAt ?? at) });
      this.core.parts.agents.setAgentState(agent, AgentState.WrapUp);
      return; // the contact is recycled when the agent dispositions the call
    }
    if (wasConnected && call.remote && !call.agentLeft) {
      // The agent's node moves the agent to wrap-up; its disposition comes back here.
      run.pacer.observeWork({ talkMs: at - (call.attempt.connectedAt ?? at) });
      const { agentId, nodeId } = call.remote;
      await this.core.pool?.send(nodeId, { type: 'ended', callId: call.attempt.id, agentId, outcome, at, attempt: call.attempt });
      return;
    }
    if (wasConnected) {
      await this.core.parts.dispositions.autoDisposition(call, 'agent left during the call');
      return;
    }
    const next = recycle(run.campaign, call.record, { outcome, abandoned: call.attempt.abandoned }, at);
    await this.core.parts.writes.persist(call, 'recycle', () => this.core.parts.dispositions.applyRecycle(run, call.record, next));
    this.core.calls.delete(call.attempt.id);
    this.core.parts.campaigns.tick(run);
    await this.core.parts.campaigns.maybeComplete(run);
  }

  setCallState(call: CallRuntime, to: CallState): void {
    call.state = callLifecycle.transition(call.state, to, call.attempt.id);
  }

  /** Run `work` after everything already queued for the call (its events are handled one at a time). */
  onChain(call: CallRuntime, what: string, work: () => Promise<void> | void): void {
    call.chain = call.chain.then(work).catch((error) => this.core.report(`${what} ${call.attempt.id}`, error));
  }

  /** A connected call ended: tear down its audio path (`MediaBridge.disconnect` is idempotent; hosts may call it too). */
  disconnectMedia(call: CallRuntime): void {
    const media = this.core.deps.media;
    if (!media) return;
    const callId = call.attempt.id;
    this.core.guard(
      `media disconnect ${callId}`,
      Promise.resolve().then(() => media.disconnect(callId)),
    );
  }

  liveCall(callId: string, what: string): CallRuntime {
    const call = this.core.calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `${what}: no call ${callId} in progress`);
    return call;
  }

  callRef(call: CallRuntime): { campaignId: string; callId: string; contactId: string; agentId?: string } {
    return {
      campaignId: call.run.campaign.id,
      callId: call.attempt.id,
      contactId: call.attempt.contactId,
      ...(call.agentId === undefined ? {} : { agentId: call.agentId }),
    };
  }
}
