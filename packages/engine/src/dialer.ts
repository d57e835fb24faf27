import {
  type Agent,
  type AgentInput,
  AgentState,
  agentLifecycle,
  CallState,
  type Campaign,
  type CampaignInput,
  type CampaignRecord,
  CampaignState,
  type ContactInput,
  ContactState,
  contactLifecycle,
  type Issue,
  type JobQueue,
  PacelineError,
  type PacingOptions,
  parseAgent,
  parseCampaign,
  parseContact,
  type TimerHandle,
} from '@paceline/core';
import type { OfferResponse, ScriptRun } from '@paceline/scripting';
import { AgentDesk } from './agents/agent-desk';
import { AgentRouter } from './agents/agent-router';
import { type AmdCalibration, amdReport } from './amd-calibration';
import { isBackendFailure } from './backend-health';
import { CallRunner } from './call/call-runner';
import { checkDisposition, Dispositions } from './call/disposition';
import { type CampaignOutcome, runCampaign, type WaitOptions, whenCampaignDone } from './campaign/campaign-completion';
import { CampaignGates } from './campaign/campaign-gates';
import { CampaignRunner } from './campaign/campaign-runner';
import { Launcher } from './campaign/launch';
import { PacingLoop } from './campaign/pacing-loop';
import { takeInContacts, yieldToEventLoop } from './contact-intake';
import { Leadership } from './distributed/leadership';
import { PoolLeader } from './distributed/pool-leader';
import { PoolMember } from './distributed/pool-member';
import type { ForwardedCall } from './distributed/pool-protocol';
import { DurableWrites } from './durable-writes';
import { type AgentRuntime, type CampaignStatus, type DialerDeps, type DispositionData, EngineCore } from './engine-core';
import type { DialerEvents } from './events';
import { AbandonLedger } from './ledger';
import { Recovery } from './recovery';

export {
  CONNECT_DEADLINE_MS,
  DEFAULT_LEASE_TTL_MS,
  FULFILMENT_QUEUE,
  MACHINE_MESSAGE,
  SAFE_HARBOUR_MESSAGE,
} from './engine-constants';
export type { CampaignStatus, DialerDeps, DispositionData } from './engine-core';

/**
 * The dialer a host embeds: several campaigns, one agent pool, one trunk. Event-driven on the
 * injected clock: agent and trunk events and a periodic tick drive the loop
 * hopper → compliance gate → pacer → trunk → call analysis → agent or abandon → disposition → recycle.
 *
 * A facade: it checks and resolves ids, then hands over to the engine's parts — `campaign/`
 * (the run, the pacing loop, the launch), `call/` (the call machine and its runner,
 * dispositions), `agents/` (the desk), `distributed/` (leadership and the agent pool),
 * `recovery`, `ledger` and `durable-writes` — see docs/architecture.md.
 */
export class Dialer {
  readonly #core: EngineCore;
  /** Aborted by `close()`: ends every `whenDone` / `run` wait. */
  readonly #closing = new AbortController();
  readonly #unsubscribeTrunk: () => void;
  #heartbeatTimer: TimerHandle | undefined;

  constructor(deps: DialerDeps) {
    const core = new EngineCore(deps);
    this.#core = core;
    core.parts = {
      campaigns: new CampaignRunner(core),
      gates: new CampaignGates(core),
      pacing: new PacingLoop(core),
      launcher: new Launcher(core),
      calls: new CallRunner(core),
      dispositions: new Dispositions(core),
      agents: new AgentDesk(core),
      poolLeader: new PoolLeader(core, this),
      poolMember: new PoolMember(core),
      leadership: new Leadership(core),
      recovery: new Recovery(core),
      ledger: new AbandonLedger(core),
      writes: new DurableWrites(core),
      router: new AgentRouter(core),
    };
    if (core.pool) {
      core.pool.listen((message) => core.parts.poolLeader.onPoolMessage(message));
      // The heartbeat runs whether or not this node paces anything: its agents must stay visible.
      const period = core.leaseTtlMs / 3;
      const beat = () => {
        this.#heartbeatTimer = deps.clock.setTimer(period, beat);
        core.guard('agent pool heartbeat', core.parts.poolMember.poolHeartbeat(deps.clock.now()));
      };
      this.#heartbeatTimer = deps.clock.setTimer(0, beat);
    }
    this.#unsubscribeTrunk = deps.trunk.onEvent((event) => core.parts.calls.onTrunkEvent(event));
  }

  /** Per-campaign AMD false-positive calibration: feed it listen-back reviews, read its report. */
  get amdCalibration(): AmdCalibration {
    return this.#core.amdCalibration;
  }

  /** False while the store (or the lease) does not answer: the dialer launches nothing then. */

  get storeAvailable(): boolean {
    return this.#core.health.available;
  }

  /** The job queue sale orders are handed to (`FULFILMENT_QUEUE`): attach `@paceline/fulfilment` here. */
  get queue(): JobQueue {
    return this.#core.deps.queue;
  }

  /** Subscribe to a dialer event; returns an unsubscribe function. */
  on<K extends keyof DialerEvents>(event: K, listener: (...args: DialerEvents[K]) => void): () => void {
    return this.#core.events.on(event, listener);
  }

  // ── campaigns ────────────────────────────────────────────────────────────────────────────

  /** Validate and add a campaign (state draft). Throws `E_INVALID_CAMPAIGN` or `E_CONFLICT`. */
  async addCampaign(input: CampaignInput): Promise<Campaign> {
    const campaign = parseCampaign(input);
    if (this.#core.campaigns.has(campaign.id) || (await this.#core.store.getCampaign(campaign.id))) {
      throw new PacelineError('E_CONFLICT', `campaign ${campaign.id} already exists; pick another id`, { campaignId: campaign.id });
    }
    this.#core.deps.compliance.assertCampaign(campaign);
    await this.#core.store.putCampaign({ campaign, state: CampaignState.Draft, updatedAt: this.#core.deps.clock.now() });
    this.#core.campaigns.set(campaign.id, this.#core.parts.campaigns.runtime(campaign, CampaignState.Draft));
    return campaign;
  }

  /**
   * Attach contacts to a campaign. Each input is validated; bad ones are reported by index and
   * skipped, the rest are added. Contacts already in the campaign are left as they are.
   */
  async addContacts(
    campaignId: string,
    inputs: Iterable<ContactInput> | AsyncIterable<ContactInput>,
  ): Promise<{ added: number; rejected: Issue[] }> {
    const { campaign } = this.#core.parts.campaigns.campaign(campaignId);
    // Batched, yielding to the event loop between batches: see contact-intake.ts.
    const result = await takeInContacts(inputs, {
      prepare: (input) => this.#core.deps.compliance.prepareContact(parseContact(input), campaign),
      store: (contacts) => this.#core.store.addContacts(campaignId, contacts),
      yieldControl: yieldToEventLoop,
    });
    this.#core.parts.campaigns.tick(this.#core.parts.campaigns.campaign(campaignId));
    return result;
  }

  /** Start a campaign: draft → scheduled → running (at `schedule.startAt` if it is later). */
  async start(campaignId: string): Promise<void> {
    const rt = this.#core.parts.campaigns.campaign(campaignId);
    await this.#core.parts.campaigns.setCampaignState(rt, CampaignState.Scheduled);
    const startAt = rt.campaign.schedule?.startAt ?? 0;
    const now = this.#core.deps.clock.now();
    if (startAt > now) {
      rt.scheduleTimer = this.#core.deps.clock.setTimer(startAt - now, () => {
        this.#core.guard('scheduled start', this.#core.parts.campaigns.run(rt));
      });
      return;
    }
    await this.#core.parts.campaigns.run(rt);
  }

  /** Resolves when the campaign completes, is stopped or archived; holds a real-time process open meanwhile. */
  whenDone(campaignId: string, options?: WaitOptions): Promise<CampaignOutcome<CampaignStatus>> {
    return whenCampaignDone(this, this.#core.deps.clock, campaignId, this.#untilClosed(options));
  }

  /** `start`, then `whenDone`: `await dialer.run(id)` lives as long as the campaign. */
  run(campaignId: string, options?: WaitOptions): Promise<CampaignOutcome<CampaignStatus>> {
    return runCampaign(this, this.#core.deps.clock, campaignId, this.#untilClosed(options));
  }

  /** A wait also ends (rejecting with `E_CLOSED`) when the dialer is closed under it. */
  #untilClosed(options: WaitOptions = {}): WaitOptions {
    const signal = options.signal ? AbortSignal.any([options.signal, this.#closing.signal]) : this.#closing.signal;
    return { ...options, signal };
  }

  /** Pause: no new dials; calls in flight finish and live answers still reach agents. */
  async pause(campaignId: string): Promise<void> {
    const rt = this.#core.parts.campaigns.campaign(campaignId);
    await this.#core.parts.campaigns.setCampaignState(rt, CampaignState.Paused);
    this.#core.parts.campaigns.stopTicking(rt);
  }

  /** Resume a paused campaign. */
  async resume(campaignId: string): Promise<void> {
    await this.#core.parts.campaigns.run(this.#core.parts.campaigns.campaign(campaignId));
  }

  /** Stop for good: no new dials; calls in flight finish. */
  async stop(campaignId: string): Promise<void> {
    const rt = this.#core.parts.campaigns.campaign(campaignId);
    await this.#core.parts.campaigns.setCampaignState(rt, CampaignState.Stopped);
    this.#core.parts.campaigns.stopTicking(rt);
    if (rt.scheduleTimer) this.#core.deps.clock.clearTimer(rt.scheduleTimer);
  }

  /** Change pacing settings live (validated like a new campaign). */
  async updatePacing(campaignId: string, patch: Partial<PacingOptions> & { dialMode?: Campaign['dialMode'] }): Promise<Campaign> {
    const rt = this.#core.parts.campaigns.campaign(campaignId);
    const { dialMode, ...pacing } = patch;
    const campaign = parseCampaign({ ...rt.campaign, ...(dialMode ? { dialMode } : {}), pacing: { ...rt.campaign.pacing, ...pacing } });
    rt.campaign = campaign;
    rt.pacer = this.#core.deps.createPacer(campaign);
    await this.#core.store.putCampaign({ campaign, state: rt.state, updatedAt: this.#core.deps.clock.now() });
    this.#core.parts.campaigns.tick(rt);
    return campaign;
  }

  /** A campaign's live numbers. */
  async status(campaignId: string): Promise<CampaignStatus> {
    const rt = this.#core.parts.campaigns.campaign(campaignId);
    const contacts = await this.#core.store.countContacts(campaignId);
    const total = Object.values(contacts).reduce((a, b) => a + b, 0);
    const agents = Object.fromEntries(agentLifecycle.states.map((s) => [s, 0])) as Record<AgentState, number>;
    for (const a of this.#core.agents.values()) if (a.campaigns.has(campaignId)) agents[a.state]++;
    const window = await this.#core.parts.ledger.abandonWindow(rt);
    return {
      campaignId,
      state: rt.state,
      contacts,
      penetration: total === 0 ? 0 : (contacts.done + contacts.dnc) / total,
      agents,
      callsInFlight: [...this.#core.calls.values()].filter((c) => c.rt === rt).length,
      liveAnswers: window.liveAnswers,
      abandoned: window.abandoned,
      abandonRate: window.liveAnswers === 0 ? 0 : window.abandoned / window.liveAnswers,
      abandonWindowMs: window.windowMs, // issue-24: which window the law measures
      ...(rt.lastDecision ? { lastDecision: { ...rt.lastDecision } } : {}),
      ...(rt.hold ? { held: { reasons: rt.hold.reasons, messages: rt.hold.messages, since: rt.hold.since } } : {}),
      dials: rt.dials,
      sales: rt.sales,
      amdFalsePositives: amdReport(this.#core.amdCalibration, campaignId),
    };
  }

  /**
   * Live answers and abandons of a campaign over the last `windowMs` (e.g. 24 h for Ofcom, 30
   * days for the US TSR), read from the store — so every engine process sees the same ledger.
   */
  async abandonCounts(campaignId: string, windowMs: number): Promise<{ liveAnswers: number; abandoned: number }> {
    this.#core.parts.campaigns.campaign(campaignId);
    const now = this.#core.deps.clock.now();
    return this.#core.store.countLiveAnswers(campaignId, now - windowMs, now + 1);
  }

  // ── agents ───────────────────────────────────────────────────────────────────────────────

  /** Log an agent in to campaigns (state not-ready until `ready`). */
  loginAgent(input: AgentInput, campaignIds: readonly string[]): Agent {
    const agent = parseAgent(input);
    if (this.#core.agents.get(agent.id)?.state !== undefined && this.#core.agents.get(agent.id)?.state !== AgentState.LoggedOut) {
      throw new PacelineError('E_CONFLICT', `agent ${agent.id} is already logged in; log out first`);
    }
    for (const id of campaignIds) this.#core.parts.campaigns.campaign(id);
    const runtime: AgentRuntime = {
      agent,
      campaigns: new Set(campaignIds),
      state: AgentState.LoggedOut,
      since: this.#core.deps.clock.now(),
    };
    this.#core.agents.set(agent.id, runtime);
    this.#core.parts.agents.setAgentState(runtime, AgentState.NotReady, 'login');
    return agent;
  }

  /**
   * The agent is ready for calls. While the agent is busy (reserved, on a call, in wrap-up)
   * this cancels a pending `notReady`: the agent becomes ready after the disposition.
   */
  ready(agentId: string): void {
    const a = this.#core.parts.agents.agent(agentId);
    if (a.state !== AgentState.NotReady) {
      delete a.notReadyReason;
      return;
    }
    this.#core.parts.agents.setAgentState(a, AgentState.Ready);
    this.#core.parts.agents.agentFree(a);
  }

  /** The agent takes a break (`reason` is reported). From wrap-up it applies after the disposition. */
  notReady(agentId: string, reason: string): void {
    const a = this.#core.parts.agents.agent(agentId);
    a.notReadyReason = reason;
    if (a.state === AgentState.Ready) this.#core.parts.agents.setAgentState(a, AgentState.NotReady, reason);
  }

  /** Log an agent out, even mid-call: the call is hung up and dispositioned by the engine. */
  async logout(agentId: string): Promise<void> {
    const a = this.#core.parts.agents.agent(agentId);
    const remote = a.callId ? this.#core.remoteCalls.get(a.callId) : undefined;
    if (remote && a.callId) {
      // A call another node leads: it ends the call (or its wrap-up) for the agent.
      this.#core.remoteCalls.delete(a.callId);
      void this.#core.pool?.send(remote.leader, { type: 'agentLeft', callId: a.callId, agentId });
    }
    const call = a.callId ? this.#core.calls.get(a.callId) : undefined;
    const wasReserved = a.state === AgentState.Reserved;
    if (a.preview) await this.skipPreview(agentId);
    this.#core.parts.agents.setAgentState(a, AgentState.LoggedOut, 'logout');
    delete a.callId;
    if (!call) return;
    call.agentLeft = true;
    if (wasReserved) {
      delete call.agentId;
      if (call.state === CallState.Analysing) this.#core.parts.calls.waitForAgent(call);
      return;
    }
    if (call.state === CallState.Connected) await this.#core.deps.trunk.hangup(call.attempt.id);
    else if (call.state === CallState.Ended && !call.dispositioned)
      await this.#core.parts.dispositions.autoDisposition(call, 'agent logged out during wrap-up');
  }

  /** The agent (or the host) ends a connected call; the agent moves to wrap-up. */
  async hangup(callId: string): Promise<void> {
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) return this.#core.pool?.send(remote.leader, { type: 'hangup', callId });
    if (!this.#core.calls.has(callId)) throw new PacelineError('E_NOT_FOUND', `hangup: no call ${callId} in progress`);
    await this.#core.deps.trunk.hangup(callId);
  }

  /**
   * Close a call with a disposition code: recycle the contact (retry, callback, done, DNC),
   * hand a sale's order to fulfilment, and free the agent.
   */
  async disposition(callId: string, code: string, data: DispositionData = {}): Promise<void> {
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) {
      // The call's node records it; the agent here is released when it has.
      if (remote.dispositioned) throw new PacelineError('E_CONFLICT', `disposition: call ${callId} already has one`);
      checkDisposition(this.#core.parts.campaigns.campaign(remote.campaignId).campaign, code, data);
      remote.dispositioned = true;
      const forwarded: ForwardedCall = { method: 'disposition', code, data: { ...data } };
      return this.#core.pool?.send(remote.leader, { type: 'forward', callId, call: forwarded });
    }
    const call = this.#core.calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `disposition: no call ${callId} awaiting a disposition`);
    if (call.dispositioned) throw new PacelineError('E_CONFLICT', `disposition: call ${callId} already has one`);
    const d = checkDisposition(call.rt.campaign, code, data);
    const order = d.sale && data.order ? this.#core.parts.dispositions.order(call, data.order) : undefined;
    call.dispositioned = true;
    if (call.state !== CallState.Ended) {
      // Dispositioned before the call ended: hang up and let the trunk's `ended` be handled first.
      await this.#core.deps.trunk.hangup(callId);
      await call.ended;
    }
    await call.chain;
    await this.#core.parts.dispositions.finishDisposition(call, d.code, data, order);
  }

  /**
   * Book a callback for a contact outside a call — after a failed delivery, a complaint, a
   * follow-up. `agentId` keeps it for one agent; `reason` is shown to the agent on connect.
   * The compliance gate still decides at dial time.
   */
  async scheduleCallback(
    campaignId: string,
    contactId: string,
    callback: { dueAt: number; reason: string; agentId?: string },
  ): Promise<void> {
    const rt = this.#core.parts.campaigns.campaign(campaignId);
    if (rt.state === CampaignState.Completed || rt.state === CampaignState.Stopped || rt.state === CampaignState.Archived) {
      throw new PacelineError(
        'E_CONFLICT',
        `scheduleCallback: campaign ${campaignId} is ${rt.state}; book the callback in a campaign that still runs`,
      );
    }
    if (!Number.isFinite(callback.dueAt))
      throw new PacelineError('E_INVALID_INPUT', `scheduleCallback: dueAt: expected epoch ms, got ${callback.dueAt}`);
    for (let tries = 0; tries < 3; tries++) {
      const record = await this.#core.store.getContact(campaignId, contactId);
      if (!record) throw new PacelineError('E_NOT_FOUND', `scheduleCallback: no contact ${contactId} in campaign ${campaignId}`);
      if (record.state === ContactState.Dnc) {
        throw new PacelineError(
          'E_DNC_BLOCKED',
          `scheduleCallback: contact ${contactId} is on a do-not-call list; it cannot be called back`,
        );
      }
      if (record.state === ContactState.Queued || record.state === ContactState.Dialing) {
        throw new PacelineError(
          'E_CONFLICT',
          `scheduleCallback: contact ${contactId} is being dialled right now; try again after the call`,
        );
      }
      if (record.state !== ContactState.Callback) contactLifecycle.transition(record.state, ContactState.Callback, contactId);
      const { callbackAgentId: _agent, ...rest } = record;
      const updated = await this.#core.store.updateContact({
        ...rest,
        state: ContactState.Callback,
        dueAt: callback.dueAt,
        callbackReason: callback.reason,
        ...(callback.agentId === undefined ? {} : { callbackAgentId: callback.agentId }),
      });
      if (updated) {
        this.#core.parts.campaigns.tick(rt);
        return;
      }
    }
    throw new PacelineError('E_CONFLICT', `scheduleCallback: contact ${contactId} kept changing; try again`);
  }

  /** Preview mode: the agent has reviewed the offered contact and wants it dialled. */
  confirmPreview(agentId: string): void {
    const a = this.#core.parts.agents.agent(agentId);
    if (!a.preview) throw new PacelineError('E_CONFLICT', `confirmPreview: agent ${agentId} has no contact in preview`);
    a.preview.confirmed = true;
    this.#core.parts.campaigns.tick(this.#core.parts.campaigns.campaign(a.preview.campaignId));
  }

  /** Preview mode: the agent passes on the offered contact; it goes back to the hopper and the next one is offered. */
  async skipPreview(agentId: string): Promise<void> {
    const a = this.#core.parts.agents.agent(agentId);
    const preview = a.preview;
    if (!preview) throw new PacelineError('E_CONFLICT', `skipPreview: agent ${agentId} has no contact in preview`);
    delete a.preview;
    const { record } = preview;
    await this.#core.store.updateContact({
      ...record,
      state: contactLifecycle.transition(record.state, ContactState.Ready, record.contact.id),
    });
    this.#core.parts.campaigns.tick(this.#core.parts.campaigns.campaign(preview.campaignId));
  }

  /** The agent desk reports a script answer on a connected call (runs the `onAnswer` hook). */
  async scriptAnswer(callId: string, answer: { stepId: string; answer: ScriptRun['answers'][string]; run: ScriptRun }): Promise<void> {
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) return this.#core.pool?.send(remote.leader, { type: 'forward', callId, call: { method: 'scriptAnswer', answer } });
    const call = this.#core.parts.calls.liveCall(callId, 'scriptAnswer');
    await call.rt.hooks?.onAnswer({ ...this.#core.parts.calls.callRef(call), ...answer });
  }

  /** The agent desk reports the customer's answer to an offer (runs `onOfferResponse`; the acceptance model learns from it). */
  async offerResponse(callId: string, response: OfferResponse): Promise<void> {
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) return this.#core.pool?.send(remote.leader, { type: 'forward', callId, call: { method: 'offerResponse', response } });
    const call = this.#core.parts.calls.liveCall(callId, 'offerResponse');
    await call.rt.hooks?.onOfferResponse({ ...this.#core.parts.calls.callRef(call), response });
  }

  /** Stop everything: ticks, timers, trunk subscription. Calls in flight are hung up. */
  async close(): Promise<void> {
    if (this.#core.closed) return;
    this.#core.closed = true;
    this.#closing.abort(new PacelineError('E_CLOSED', 'the dialer was closed while a host waited for a campaign to end'));
    for (const rt of this.#core.campaigns.values()) {
      this.#core.parts.campaigns.stopTicking(rt);
      if (rt.scheduleTimer) this.#core.deps.clock.clearTimer(rt.scheduleTimer);
    }
    for (const call of this.#core.calls.values()) if (call.waitTimer) this.#core.deps.clock.clearTimer(call.waitTimer);
    if (this.#heartbeatTimer !== undefined) this.#core.deps.clock.clearTimer(this.#heartbeatTimer);
    await Promise.all([...this.#core.calls.keys()].map((id) => this.#core.deps.trunk.hangup(id).catch(() => {})));
    await Promise.all([...this.#core.calls.values()].map((c) => c.chain));
    this.#unsubscribeTrunk();
    await this.#core.pool?.close();
  }

  /**
   * Resume from an existing store (after a restart): load campaigns, reconcile attempts in an
   * unknown state as failed (never redialled before their retry time), return claimed
   * contacts to the hopper, and restart the campaigns that were running.
   */
  async recover(): Promise<{ campaigns: number; reconciled: number }> {
    let reconciled = 0;
    const records: CampaignRecord[] = await this.#core.store.listCampaigns();
    const now = this.#core.deps.clock.now();
    for (const record of records) {
      if (this.#core.campaigns.has(record.campaign.id)) continue;
      const rt = this.#core.parts.campaigns.runtime(record.campaign, record.state);
      this.#core.campaigns.set(record.campaign.id, rt);
      // With leadership, the calls may belong to a live leader elsewhere: the node that takes
      // the lease reconciles them then, not every node at start.
      if (!this.#core.deps.leadership) reconciled += await this.#core.parts.recovery.reconcile(rt, now);
      if (record.state === CampaignState.Running) this.#core.parts.campaigns.startTicking(rt);
    }
    return { campaigns: records.length, reconciled };
  }

  // ── the loop ─────────────────────────────────────────────────────────────────────────────

  // ── trunk events ─────────────────────────────────────────────────────────────────────────

  // ── agents of other nodes (distributed mode with an agent pool) ───────────────────────────

  // ── agents ───────────────────────────────────────────────────────────────────────────────

  #guard(where: string, work: Promise<unknown>): void {
    work.catch((error) => this.#core.report(where, error));
  }

  #report(where: string, error: unknown): void {
    if (!this.#core.health.available && isBackendFailure(error)) {
      // Already reported once as `storeAvailability`; pacing rounds fail quietly until it is back.
      this.#core.deps.logger.debug({ err: error, where }, 'store unavailable');
      return;
    }
    this.#core.deps.logger.error({ err: error, where }, 'dialer error');
    this.#core.events.emit('error', { where, error });
  }
}
