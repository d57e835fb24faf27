import {
  type Agent,
  type AgentInput,
  type Campaign,
  type CampaignInput,
  type ContactInput,
  checkDncRequest, // dnc-shared
  type Issue,
  type JobQueue,
  PacelineError,
  type PacingOptions,
  parseContact,
  type StoredDncRequest, // dnc-shared
  type TimerHandle,
} from '@paceline/core';
import type { OfferResponse } from '@paceline/scripting';
import { AgentDesk } from './agents/agent-desk';
import { AgentPreviews } from './agents/agent-previews';
import { AgentRouter } from './agents/agent-router';
import type { AmdCalibration } from './amd-calibration';
import type { ScriptAnswer } from './call/agent-input';
import { CallRunner } from './call/call-runner';
import { Dispositions } from './call/disposition';
import { type CallbackBooking, scheduleCallback } from './campaign/callbacks';
import { type CampaignOutcome, runCampaign, type WaitOptions, whenCampaignDone } from './campaign/campaign-completion';
import { CampaignGates } from './campaign/campaign-gates';
import { CampaignRunner } from './campaign/campaign-runner';
import { campaignStatus } from './campaign/campaign-status';
import { Launcher } from './campaign/launch';
import { PacingLoop } from './campaign/pacing-loop';
import { SharedDnc } from './compliance/shared-dnc'; // dnc-shared
import { type AddContactsOptions, takeInContacts, yieldToEventLoop } from './contact-intake';
import { Leadership } from './distributed/leadership';
import { PoolLeader } from './distributed/pool-leader';
import { PoolMember } from './distributed/pool-member';
import { DurableWrites } from './durable-writes';
import { type CampaignStatus, type DialerDeps, type DispositionData, EngineCore } from './engine-core';
import type { DialerEvents } from './events';
import type { InboundApi } from './inbound/inbound-api'; // issue-23
import { InboundDesk } from './inbound/inbound-desk'; // issue-23
import { pooledInboundApi } from './inbound/pooled-inbound-api'; // issue-23
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
  readonly #inbound: InboundApi | undefined; // issue-23

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
      previews: new AgentPreviews(core),
      poolLeader: new PoolLeader(core),
      poolMember: new PoolMember(core),
      leadership: new Leadership(core),
      recovery: new Recovery(core),
      ledger: new AbandonLedger(core),
      writes: new DurableWrites(core),
      router: new AgentRouter(core),
      ...(deps.inbound ? { inbound: new InboundDesk(core, deps.inbound) } : {}), // issue-23
      dnc: new SharedDnc(core), // dnc-shared
    };
    core.parts.dnc.start(deps.tickIntervalMs); // dnc-shared: distributed mode keeps the local book within a tick of the store
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
    const desk = core.parts.inbound as InboundDesk | undefined; // issue-23: with the inbound calls other nodes lead for this node's agents
    this.#inbound = desk && (core.pool ? pooledInboundApi(desk, core.parts.poolLeader.inboundMember) : desk);
  }

  /** Per-campaign AMD false-positive calibration: feed it listen-back reviews, read its report. */
  get amdCalibration(): AmdCalibration {
    return this.#core.amdCalibration;
  }

  /**
   * issue-23: the inbound side (queues, returned calls, the blend) when `createDialer` was given
   * `inbound`; `undefined` otherwise. Its events come through `on('inbound.queued', …)`.
   */
  get inbound(): InboundApi | undefined {
    return this.#inbound;
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
    const campaign = await this.#core.parts.campaigns.add(input);
    this.#core.parts.inbound?.numbersChanged(); // issue-23: its caller ID takes returned calls
    return campaign;
  }

  /**
   * Attach contacts to a campaign. Each input is validated; bad ones are reported by index and
   * skipped, the rest are added. Contacts already in the campaign are left as they are.
   * `handOver: true` says the inputs are the caller's to give away (an importer's fresh
   * contacts, never touched again): a complete, valid input is then taken as it is instead of
   * copied (`parseContact.owned`; same result and errors), which halves an upload's garbage.
   */
  async addContacts(
    campaignId: string,
    inputs: Iterable<ContactInput> | AsyncIterable<ContactInput>,
    options: AddContactsOptions = {},
  ): Promise<{ added: number; rejected: Issue[] }> {
    const { campaign } = this.#core.parts.campaigns.campaign(campaignId);
    const parse = options.handOver === true ? parseContact.owned : parseContact;
    // Batched, yielding to the event loop between batches: see contact-intake.ts.
    const result = await takeInContacts(inputs, {
      prepare: (input) => this.#core.deps.compliance.prepareContact(parse(input), campaign),
      store: (contacts) => this.#core.store.addContacts(campaignId, contacts),
      yieldControl: yieldToEventLoop,
    });
    this.#core.parts.campaigns.tick(this.#core.parts.campaigns.campaign(campaignId));
    return result;
  }

  /** Start a campaign: draft → scheduled → running (at `schedule.startAt` if it is later). */
  start(campaignId: string): Promise<void> {
    return this.#core.parts.campaigns.start(this.#core.parts.campaigns.campaign(campaignId));
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
    await this.#core.parts.campaigns.pause(this.#core.parts.campaigns.campaign(campaignId));
  }

  /** Resume a paused campaign. */
  async resume(campaignId: string): Promise<void> {
    await this.#core.parts.campaigns.run(this.#core.parts.campaigns.campaign(campaignId));
  }

  /** Stop for good: no new dials; calls in flight finish. */
  async stop(campaignId: string): Promise<void> {
    await this.#core.parts.campaigns.stop(this.#core.parts.campaigns.campaign(campaignId));
  }

  /** Change pacing settings live (validated like a new campaign). */
  updatePacing(campaignId: string, patch: Partial<PacingOptions> & { dialMode?: Campaign['dialMode'] }): Promise<Campaign> {
    return this.#core.parts.campaigns.updatePacing(this.#core.parts.campaigns.campaign(campaignId), patch);
  }

  /** A campaign's live numbers. */
  status(campaignId: string): Promise<CampaignStatus> {
    return campaignStatus(this.#core, campaignId);
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
    return this.#core.parts.agents.login(input, campaignIds);
  }

  /**
   * The agent is ready for calls. While the agent is busy (reserved, on a call, in wrap-up)
   * this cancels a pending `notReady`: the agent becomes ready after the disposition.
   */
  ready(agentId: string): void {
    this.#core.parts.agents.ready(agentId);
  }

  /** The agent takes a break (`reason` is reported). From wrap-up it applies after the disposition. */
  notReady(agentId: string, reason: string): void {
    this.#core.parts.agents.notReady(agentId, reason);
  }

  /** Log an agent out, even mid-call: the call is hung up and dispositioned by the engine. */
  logout(agentId: string): Promise<void> {
    return this.#core.parts.agents.logout(agentId);
  }

  /** The agent (or the host) ends a connected call; the agent moves to wrap-up. */
  async hangup(callId: string): Promise<void> {
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) return this.#core.pool?.send(remote.leader, { type: 'hangup', callId });
    if (this.#inbound?.has(callId)) return this.#inbound.hangup(callId); // issue-23
    if (!this.#core.calls.has(callId)) throw new PacelineError('E_NOT_FOUND', `hangup: no call ${callId} in progress`);
    await this.#core.deps.trunk.hangup(callId);
  }

  /**
   * Close a call with a disposition code: recycle the contact (retry, callback, done, DNC),
   * hand a sale's order to fulfilment, and free the agent.
   */
  async disposition(callId: string, code: string, data: DispositionData = {}): Promise<void> {
    if (this.#inbound?.has(callId)) return this.#inbound.disposition(callId, code, data); // issue-23
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) return this.#core.parts.poolMember.forward(remote, callId, { method: 'disposition', code, data: { ...data } });
    return this.#core.parts.dispositions.take(callId, code, data);
  }

  /**
   * Book a callback for a contact outside a call — after a failed delivery, a complaint, a
   * follow-up. `agentId` keeps it for one agent; `reason` is shown to the agent on connect.
   * The compliance gate still decides at dial time.
   */
  scheduleCallback(campaignId: string, contactId: string, callback: CallbackBooking): Promise<void> {
    return scheduleCallback(this.#core, campaignId, contactId, callback);
  }

  /**
   * dnc-shared: put a number on the internal do-not-call list (or, with `campaignId`, on that
   * campaign's list) for every engine process sharing the store: a request that came another
   * way (email, web, mail — 47 CFR 64.1200(d)(3)). Resolves once the store has it; from then on
   * no process dials the number (each reads the store's list before every dial decision in
   * distributed mode). `E_INVALID_INPUT` for a number not in E.164 or a bad field.
   */
  addDoNotCall(phone: string, request: { reason: string; source: string; campaignId?: string }): Promise<StoredDncRequest> {
    const at = this.#core.deps.clock.now();
    const entry = checkDncRequest({
      phone,
      reason: request?.reason,
      source: request?.source,
      at,
      ...(request?.campaignId === undefined ? {} : { campaignId: request.campaignId }),
    });
    return this.#core.parts.dnc.record(entry);
  }

  /** dnc-shared: every list of the shared do-not-call list holding `phone` (E.164), read from the store. */
  findDoNotCall(phone: string): Promise<StoredDncRequest[]> {
    return this.#core.store.findDnc(phone);
  }

  /** Preview mode: the agent has reviewed the offered contact and wants it dialled. */
  confirmPreview(agentId: string): void {
    this.#core.parts.previews.confirm(agentId);
  }

  /** Preview mode: the agent passes on the offered contact; it goes back to the hopper and the next one is offered. */
  skipPreview(agentId: string): Promise<void> {
    return this.#core.parts.previews.skip(agentId);
  }

  /** The agent desk reports a script answer on a connected call (runs the `onAnswer` hook). */
  async scriptAnswer(callId: string, answer: ScriptAnswer): Promise<void> {
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) return this.#core.parts.poolMember.forward(remote, callId, { method: 'scriptAnswer', answer });
    return this.#core.parts.calls.scriptAnswer(callId, answer);
  }

  /** The agent desk reports the customer's answer to an offer (runs `onOfferResponse`; the acceptance model learns from it). */
  async offerResponse(callId: string, response: OfferResponse): Promise<void> {
    const remote = this.#core.parts.poolMember.ledElsewhere(callId);
    if (remote) return this.#core.parts.poolMember.forward(remote, callId, { method: 'offerResponse', response });
    return this.#core.parts.calls.offerResponse(callId, response);
  }

  /** Stop everything: ticks, timers, trunk subscription. Calls in flight are hung up. */
  async close(): Promise<void> {
    if (this.#core.closed) return;
    this.#core.closed = true;
    this.#closing.abort(new PacelineError('E_CLOSED', 'the dialer was closed while a host waited for a campaign to end'));
    for (const run of this.#core.campaigns.values()) {
      this.#core.parts.campaigns.stopTicking(run);
      if (run.scheduleTimer) this.#core.deps.clock.clearTimer(run.scheduleTimer);
    }
    for (const call of this.#core.calls.values()) this.#core.parts.calls.clearDeadline(call);
    if (this.#heartbeatTimer !== undefined) this.#core.deps.clock.clearTimer(this.#heartbeatTimer);
    this.#core.parts.dnc.stop(); // dnc-shared
    await Promise.all([...this.#core.calls.keys()].map((id) => this.#core.deps.trunk.hangup(id).catch(() => {})));
    await Promise.all([...this.#core.calls.values()].map((c) => c.chain));
    this.#unsubscribeTrunk();
    await this.#core.parts.inbound?.close(); // issue-23
    await this.#core.pool?.close();
  }

  /**
   * Resume from an existing store (after a restart): load campaigns, reconcile attempts in an
   * unknown state as failed (never redialled before their retry time), return claimed
   * contacts to the hopper, and restart the campaigns that were running.
   */
  async recover(): Promise<{ campaigns: number; reconciled: number }> {
    await this.#core.parts.dnc.sync(); // dnc-shared: the shared do-not-call list before anything is dialled
    const recovered = await this.#core.parts.campaigns.recover();
    this.#core.parts.inbound?.numbersChanged(); // issue-23: the recovered campaigns' caller IDs
    return recovered;
  }
}
