import {
  type Agent,
  type AgentInput,
  type AgentPool,
  type AgentState,
  type AmdRevisionReason, // issue-17
  type Attempt,
  type Campaign,
  type CampaignInput,
  type CampaignState,
  type Clock,
  type Contact,
  type ContactCounts,
  type ContactRecord,
  type DncRequest, // dnc-shared
  type JobQueue,
  type Lease,
  type Logger,
  type MediaBridge,
  type PacingOptions,
  type PooledAgent,
  type Random,
  type Store,
  type StoredDncRequest, // dnc-shared
  seededRandom,
  type TimerHandle,
  type Trunk,
  type TrunkEvent,
  TypedEmitter,
} from '@paceline/core';
import type { ConnectResult, HookRunner, OfferResponse } from '@paceline/scripting';
import { AmdCalibration } from './amd-calibration';
import { BackendHealth, isBackendFailure, watchLease, watchStore } from './backend-health';
import type { DispositionData, ScriptAnswer } from './call/agent-input';
import type { CallInput, CallSnapshot, CallStep, DispositionRequest } from './call/call-machine';
import { OrphanedClaims } from './campaign/orphaned-claims';
import type { InboundForwarded, InboundPoolMessage } from './distributed/inbound-protocol'; // issue-23
import { AgentPoolLink, type ForwardedCall, type PoolMessage } from './distributed/pool-protocol';
import { DEFAULT_LEASE_TTL_MS } from './engine-constants';
import type { CallOffer, DialerEvents } from './events';
import type { BlendSeam } from './inbound/blended-pacer'; // issue-23 23-wire2
import type { InboundSetup } from './inbound/inbound-options';
import type { CampaignPacer, ComplianceGate, ObservedAgent } from './ports';
import type { AttemptResult, RecycleDecision } from './recycle';

/** What the engine needs around it; `createDialer` fills in the embedded defaults. */
export interface DialerDeps {
  readonly store: Store;
  readonly trunk: Trunk;
  readonly clock: Clock;
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
  /**
   * Randomness of the engine's own draws: which machine decisions are sampled for listen-back
   * (AMD calibration). Default `seededRandom(1)`; a seeded simulation replays exactly.
   */
  readonly random?: Random;
  /** Per-campaign AMD false-positive calibration; default: one from the bench rate, sampled with `random`. */
  readonly amdCalibration?: AmdCalibration;
  readonly amdListenBackFraction?: number; // issue-17: listen-back sampling of the default calibration
  /** issue-23: inbound queues and the blend (inbound/); absent = the dialer takes no inbound calls. */
  readonly inbound?: InboundSetup;
}

export type { DispositionData } from './call/agent-input';

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
  /** issue-24: the compliance window the abandon rate is measured over, ms (the profile's: US 30 days, UK 24 h). */
  readonly abandonWindowMs?: number;
  readonly lastDecision?: { readonly launch: number; readonly reason: string; readonly at: number };
  /** Present while the campaign holds (a stale registry copy, a bad caller ID): why, and since when. */
  readonly held?: { readonly reasons: readonly string[]; readonly messages: readonly string[]; readonly since: number };
  readonly dials: number;
  readonly sales: number;
  /** The AMD false-positive estimate, how it was made, and whether the abandon figures above include it. */
  readonly amdFalsePositives?: {
    readonly rate: number;
    readonly method: string;
    readonly explanation: string;
    readonly countedInAbandonRate: boolean;
  };
}

export interface AgentRuntime {
  readonly agent: Agent;
  readonly campaigns: Set<string>;
  state: AgentState;
  since: number;
  callId?: string;
  notReadyReason?: string;
  /** Preview mode: the contact this agent is reviewing, and whether the agent confirmed the dial. */
  preview?: { readonly campaignId: string; readonly record: ContactRecord; confirmed: boolean };
}

/** A call this node runs. Its state is the call machine's snapshot, and nothing beside it. */
export interface CallRuntime {
  /** The campaign's run the call belongs to. */
  readonly run: CampaignRuntime;
  attempt: Attempt;
  record: ContactRecord;
  /** Where the call is (call/call-machine.ts): changed only by the call runner's `apply`. */
  snapshot: CallSnapshot;
  /** The 2-second deadline's timer while it runs (the machine's `startDeadline`/`clearDeadline`). */
  deadlineTimer?: TimerHandle;
  /** Skills the live answer should be served with (from the `beforeDial` hook). */
  readonly requiredSkills?: readonly string[];
  /** The call's mailbox: its inputs are handled one at a time, in order. */
  chain: Promise<void>;
  /**
   * The call's writes to the store, in order. Connects and abandons do not wait for them (the
   * 2-second rule does not wait for Redis); each is retried until the store takes it.
   */
  writes: Promise<void>;
  /** Resolves when the trunk's `ended` for this call has been handled. */
  readonly ended: Promise<void>;
  markEnded: () => void;
  /** Resolves when the call's disposition is recorded (the store has it). */
  readonly finished: Promise<void>;
  markFinished: () => void;
}

/** On the agent's node: a call another node leads, offered to or connected to an agent here. */
export interface RemoteCall {
  readonly campaignId: string;
  readonly agentId: string;
  /** The leading node (its holder id): where the agent's actions go. */
  readonly leader: string;
  /** What the agent desk was given, once connected. */
  offer?: CallOffer;
  dispositioned: boolean;
}

export interface CampaignRuntime {
  campaign: Campaign;
  state: CampaignState;
  pacer: CampaignPacer;
  hooks: HookRunner | undefined;
  ticking: boolean;
  tickAgain: boolean;
  tickTimer?: TimerHandle;
  scheduleTimer?: TimerHandle;
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
  /** issue-23 23-wire2: a predictive campaign under the blend's `demand` model: what its blended pacer reads each round. */
  blend?: BlendSeam;
  dials: number;
  sales: number;
  liveAnswers: number;
  abandoned: number;
}

/** What the engine's other parts use of `campaigns`. */
export interface CampaignRunnerPart {
  add(input: CampaignInput): Promise<Campaign>;
  start(run: CampaignRuntime): Promise<void>;
  pause(run: CampaignRuntime): Promise<void>;
  stop(run: CampaignRuntime): Promise<void>;
  updatePacing(run: CampaignRuntime, patch: Partial<PacingOptions> & { dialMode?: Campaign['dialMode'] }): Promise<Campaign>;
  recover(): Promise<{ campaigns: number; reconciled: number }>;
  runtime(campaign: Campaign, state: CampaignState): CampaignRuntime;
  hooksFor(campaign: Campaign): HookRunner | undefined;
  run(run: CampaignRuntime): Promise<void>;
  startTicking(run: CampaignRuntime): void;
  stopTicking(run: CampaignRuntime): void;
  tick(run: CampaignRuntime): void;
  maybeComplete(run: CampaignRuntime): Promise<void>;
  setCampaignState(run: CampaignRuntime, to: CampaignState): Promise<void>;
  campaign(campaignId: string): CampaignRuntime;
  hasCallsFor(run: CampaignRuntime): boolean;
}

/** What the engine's other parts use of `gates`. */
export interface CampaignGatesPart {
  outsideHours(run: CampaignRuntime, now: number): boolean;
  outsideSchedule(run: CampaignRuntime, now: number): boolean;
  hold(run: CampaignRuntime, contact: Contact, phone: string, reasons: readonly string[], messages: readonly string[], now: number): void;
  stillHeld(run: CampaignRuntime, now: number): boolean;
}

/** What the engine's other parts use of `pacing`. */
export interface PacingLoopPart {
  paceOnce(run: CampaignRuntime): Promise<void>;
  offerPreviews(run: CampaignRuntime, now: number): Promise<void>;
  unclaim(run: CampaignRuntime, claimed: ContactRecord, attempt?: Attempt): Promise<void>;
}

/** What the engine's other parts use of `launcher`. */
export interface LauncherPart {
  launch(run: CampaignRuntime, claimed: ContactRecord, previewAgentId?: string): Promise<void>;
}

/** What the engine's other parts use of `calls`. */
export interface CallRunnerPart {
  onTrunkEvent(event: TrunkEvent): void;
  onChain(call: CallRuntime, what: string, work: () => Promise<unknown> | unknown): Promise<void>;
  perform<T>(call: CallRuntime, work: () => Promise<T> | T): Promise<T>;
  apply(call: CallRuntime, input: CallInput): Promise<CallStep>;
  serve(call: CallRuntime, agent: AgentRuntime): Promise<void>;
  agentLeft(call: CallRuntime, agentId: string): Promise<void>;
  wait(call: CallRuntime): void;
  leaveWaitingList(call: CallRuntime): void;
  clearDeadline(call: CallRuntime): void;
  originateRefused(call: CallRuntime, error: unknown): Promise<void>;
  runOnConnect(offer: CallOffer, agentNode?: string): void;
  emitScript(campaignId: string, callId: string, agentId: string, script: ConnectResult & { fallback: boolean }): void;
  scriptAnswer(callId: string, answer: ScriptAnswer): Promise<void>;
  offerResponse(callId: string, response: OfferResponse): Promise<void>;
  recordForCompliance(call: CallRuntime, kind: 'conversation' | 'abandon' | 'machine' | 'refusal', at: number): void;
  disconnectMedia(call: CallRuntime): void;
  machineFound(call: CallRuntime, reason: AmdRevisionReason | 'agent-disposition', agentId: string | undefined, at: number): void; // issue-17
  liveCall(callId: string, what: string): CallRuntime;
  callRef(call: CallRuntime): { campaignId: string; callId: string; contactId: string; agentId?: string };
}

/** What the engine's other parts use of `dispositions`. */
export interface DispositionsPart {
  take(callId: string, code: string, data?: DispositionData): Promise<void>;
  finishDisposition(call: CallRuntime, request: DispositionRequest, agent: { agentId: string; node?: string } | undefined): Promise<void>;
  recycleAfter(run: CampaignRuntime, record: ContactRecord, result: AttemptResult, at: number): Promise<void>;
  handBack(run: CampaignRuntime, record: ContactRecord, at: number): Promise<void>;
  applyRecycle(run: CampaignRuntime, record: ContactRecord, next: RecycleDecision): Promise<void>;
}

/** What the engine's other parts use of `previews`. */
export interface AgentPreviewsPart {
  confirm(agentId: string): void;
  skip(agentId: string): Promise<void>;
}

/** What the engine's other parts use of `agents`. */
export interface AgentDeskPart {
  login(input: AgentInput, campaignIds: readonly string[]): Agent;
  ready(agentId: string): void;
  notReady(agentId: string, reason: string): void;
  logout(agentId: string): Promise<void>;
  setAgentState(agent: AgentRuntime, to: AgentState, reason?: string): void;
  freeAgentFor(campaignId: string, want?: { owner?: string; skills?: readonly string[] }): AgentRuntime | undefined;
  agentFree(agent: AgentRuntime): void;
  wrappingUp(agentId: string, callId: string): boolean;
  releaseAfterWrapUp(agentId: string, callId: string, agentNext: 'ready' | 'not-ready' | undefined): void;
  hasAgentsFor(campaignId: string): boolean;
  agent(agentId: string): AgentRuntime;
  pooledEntry(a: AgentRuntime, seenAt: number): PooledAgent;
}

/** What the engine's other parts use of `poolLeader`. */
export interface PoolLeaderPart {
  refreshPool(run: CampaignRuntime, now: number): Promise<void>;
  offerRemote(call: CallRuntime, first?: PooledAgent): Promise<boolean>;
  connectRemote(node: string, offer: CallOffer): Promise<void>;
  withdraw(callId: string, agentId: string, node: string): void;
  endedRemote(node: string, m: Omit<Extract<PoolMessage, { type: 'ended' }>, 'type'>): Promise<void>;
  released(node: string, m: Omit<Extract<PoolMessage, { type: 'released' }>, 'type'>): Promise<void>;
  sendScript(node: string, callId: string, script: ConnectResult & { fallback: boolean }): Promise<void>;
  revisedRemote(node: string, m: Omit<Extract<PoolMessage, { type: 'revised' }>, 'type'>): Promise<void>; // issue-17
  readonly inboundMember: InboundMemberPart; // issue-23
  onPoolMessage(m: PoolMessage): void;
}

/** What the engine's other parts use of `poolMember`. */
export interface PoolMemberPart {
  onOffer(m: Extract<PoolMessage, { type: 'offer' }>): void;
  onRemoteConnect(offer: CallOffer): void;
  releaseRemote(callId: string, agentId: string): void;
  onRemoteEnded(m: Extract<PoolMessage, { type: 'ended' }>): void;
  onReleased(m: Extract<PoolMessage, { type: 'released' }>): void;
  onRevised(m: Extract<PoolMessage, { type: 'revised' }>): void; // issue-17
  poolHeartbeat(now: number): Promise<void>;
  freshSince(now: number): number;
  readonly leaseTtlMs: number;
  ledElsewhere(callId: string): RemoteCall | undefined;
  forward(remote: RemoteCall, callId: string, action: ForwardedCall): Promise<void>;
  agentLeaving(agentId: string, callId: string): void;
}

/** What the engine's other parts use of `leadership`. */
export interface LeadershipPart {
  lead(run: CampaignRuntime, now: number): Promise<boolean>;
}

/** What the engine's other parts use of `recovery`. */
export interface RecoveryPart {
  reconcile(run: CampaignRuntime, now: number): Promise<number>;
}

/** What the engine's other parts use of `ledger`. */
export interface AbandonLedgerPart {
  abandonWindow(run: CampaignRuntime): Promise<{ liveAnswers: number; abandoned: number; windowMs: number }>;
  liveAnswer(call: CallRuntime, abandoned: boolean, at: number): void;
  machineAnswer(call: CallRuntime, at: number): void; // issue-17: a counted live answer was a machine
}

/** What the engine's other parts use of `writes`. */
export interface DurableWritesPart {
  durable<T>(what: string, write: () => Promise<T>): Promise<T>;
  persist(call: CallRuntime, what: string, write: () => Promise<unknown>): Promise<void>;
}

/** What the call runner asks of the agent router. */
export interface AgentRouterPart {
  local(call: CallRuntime): AgentRuntime | undefined;
  offerToPool(call: CallRuntime): Promise<boolean>;
}

/** issue-23: what the engine's other parts use of `inbound` (inbound/inbound-desk.ts). */
export interface InboundPart {
  /** A free agent: give it a waiting inbound caller it can serve; true when it took one. */
  agentFree(agent: AgentRuntime): boolean;
  /** issue-23: the answer deadline (epoch ms) of the caller `agentFree` would give this agent here, if any (deadline routing). */
  nextDeadlineFor(agent: AgentRuntime): number | undefined;
  /** A campaign's observed agents with those the blend holds for inbound flagged `leaving`. */
  outboundAgents(agents: readonly ObservedAgent[], now: number, seam?: BlendSeam): readonly ObservedAgent[]; // issue-23 23-wire2: seam
  /** Campaigns changed: tell the trunk the numbers to accept again. */
  numbersChanged(): void;
  has(callId: string): boolean;
  hangup(callId: string): Promise<void>;
  disposition(callId: string, code: string, data?: DispositionData): Promise<void>;
  close(): Promise<void>;
  /** issue-23: distributed mode with an agent pool: other nodes' agents take this node's callers. */
  readonly pool?: { onMessage(m: InboundPoolMessage): void } | undefined;
  /** issue-23 23-dist: the router rule on a fresh read of the other nodes' commitments, for an agent already reserved (without them: not `keptNow`, issue-23 23-pool). */
  confirmTake?(agent: AgentRuntime, keptNow?: boolean): Promise<boolean>;
  /** issue-23 23-xwait: settles when this node's claim of the agent in flight does (undefined: none). */
  claimSettled?(agentId: string): Promise<void> | undefined;
  /** issue-23 23-xnode: a blended round's launch ordered against the pool's takes: how many of `launch` calls the router rule allows (the pool's atomic step). */
  launchAllowed?(run: CampaignRuntime, launch: number): Promise<number>;
}

/** issue-23: what the engine's other parts use of the agent's node's side of inbound calls led elsewhere (distributed/inbound-member.ts). */
export interface InboundMemberPart {
  has(callId: string): boolean;
  forward(callId: string, action: InboundForwarded): Promise<void>;
  onMessage(m: InboundPoolMessage): void;
  heartbeat(now: number): Promise<void>;
}

/** The engine's parts, wired by the `Dialer` facade; each reaches the others through here. */
export interface EngineParts {
  readonly campaigns: CampaignRunnerPart;
  readonly gates: CampaignGatesPart;
  readonly pacing: PacingLoopPart;
  readonly launcher: LauncherPart;
  readonly calls: CallRunnerPart;
  readonly dispositions: DispositionsPart;
  readonly agents: AgentDeskPart;
  readonly previews: AgentPreviewsPart;
  readonly poolLeader: PoolLeaderPart;
  readonly poolMember: PoolMemberPart;
  readonly leadership: LeadershipPart;
  readonly recovery: RecoveryPart;
  readonly ledger: AbandonLedgerPart;
  readonly writes: DurableWritesPart;
  readonly router: AgentRouterPart;
  /** issue-23: present when the dialer takes inbound calls. */
  readonly inbound?: InboundPart;
  /** dnc-shared: the shared do-not-call list (store first, then the local book; synced before every dial decision). */
  readonly dnc: SharedDncPart;
}

/** dnc-shared: what the engine's other parts use of the shared do-not-call list (compliance/shared-dnc.ts). */
export interface SharedDncPart {
  /** Store first (retried while it is away), then the local book. */
  record(entry: DncRequest): Promise<StoredDncRequest>;
  /** Before a launch's compliance check: a read of the store to wait for, or `undefined`. */
  beforeDial(): Promise<void> | undefined;
  /** Bring the local book up to date with the store (a read that starts after this call). */
  sync(): Promise<void>;
  start(periodMs: number): void;
  stop(): void;
}

/**
 * What every part of the engine shares: the ports (the store and lease watched for outages),
 * the event emitter, the runtime tables (campaigns, agents, calls), and the parts themselves.
 * Made by the `Dialer` facade; holds no behaviour beyond reporting errors.
 */
export class EngineCore {
  readonly deps: DialerDeps;
  readonly events: TypedEmitter<DialerEvents>;
  readonly campaigns = new Map<string, CampaignRuntime>();
  readonly agents = new Map<string, AgentRuntime>();
  readonly calls = new Map<string, CallRuntime>();
  /** Calls led by another node that an agent of this node is reserved for or on. */
  readonly remoteCalls = new Map<string, RemoteCall>();
  /** The store and lease, watched: while they do not answer, nothing is dialled. */
  readonly health: BackendHealth;
  readonly store: Store;
  readonly lease: Lease | undefined;
  /** Distributed mode with an agent pool: this node's link to the other nodes' agents. */
  readonly pool: AgentPoolLink | undefined;
  /** Attempt ids are `<node>-<start time>-<seq>`: unique across nodes and across restarts of one node. */
  readonly nodeId: string;
  closed = false;
  /** Campaigns whose claim or launch writes went unanswered: reconciled before the next claim. */
  readonly orphanedClaims = new OrphanedClaims();
  /** People taken for machines, estimated per campaign; Ofcom-style profiles count them as abandons. */
  readonly amdCalibration: AmdCalibration;
  /** Set by the facade right after construction. */
  parts!: EngineParts;

  constructor(deps: DialerDeps) {
    this.deps = deps;
    this.nodeId = `${deps.nodeId}-${deps.clock.now().toString(36)}`;
    this.amdCalibration =
      deps.amdCalibration ??
      new AmdCalibration({
        random: deps.random ?? seededRandom(1),
        ...(deps.amdListenBackFraction === undefined ? {} : { listenBackFraction: deps.amdListenBackFraction }), // issue-17
        includeFalsePositives: (campaignId) => {
          const run = this.campaigns.get(campaignId);
          return run !== undefined && (deps.compliance.abandonIncludesAmdFalsePositives?.(run.campaign) ?? false);
        },
      });
    this.events = new TypedEmitter<DialerEvents>({
      onListenerError: (error, event) => deps.logger.error({ err: error, event }, 'a dialer event listener threw; the dialer carries on'),
    });
    this.health = new BackendHealth((available, error) => {
      const at = deps.clock.now();
      if (available) deps.logger.info({ at }, 'store available again: pacing resumes');
      else deps.logger.warn({ err: error, at }, 'store unavailable: no dials until it answers; call bookkeeping is retried');
      this.events.emit('storeAvailability', { available, at, ...(available ? {} : { error }) });
    });
    this.store = watchStore(deps.store, this.health);
    this.lease = deps.leadership ? watchLease(deps.leadership.lease, this.health) : undefined;
    this.pool = deps.agentPool
      ? new AgentPoolLink({
          pool: deps.agentPool,
          queue: deps.queue,
          nodeId: this.nodeId,
          durable: (what, write) => this.parts.writes.durable(what, write),
          report: (where, error) => this.report(where, error),
        })
      : undefined;
  }

  /** The lease TTL (leadership's, or the default): pool entries older than it belong to a node that is gone. */
  get leaseTtlMs(): number {
    return this.deps.leadership?.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  }

  /** Run `work` in the background; its failure is reported, never thrown into a timer or socket callback. */
  guard(where: string, work: Promise<unknown>): void {
    work.catch((error) => this.report(where, error));
  }

  report(where: string, error: unknown): void {
    if (!this.health.available && isBackendFailure(error)) {
      // Already reported once as `storeAvailability`; pacing rounds fail quietly until it is back.
      this.deps.logger.debug({ err: error, where }, 'store unavailable');
      return;
    }
    this.deps.logger.error({ err: error, where }, 'dialer error');
    this.events.emit('error', { where, error });
  }
}
