import { AgentState, type AmdRevisionReason, type CallOutcome, PacelineError, type TrunkEvent } from '@paceline/core';
import type { ConnectResult, OfferResponse } from '@paceline/scripting';
import { MACHINE_MESSAGE, SAFE_HARBOUR_MESSAGE } from '../engine-constants';
import type { AgentRuntime, CallRuntime, EngineCore } from '../engine-core';
import type { CallOffer } from '../events';
import type { ScriptAnswer } from './agent-input';
import { type CallEffect, type CallInput, CallPhase, type CallSnapshot, type CallStep, step } from './call-machine';

/**
 * The calls in flight. Each call has a mailbox (its `chain`): trunk events, the 2-second
 * deadline, pool messages and agent actions become the call machine's inputs there, one at a
 * time; `apply` steps the pure machine (call-machine.ts) and carries out the effects it returns.
 * The call's state is the machine's snapshot and nothing else.
 */
export class CallRunner {
  constructor(readonly core: EngineCore) {}

  // ── the mailbox ─────────────────────────────────────────────────────────────────────────

  onTrunkEvent(event: TrunkEvent): void {
    const call = this.core.calls.get(event.callId);
    if (!call) return;
    this.onChain(call, 'call', () => this.trunkEvent(call, event));
  }

  /** Run `work` after everything already queued for the call; a failure is reported. Resolves when `work` is done. */
  onChain(call: CallRuntime, what: string, work: () => Promise<unknown> | unknown): Promise<void> {
    call.chain = call.chain.then(work).then(
      () => {},
      (error) => this.core.report(`${what} ${call.attempt.id}`, error),
    );
    return call.chain;
  }

  /** Run `work` after everything already queued for the call, and give its result (or failure) to the caller. */
  perform<T>(call: CallRuntime, work: () => Promise<T> | T): Promise<T> {
    const result = call.chain.then(work);
    call.chain = result.then(
      () => {},
      () => {},
    );
    return result;
  }

  /**
   * One input of the call: the machine's step, then its effects, in order. Returns the step
   * (`refused` when the input does not apply to the call as it is now: nothing changes then).
   * Called on the call's chain.
   */
  async apply(call: CallRuntime, input: CallInput): Promise<CallStep> {
    const before = call.snapshot;
    const result = step(before, input);
    if (result.refused !== undefined) {
      this.core.deps.logger.debug({ callId: call.attempt.id, refused: result.refused }, 'call input refused');
      return result;
    }
    call.snapshot = result.snapshot;
    if (result.snapshot.phase !== CallPhase.Waiting) this.leaveWaitingList(call);
    await this.#carryOut(call, before, input, result.effects);
    return result;
  }

  async trunkEvent(call: CallRuntime, event: TrunkEvent): Promise<void> {
    const { campaign } = call.run;
    const base = { campaignId: campaign.id, callId: call.attempt.id, at: event.at };
    switch (event.type) {
      case 'ringing':
        await this.apply(call, { type: 'ringing', at: event.at });
        this.core.events.emit('ringing', base);
        return;
      case 'answered':
        call.attempt = { ...call.attempt, answeredAt: event.at };
        await this.apply(call, { type: 'answered', at: event.at });
        this.core.events.emit('answered', base);
        return;
      case 'analysed':
        return this.analysed(call, event.result, event.greetingEndedAt, event.at);
      case 'revised':
        // issue-17: with detection off for the campaign every answer goes to agents, revised or not.
        if (call.run.campaign.answeringMachineDetection === false) return;
        await this.apply(call, { type: 'revised', reason: event.reason, at: event.at });
        return;
      case 'ended':
        await this.apply(call, {
          type: 'ended',
          outcome: event.outcome,
          at: event.at,
          ...(event.cause === undefined ? {} : { cause: event.cause }),
        });
        return;
      default:
        return;
    }
  }

  async analysed(call: CallRuntime, detected: 'human' | 'machine' | 'unknown', greetingEndedAt: number, at: number): Promise<void> {
    const s = call.snapshot;
    if (s.phase !== CallPhase.Analysing || s.machine || s.greetingEndedAt !== undefined) return;
    const { campaign } = call.run;
    // Detection switched off for the campaign sends every answer to agents; machine decisions feed calibration.
    const result = campaign.answeringMachineDetection === false ? 'unknown' : detected;
    const machine = result === 'machine' && campaign.machineHandling !== 'agent';
    if (machine) this.#machineDecided(call, at);
    call.attempt = { ...call.attempt, amd: result };
    this.core.events.emit('analysed', { campaignId: campaign.id, callId: call.attempt.id, result, at });
    if (machine) this.recordForCompliance(call, 'machine', at);
    await this.apply(call, { type: 'analysed', result, greetingEndedAt, at });
  }

  // ── agents ──────────────────────────────────────────────────────────────────────────────

  /** An agent of this node became free for a waiting live answer (the desk chose it): reserve it and bridge the audio. */
  async serve(call: CallRuntime, agent: AgentRuntime): Promise<void> {
    if (call.snapshot.phase !== CallPhase.Waiting || agent.state !== AgentState.Ready || agent.callId !== undefined) {
      if (call.snapshot.phase === CallPhase.Waiting) this.wait(call);
      if (agent.state === AgentState.Ready && agent.callId === undefined) this.core.parts.agents.agentFree(agent);
      return;
    }
    await this.#connectLocal(call, agent);
  }

  /** The agent left (logged out, or its node is gone): an input to its call. Resolves when it has been handled. */
  agentLeft(call: CallRuntime, agentId: string): Promise<void> {
    return this.onChain(call, 'agent left', async () => {
      if (call.snapshot.agent?.id !== agentId) return;
      await this.apply(call, { type: 'agentLeft', at: this.core.deps.clock.now() });
    });
  }

  /** No agent is free: the live answer waits (its deadline runs) until an agent frees up or the deadline passes. */
  wait(call: CallRuntime): void {
    if (call.snapshot.phase !== CallPhase.Waiting || call.run.waiting.includes(call)) return;
    call.run.waiting.push(call);
    this.core.parts.campaigns.tick(call.run);
  }

  /** The call is no longer in its campaign's list of waiting live answers (it is being served, or it left `waiting`). */
  leaveWaitingList(call: CallRuntime): void {
    const i = call.run.waiting.indexOf(call);
    if (i >= 0) call.run.waiting.splice(i, 1);
  }

  /** Where a live answer's agent comes from: its preview agent only; else this node's desk, then the pool; else it waits. */
  async #findAgent(call: CallRuntime): Promise<void> {
    const campaignId = call.run.campaign.id;
    const owner = call.snapshot.previewAgentId;
    if (owner !== undefined) {
      const mine = this.core.parts.agents.freeAgentFor(campaignId, { owner });
      if (mine) await this.#connectLocal(call, mine);
      else this.wait(call);
      return;
    }
    const local = this.core.parts.router.local(call);
    if (local) await this.#connectLocal(call, local);
    else if (!(await this.core.parts.router.offerToPool(call))) this.wait(call);
  }

  /** Reserve a ready agent of this node (at once: no await between choice and reservation), bridge the audio, connect. */
  async #connectLocal(call: CallRuntime, agent: AgentRuntime): Promise<void> {
    const callId = call.attempt.id;
    this.core.parts.agents.setAgentState(agent, AgentState.Reserved);
    agent.callId = callId;
    await this.apply(call, { type: 'agentReserved', agentId: agent.agent.id, at: this.core.deps.clock.now() });
    try {
      await this.core.deps.media?.connect(callId, agent.agent.id);
    } catch (error) {
      this.core.report(`media connect ${callId}`, error);
      await this.apply(call, { type: 'connectFailed', at: this.core.deps.clock.now() });
      return;
    }
    // The agent logged out while the audio was being bridged: its `agentLeft` input follows.
    if (agent.state === AgentState.Reserved && agent.callId === callId) {
      await this.apply(call, { type: 'accepted', at: this.core.deps.clock.now() });
    }
    // The deadline passed while the audio was being bridged (its timer, or an acceptance later than
    // it): the caller was abandoned and hung up, so the bridge made for the agent is torn down.
    const phase = call.snapshot.phase;
    if (phase === CallPhase.Abandoned || phase === CallPhase.Done) this.disconnectMedia(call);
  }

  // ── the effects ─────────────────────────────────────────────────────────────────────────

  async #carryOut(call: CallRuntime, before: CallSnapshot, input: CallInput, effects: readonly CallEffect[]): Promise<void> {
    const callId = call.attempt.id;
    let messagePlayed = false;
    for (const effect of effects) {
      switch (effect.type) {
        case 'findAgent':
          await this.#findAgent(call);
          break;
        case 'startDeadline':
          this.#startDeadline(call, effect.at);
          break;
        case 'clearDeadline':
          this.clearDeadline(call);
          break;
        case 'playMessage':
          if (effect.message === 'machine-message') await this.core.deps.trunk.playMessage(callId, MACHINE_MESSAGE);
          else messagePlayed = await this.#safeHarbour(call);
          break;
        case 'hangup':
          await this.core.deps.trunk.hangup(callId);
          break;
        case 'liveAnswer':
          this.#liveAnswer(call, effect.abandoned, input.at);
          break;
        case 'connected': {
          const offer = this.#offer(call, effect.agentId, effect.latencyMs);
          const node = call.snapshot.agent?.node;
          if (node === undefined) this.#connectedHere(offer);
          else {
            await this.core.parts.poolLeader.connectRemote(node, offer);
            this.runOnConnect(offer, node);
          }
          break;
        }
        case 'abandoned': {
          const { campaign } = call.run;
          const played = effect.messagePlayed && messagePlayed;
          this.core.events.emit('abandoned', {
            campaignId: campaign.id,
            callId,
            at: input.at,
            attempt: call.attempt,
            messagePlayed: played,
          });
          break;
        }
        case 'releaseAgent':
          this.#releaseAgent(call, effect.agentId, effect.node);
          break;
        case 'agentToWrapUp':
          if (effect.node === undefined) this.#toWrapUpHere(call, effect.agentId, input.at);
          else await this.#toWrapUpThere(call, effect.agentId, effect.node, input.at);
          break;
        case 'ended':
          this.#ended(call, before, input);
          break;
        case 'recycle':
          await this.#recycle(call, input.at);
          break;
        case 'handBack':
          await this.#handBack(call, input.at);
          break;
        case 'autoDisposition':
          await this.#autoDisposition(call, before.phase === CallPhase.WrapUp ? 'agent left during wrap-up' : 'agent left during the call');
          break;
        case 'machineFound':
          this.machineFound(call, effect.reason, before.agent?.id, input.at, effect.countedLive);
          break;
        case 'freeAgent':
          if (effect.node === undefined) this.#freeAgent(call, effect.agentId);
          else {
            // issue-17: another node's agent is freed by its node (pool message `revised`).
            this.disconnectMedia(call);
            const { campaign } = call.run;
            const revised = { callId, agentId: effect.agentId, reason: effect.reason, handling: campaign.machineHandling, at: input.at };
            await this.core.parts.poolLeader.revisedRemote(effect.node, revised);
          }
          break;
        case 'finishDisposition': {
          const { type: _type, agentId, node, ...request } = effect;
          const agent = agentId === undefined ? undefined : { agentId, ...(node === undefined ? {} : { node }) };
          await this.core.parts.dispositions.finishDisposition(call, request, agent);
          break;
        }
      }
    }
  }

  /**
   * issue-17: a call taken for a person was a machine (call analysis revised it, or its agent's
   * disposition says so): calibration (once per call; a call counted as a live answer — it was
   * connected — stops counting as one), the attempt marked, the compliance record, the host told.
   */
  machineFound(
    call: CallRuntime,
    reason: AmdRevisionReason | 'agent-disposition',
    agentId: string | undefined,
    at: number,
    countedLive = call.attempt.connectedAt !== undefined,
  ): void {
    const { campaign } = call.run;
    const callId = call.attempt.id;
    if (call.attempt.amd === 'machine' && reason === 'agent-disposition') return; // already revised by call analysis
    this.core.amdCalibration.machineConnected(campaign.id, callId);
    // Out of the shared abandon ledger too (the entry written at the connect), for every process reading the store.
    const connectedAt = call.attempt.connectedAt;
    if (countedLive && connectedAt !== undefined && call.attempt.amd !== 'machine') this.core.parts.ledger.machineAnswer(call, connectedAt);
    // Hung up on (or left a message) as a machine: a machine decision like the first ones, for
    // the false-positive estimate and listen-back (a late beep heard in a person's voice is one).
    if (call.snapshot.phase === CallPhase.Revised) this.#machineDecided(call, at);
    call.attempt = { ...call.attempt, amd: 'machine' };
    this.recordForCompliance(call, 'machine', at);
    this.core.events.emit('revised', {
      campaignId: campaign.id,
      callId,
      reason,
      at,
      handling: call.snapshot.phase === CallPhase.Revised ? campaign.machineHandling : 'agent',
      ...(agentId === undefined ? {} : { agentId }),
    });
  }

  /**
   * issue-17: a machine decision (hung up on, or left a message) counts for calibration; a sampled
   * one's audio is kept through the trunk's recording tap (before the hang-up) and queued for a
   * person to review (`amdListenBack`, then `amdCalibration.reviewed`).
   */
  #machineDecided(call: CallRuntime, at: number): void {
    const campaignId = call.run.campaign.id;
    const callId = call.attempt.id;
    const { listenBack } = this.core.amdCalibration.machineDecided(campaignId, callId, at);
    const keep = this.core.deps.trunk.keepAnalysisAudio?.bind(this.core.deps.trunk);
    if (!listenBack || !keep) return;
    this.core.guard(
      `listen-back ${callId}`,
      keep(callId).then((recording) => {
        this.core.amdCalibration.recorded(campaignId, callId, recording);
        this.core.events.emit('amdListenBack', { campaignId, callId, recording, at: this.core.deps.clock.now() });
      }),
    );
  }

  /** issue-17: this node's agent leaves a call revised to a machine at once: no disposition is owed, the audio is torn down. */
  #freeAgent(call: CallRuntime, agentId: string): void {
    const agent = this.core.agents.get(agentId);
    this.disconnectMedia(call);
    if (agent?.callId !== call.attempt.id || agent.state !== AgentState.OnCall) return;
    this.core.parts.agents.setAgentState(agent, AgentState.WrapUp, 'answering machine');
    this.core.parts.agents.releaseAfterWrapUp(agentId, call.attempt.id, undefined);
  }

  #startDeadline(call: CallRuntime, at: number): void {
    this.clearDeadline(call);
    const now = this.core.deps.clock.now();
    call.deadlineTimer = this.core.deps.clock.setTimer(Math.max(0, at - now), () => {
      delete call.deadlineTimer;
      this.onChain(call, 'deadline', () => this.apply(call, { type: 'deadline', at: this.core.deps.clock.now() }));
    });
  }

  clearDeadline(call: CallRuntime): void {
    if (call.deadlineTimer !== undefined) this.core.deps.clock.clearTimer(call.deadlineTimer);
    delete call.deadlineTimer;
  }

  /** FTC TSR 310.4(b)(4)(iii) / Ofcom: the safe-harbour message, within 2 s of the greeting. True when it played. */
  async #safeHarbour(call: CallRuntime): Promise<boolean> {
    try {
      await this.core.deps.trunk.playMessage(call.attempt.id, SAFE_HARBOUR_MESSAGE);
      return true;
    } catch (error) {
      this.core.report(`safe-harbour message ${call.attempt.id}`, error);
      return false;
    }
  }

  /** Count the live answer in the abandon ledger and the compliance record. */
  #liveAnswer(call: CallRuntime, abandoned: boolean, at: number): void {
    if (abandoned) call.attempt = { ...call.attempt, abandoned: true };
    else {
      const agentId = call.snapshot.agent?.id;
      call.attempt = { ...call.attempt, connectedAt: at, ...(agentId === undefined ? {} : { agentId }) };
      const connected = call.attempt;
      this.core.parts.writes.persist(call, 'connected attempt', () => this.core.store.putAttempt(connected));
    }
    this.core.parts.ledger.liveAnswer(call, abandoned, at);
    this.recordForCompliance(call, abandoned ? 'abandon' : 'conversation', at);
  }

  /** What the agent desk is given for a connected call. */
  #offer(call: CallRuntime, agentId: string, latencyMs: number): CallOffer {
    const { campaign } = call.run;
    return {
      campaignId: campaign.id,
      callId: call.attempt.id,
      agentId,
      contact: call.record.contact,
      attempt: call.attempt,
      ...(campaign.scriptId === undefined ? {} : { scriptId: campaign.scriptId }),
      ...(call.record.callbackReason === undefined ? {} : { callbackReason: call.record.callbackReason }),
      latencyMs,
    };
  }

  /** Connected to an agent of this node: on the call, the host told, then the script. (Another node's: `connectRemote`.) */
  #connectedHere(offer: CallOffer): void {
    const agent = this.core.agents.get(offer.agentId);
    if (agent) this.core.parts.agents.setAgentState(agent, AgentState.OnCall);
    this.core.events.emit('connected', offer);
    this.runOnConnect(offer);
  }

  /** The reserved agent is given back: ready again here, or the offer withdrawn from its node. */
  #releaseAgent(call: CallRuntime, agentId: string, node: string | undefined): void {
    if (node !== undefined) {
      this.core.parts.poolLeader.withdraw(call.attempt.id, agentId, node);
      return;
    }
    const agent = this.core.agents.get(agentId);
    if (agent?.callId !== call.attempt.id || agent.state !== AgentState.Reserved) return;
    delete agent.callId;
    this.core.parts.agents.setAgentState(agent, AgentState.Ready);
    this.core.parts.agents.agentFree(agent);
  }

  /** The call ended with this node's agent on it: the agent moves to wrap-up; the pacer learns the talk time. */
  #toWrapUpHere(call: CallRuntime, agentId: string, at: number): void {
    const agent = this.core.agents.get(agentId);
    // An agent who logged out meanwhile is not moved: its `agentLeft` input follows, and the engine dispositions.
    if (!agent || agent.callId !== call.attempt.id || agent.state !== AgentState.OnCall) return;
    call.run.pacer.observeWork({ talkMs: at - (call.attempt.connectedAt ?? at) });
    this.core.parts.agents.setAgentState(agent, AgentState.WrapUp);
  }

  /** The call ended with another node's agent on it: that node moves the agent to wrap-up. */
  async #toWrapUpThere(call: CallRuntime, agentId: string, node: string, at: number): Promise<void> {
    call.run.pacer.observeWork({ talkMs: at - (call.attempt.connectedAt ?? at) });
    const outcome = call.attempt.outcome ?? 'human';
    await this.core.parts.poolLeader.endedRemote(node, { callId: call.attempt.id, agentId, outcome, at, attempt: call.attempt });
  }

  /** The network's end of the call: the attempt written, the pacer told, the host told, the audio path torn down. */
  #ended(call: CallRuntime, before: CallSnapshot, input: CallInput): void {
    if (input.type !== 'ended') return;
    const { run } = call;
    const outcome = input.outcome as CallOutcome;
    const wasConnected = before.phase === CallPhase.Connected;
    call.markEnded();
    call.attempt = { ...call.attempt, endedAt: input.at, outcome };
    const endedAttempt = call.attempt;
    this.core.parts.writes.persist(call, 'ended attempt', () => this.core.store.putAttempt(endedAttempt));
    const { startedAt, answeredAt } = call.attempt;
    const greetingEndedAt = call.snapshot.greetingEndedAt;
    run.pacer.observeOutcome({
      outcome: call.attempt.abandoned || wasConnected ? 'human' : outcome,
      ...(answeredAt === undefined ? {} : { answerDelayMs: answeredAt - startedAt }),
      ...(greetingEndedAt === undefined ? {} : { liveDelayMs: greetingEndedAt - startedAt }),
      durationMs: input.at - startedAt,
    });
    this.core.events.emit('ended', { campaignId: run.campaign.id, callId: call.attempt.id, outcome, at: input.at, attempt: call.attempt });
    if (wasConnected) this.disconnectMedia(call);
  }

  /** No agent took the call: the contact is recycled on the network outcome, and the call is done. */
  async #recycle(call: CallRuntime, at: number): Promise<void> {
    const { run } = call;
    const dispositions = this.core.parts.dispositions;
    const result = { outcome: call.attempt.outcome ?? 'failed', abandoned: call.attempt.abandoned };
    await this.core.parts.writes.persist(call, 'recycle', () => dispositions.recycleAfter(run, call.record, result, at));
    this.#done(call);
    await this.core.parts.campaigns.maybeComplete(run);
  }

  /** The trunk never reached the carrier: the contact goes back to be dialled again, the attempt not charged to it. */
  async #handBack(call: CallRuntime, at: number): Promise<void> {
    const { run } = call;
    this.core.deps.logger.warn(
      { callId: call.attempt.id, contactId: call.attempt.contactId },
      'trunk unavailable: the contact is dialled again',
    );
    await this.core.parts.writes.persist(call, 'hand back', () => this.core.parts.dispositions.handBack(run, call.record, at));
    this.#done(call);
    await this.core.parts.campaigns.maybeComplete(run);
  }

  #done(call: CallRuntime): void {
    this.clearDeadline(call);
    this.core.calls.delete(call.attempt.id);
    this.core.parts.campaigns.tick(call.run);
  }

  /** The agent left before disposing of the call: the engine dispositions it (`NO_DECISION` when the campaign has it). */
  async #autoDisposition(call: CallRuntime, why: string): Promise<void> {
    this.core.deps.logger.info({ callId: call.attempt.id, why }, 'call dispositioned by the engine');
    const code = call.run.campaign.dispositions.find((d) => d.code === 'NO_DECISION' && !d.final) ? 'NO_DECISION' : undefined;
    await this.apply(call, { type: 'disposition', at: this.core.deps.clock.now(), ...(code === undefined ? {} : { code }) });
  }

  /** The trunk refused to place the call for good (`retryable: false`): the number is not dialled again. */
  originateRefused(call: CallRuntime, error: unknown): Promise<void> {
    this.core.report(`originate ${call.attempt.id}`, error);
    return this.onChain(call, 'originate refused', () =>
      this.apply(call, { type: 'ended', outcome: 'invalid-number', at: this.core.deps.clock.now() }),
    );
  }

  // ── around the call ─────────────────────────────────────────────────────────────────────

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
        if (agentNode) await this.core.parts.poolLeader.sendScript(agentNode, offer.callId, script);
        else this.emitScript(offer.campaignId, offer.callId, offer.agentId, script);
      }),
    );
  }

  emitScript(campaignId: string, callId: string, agentId: string, script: ConnectResult & { fallback: boolean }): void {
    this.core.events.emit('scriptReady', { ...script, campaignId, callId, agentId });
  }

  /** A script answer on a call this node runs (the agent's own, or forwarded from its node): the `onAnswer` hook. */
  async scriptAnswer(callId: string, answer: ScriptAnswer): Promise<void> {
    const call = this.liveCall(callId, 'scriptAnswer');
    await call.run.hooks?.onAnswer({ ...this.callRef(call), ...answer });
  }

  /** The customer's answer to an offer on a call this node runs: the `onOfferResponse` hook. */
  async offerResponse(callId: string, response: OfferResponse): Promise<void> {
    const call = this.liveCall(callId, 'offerResponse');
    await call.run.hooks?.onOfferResponse({ ...this.callRef(call), response });
  }

  /** Record what happened on a call in the compliance ledger (caps and locks read it). */
  recordForCompliance(call: CallRuntime, kind: 'conversation' | 'abandon' | 'machine' | 'refusal', at: number): void {
    const { phone, id } = call.attempt;
    this.core.deps.compliance.record({ kind, at, phone, campaignId: call.run.campaign.id, contact: call.record.contact, attemptId: id });
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
    const agentId = call.snapshot.agent?.id ?? call.attempt.agentId;
    return {
      campaignId: call.run.campaign.id,
      callId: call.attempt.id,
      contactId: call.attempt.contactId,
      ...(agentId === undefined ? {} : { agentId }),
    };
  }
}
