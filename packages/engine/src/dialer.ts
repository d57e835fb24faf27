import { dailySpan, isOpenInZone, type WindowRules } from '@paceline/compliance';
import {
  type Agent,
  type AgentPool,
  AgentState,
  type Attempt,
  agentLifecycle,
  CallState,
  type Campaign,
  type CampaignRecord,
  CampaignState,
  type Clock,
  type Contact,
  type ContactCounts,
  type ContactRecord,
  ContactState,
  callLifecycle,
  campaignLifecycle,
  contactLifecycle,
  type Issue,
  type JobQueue,
  type Lease,
  type Logger,
  type MediaBridge,
  maskPhone,
  type Order,
  PacelineError,
  type PacingOptions,
  type PooledAgent,
  parseAgent,
  parseCampaign,
  parseContact,
  parseOrder,
  type Random,
  type Store,
  type TimerHandle,
  type Trunk,
  type TrunkEvent,
  TypedEmitter,
} from '@paceline/core';
import type { ConnectResult, HookRunner, OfferResponse, ProfileUpdates, ScriptRun } from '@paceline/scripting';
import { AgentPoolLink, type ForwardedCall, type PoolMessage } from './agent-pooling';
import { AmdCalibration, amdReport } from './amd-calibration'; // issue-17 (AMD calibration)
import { BackendHealth, isBackendFailure, watchLease, watchStore } from './backend-health';
import type { CallOffer, DialerEvents } from './events';
import { phoneForAttempt, recycle } from './recycle';
import type { CampaignPacer, ComplianceGate, ObservedAgent, ObservedCall } from './seams';

/** DESIGN.md: a live answer must reach an agent within 2 s of the greeting's end. */
export const CONNECT_DEADLINE_MS = 2_000;
/** The message played on an abandoned live answer (FTC TSR 310.4(b)(4)(iii); Ofcom). */
export const SAFE_HARBOUR_MESSAGE = 'safe-harbour';
/** The message left on an answering machine when the campaign says so. */
export const MACHINE_MESSAGE = 'machine-message';
/** How often the shared abandon ledger is re-read from the store, ms. */
const LEDGER_REFRESH_MS = 5_000;
/**
 * A hopper claim that took longer than this (the store was slow or away) is handed back rather
 * than dialled: the pacing decision it was made for is stale.
 */
const STALE_CLAIM_MS = 1_000;
/** Retry delays of the call bookkeeping while the store is away: doubling from the first to the cap, ms. */
const RETRY_FIRST_MS = 100;
const RETRY_CAP_MS = 5_000;
/** How long a launch that failed on the store waits before its contact is dialable again, ms. */
const RELAUNCH_DELAY_MS = 30_000;
/** The pacing lease's TTL when the host gives none, ms: a crashed leader is replaced within it. */
export const DEFAULT_LEASE_TTL_MS = 10_000;
/** The lease a campaign's pacing leader holds. */
const pacingLease = (campaignId: string) => `pacing:${campaignId}`;
/** The queue sale orders are handed to (the fulfilment package consumes it). */
export const FULFILMENT_QUEUE = 'fulfilment';

/** What the engine needs around it; `createDialer` fills in the embedded defaults. */
export interface DialerDeps {
  readonly store: Store;
  readonly trunk: Trunk;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly queue: JobQueue;
  readonly media?: MediaBridge;
  readonly compliance: ComplianceGate;
  readonly createPacer: (campaign: Campaign) => CampaignPacer;
  /** Prefix of attempt ids; unique per engine process in distributed mode. */
  readonly nodeId: string;
  /** Period of the pacing tick while a campaign runs, ms. */
  readonly tickIntervalMs: number;
  /** The host's scripting hooks for a campaign, run under time budgets; absent = no hooks. */
  readonly hooksFor?: (campaign: Campaign) => HookRunner | undefined;
  /**
   * Distributed mode: per-campaign pacing leadership. Only the holder of `pacing:<campaignId>`
   * launches calls for the campaign; the others stand by and take over when the lease lapses.
   */
  readonly leadership?: { readonly lease: Lease; readonly ttlMs: number };
  /**
   * Distributed mode: every node's agents, so a campaign's leader paces for and connects
   * agents logged in to other nodes; messages between nodes go through `queue`. Needs
   * `leadership` and a queue shared by the nodes (`queue-bullmq`).
   */
  readonly agentPool?: AgentPool;
  /** issue-17: per-campaign AMD false-positive calibration; default: one from the bench rate. */
  readonly amdCalibration?: AmdCalibration;
}

/** Extra data an agent gives with a disposition. */
export interface DispositionData {
  /** For callback dispositions: when to call back (epoch ms). Required for them. */
  readonly callbackAt?: number;
  /** For callback dispositions: keep the callback for this agent (default: anyone). */
  readonly callbackAgentId?: string;
  /** For sale dispositions: the order, without the ids the engine fills in. */
  readonly order?: Omit<Order, 'id' | 'idempotencyKey' | 'campaignId' | 'contactId' | 'attemptId' | 'createdAt'>;
  /** The agent's state after wrap-up (default ready). */
  readonly agentNext?: 'ready' | 'not-ready';
  /** Profile updates captured on the call (the script run's `captured`), passed to `onDisposition`. */
  readonly captured?: ProfileUpdates;
  /** The script run of the call, passed to `onDisposition` and `afterCall`. */
  readonly run?: ScriptRun;
}

/** A campaign's live numbers (dashboard, demo progress line). */
export interface CampaignStatus {
  readonly campaignId: string;
  readonly state: CampaignState;
  readonly contacts: ContactCounts;
  /** Share of contacts that are finished (done or DNC). */
  readonly penetration: number;
  readonly agents: Readonly<Record<AgentState, number>>;
  readonly callsInFlight: number;
  readonly liveAnswers: number;
  readonly abandoned: number;
  /** Abandoned / live answers over the compliance window. */
  readonly abandonRate: number;
  readonly lastDecision?: { readonly launch: number; readonly reason: string; readonly at: number };
  /** Present while the campaign holds (a stale registry copy, a bad caller ID): why, and since when. */
  readonly held?: { readonly reasons: readonly string[]; readonly messages: readonly string[]; readonly since: number };
  readonly dials: number;
  readonly sales: number;
  /** issue-17: the AMD false-positive estimate, how it was made, and whether the abandon figures above include it. */
  readonly amdFalsePositives?: {
    readonly rate: number;
    readonly method: string;
    readonly explanation: string;
    readonly countedInAbandonRate: boolean;
  };
}

interface AgentRuntime {
  readonly agent: Agent;
  readonly campaigns: Set<string>;
  state: AgentState;
  since: number;
  callId?: string;
  notReadyReason?: string;
  /** Preview mode: the contact this agent is reviewing, and whether the agent confirmed the dial. */
  preview?: { readonly campaignId: string; readonly record: ContactRecord; confirmed: boolean };
}

interface CallRuntime {
  readonly rt: CampaignRuntime;
  attempt: Attempt;
  record: ContactRecord;
  state: CallState;
  greetingEndedAt?: number;
  /** Timer that abandons the call when no agent is free by the deadline. */
  waitTimer?: TimerHandle;
  waiting: boolean;
  agentId?: string;
  /** The agent logged out mid-call: the engine dispositions it. */
  agentLeft: boolean;
  /** Skills the live answer should be served with (from the `beforeDial` hook). */
  requiredSkills?: readonly string[];
  /** Preview mode: the agent who confirmed this call; only that agent takes it. */
  forAgentId?: string;
  /** The call is offered to (`accepted`: connected to) an agent of another node. */
  remote?: { readonly agentId: string; readonly nodeId: string; accepted: boolean };
  /** Serialises the handling of this call's events. */
  chain: Promise<void>;
  /**
   * The call's writes to the store, in order. Connects and abandons do not wait for them (the
   * 2-second rule does not wait for Redis); each is retried until the store takes it.
   */
  writes: Promise<void>;
  /** Resolves when the trunk's `ended` for this call has been handled. */
  readonly ended: Promise<void>;
  markEnded: () => void;
  dispositioned: boolean;
}

/** On the agent's node: a call another node leads, offered to or connected to an agent here. */
interface RemoteCall {
  readonly campaignId: string;
  readonly agentId: string;
  /** The leading node (its holder id): where the agent's actions go. */
  readonly leader: string;
  /** What the agent desk was given, once connected. */
  offer?: CallOffer;
  dispositioned: boolean;
}

interface CampaignRuntime {
  campaign: Campaign;
  state: CampaignState;
  pacer: CampaignPacer;
  hooks: HookRunner | undefined;
  ticking: boolean;
  tickAgain: boolean;
  tickTimer?: TimerHandle;
  scheduleTimer?: TimerHandle;
  /** Re-checks completion at `schedule.endAt`. */
  endTimer?: TimerHandle;
  readonly waiting: CallRuntime[];
  lastDecision?: { launch: number; reason: string; at: number };
  /**
   * The campaign holds: a dial was refused for the campaign's sake (`DialVerdict.held`), so
   * nothing is dialled until the same check passes again. The contact and phone are that probe.
   */
  hold?: {
    readonly contact: Contact;
    readonly phone: string;
    readonly reasons: readonly string[];
    readonly messages: readonly string[];
    readonly since: number;
  };
  /** Distributed mode: this process leads the campaign under this fencing token since `renewedAt`. */
  leader?: { readonly token: number; renewedAt: number };
  /** Distributed mode, leader: other nodes' agents of the campaign as last listed (this round's reservations marked). */
  pooled: PooledAgent[];
  /** The abandon ledger as last read from the store, plus what this process recorded since. */
  ledger?: { readAt: number; liveAnswers: number; abandoned: number };
  dials: number;
  sales: number;
  liveAnswers: number;
  abandoned: number;
}

/**
 * The dialer a host embeds: several campaigns, one agent pool, one trunk. Event-driven on the
 * injected clock: agent and trunk events and a periodic tick drive the loop
 * hopper → compliance gate → pacer → trunk → call analysis → agent or abandon → disposition → recycle.
 */
export class Dialer {
  readonly #d: DialerDeps;
  readonly #events: TypedEmitter<DialerEvents>;
  readonly #campaigns = new Map<string, CampaignRuntime>();
  /** `schedule.hours` of each campaign definition, as window rules (built once per definition). */
  readonly #hours = new WeakMap<Campaign, WindowRules>();
  readonly #agents = new Map<string, AgentRuntime>();
  readonly #calls = new Map<string, CallRuntime>();
  readonly #unsubscribeTrunk: () => void;
  /** The store and lease, watched: while they do not answer, nothing is dialled. */
  readonly #health: BackendHealth;
  readonly #store: Store;
  readonly #lease: Lease | undefined;
  /** Distributed mode with an agent pool: this node's link to the other nodes' agents. */
  readonly #pool: AgentPoolLink | undefined;
  /** Calls led by another node that an agent of this node is reserved for or on. */
  readonly #remoteCalls = new Map<string, RemoteCall>();
  #heartbeatTimer: TimerHandle | undefined;
  #seq = 0;
  /** Attempt ids are `<node>-<start time>-<seq>`: unique across nodes and across restarts of one node. */
  readonly #idPrefix: string;
  #closed = false;
  /** issue-17 (AMD calibration): estimate of people taken for machines, per campaign (amd-calibration.ts). */
  readonly amdCalibration: AmdCalibration;

  constructor(deps: DialerDeps) {
    this.#d = deps;
    // issue-17 (AMD calibration): the profile says whether the abandon rate counts AMD false positives (Ofcom).
    this.amdCalibration =
      deps.amdCalibration ??
      new AmdCalibration({
        random: deps.random,
        includeFalsePositives: (id) => {
          const rt = this.#campaigns.get(id);
          return rt !== undefined && (deps.compliance.abandonIncludesAmdFalsePositives?.(rt.campaign) ?? false);
        },
      });
    this.#idPrefix = `${deps.nodeId}-${deps.clock.now().toString(36)}`;
    this.#events = new TypedEmitter<DialerEvents>({
      onListenerError: (error, event) => deps.logger.error({ err: error, event }, 'a dialer event listener threw; the dialer carries on'),
    });
    this.#health = new BackendHealth((available, error) => {
      const at = deps.clock.now();
      if (available) deps.logger.info({ at }, 'store available again: pacing resumes');
      else deps.logger.warn({ err: error, at }, 'store unavailable: no dials until it answers; call bookkeeping is retried');
      this.#events.emit('storeAvailability', { available, at, ...(available ? {} : { error }) });
    });
    this.#store = watchStore(deps.store, this.#health);
    this.#lease = deps.leadership ? watchLease(deps.leadership.lease, this.#health) : undefined;
    if (deps.agentPool) {
      this.#pool = new AgentPoolLink({
        pool: deps.agentPool,
        queue: deps.queue,
        nodeId: this.#idPrefix,
        durable: (what, write) => this.#durable(what, write),
        report: (where, error) => this.#report(where, error),
      });
      this.#pool.listen((message) => this.#onPoolMessage(message));
      // The heartbeat runs whether or not this node paces anything: its agents must stay visible.
      const period = this.#leaseTtlMs / 3;
      const beat = () => {
        this.#heartbeatTimer = deps.clock.setTimer(period, beat);
        this.#guard('agent pool heartbeat', this.#poolHeartbeat(deps.clock.now()));
      };
      this.#heartbeatTimer = deps.clock.setTimer(0, beat);
    }
    this.#unsubscribeTrunk = deps.trunk.onEvent((event) => this.#onTrunkEvent(event));
  }

  /** False while the store (or the lease) does not answer: the dialer launches nothing then. */
  get storeAvailable(): boolean {
    return this.#health.available;
  }

  /** The job queue sale orders are handed to (`FULFILMENT_QUEUE`): attach `@paceline/fulfilment` here. */
  get queue(): JobQueue {
    return this.#d.queue;
  }

  /** Subscribe to a dialer event; returns an unsubscribe function. */
  on<K extends keyof DialerEvents>(event: K, listener: (...args: DialerEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  // ── campaigns ────────────────────────────────────────────────────────────────────────────

  /** Validate and add a campaign (state draft). Throws `E_INVALID_CAMPAIGN` or `E_CONFLICT`. */
  async addCampaign(input: unknown): Promise<Campaign> {
    const campaign = parseCampaign(input);
    if (this.#campaigns.has(campaign.id) || (await this.#store.getCampaign(campaign.id))) {
      throw new PacelineError('E_CONFLICT', `campaign ${campaign.id} already exists; pick another id`, { campaignId: campaign.id });
    }
    this.#d.compliance.assertCampaign(campaign);
    await this.#store.putCampaign({ campaign, state: CampaignState.Draft, updatedAt: this.#d.clock.now() });
    this.#campaigns.set(campaign.id, this.#runtime(campaign, CampaignState.Draft));
    return campaign;
  }

  /**
   * Attach contacts to a campaign. Each input is validated; bad ones are reported by index and
   * skipped, the rest are added. Contacts already in the campaign are left as they are.
   */
  async addContacts(campaignId: string, inputs: readonly unknown[]): Promise<{ added: number; rejected: Issue[] }> {
    const { campaign } = this.#campaign(campaignId);
    const contacts: Contact[] = [];
    const rejected: Issue[] = [];
    inputs.forEach((input, i) => {
      try {
        contacts.push(this.#d.compliance.prepareContact(parseContact(input), campaign));
      } catch (error) {
        const issues = error instanceof PacelineError ? error.issues : [];
        rejected.push({ path: `contacts[${i}]`, message: issues.map((x) => `${x.path}: ${x.message}`).join('; ') || String(error) });
      }
    });
    const added = await this.#store.addContacts(campaignId, contacts);
    this.#tick(this.#campaign(campaignId));
    return { added, rejected };
  }

  /** Start a campaign: draft → scheduled → running (at `schedule.startAt` if it is later). */
  async start(campaignId: string): Promise<void> {
    const rt = this.#campaign(campaignId);
    await this.#setCampaignState(rt, CampaignState.Scheduled);
    const startAt = rt.campaign.schedule?.startAt ?? 0;
    const now = this.#d.clock.now();
    if (startAt > now) {
      rt.scheduleTimer = this.#d.clock.setTimer(startAt - now, () => {
        this.#guard('scheduled start', this.#run(rt));
      });
      return;
    }
    await this.#run(rt);
  }

  /** Pause: no new dials; calls in flight finish and live answers still reach agents. */
  async pause(campaignId: string): Promise<void> {
    const rt = this.#campaign(campaignId);
    await this.#setCampaignState(rt, CampaignState.Paused);
    this.#stopTicking(rt);
  }

  /** Resume a paused campaign. */
  async resume(campaignId: string): Promise<void> {
    await this.#run(this.#campaign(campaignId));
  }

  /** Stop for good: no new dials; calls in flight finish. */
  async stop(campaignId: string): Promise<void> {
    const rt = this.#campaign(campaignId);
    await this.#setCampaignState(rt, CampaignState.Stopped);
    this.#stopTicking(rt);
    if (rt.scheduleTimer) this.#d.clock.clearTimer(rt.scheduleTimer);
  }

  /** Change pacing settings live (validated like a new campaign). */
  async updatePacing(campaignId: string, patch: Partial<PacingOptions> & { dialMode?: Campaign['dialMode'] }): Promise<Campaign> {
    const rt = this.#campaign(campaignId);
    const { dialMode, ...pacing } = patch;
    const campaign = parseCampaign({ ...rt.campaign, ...(dialMode ? { dialMode } : {}), pacing: { ...rt.campaign.pacing, ...pacing } });
    rt.campaign = campaign;
    rt.pacer = this.#d.createPacer(campaign);
    await this.#store.putCampaign({ campaign, state: rt.state, updatedAt: this.#d.clock.now() });
    this.#tick(rt);
    return campaign;
  }

  /** A campaign's live numbers. */
  async status(campaignId: string): Promise<CampaignStatus> {
    const rt = this.#campaign(campaignId);
    const contacts = await this.#store.countContacts(campaignId);
    const total = Object.values(contacts).reduce((a, b) => a + b, 0);
    const agents = Object.fromEntries(agentLifecycle.states.map((s) => [s, 0])) as Record<AgentState, number>;
    for (const a of this.#agents.values()) if (a.campaigns.has(campaignId)) agents[a.state]++;
    const window = await this.#abandonWindow(rt);
    return {
      campaignId,
      state: rt.state,
      contacts,
      penetration: total === 0 ? 0 : (contacts.done + contacts.dnc) / total,
      agents,
      callsInFlight: [...this.#calls.values()].filter((c) => c.rt === rt).length,
      liveAnswers: window.liveAnswers,
      abandoned: window.abandoned,
      abandonRate: window.liveAnswers === 0 ? 0 : window.abandoned / window.liveAnswers,
      ...(rt.lastDecision ? { lastDecision: { ...rt.lastDecision } } : {}),
      ...(rt.hold ? { held: { reasons: rt.hold.reasons, messages: rt.hold.messages, since: rt.hold.since } } : {}),
      dials: rt.dials,
      sales: rt.sales,
      amdFalsePositives: amdReport(this.amdCalibration, campaignId), // issue-17
    };
  }

  /**
   * Live answers and abandons of a campaign over the last `windowMs` (e.g. 24 h for Ofcom, 30
   * days for the US TSR), read from the store — so every engine process sees the same ledger.
   */
  async abandonCounts(campaignId: string, windowMs: number): Promise<{ liveAnswers: number; abandoned: number }> {
    this.#campaign(campaignId);
    const now = this.#d.clock.now();
    return this.#store.countLiveAnswers(campaignId, now - windowMs, now + 1);
  }

  // ── agents ───────────────────────────────────────────────────────────────────────────────

  /** Log an agent in to campaigns (state not-ready until `ready`). */
  loginAgent(input: unknown, campaignIds: readonly string[]): Agent {
    const agent = parseAgent(input);
    if (this.#agents.get(agent.id)?.state !== undefined && this.#agents.get(agent.id)?.state !== AgentState.LoggedOut) {
      throw new PacelineError('E_CONFLICT', `agent ${agent.id} is already logged in; log out first`);
    }
    for (const id of campaignIds) this.#campaign(id);
    const runtime: AgentRuntime = { agent, campaigns: new Set(campaignIds), state: AgentState.LoggedOut, since: this.#d.clock.now() };
    this.#agents.set(agent.id, runtime);
    this.#setAgentState(runtime, AgentState.NotReady, 'login');
    return agent;
  }

  /**
   * The agent is ready for calls. While the agent is busy (reserved, on a call, in wrap-up)
   * this cancels a pending `notReady`: the agent becomes ready after the disposition.
   */
  ready(agentId: string): void {
    const a = this.#agent(agentId);
    if (a.state !== AgentState.NotReady) {
      delete a.notReadyReason;
      return;
    }
    this.#setAgentState(a, AgentState.Ready);
    this.#agentFree(a);
  }

  /** The agent takes a break (`reason` is reported). From wrap-up it applies after the disposition. */
  notReady(agentId: string, reason: string): void {
    const a = this.#agent(agentId);
    a.notReadyReason = reason;
    if (a.state === AgentState.Ready) this.#setAgentState(a, AgentState.NotReady, reason);
  }

  /** Log an agent out, even mid-call: the call is hung up and dispositioned by the engine. */
  async logout(agentId: string): Promise<void> {
    const a = this.#agent(agentId);
    const remote = a.callId ? this.#remoteCalls.get(a.callId) : undefined;
    if (remote && a.callId) {
      // A call another node leads: it ends the call (or its wrap-up) for the agent.
      this.#remoteCalls.delete(a.callId);
      void this.#pool?.send(remote.leader, { type: 'agentLeft', callId: a.callId, agentId });
    }
    const call = a.callId ? this.#calls.get(a.callId) : undefined;
    const wasReserved = a.state === AgentState.Reserved;
    if (a.preview) await this.skipPreview(agentId);
    this.#setAgentState(a, AgentState.LoggedOut, 'logout');
    delete a.callId;
    if (!call) return;
    call.agentLeft = true;
    if (wasReserved) {
      delete call.agentId;
      if (call.state === CallState.Analysing) this.#waitForAgent(call);
      return;
    }
    if (call.state === CallState.Connected) await this.#d.trunk.hangup(call.attempt.id);
    else if (call.state === CallState.Ended && !call.dispositioned) await this.#autoDisposition(call, 'agent logged out during wrap-up');
  }

  /** The agent (or the host) ends a connected call; the agent moves to wrap-up. */
  async hangup(callId: string): Promise<void> {
    const remote = this.#ledElsewhere(callId);
    if (remote) return this.#pool?.send(remote.leader, { type: 'hangup', callId });
    if (!this.#calls.has(callId)) throw new PacelineError('E_NOT_FOUND', `hangup: no call ${callId} in progress`);
    await this.#d.trunk.hangup(callId);
  }

  /**
   * Close a call with a disposition code: recycle the contact (retry, callback, done, DNC),
   * hand a sale's order to fulfilment, and free the agent.
   */
  async disposition(callId: string, code: string, data: DispositionData = {}): Promise<void> {
    const remote = this.#ledElsewhere(callId);
    if (remote) {
      // The call's node records it; the agent here is released when it has.
      if (remote.dispositioned) throw new PacelineError('E_CONFLICT', `disposition: call ${callId} already has one`);
      checkDisposition(this.#campaign(remote.campaignId).campaign, code, data);
      remote.dispositioned = true;
      const forwarded: ForwardedCall = { method: 'disposition', code, data: { ...data } };
      return this.#pool?.send(remote.leader, { type: 'forward', callId, call: forwarded });
    }
    const call = this.#calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `disposition: no call ${callId} awaiting a disposition`);
    if (call.dispositioned) throw new PacelineError('E_CONFLICT', `disposition: call ${callId} already has one`);
    const d = checkDisposition(call.rt.campaign, code, data);
    const order = d.sale && data.order ? this.#order(call, data.order) : undefined;
    call.dispositioned = true;
    if (call.state !== CallState.Ended) {
      // Dispositioned before the call ended: hang up and let the trunk's `ended` be handled first.
      await this.#d.trunk.hangup(callId);
      await call.ended;
    }
    await call.chain;
    await this.#finishDisposition(call, d.code, data, order);
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
    const rt = this.#campaign(campaignId);
    if (rt.state === CampaignState.Completed || rt.state === CampaignState.Stopped || rt.state === CampaignState.Archived) {
      throw new PacelineError(
        'E_CONFLICT',
        `scheduleCallback: campaign ${campaignId} is ${rt.state}; book the callback in a campaign that still runs`,
      );
    }
    if (!Number.isFinite(callback.dueAt))
      throw new PacelineError('E_INVALID_INPUT', `scheduleCallback: dueAt: expected epoch ms, got ${callback.dueAt}`);
    for (let tries = 0; tries < 3; tries++) {
      const record = await this.#store.getContact(campaignId, contactId);
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
      const updated = await this.#store.updateContact({
        ...rest,
        state: ContactState.Callback,
        dueAt: callback.dueAt,
        callbackReason: callback.reason,
        ...(callback.agentId === undefined ? {} : { callbackAgentId: callback.agentId }),
      });
      if (updated) {
        this.#tick(rt);
        return;
      }
    }
    throw new PacelineError('E_CONFLICT', `scheduleCallback: contact ${contactId} kept changing; try again`);
  }

  /** Preview mode: the agent has reviewed the offered contact and wants it dialled. */
  confirmPreview(agentId: string): void {
    const a = this.#agent(agentId);
    if (!a.preview) throw new PacelineError('E_CONFLICT', `confirmPreview: agent ${agentId} has no contact in preview`);
    a.preview.confirmed = true;
    this.#tick(this.#campaign(a.preview.campaignId));
  }

  /** Preview mode: the agent passes on the offered contact; it goes back to the hopper and the next one is offered. */
  async skipPreview(agentId: string): Promise<void> {
    const a = this.#agent(agentId);
    const preview = a.preview;
    if (!preview) throw new PacelineError('E_CONFLICT', `skipPreview: agent ${agentId} has no contact in preview`);
    delete a.preview;
    const { record } = preview;
    await this.#store.updateContact({
      ...record,
      state: contactLifecycle.transition(record.state, ContactState.Ready, record.contact.id),
    });
    this.#tick(this.#campaign(preview.campaignId));
  }

  /** Preview mode: give every ready agent without one the next contact to review. */
  async #offerPreviews(rt: CampaignRuntime, now: number): Promise<void> {
    for (const a of this.#agents.values()) {
      if (a.state !== AgentState.Ready || !a.campaigns.has(rt.campaign.id) || a.preview || a.callId) continue;
      const [record] = await this.#store.claimDue(rt.campaign.id, now, 1, [a.agent.id]);
      if (!record) {
        this.#events.emit('hopperLow', { campaignId: rt.campaign.id, requested: 1, claimed: 0, at: now });
        return;
      }
      a.preview = { campaignId: rt.campaign.id, record, confirmed: false };
      this.#events.emit('preview', { campaignId: rt.campaign.id, agentId: a.agent.id, contact: record.contact, attempts: record.attempts });
    }
  }

  /** The agent desk reports a script answer on a connected call (runs the `onAnswer` hook). */
  async scriptAnswer(callId: string, answer: { stepId: string; answer: ScriptRun['answers'][string]; run: ScriptRun }): Promise<void> {
    const remote = this.#ledElsewhere(callId);
    if (remote) return this.#pool?.send(remote.leader, { type: 'forward', callId, call: { method: 'scriptAnswer', answer } });
    const call = this.#liveCall(callId, 'scriptAnswer');
    await call.rt.hooks?.onAnswer({ ...this.#callRef(call), ...answer });
  }

  /** The agent desk reports the customer's answer to an offer (runs `onOfferResponse`; the acceptance model learns from it). */
  async offerResponse(callId: string, response: OfferResponse): Promise<void> {
    const remote = this.#ledElsewhere(callId);
    if (remote) return this.#pool?.send(remote.leader, { type: 'forward', callId, call: { method: 'offerResponse', response } });
    const call = this.#liveCall(callId, 'offerResponse');
    await call.rt.hooks?.onOfferResponse({ ...this.#callRef(call), response });
  }

  /** The call, when another node leads it and an agent of this node is on it (the agent's actions go there). */
  #ledElsewhere(callId: string): RemoteCall | undefined {
    return this.#calls.has(callId) ? undefined : this.#remoteCalls.get(callId);
  }

  #liveCall(callId: string, what: string): CallRuntime {
    const call = this.#calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `${what}: no call ${callId} in progress`);
    return call;
  }

  #callRef(call: CallRuntime): { campaignId: string; callId: string; contactId: string; agentId?: string } {
    return {
      campaignId: call.rt.campaign.id,
      callId: call.attempt.id,
      contactId: call.attempt.contactId,
      ...(call.agentId === undefined ? {} : { agentId: call.agentId }),
    };
  }

  /** Stop everything: ticks, timers, trunk subscription. Calls in flight are hung up. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const rt of this.#campaigns.values()) {
      this.#stopTicking(rt);
      if (rt.scheduleTimer) this.#d.clock.clearTimer(rt.scheduleTimer);
      if (rt.endTimer) this.#d.clock.clearTimer(rt.endTimer);
    }
    for (const call of this.#calls.values()) if (call.waitTimer) this.#d.clock.clearTimer(call.waitTimer);
    if (this.#heartbeatTimer !== undefined) this.#d.clock.clearTimer(this.#heartbeatTimer);
    await Promise.all([...this.#calls.keys()].map((id) => this.#d.trunk.hangup(id).catch(() => {})));
    await Promise.all([...this.#calls.values()].map((c) => c.chain));
    this.#unsubscribeTrunk();
    await this.#pool?.close();
  }

  /**
   * Resume from an existing store (after a restart): load campaigns, reconcile attempts in an
   * unknown state as failed (never redialled before their retry time), return claimed
   * contacts to the hopper, and restart the campaigns that were running.
   */
  async recover(): Promise<{ campaigns: number; reconciled: number }> {
    let reconciled = 0;
    const records: CampaignRecord[] = await this.#store.listCampaigns();
    const now = this.#d.clock.now();
    for (const record of records) {
      if (this.#campaigns.has(record.campaign.id)) continue;
      const rt = this.#runtime(record.campaign, record.state);
      this.#campaigns.set(record.campaign.id, rt);
      // With leadership, the calls may belong to a live leader elsewhere: the node that takes
      // the lease reconciles them then, not every node at start.
      if (!this.#d.leadership) reconciled += await this.#reconcile(rt, now);
      if (record.state === CampaignState.Running) this.#startTicking(rt);
    }
    return { campaigns: records.length, reconciled };
  }

  /**
   * Calls in an unknown state — open attempts this process does not run — are ended as failed
   * and their contacts recycled (so never redialled before their retry time); contacts claimed
   * but never dialled go back to the hopper. Returns how many attempts were reconciled.
   */
  async #reconcile(rt: CampaignRuntime, now: number): Promise<number> {
    let reconciled = 0;
    const campaignId = rt.campaign.id;
    for (const attempt of await this.#store.listOpenAttempts(campaignId)) {
      if (this.#calls.has(attempt.id)) continue;
      await this.#store.putAttempt({ ...attempt, endedAt: now, outcome: 'failed' });
      const contact = await this.#store.getContact(campaignId, attempt.contactId);
      if (contact?.state === ContactState.Dialing)
        await this.#applyRecycle(rt, contact, recycle(rt.campaign, contact, { outcome: 'failed' }, now));
      reconciled++;
    }
    // A contact can also be left `dialing` after its call ended but before the disposition
    // (the agent was in wrap-up when the node died): recycle it on its last outcome.
    const ours = new Set([...this.#calls.values()].map((c) => c.attempt.contactId));
    for (const dialing of await this.#store.listContacts(campaignId, ContactState.Dialing)) {
      if (ours.has(dialing.contact.id)) continue;
      const last = (await this.#store.listAttempts(campaignId, dialing.contact.id)).at(-1);
      await this.#applyRecycle(rt, dialing, recycle(rt.campaign, dialing, { outcome: last?.outcome ?? 'failed' }, now));
      reconciled++;
    }
    for (const queued of await this.#store.listContacts(campaignId, ContactState.Queued)) {
      await this.#store.updateContact({ ...queued, state: ContactState.Ready });
    }
    return reconciled;
  }

  /**
   * Distributed mode: hold (or take) the campaign's pacing lease before pacing. Renewed every
   * third of its TTL; a failed renewal means another node leads now, so this one stops at
   * once. On taking over, the campaign is re-read (another node may have changed it) and the
   * previous leader's calls are reconciled.
   *
   * A node stands for a campaign only while it can serve it — an agent of the campaign is
   * logged in here (or the campaign is agentless) — so campaigns are led where their agents
   * are. A leader left without agents and without calls in flight releases the lease.
   */
  async #lead(rt: CampaignRuntime, now: number): Promise<boolean> {
    const leadership = this.#d.leadership;
    const lease = this.#lease;
    if (!leadership || !lease) return true;
    const name = pacingLease(rt.campaign.id);
    const { ttlMs } = leadership;
    const serves = rt.campaign.dialMode === 'agentless' || this.#hasAgentsFor(rt.campaign.id);
    if (rt.leader && !serves && !this.#hasCallsFor(rt)) {
      const { token } = rt.leader;
      delete rt.leader;
      await lease.release(name, this.#idPrefix, token);
      this.#events.emit('leadershipChanged', { campaignId: rt.campaign.id, leader: false, at: now });
      return false;
    }
    if (rt.leader) {
      if (now - rt.leader.renewedAt < ttlMs / 3) return true;
      if (await lease.renew(name, this.#idPrefix, rt.leader.token, ttlMs, now)) {
        rt.leader.renewedAt = now;
        return true;
      }
      delete rt.leader;
      this.#events.emit('leadershipChanged', { campaignId: rt.campaign.id, leader: false, at: now });
      return false;
    }
    if (!serves) return false;
    const token = await lease.acquire(name, this.#idPrefix, ttlMs, now);
    if (token === undefined) return false;
    rt.leader = { token, renewedAt: now };
    const record = await this.#store.getCampaign(rt.campaign.id);
    if (record) {
      rt.campaign = record.campaign;
      rt.state = record.state;
    }
    const reconciled = await this.#reconcile(rt, now);
    this.#events.emit('leadershipChanged', { campaignId: rt.campaign.id, leader: true, at: now, token, reconciled });
    return rt.state === CampaignState.Running;
  }

  // ── the loop ─────────────────────────────────────────────────────────────────────────────

  #runtime(campaign: Campaign, state: CampaignState): CampaignRuntime {
    return {
      campaign,
      state,
      pacer: this.#d.createPacer(campaign),
      hooks: this.#hooksFor(campaign),
      ticking: false,
      tickAgain: false,
      waiting: [],
      pooled: [],
      dials: 0,
      sales: 0,
      liveAnswers: 0,
      abandoned: 0,
    };
  }

  #hooksFor(campaign: Campaign): HookRunner | undefined {
    const runner = this.#d.hooksFor?.(campaign);
    runner?.events.on('hookFailed', (failure) => this.#events.emit('hookFailed', { campaignId: campaign.id, failure }));
    return runner;
  }

  async #run(rt: CampaignRuntime): Promise<void> {
    await this.#setCampaignState(rt, CampaignState.Running);
    this.#startTicking(rt);
  }

  #startTicking(rt: CampaignRuntime): void {
    this.#stopTicking(rt);
    const loop = () => {
      rt.tickTimer = this.#d.clock.setTimer(this.#d.tickIntervalMs, loop);
      this.#tick(rt);
    };
    rt.tickTimer = this.#d.clock.setTimer(0, loop);
  }

  #stopTicking(rt: CampaignRuntime): void {
    if (rt.tickTimer !== undefined) this.#d.clock.clearTimer(rt.tickTimer);
    delete rt.tickTimer;
  }

  /** Run one pacing round now, or right after the one in progress. */
  #tick(rt: CampaignRuntime): void {
    if (rt.state !== CampaignState.Running || this.#closed) return;
    if (rt.ticking) {
      rt.tickAgain = true;
      return;
    }
    rt.ticking = true;
    const round = async () => {
      try {
        do {
          rt.tickAgain = false;
          await this.#paceOnce(rt);
        } while (rt.tickAgain && rt.state === CampaignState.Running && !this.#closed);
      } finally {
        rt.ticking = false;
      }
    };
    this.#guard(`pacing ${rt.campaign.id}`, round());
  }

  async #paceOnce(rt: CampaignRuntime): Promise<void> {
    const now = this.#d.clock.now();
    if (!(await this.#lead(rt, now))) return;
    // Calls in flight are served whatever happens to new dials: their live answers still go to
    // other nodes' agents, and a dead agent node's calls are still ended.
    if (this.#pool) await this.#refreshPool(rt, now);
    if (this.#stillHeld(rt, now) || this.#outsideHours(rt, now)) return;
    const window = await this.#abandonWindow(rt);
    const agents: ObservedAgent[] = [];
    for (const a of this.#agents.values()) {
      if (a.campaigns.has(rt.campaign.id) && a.state !== AgentState.LoggedOut) {
        const leaving = a.notReadyReason !== undefined && a.state !== AgentState.NotReady;
        const previewConfirmed = a.preview?.campaignId === rt.campaign.id && a.preview.confirmed;
        agents.push({
          id: a.agent.id,
          state: a.state,
          timeInStateMs: now - a.since,
          ...(leaving ? { leaving } : {}),
          ...(previewConfirmed ? { previewConfirmed } : {}),
        });
      }
    }
    for (const a of rt.pooled) agents.push({ id: a.agentId, state: a.state, timeInStateMs: now - a.since });
    const calls: ObservedCall[] = [];
    for (const c of this.#calls.values()) {
      if (c.rt !== rt || c.state === CallState.Connected || c.state === CallState.Ended || c.state === CallState.Abandoned) continue;
      const phase = c.waiting
        ? 'waiting'
        : c.state === CallState.Ringing
          ? 'ringing'
          : c.state === CallState.Dialing
            ? 'dialing'
            : 'analysing';
      calls.push({
        id: c.attempt.id,
        ageMs: now - c.attempt.startedAt,
        phase,
        ...(c.forAgentId === undefined ? {} : { agentId: c.forAgentId }),
      });
    }
    if (rt.campaign.dialMode === 'preview') await this.#offerPreviews(rt, now);
    const verdict = rt.pacer.decide({
      now,
      campaign: rt.campaign,
      agents,
      calls,
      liveAnswers: window.liveAnswers,
      abandoned: window.abandoned,
      windowMs: window.windowMs,
    });
    rt.lastDecision = { launch: verdict.launch, reason: verdict.reason, at: now };
    this.#events.emit('pacingDecision', { campaignId: rt.campaign.id, at: now, verdict });
    if (verdict.launch <= 0) return;
    if (verdict.agentIds) {
      // Preview: dial exactly the contacts the named agents confirmed.
      for (const agentId of verdict.agentIds) {
        const agent = this.#agents.get(agentId);
        const preview = agent?.preview;
        if (!agent || !preview?.confirmed || preview.campaignId !== rt.campaign.id) continue;
        delete agent.preview;
        await this.#launch(rt, preview.record, agentId);
      }
      return;
    }
    const agentIds = agents.filter((a) => a.state === AgentState.Ready).map((a) => a.id);
    const claimed = await this.#store.claimDue(rt.campaign.id, now, verdict.launch, agentIds);
    if (claimed.length < verdict.launch) {
      this.#events.emit('hopperLow', { campaignId: rt.campaign.id, requested: verdict.launch, claimed: claimed.length, at: now });
    }
    if (this.#d.clock.now() - now > STALE_CLAIM_MS) {
      // The store was slow or away (a command queued through a reconnect): the agents the
      // decision counted may be busy by now. Hand the contacts back and decide again.
      this.#d.logger.warn({ campaignId: rt.campaign.id, claimMs: this.#d.clock.now() - now }, 'stale hopper claim handed back');
      for (const record of claimed) this.#unclaim(rt, record);
      rt.tickAgain = true;
      return;
    }
    for (const [i, record] of claimed.entries()) {
      if (rt.state !== CampaignState.Running || rt.hold) {
        this.#unclaim(rt, record);
        continue;
      }
      try {
        await this.#launch(rt, record);
      } catch (error) {
        // The store failed mid-launch: nothing more is dialled; the rest goes back to the hopper.
        for (const rest of claimed.slice(i + 1)) this.#unclaim(rt, rest);
        throw error;
      }
    }
    if (claimed.length === 0) await this.#maybeComplete(rt);
  }

  /**
   * Give a claimed contact back (retried until the store takes it): still `queued` → `ready`;
   * `dialing` without a call here (the launch failed after marking it) → `waiting` for
   * `RELAUNCH_DELAY_MS` with its attempt count restored — a launch that never reached the
   * trunk does not count against the contact.
   */
  #unclaim(rt: CampaignRuntime, claimed: ContactRecord, attempt?: Attempt): Promise<void> {
    const campaignId = rt.campaign.id;
    const contactId = claimed.contact.id;
    const work = this.#durable(`unclaim ${contactId}`, async () => {
      const now = this.#d.clock.now();
      if (attempt) await this.#store.putAttempt({ ...attempt, endedAt: now, outcome: 'failed' });
      const current = await this.#store.getContact(campaignId, contactId);
      if (current?.state === ContactState.Queued) {
        await this.#store.updateContact({ ...current, state: ContactState.Ready });
      } else if (current?.state === ContactState.Dialing && ![...this.#calls.values()].some((c) => c.attempt.contactId === contactId)) {
        await this.#store.updateContact({
          ...current,
          state: ContactState.Waiting,
          attempts: claimed.attempts,
          dueAt: now + RELAUNCH_DELAY_MS,
        });
      }
    });
    return work.catch((error) => this.#report(`unclaim ${contactId}`, error));
  }

  /**
   * `schedule.hours`: the campaign's own daily hours in its home time zone (its shift). Outside
   * them it dials nothing and offers no previews; calls in flight go on. The called party's
   * window (`callingWindow` and the profile) is checked per dial on top of this.
   */
  #outsideHours(rt: CampaignRuntime, now: number): boolean {
    const { hours } = rt.campaign.schedule ?? {};
    if (!hours) return false;
    let rules = this.#hours.get(rt.campaign);
    if (!rules) {
      rules = { layers: [[dailySpan(hours)]], holidays: [] };
      this.#hours.set(rt.campaign, rules);
    }
    if (isOpenInZone(rules, rt.campaign.homeTimeZone, now)) return false;
    const reason = `outside the campaign's hours (${hours.start}–${hours.end} ${rt.campaign.homeTimeZone})`;
    rt.lastDecision = { launch: 0, reason, at: now };
    return true;
  }

  /** Put the campaign on hold (once): a refusal for the campaign's sake, e.g. a stale registry copy. */
  #hold(rt: CampaignRuntime, contact: Contact, phone: string, reasons: readonly string[], messages: readonly string[], now: number): void {
    if (rt.hold) return;
    rt.hold = { contact, phone, reasons, messages, since: now };
    const campaignId = rt.campaign.id;
    this.#d.logger.warn({ campaignId, reasons }, `campaign ${campaignId} holds, its contacts kept: ${messages.join('; ')}`);
    this.#events.emit('campaignHold', { campaignId, held: true, reasons, messages, at: now });
  }

  /** A held campaign re-checks the dial that put it on hold; once that is no longer held, it dials again. */
  #stillHeld(rt: CampaignRuntime, now: number): boolean {
    const hold = rt.hold;
    if (!hold) return false;
    if (this.#d.compliance.check(hold.contact, hold.phone, rt.campaign, now).held) return true;
    delete rt.hold;
    const campaignId = rt.campaign.id;
    this.#d.logger.info({ campaignId, heldMs: now - hold.since }, `campaign ${campaignId} dials again`);
    this.#events.emit('campaignHold', { campaignId, held: false, reasons: [], messages: [], at: now });
    return false;
  }

  async #launch(rt: CampaignRuntime, claimed: ContactRecord, forAgentId?: string): Promise<void> {
    let record = claimed;
    const now = this.#d.clock.now();
    const { campaign } = rt;
    const phone = phoneForAttempt(record);
    const verdict = this.#d.compliance.check(record.contact, phone, campaign, now);
    if (!verdict.allowed) {
      this.#events.emit('complianceRefused', {
        campaignId: campaign.id,
        contactId: record.contact.id,
        reasons: verdict.reasons,
        ...(verdict.nextAllowedAt === undefined ? {} : { nextAllowedAt: verdict.nextAllowedAt }),
        at: now,
      });
      if (verdict.held && !verdict.dnc) {
        this.#hold(rt, record.contact, phone, verdict.reasons, verdict.messages ?? verdict.reasons, now);
        await this.#unclaim(rt, record);
        return;
      }
      const next =
        verdict.permanent || verdict.nextAllowedAt === undefined
          ? { ...record, state: verdict.dnc ? ContactState.Dnc : ContactState.Done }
          : { ...record, state: ContactState.Waiting, dueAt: verdict.nextAllowedAt };
      contactLifecycle.transition(record.state, next.state, record.contact.id);
      await this.#store.updateContact(next);
      return;
    }
    let requiredSkills: readonly string[] | undefined;
    if (rt.hooks) {
      const { value } = await rt.hooks.beforeDial({ campaignId: campaign.id, contact: record.contact, attempts: record.attempts, now });
      if (value.action === 'skip') {
        const skipped =
          value.retryAt === undefined
            ? { ...record, state: ContactState.Done }
            : { ...record, state: ContactState.Waiting, dueAt: Math.max(now, value.retryAt) };
        await this.#store.updateContact(skipped);
        return;
      }
      if (value.priority !== undefined && value.priority !== record.contact.priority) {
        record = { ...record, contact: { ...record.contact, priority: value.priority } };
      }
      requiredSkills = value.requiredSkills;
    }
    const attempt: Attempt = {
      id: `${this.#idPrefix}-${++this.#seq}`,
      campaignId: campaign.id,
      contactId: record.contact.id,
      phone,
      callerId: campaign.callerId,
      startedAt: now,
      abandoned: false,
    };
    // The contact and its attempt are in the store before the trunk dials: never a call
    // without its ledger entry. If the store fails here, the contact is handed back.
    let dialing: ContactRecord | undefined;
    try {
      dialing = await this.#store.updateContact({
        ...record,
        state: contactLifecycle.transition(record.state, ContactState.Dialing, record.contact.id),
        attempts: record.attempts + 1,
      });
      if (!dialing) return; // another node changed the contact since we claimed it: leave it to them
      await this.#store.putAttempt(attempt);
    } catch (error) {
      if (isBackendFailure(error)) this.#unclaim(rt, claimed, dialing ? attempt : undefined);
      throw error;
    }
    if (this.#d.clock.now() - now > STALE_CLAIM_MS) {
      // The writes waited out a slow or restarting store: the decision is stale, do not dial on it.
      this.#unclaim(rt, claimed, attempt);
      rt.tickAgain = true;
      return;
    }
    this.#d.compliance.record({
      kind: 'attempt',
      at: now,
      phone,
      campaignId: campaign.id,
      contact: record.contact,
      agentless: campaign.dialMode === 'agentless',
      attemptId: attempt.id,
    });
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => {
      markEnded = resolve;
    });
    const call: CallRuntime = {
      rt,
      attempt,
      record: dialing,
      state: CallState.Dialing,
      waiting: false,
      agentLeft: false,
      chain: Promise.resolve(),
      writes: Promise.resolve(),
      ended,
      markEnded,
      dispositioned: false,
      ...(requiredSkills && requiredSkills.length > 0 ? { requiredSkills } : {}),
      ...(forAgentId === undefined ? {} : { forAgentId }),
    };
    this.#calls.set(attempt.id, call);
    rt.dials++;
    try {
      await this.#d.trunk.originate({
        callId: attempt.id,
        campaignId: campaign.id,
        to: phone,
        callerId: campaign.callerId,
        ringTimeoutMs: campaign.pacing.ringTimeoutMs,
      });
      this.#events.emit('dialed', { campaignId: campaign.id, attempt });
    } catch (error) {
      // The trunk refused the call (no channel, carrier down): not the contact's fault, so the
      // attempt does not count against it and it is retried soon.
      this.#d.logger.warn({ err: error, callId: attempt.id, to: maskPhone(phone) }, 'originate failed; the contact will be retried');
      this.#calls.delete(attempt.id);
      rt.dials--;
      await this.#unclaim(rt, claimed, attempt);
    }
  }

  /**
   * A campaign completes when its list is exhausted — unless it is scheduled to run until a
   * later `schedule.endAt`: then it stays running (idle) so callbacks booked later, e.g. after
   * a failed delivery, are still dialled, and completes at its end.
   */
  async #maybeComplete(rt: CampaignRuntime): Promise<void> {
    const endAt = rt.campaign.schedule?.endAt;
    const now = this.#d.clock.now();
    if (endAt !== undefined && now < endAt) {
      if (rt.endTimer === undefined) {
        rt.endTimer = this.#d.clock.setTimer(endAt - now, () => this.#guard(`end of ${rt.campaign.id}`, this.#maybeComplete(rt)));
      }
      return;
    }
    const counts = await this.#store.countContacts(rt.campaign.id);
    const open = counts.ready + counts.queued + counts.dialing + counts.waiting + counts.callback;
    if (open === 0 && !this.#hasCallsFor(rt) && counts.done + counts.dnc > 0 && rt.state === CampaignState.Running) {
      await this.#setCampaignState(rt, CampaignState.Completed);
      this.#stopTicking(rt);
    }
  }

  // ── trunk events ─────────────────────────────────────────────────────────────────────────

  #onTrunkEvent(event: TrunkEvent): void {
    const call = this.#calls.get(event.callId);
    if (!call) return;
    this.#onChain(call, 'call', () => this.#handle(call, event));
  }

  async #handle(call: CallRuntime, event: TrunkEvent): Promise<void> {
    const { campaign } = call.rt;
    const base = { campaignId: campaign.id, callId: call.attempt.id, at: event.at };
    switch (event.type) {
      case 'ringing':
        if (call.state === CallState.Dialing) this.#setCallState(call, CallState.Ringing);
        this.#events.emit('ringing', base);
        return;
      case 'answered':
        if (call.state === CallState.Dialing || call.state === CallState.Ringing) this.#setCallState(call, CallState.Answered);
        call.attempt = { ...call.attempt, answeredAt: event.at };
        this.#events.emit('answered', base);
        return;
      case 'analysed':
        return this.#analysed(call, event.result, event.greetingEndedAt, event.at);
      case 'ended':
        return this.#ended(call, event.outcome, event.at);
    }
  }

  async #analysed(call: CallRuntime, detected: 'human' | 'machine' | 'unknown', greetingEndedAt: number, at: number): Promise<void> {
    if (call.state === CallState.Answered) this.#setCallState(call, CallState.Analysing);
    if (call.state !== CallState.Analysing) return;
    // issue-17 (AMD): detection switched off for the campaign sends every answer to agents; machine decisions feed calibration.
    const result = call.rt.campaign.answeringMachineDetection === false ? 'unknown' : detected;
    if (result === 'machine' && call.rt.campaign.machineHandling !== 'agent')
      this.amdCalibration.machineDecided(call.rt.campaign.id, call.attempt.id, at);
    call.attempt = { ...call.attempt, amd: result };
    call.greetingEndedAt = greetingEndedAt;
    const { campaign } = call.rt;
    this.#events.emit('analysed', { campaignId: campaign.id, callId: call.attempt.id, result, at });
    // An undecided analysis is treated as a person: hanging up on a human is worse.
    if (result === 'machine' && campaign.machineHandling !== 'agent') {
      this.#note(call, 'machine', at);
      if (campaign.machineHandling === 'message') await this.#d.trunk.playMessage(call.attempt.id, MACHINE_MESSAGE);
      await this.#d.trunk.hangup(call.attempt.id);
      return;
    }
    // An agent-owned callback goes to its agent when that agent is free.
    // Skill routing prefers a skilled agent but never lets a live answer wait for one.
    if (call.forAgentId !== undefined) {
      const mine = this.#freeAgentFor(campaign.id, { owner: call.forAgentId });
      if (mine) await this.#connect(call, mine);
      else this.#waitForAgent(call);
      return;
    }
    const owner = call.record.callbackAgentId;
    const agent =
      (owner === undefined ? undefined : this.#freeAgentFor(campaign.id, { owner })) ??
      (call.requiredSkills ? this.#freeAgentFor(campaign.id, { skills: call.requiredSkills }) : undefined) ??
      this.#freeAgentFor(campaign.id);
    if (agent) await this.#connect(call, agent);
    else if (!(await this.#offerRemote(call))) this.#waitForAgent(call);
  }

  /** No agent is free: wait until 2 s after the greeting ended, then abandon. */
  #waitForAgent(call: CallRuntime): void {
    call.waiting = true;
    call.rt.waiting.push(call);
    this.#atDeadline(call, async () => {
      if (call.waiting) await this.#abandon(call);
    });
    this.#tick(call.rt);
  }

  /** At the 2-second deadline (2 s after the greeting ended), run `expire` on the call's chain. */
  #atDeadline(call: CallRuntime, expire: () => Promise<void>): void {
    const now = this.#d.clock.now();
    const deadline = (call.greetingEndedAt ?? now) + CONNECT_DEADLINE_MS;
    call.waitTimer = this.#d.clock.setTimer(Math.max(0, deadline - now), () => {
      delete call.waitTimer;
      this.#onChain(call, 'abandon', expire);
    });
  }

  #clearDeadline(call: CallRuntime): void {
    if (call.waitTimer !== undefined) this.#d.clock.clearTimer(call.waitTimer);
    delete call.waitTimer;
  }

  #stopWaiting(call: CallRuntime): void {
    call.waiting = false;
    this.#clearDeadline(call);
    const i = call.rt.waiting.indexOf(call);
    if (i >= 0) call.rt.waiting.splice(i, 1);
  }

  async #connect(call: CallRuntime, agent: AgentRuntime): Promise<void> {
    this.#stopWaiting(call);
    this.#setAgentState(agent, AgentState.Reserved);
    agent.callId = call.attempt.id;
    call.agentId = agent.agent.id;
    try {
      await this.#d.media?.connect(call.attempt.id, agent.agent.id);
    } catch (error) {
      this.#report(`media connect ${call.attempt.id}`, error);
      if (agent.state === AgentState.Reserved) {
        delete agent.callId;
        this.#setAgentState(agent, AgentState.Ready);
      }
      delete call.agentId;
      await this.#abandon(call);
      return;
    }
    if (call.state !== CallState.Analysing || agent.state !== AgentState.Reserved || agent.callId !== call.attempt.id) {
      // The caller hung up or the agent logged out while the audio was being bridged.
      if (agent.state === AgentState.Reserved && agent.callId === call.attempt.id) {
        delete agent.callId;
        this.#setAgentState(agent, AgentState.Ready);
        this.#agentFree(agent);
      }
      return;
    }
    this.#setAgentState(agent, AgentState.OnCall);
    const offer = this.#markConnected(call, agent.agent.id);
    this.#events.emit('connected', offer);
    this.#runOnConnect(offer);
  }

  /** The call is connected to `agentId` (of this node or another): record it; returns the offer for the agent desk. */
  #markConnected(call: CallRuntime, agentId: string): CallOffer {
    const now = this.#d.clock.now();
    this.#setCallState(call, CallState.Connected);
    call.attempt = { ...call.attempt, connectedAt: now, agentId };
    const connected = call.attempt;
    this.#persist(call, 'connected attempt', () => this.#store.putAttempt(connected));
    this.#liveAnswer(call, false, now);
    const { campaign } = call.rt;
    this.#note(call, 'conversation', now);
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
  #runOnConnect(offer: CallOffer, agentNode?: string): void {
    const hooks = this.#campaigns.get(offer.campaignId)?.hooks;
    if (!hooks) return;
    this.#guard(
      `onConnect ${offer.callId}`,
      hooks.onConnect(offer).then(async (outcome) => {
        const script = { ...outcome.value, fallback: !outcome.ok };
        if (agentNode) await this.#pool?.send(agentNode, { type: 'script', callId: offer.callId, script });
        else this.#emitScript(offer.campaignId, offer.callId, offer.agentId, script);
      }),
    );
  }

  #emitScript(campaignId: string, callId: string, agentId: string, script: ConnectResult & { fallback: boolean }): void {
    this.#events.emit('scriptReady', { ...script, campaignId, callId, agentId });
  }

  async #abandon(call: CallRuntime): Promise<void> {
    this.#stopWaiting(call);
    if (call.state !== CallState.Analysing) return;
    const now = this.#d.clock.now();
    this.#setCallState(call, CallState.Abandoned);
    call.attempt = { ...call.attempt, abandoned: true };
    let messagePlayed = false;
    try {
      // FTC TSR 310.4(b)(4)(iii) / Ofcom: the safe-harbour message, within 2 s of the greeting.
      await this.#d.trunk.playMessage(call.attempt.id, SAFE_HARBOUR_MESSAGE);
      messagePlayed = true;
    } catch (error) {
      this.#report(`safe-harbour message ${call.attempt.id}`, error);
    }
    this.#liveAnswer(call, true, now);
    const { campaign } = call.rt;
    this.#note(call, 'abandon', now);
    this.#events.emit('abandoned', { campaignId: campaign.id, callId: call.attempt.id, at: now, attempt: call.attempt, messagePlayed });
    await this.#d.trunk.hangup(call.attempt.id);
  }

  /** Record what happened on a call in the compliance ledger (caps and locks read it). */
  #note(call: CallRuntime, kind: 'conversation' | 'abandon' | 'machine' | 'refusal', at: number): void {
    const { phone, id } = call.attempt;
    this.#d.compliance.record({ kind, at, phone, campaignId: call.rt.campaign.id, contact: call.record.contact, attemptId: id });
  }

  /** Count a live answer (and whether it was abandoned) here at once, and in the shared ledger in the call's writes. */
  #liveAnswer(call: CallRuntime, abandoned: boolean, at: number): void {
    call.rt.liveAnswers++;
    if (abandoned) call.rt.abandoned++;
    if (call.rt.ledger) {
      call.rt.ledger.liveAnswers++;
      if (abandoned) call.rt.ledger.abandoned++;
    }
    const entry = { campaignId: call.rt.campaign.id, attemptId: call.attempt.id, at, abandoned };
    this.#persist(call, 'abandon ledger', () => this.#store.recordLiveAnswer(entry));
  }

  async #ended(call: CallRuntime, outcome: Attempt['outcome'] & string, at: number): Promise<void> {
    const { rt } = call;
    const wasConnected = call.state === CallState.Connected;
    const offered = call.remote !== undefined && !call.remote.accepted;
    if (offered) this.#withdrawOffer(call);
    if (call.waiting || offered) {
      // The caller hung up before an agent was free: a live answer not connected in time.
      this.#setCallState(call, CallState.Abandoned);
      call.attempt = { ...call.attempt, abandoned: true };
      this.#stopWaiting(call);
      this.#liveAnswer(call, true, at);
      this.#note(call, 'abandon', at);
      this.#events.emit('abandoned', {
        campaignId: rt.campaign.id,
        callId: call.attempt.id,
        at,
        attempt: call.attempt,
        messagePlayed: false,
      });
    }
    if (call.state === CallState.Ended) return; // a duplicate `ended`
    this.#setCallState(call, CallState.Ended);
    call.markEnded();
    call.attempt = { ...call.attempt, endedAt: at, outcome };
    const endedAttempt = call.attempt;
    this.#persist(call, 'ended attempt', () => this.#store.putAttempt(endedAttempt));
    const { startedAt, answeredAt } = call.attempt;
    rt.pacer.observeOutcome({
      outcome: call.attempt.abandoned || wasConnected ? 'human' : outcome,
      ...(answeredAt === undefined ? {} : { answerDelayMs: answeredAt - startedAt }),
      ...(call.greetingEndedAt === undefined ? {} : { liveDelayMs: call.greetingEndedAt - startedAt }),
      durationMs: at - startedAt,
    });
    this.#events.emit('ended', { campaignId: rt.campaign.id, callId: call.attempt.id, outcome, at, attempt: call.attempt });
    if (wasConnected) this.#disconnectMedia(call);

    const agent = call.agentId ? this.#agents.get(call.agentId) : undefined;
    if (wasConnected && agent && agent.callId === call.attempt.id && agent.state === AgentState.OnCall) {
      rt.pacer.observeWork({ talkMs: at - (call.attempt.connectedAt ?? at) });
      this.#setAgentState(agent, AgentState.WrapUp);
      return; // the contact is recycled when the agent dispositions the call
    }
    if (wasConnected && call.remote && !call.agentLeft) {
      // The agent's node moves the agent to wrap-up; its disposition comes back here.
      rt.pacer.observeWork({ talkMs: at - (call.attempt.connectedAt ?? at) });
      const { agentId, nodeId } = call.remote;
      await this.#pool?.send(nodeId, { type: 'ended', callId: call.attempt.id, agentId, outcome, at, attempt: call.attempt });
      return;
    }
    if (wasConnected) {
      await this.#autoDisposition(call, 'agent left during the call');
      return;
    }
    const next = recycle(rt.campaign, call.record, { outcome, abandoned: call.attempt.abandoned }, at);
    await this.#persist(call, 'recycle', () => this.#applyRecycle(rt, call.record, next));
    this.#calls.delete(call.attempt.id);
    this.#tick(rt);
    await this.#maybeComplete(rt);
  }

  async #autoDisposition(call: CallRuntime, why: string): Promise<void> {
    this.#d.logger.info({ callId: call.attempt.id, why }, 'call dispositioned by the engine');
    const code = call.rt.campaign.dispositions.find((d) => d.code === 'NO_DECISION' && !d.final) ? 'NO_DECISION' : undefined;
    await this.#finishDisposition(call, code, {}, undefined);
  }

  async #finishDisposition(call: CallRuntime, code: string | undefined, data: DispositionData, order: Order | undefined): Promise<void> {
    call.dispositioned = true;
    const { rt } = call;
    const now = this.#d.clock.now();
    const disposition = code === undefined ? undefined : rt.campaign.dispositions.find((d) => d.code === code);
    call.attempt = { ...call.attempt, ...(code === undefined ? {} : { dispositionCode: code }) };
    if (order) {
      // The order goes first: if the process dies before the disposition is written, the sale
      // is not lost (the new leader reconciles the contact). The idempotency key makes a
      // retried hand-off run once.
      const handOff = () =>
        this.#d.queue.enqueue(FULFILMENT_QUEUE, order, { idempotencyKey: order.idempotencyKey, maxAttempts: 5, backoffMs: 5_000 });
      this.#persist(call, 'order hand-off', handOff);
    }
    const dispositioned = call.attempt;
    this.#persist(call, 'disposition', () => this.#store.putAttempt(dispositioned));
    const next = recycle(
      rt.campaign,
      call.record,
      {
        outcome: call.attempt.outcome ?? 'human',
        ...(disposition ? { disposition } : {}),
        ...(data.callbackAt === undefined ? {} : { callbackAt: data.callbackAt }),
        ...(data.callbackAgentId === undefined ? {} : { callbackAgentId: data.callbackAgentId }),
      },
      now,
    );
    if (disposition?.dnc) {
      this.#d.compliance.addInternalDnc(call.attempt.phone, {
        reason: `disposition ${disposition.code}`,
        source: call.agentId ?? 'engine',
        at: now,
      });
    }
    if (disposition?.humanContact === true && disposition.dnc) {
      this.#note(call, 'refusal', now);
    }
    this.#persist(call, 'recycle', () => this.#applyRecycle(rt, call.record, next));
    if (disposition?.sale) rt.sales++;
    // Resolve once the store has the disposition (`disposition()` callers can rely on it);
    // while the store is away this waits, and the agent stays in wrap-up meanwhile.
    await call.writes;
    if (order) this.#events.emit('orderCreated', { campaignId: rt.campaign.id, order });
    this.#calls.delete(call.attempt.id);
    this.#events.emit('dispositioned', {
      campaignId: rt.campaign.id,
      callId: call.attempt.id,
      code: code ?? '',
      attempt: call.attempt,
      next,
    });
    if (rt.hooks) {
      const hooks = rt.hooks;
      const ref = this.#callRef(call);
      const run = data.run === undefined ? {} : { run: data.run };
      // Not awaited: the agent is free now; the hooks run within their own budgets.
      this.#guard(
        `onDisposition ${call.attempt.id}`,
        hooks
          .onDisposition({ ...ref, code: code ?? '', attempt: call.attempt, captured: data.captured ?? {}, ...run })
          .then(() => hooks.afterCall({ ...ref, attempt: call.attempt, ...run })),
      );
    }

    const agent = call.agentId ? this.#agents.get(call.agentId) : undefined;
    if (agent && agent.callId === call.attempt.id && agent.state === AgentState.WrapUp) {
      rt.pacer.observeWork({ wrapMs: now - agent.since });
      delete agent.callId;
      if (data.agentNext === 'not-ready' || agent.notReadyReason !== undefined) {
        this.#setAgentState(agent, AgentState.NotReady, agent.notReadyReason ?? 'after wrap-up');
      } else {
        this.#setAgentState(agent, AgentState.Ready);
        this.#agentFree(agent);
      }
    }
    if (call.remote?.accepted && !call.agentLeft) {
      const { agentId, nodeId } = call.remote;
      const agentNext = data.agentNext === undefined ? {} : { agentNext: data.agentNext };
      await this.#pool?.send(nodeId, {
        type: 'released',
        callId: call.attempt.id,
        agentId,
        code: code ?? '',
        attempt: call.attempt,
        next,
        ...agentNext,
      });
    }
    this.#tick(rt);
    await this.#maybeComplete(rt);
  }

  async #applyRecycle(rt: CampaignRuntime, record: ContactRecord, next: ReturnType<typeof recycle>): Promise<void> {
    const current = (await this.#store.getContact(rt.campaign.id, record.contact.id)) ?? record;
    // Already recycled: a retried write whose first try landed (the reply was lost), or
    // another node's reconciliation. Recycling is done once.
    if (current.state !== ContactState.Dialing) return;
    contactLifecycle.transition(current.state, next.state, record.contact.id);
    const { dueAt: _dueAt, callbackAgentId: _agent, callbackReason: _reason, ...rest } = current;
    const updated = await this.#store.updateContact({
      ...rest,
      state: next.state,
      ...('dueAt' in next ? { dueAt: next.dueAt } : {}),
      ...('agentId' in next && next.agentId !== undefined ? { callbackAgentId: next.agentId } : {}),
    });
    if (!updated) this.#d.logger.warn({ contactId: record.contact.id }, 'contact changed concurrently; recycle skipped');
  }

  #order(call: CallRuntime, input: NonNullable<DispositionData['order']>): Order {
    return parseOrder({
      ...input,
      id: `o-${call.attempt.id}`,
      idempotencyKey: `order:${call.attempt.id}`,
      campaignId: call.rt.campaign.id,
      contactId: call.attempt.contactId,
      attemptId: call.attempt.id,
      createdAt: this.#d.clock.now(),
    });
  }

  // ── agents of other nodes (distributed mode with an agent pool) ───────────────────────────

  #pooledEntry(a: AgentRuntime, seenAt: number): PooledAgent {
    return {
      agentId: a.agent.id,
      nodeId: this.#idPrefix,
      campaignIds: [...a.campaigns],
      skills: [...a.agent.skills],
      state: a.state,
      since: a.since,
      seenAt,
      ...(a.callId === undefined ? {} : { callId: a.callId }),
    };
  }

  /** Pool entries older than the lease TTL belong to a node that is gone. */
  #freshSince(now: number): number {
    return now - this.#leaseTtlMs;
  }

  get #leaseTtlMs(): number {
    return this.#d.leadership?.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  }

  /**
   * Every third of the lease TTL (its own timer): vouch for this node's agents in the pool, and release the
   * agents here whose call's leading node has lost its lease (it died: the new leader
   * reconciles the call).
   */
  async #poolHeartbeat(now: number): Promise<void> {
    for (const a of this.#agents.values()) if (a.state !== AgentState.LoggedOut) this.#pool?.publish(a.agent.id, this.#pooledEntry(a, now));
    for (const [callId, remote] of this.#remoteCalls) {
      const grant = await this.#lease?.current(pacingLease(remote.campaignId), now);
      if (grant?.holder === remote.leader) continue;
      this.#remoteCalls.delete(callId);
      const agent = this.#agents.get(remote.agentId);
      if (!agent || agent.callId !== callId) continue;
      this.#d.logger.warn({ callId, agentId: remote.agentId }, 'the node leading this call is gone; the agent is released');
      if (agent.state === AgentState.OnCall && remote.offer) {
        this.#setAgentState(agent, AgentState.WrapUp);
        this.#events.emit('ended', { campaignId: remote.campaignId, callId, outcome: 'failed', at: now, attempt: remote.offer.attempt });
      }
      delete agent.callId;
      if (agent.state !== AgentState.OnCall) this.#setAgentState(agent, AgentState.Ready);
      this.#agentFree(agent);
    }
  }

  /**
   * Leader: re-list the other nodes' agents of the campaign; a connected call whose agent
   * vanished from the pool (its node died) is ended as if the agent had logged out; waiting
   * live answers go to other nodes' ready agents.
   */
  async #refreshPool(rt: CampaignRuntime, now: number): Promise<void> {
    const pool = this.#pool;
    if (!pool) return;
    rt.pooled = await pool.others(rt.campaign.id, this.#freshSince(now));
    for (const call of this.#calls.values()) {
      const remote = call.rt === rt ? call.remote : undefined;
      if (!remote?.accepted || call.agentLeft) continue;
      if (rt.pooled.some((a) => a.agentId === remote.agentId && a.nodeId === remote.nodeId)) continue;
      this.#onPoolMessage({ type: 'agentLeft', callId: call.attempt.id, agentId: remote.agentId });
    }
    for (const call of [...rt.waiting]) {
      if (call.forAgentId !== undefined) continue;
      const agent = this.#pickRemote(rt, call);
      if (!agent) break;
      this.#stopWaiting(call);
      this.#onChain(call, 'offer', async () => {
        if (!(await this.#offerRemote(call, agent)) && call.state === CallState.Analysing) this.#waitForAgent(call);
      });
    }
  }

  /** The other nodes' ready agent for a live answer: its callback owner, else a skilled one, else the longest waiting. */
  #pickRemote(rt: CampaignRuntime, call: CallRuntime): PooledAgent | undefined {
    const ready = rt.pooled.filter((a) => a.state === AgentState.Ready).sort((x, y) => x.since - y.since);
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
  async #offerRemote(call: CallRuntime, first?: PooledAgent): Promise<boolean> {
    const pool = this.#pool;
    if (!pool || call.forAgentId !== undefined || call.state !== CallState.Analysing) return false;
    const { rt } = call;
    const callId = call.attempt.id;
    for (let agent = first ?? this.#pickRemote(rt, call); agent; agent = this.#pickRemote(rt, call)) {
      const { agentId, nodeId } = agent;
      // Taken for this round whatever the pool says: never offered twice.
      rt.pooled = rt.pooled.map((a) => (a.agentId === agentId ? { ...a, state: AgentState.Reserved } : a));
      const now = this.#d.clock.now();
      if (!(await pool.reserve(agentId, callId, now, this.#freshSince(now)))) continue;
      if (call.state !== CallState.Analysing) return true; // the caller hung up meanwhile; the agent's node refreshes its entry
      call.remote = { agentId, nodeId, accepted: false };
      call.agentId = agentId;
      this.#atDeadline(call, async () => {
        if (!call.remote || call.remote.accepted) return;
        this.#withdrawOffer(call);
        await this.#abandon(call);
      });
      await pool.send(nodeId, { type: 'offer', callId, agentId, campaignId: rt.campaign.id, leader: this.#idPrefix });
      return true;
    }
    return false;
  }

  /** Leader: take back an offer not yet accepted (the agent's node puts the agent back to ready). */
  #withdrawOffer(call: CallRuntime): void {
    const remote = call.remote;
    if (!remote || remote.accepted) return;
    this.#dropOffer(call);
    void this.#pool?.send(remote.nodeId, { type: 'cancel', callId: call.attempt.id, agentId: remote.agentId });
  }

  /** Leader: the call is no longer offered to another node's agent. */
  #dropOffer(call: CallRuntime): void {
    this.#clearDeadline(call);
    delete call.remote;
    delete call.agentId;
  }

  #onPoolMessage(m: PoolMessage): void {
    const call = 'callId' in m ? this.#calls.get(m.callId) : undefined;
    const onCall = (what: string, work: (c: CallRuntime) => Promise<void> | void) => {
      if (call) this.#onChain(call, what, () => work(call));
    };
    switch (m.type) {
      // ── on the leader
      case 'accept':
        if (!call) {
          this.#cancelLate(m.callId, m.agentId);
          return;
        }
        onCall('connect', async (c) => {
          const remote = c.remote;
          if (remote?.agentId !== m.agentId || remote.accepted || c.state !== CallState.Analysing) {
            this.#cancelLate(m.callId, m.agentId);
            return;
          }
          remote.accepted = true;
          this.#clearDeadline(c);
          const offer = this.#markConnected(c, m.agentId);
          await this.#pool?.send(remote.nodeId, { type: 'connect', offer });
          this.#runOnConnect(offer, remote.nodeId);
        });
        return;
      case 'decline':
        onCall('declined offer', async (c) => {
          if (c.remote?.agentId !== m.agentId || c.remote.accepted) return;
          this.#dropOffer(c);
          if (c.state !== CallState.Analysing) return;
          const local = this.#freeAgentFor(c.rt.campaign.id);
          if (local) await this.#connect(c, local);
          else if (!(await this.#offerRemote(c))) this.#waitForAgent(c);
        });
        return;
      case 'hangup':
        onCall('hangup', (c) => this.#d.trunk.hangup(c.attempt.id));
        return;
      case 'agentLeft':
        onCall('agent left', async (c) => {
          if (c.remote?.agentId !== m.agentId) return;
          if (!c.remote.accepted) {
            this.#onPoolMessage({ type: 'decline', callId: m.callId, agentId: m.agentId });
            return;
          }
          c.agentLeft = true;
          if (c.state === CallState.Connected) await this.#d.trunk.hangup(c.attempt.id);
          else if (c.state === CallState.Ended && !c.dispositioned) await this.#autoDisposition(c, 'agent left during wrap-up');
        });
        return;
      case 'forward': {
        const f = m.call;
        if (f.method === 'disposition') {
          this.#guard(`disposition ${m.callId}`, this.disposition(m.callId, f.code, f.data as DispositionData));
          return;
        }
        if (f.method === 'scriptAnswer') {
          this.#guard(`scriptAnswer ${m.callId}`, this.scriptAnswer(m.callId, f.answer as Parameters<Dialer['scriptAnswer']>[1]));
          return;
        }
        this.#guard(`offerResponse ${m.callId}`, this.offerResponse(m.callId, f.response as OfferResponse));
        return;
      }
      // ── on the agent's node
      case 'offer':
        this.#onOffer(m);
        return;
      case 'connect':
        this.#onRemoteConnect(m.offer);
        return;
      case 'cancel':
        this.#releaseRemote(m.callId, m.agentId);
        return;
      case 'script': {
        const remote = this.#remoteCalls.get(m.callId);
        if (remote) this.#emitScript(remote.campaignId, m.callId, remote.agentId, m.script);
        return;
      }
      case 'ended':
        this.#onRemoteEnded(m);
        return;
      case 'released':
        this.#onReleased(m);
        return;
    }
  }

  /** Leader: an accept that came too late (the call was abandoned, ended or went elsewhere): free the agent. */
  #cancelLate(callId: string, agentId: string): void {
    for (const rt of this.#campaigns.values()) {
      const node = rt.pooled.find((a) => a.agentId === agentId)?.nodeId;
      if (node) {
        void this.#pool?.send(node, { type: 'cancel', callId, agentId });
        return;
      }
    }
  }

  /** Agent's node: accept an offer only when the agent is still ready here (it is then reserved for the call). */
  #onOffer(m: Extract<PoolMessage, { type: 'offer' }>): void {
    const a = this.#agents.get(m.agentId);
    if (!a || a.state !== AgentState.Ready || a.preview || a.callId !== undefined || !a.campaigns.has(m.campaignId)) {
      void this.#pool?.send(m.leader, { type: 'decline', callId: m.callId, agentId: m.agentId });
      return;
    }
    this.#setAgentState(a, AgentState.Reserved);
    a.callId = m.callId;
    this.#remoteCalls.set(m.callId, { campaignId: m.campaignId, agentId: m.agentId, leader: m.leader, dispositioned: false });
    void this.#pool?.send(m.leader, { type: 'accept', callId: m.callId, agentId: m.agentId });
  }

  #onRemoteConnect(offer: CallOffer): void {
    const remote = this.#remoteCalls.get(offer.callId);
    const a = this.#agents.get(offer.agentId);
    if (!remote || a?.callId !== offer.callId || a.state !== AgentState.Reserved) return;
    remote.offer = offer;
    this.#setAgentState(a, AgentState.OnCall);
    this.#events.emit('connected', offer);
  }

  /** Agent's node: the offer was withdrawn; a reserved agent is ready again. */
  #releaseRemote(callId: string, agentId: string): void {
    this.#remoteCalls.delete(callId);
    const a = this.#agents.get(agentId);
    if (a?.callId !== callId || a.state !== AgentState.Reserved) return;
    delete a.callId;
    this.#setAgentState(a, AgentState.Ready);
    this.#agentFree(a);
  }

  #onRemoteEnded(m: Extract<PoolMessage, { type: 'ended' }>): void {
    const remote = this.#remoteCalls.get(m.callId);
    const a = this.#agents.get(m.agentId);
    if (!remote || a?.callId !== m.callId || a.state !== AgentState.OnCall) return;
    this.#setAgentState(a, AgentState.WrapUp);
    this.#events.emit('ended', { campaignId: remote.campaignId, callId: m.callId, outcome: m.outcome, at: m.at, attempt: m.attempt });
  }

  #onReleased(m: Extract<PoolMessage, { type: 'released' }>): void {
    const remote = this.#remoteCalls.get(m.callId);
    this.#remoteCalls.delete(m.callId);
    if (remote) {
      this.#events.emit('dispositioned', {
        campaignId: remote.campaignId,
        callId: m.callId,
        code: m.code,
        attempt: m.attempt,
        next: m.next,
      });
    }
    const a = this.#agents.get(m.agentId);
    if (a?.callId !== m.callId || a.state !== AgentState.WrapUp) return;
    delete a.callId;
    if (m.agentNext === 'not-ready' || a.notReadyReason !== undefined) {
      this.#setAgentState(a, AgentState.NotReady, a.notReadyReason ?? 'after wrap-up');
    } else {
      this.#setAgentState(a, AgentState.Ready);
      this.#agentFree(a);
    }
  }

  // ── agents ───────────────────────────────────────────────────────────────────────────────

  #hasCallsFor(rt: CampaignRuntime): boolean {
    for (const c of this.#calls.values()) if (c.rt === rt) return true;
    return false;
  }

  #hasAgentsFor(campaignId: string): boolean {
    for (const a of this.#agents.values()) if (a.state !== AgentState.LoggedOut && a.campaigns.has(campaignId)) return true;
    return false;
  }

  /** The ready agent of a campaign who has waited longest (fair distribution). */
  #freeAgentFor(campaignId: string, want: { owner?: string; skills?: readonly string[] } = {}): AgentRuntime | undefined {
    let best: AgentRuntime | undefined;
    for (const a of this.#agents.values()) {
      if (a.state !== AgentState.Ready || !a.campaigns.has(campaignId)) continue;
      if (want.owner !== undefined && a.agent.id !== want.owner) continue;
      if (want.skills && !want.skills.every((skill) => a.agent.skills.includes(skill))) continue;
      if (!best || a.since < best.since) best = a;
    }
    return best;
  }

  /** An agent became free: serve the oldest waiting live answer first, else let pacing dial. */
  #agentFree(agent: AgentRuntime): void {
    let oldest: CallRuntime | undefined;
    for (const id of agent.campaigns) {
      const call = this.#campaigns.get(id)?.waiting.find((c) => c.forAgentId === undefined || c.forAgentId === agent.agent.id);
      if (call && (!oldest || (call.greetingEndedAt ?? 0) < (oldest.greetingEndedAt ?? 0))) oldest = call;
    }
    if (oldest) {
      const call = oldest;
      this.#stopWaiting(call);
      this.#onChain(call, 'connect', () => this.#connect(call, agent));
      return;
    }
    for (const id of agent.campaigns) {
      const rt = this.#campaigns.get(id);
      if (rt) this.#tick(rt);
    }
  }

  #setAgentState(agent: AgentRuntime, to: AgentState, reason?: string): void {
    const from = agent.state;
    agent.state = agentLifecycle.transition(from, to, agent.agent.id);
    agent.since = this.#d.clock.now();
    if (to === AgentState.Ready) delete agent.notReadyReason;
    this.#pool?.publish(agent.agent.id, to === AgentState.LoggedOut ? undefined : this.#pooledEntry(agent, agent.since));
    this.#events.emit('agentStateChanged', {
      agentId: agent.agent.id,
      from,
      to,
      at: agent.since,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  #setCallState(call: CallRuntime, to: CallState): void {
    call.state = callLifecycle.transition(call.state, to, call.attempt.id);
  }

  async #setCampaignState(rt: CampaignRuntime, to: CampaignState): Promise<void> {
    const from = rt.state;
    rt.state = campaignLifecycle.transition(from, to, rt.campaign.id);
    const at = this.#d.clock.now();
    await this.#store.putCampaign({ campaign: rt.campaign, state: to, updatedAt: at });
    this.#events.emit('campaignStateChanged', { campaignId: rt.campaign.id, from, to, at });
  }

  /**
   * The campaign's abandon ledger over the compliance window. Read from the store (shared by
   * every engine process) at most every `LEDGER_REFRESH_MS`; between reads this process adds
   * its own live answers, so the governor never sees fewer abandons than happened here.
   */
  async #abandonWindow(rt: CampaignRuntime): Promise<{ liveAnswers: number; abandoned: number; windowMs: number }> {
    const windowMs = this.#d.compliance.abandonWindowMs(rt.campaign);
    const now = this.#d.clock.now();
    if (!rt.ledger || now - rt.ledger.readAt >= LEDGER_REFRESH_MS) {
      const counts = await this.#store.countLiveAnswers(rt.campaign.id, now - windowMs, now + 1);
      rt.ledger = { readAt: now, ...counts };
    }
    // issue-17 (AMD calibration): for Ofcom-style profiles the governor paces on counts that include estimated AMD false positives.
    const adjusted = this.amdCalibration.abandonCounts(
      rt.campaign.id,
      rt.ledger,
      this.amdCalibration.machineDecisionsIn(rt.campaign.id, now - windowMs, now),
    );
    return { liveAnswers: adjusted.liveAnswers, abandoned: adjusted.abandoned, windowMs };
  }

  #campaign(campaignId: string): CampaignRuntime {
    const rt = this.#campaigns.get(campaignId);
    if (!rt) throw new PacelineError('E_NOT_FOUND', `no campaign "${campaignId}"; add it with addCampaign first`);
    return rt;
  }

  #agent(agentId: string): AgentRuntime {
    const a = this.#agents.get(agentId);
    if (!a || a.state === AgentState.LoggedOut) throw new PacelineError('E_NOT_FOUND', `agent "${agentId}" is not logged in`);
    return a;
  }

  /**
   * Run a store write until the store takes it: a backend failure (connection refused, Redis
   * restarting) is retried with doubling delays up to `RETRY_CAP_MS`; an answer such as a
   * conflict is not. The write must be safe to repeat (the store's writes are: attempts by id,
   * the abandon ledger per attempt, contacts by version, jobs by idempotency key). Gives up
   * only when the dialer is closed.
   */
  async #durable<T>(what: string, write: () => Promise<T>): Promise<T> {
    for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_CAP_MS)) {
      try {
        return await write();
      } catch (error) {
        if (!isBackendFailure(error) || this.#closed) throw error;
        this.#d.logger.debug({ err: error, what, retryInMs: delay }, 'store write failed; retrying');
        await new Promise<void>((resolve) => this.#d.clock.setTimer(delay, resolve));
      }
    }
  }

  /** Run `work` after everything already queued for the call (its events are handled one at a time). */
  #onChain(call: CallRuntime, what: string, work: () => Promise<void> | void): void {
    call.chain = call.chain.then(work).catch((error) => this.#report(`${what} ${call.attempt.id}`, error));
  }

  /** Queue a write behind the call's earlier ones, retried until the store takes it; resolves when it is done. */
  #persist(call: CallRuntime, what: string, write: () => Promise<unknown>): Promise<void> {
    call.writes = call.writes
      .then(() => this.#durable(`${what} ${call.attempt.id}`, write))
      .then(
        () => {},
        (error) => this.#report(`${what} ${call.attempt.id}`, error),
      );
    return call.writes;
  }

  /** A connected call ended: tear down its audio path (`MediaBridge.disconnect` is idempotent; hosts may call it too). */
  #disconnectMedia(call: CallRuntime): void {
    const media = this.#d.media;
    if (!media) return;
    const callId = call.attempt.id;
    this.#guard(
      `media disconnect ${callId}`,
      Promise.resolve().then(() => media.disconnect(callId)),
    );
  }

  #guard(where: string, work: Promise<unknown>): void {
    work.catch((error) => this.#report(where, error));
  }

  #report(where: string, error: unknown): void {
    if (!this.#health.available && isBackendFailure(error)) {
      // Already reported once as `storeAvailability`; pacing rounds fail quietly until it is back.
      this.#d.logger.debug({ err: error, where }, 'store unavailable');
      return;
    }
    this.#d.logger.error({ err: error, where }, 'dialer error');
    this.#events.emit('error', { where, error });
  }
}

/** The campaign's disposition `code`, checked with the data it needs; throws `E_INVALID_DISPOSITION`. */
function checkDisposition(campaign: Campaign, code: string, data: DispositionData): Campaign['dispositions'][number] {
  const d = campaign.dispositions.find((x) => x.code === code);
  if (!d) {
    const known = campaign.dispositions.map((x) => x.code).join(', ');
    throw new PacelineError(
      'E_INVALID_DISPOSITION',
      `disposition: code "${code}" is not defined for campaign ${campaign.id}; use one of ${known}`,
    );
  }
  if (d.callback && (data.callbackAt === undefined || !Number.isFinite(data.callbackAt))) {
    throw new PacelineError('E_INVALID_DISPOSITION', `disposition ${code}: callbackAt is required for a callback (epoch ms)`);
  }
  return d;
}
