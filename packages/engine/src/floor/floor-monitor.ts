import { AgentState, type Campaign, type Clock, PacelineError, type TimerHandle } from '@paceline/core';
import type { CampaignStatus } from '../engine-core';
import { AgentFloor, type FloorEventSource } from './agent-floor';
import { CampaignFloor, type CampaignFloorFacts } from './campaign-floor';
import { CampaignHistory, type HistoryPoint, listExhaustionEta } from './campaign-history';
import { AlertBoard, campaignAlerts, type FloorPlan, parseFloorPlan, type TrunkHealth, trunkAlerts } from './floor-alerts';
import { QualityDesk } from './quality-desk';
import { createMemoryQualityStore, type QualityStore } from './quality-store';
import { type DialExplanation, explainDialling } from './why-not-dialling';

/** What the floor monitor asks of a dialer (a `Dialer` fits). */
export type FloorDialer = FloorEventSource & {
  status(campaignId: string): Promise<CampaignStatus>;
  abandonCounts(campaignId: string, windowMs: number): Promise<{ liveAnswers: number; abandoned: number }>;
};

/** Options of {@link FloorMonitor}. */
export interface FloorMonitorOptions {
  readonly dialer: FloorDialer;
  /** The clock the history and alerts are timed on. */
  readonly clock: Clock;
  /** Where "today" starts and ends (default UTC). */
  readonly timeZone?: string;
  /** How often history is recorded and alerts evaluated, ms of `clock` time (default 60 000). */
  readonly everyMs?: number;
  /** History points kept per campaign (default 1 440). */
  readonly historyPoints?: number;
  /** The abandon-rate hard cap (default 0.03, DESIGN.md). */
  readonly abandonCap?: number;
  /** The trunks' breakers now (trunk-sip's `stats().trunks` fits); absent: no trunk alerts. */
  readonly trunkHealth?: () => readonly TrunkHealth[];
  /**
   * Inbound calls of a campaign in the last hour, for the "inbound above forecast" alert.
   * Default: the dialer's own returned calls of the campaign (`inbound.queued`, first queue).
   */
  readonly inboundLastHour?: (campaignId: string) => number;
  /** Coaching data (default in memory). */
  readonly quality?: QualityStore;
  /** The recording of a call, linked from its score when the coach gave none. */
  readonly recordingOf?: (callId: string) => string | undefined;
  /** Errors from a timed round (never thrown into the host). */
  readonly onError?: (error: unknown) => void;
}

/** A campaign as the floor explains it. */
export interface CampaignFloorView {
  readonly status: CampaignStatus;
  readonly facts: CampaignFloorFacts;
  readonly why: DialExplanation;
  readonly plan: FloorPlan;
  readonly history: readonly HistoryPoint[];
  /** When the list runs out at the last hour's pace (epoch ms); undefined without a pace. */
  readonly listEta?: number;
}

const DAY_MS = 86_400_000;

/**
 * The supervisor's floor over one dialer: per-agent live view ({@link AgentFloor}), per-campaign
 * facts ({@link CampaignFloor}), why a campaign is (not) dialling, a history recorded every
 * `everyMs` of the clock whether anyone watches or not (bounded), alerts as events
 * ({@link AlertBoard}), and coaching ({@link QualityDesk}). Start it with `start()`; `close()`
 * stops its timer and its listeners.
 */
export class FloorMonitor {
  readonly agents: AgentFloor;
  readonly campaignFacts: CampaignFloor;
  readonly alerts: AlertBoard;
  readonly quality: QualityDesk;
  readonly #options: FloorMonitorOptions;
  readonly #campaigns = new Map<string, { campaign: Campaign; plan: FloorPlan; history: CampaignHistory }>();
  readonly #everyMs: number;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(options: FloorMonitorOptions) {
    this.#options = options;
    const now = () => options.clock.now();
    const tz = options.timeZone === undefined ? {} : { timeZone: options.timeZone };
    this.agents = new AgentFloor({ events: options.dialer, now, ...tz });
    this.campaignFacts = new CampaignFloor({ events: options.dialer, now, ...tz });
    this.alerts = new AlertBoard({ onListenerError: (error) => this.#report(error) });
    this.quality = new QualityDesk(options.quality ?? createMemoryQualityStore(), {
      now,
      ...(options.recordingOf ? { recordingOf: options.recordingOf } : {}),
    });
    this.#everyMs = options.everyMs ?? 60_000;
    if (!(this.#everyMs >= 1_000) || !Number.isFinite(this.#everyMs)) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `floor.everyMs (the dashboard's historyEveryMs): expected at least 1000 ms, got ${this.#everyMs}`,
      );
    }
  }

  /** Follow a campaign (again after its definition changed), with its plan for the day. */
  track(campaign: Campaign, plan?: FloorPlan): void {
    const existing = this.#campaigns.get(campaign.id);
    this.#campaigns.set(campaign.id, {
      campaign,
      plan: plan ?? existing?.plan ?? {},
      history: existing?.history ?? new CampaignHistory(this.#options.historyPoints),
    });
    this.agents.track(campaign);
    this.campaignFacts.track(campaign);
  }

  /** Whether a campaign is followed. */
  has(campaignId: string): boolean {
    return this.#campaigns.has(campaignId);
  }

  /** The ids of the campaigns followed, in the order they were added. */
  campaignIds(): string[] {
    return [...this.#campaigns.keys()];
  }

  /** Set a campaign's forecast and staffing plan (validated; `E_INVALID_CONFIG` names the bad field). */
  setPlan(campaignId: string, input: unknown): FloorPlan {
    const entry = this.#entry(campaignId);
    entry.plan = parseFloorPlan(input);
    // The alerts follow the new plan now, not at the next round.
    this.sample().catch((error) => this.#report(error));
    return entry.plan;
  }

  /** Record a point and evaluate the alerts every `everyMs`, from now until `close()`. */
  start(): void {
    if (this.#timer !== undefined || this.#closed) return;
    const tick = () => {
      this.#timer = this.#options.clock.setTimer(this.#nextDelay(), tick);
      this.sample().catch((error) => this.#report(error));
    };
    this.#timer = this.#options.clock.setTimer(0, tick);
  }

  /** Take one history point per campaign and evaluate the alerts now (the timer calls it). */
  async sample(): Promise<void> {
    const now = this.#options.clock.now();
    for (const [id, entry] of this.#campaigns) {
      const view = await this.#measure(entry.campaign);
      entry.history.add(view.point);
      const facts = this.campaignFacts.facts(id);
      const a = view.status.agents;
      this.alerts.update(
        id,
        campaignAlerts({
          campaignId: id,
          abandonRate: view.status.abandonRate,
          cap: this.#options.abandonCap ?? 0.03,
          outboundLastHour: facts.dialsLastHour,
          inboundLastHour: this.#options.inboundLastHour ? this.#options.inboundLastHour(id) : facts.inboundLastHour,
          loggedInAgents:
            a[AgentState.Ready] + a[AgentState.Reserved] + a[AgentState.OnCall] + a[AgentState.WrapUp] + a[AgentState.NotReady],
          plan: entry.plan,
        }),
        now,
      );
    }
    if (this.#options.trunkHealth) this.alerts.update('trunks', trunkAlerts(this.#options.trunkHealth()), now);
  }

  /** A campaign as the floor explains it now. */
  async campaign(campaignId: string): Promise<CampaignFloorView> {
    const entry = this.#entry(campaignId);
    const now = this.#options.clock.now();
    const status = await this.#options.dialer.status(campaignId);
    const facts = this.campaignFacts.facts(campaignId);
    const history = entry.history.points();
    const listEta = listExhaustionEta(history);
    return {
      status,
      facts,
      why: explainDialling(entry.campaign, status, facts, now),
      plan: entry.plan,
      history,
      ...(listEta === undefined ? {} : { listEta }),
    };
  }

  /** Stop the timer and the listeners. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.agents.close();
    this.campaignFacts.close();
  }

  /** Ms to the next multiple of `everyMs` (points land on round times, whatever the load). */
  #nextDelay(): number {
    const now = this.#options.clock.now();
    return this.#everyMs - (now % this.#everyMs) || this.#everyMs;
  }

  async #measure(campaign: Campaign): Promise<{ status: CampaignStatus; point: HistoryPoint }> {
    const dialer = this.#options.dialer;
    const [status, w24, w30] = await Promise.all([
      dialer.status(campaign.id),
      dialer.abandonCounts(campaign.id, DAY_MS),
      dialer.abandonCounts(campaign.id, 30 * DAY_MS),
    ]);
    const rate = (w: { liveAnswers: number; abandoned: number }) => (w.liveAnswers === 0 ? 0 : w.abandoned / w.liveAnswers);
    const c = status.contacts;
    const a = status.agents;
    const working = a[AgentState.Ready] + a[AgentState.Reserved] + a[AgentState.OnCall] + a[AgentState.WrapUp];
    const at = this.#options.clock.now();
    return {
      status,
      point: {
        at: at - (at % this.#everyMs),
        rate24h: rate(w24),
        rate30d: rate(w30),
        governorRate: status.abandonRate,
        dials: status.dials,
        liveAnswers: this.campaignFacts.facts(campaign.id).liveAnswers,
        finished: c.done + c.dnc,
        remaining: c.ready + c.queued + c.dialing + c.waiting + c.callback,
        working,
        loggedIn: working + a[AgentState.NotReady],
      },
    };
  }

  #entry(campaignId: string) {
    const entry = this.#campaigns.get(campaignId);
    if (!entry) throw new PacelineError('E_NOT_FOUND', `the floor does not follow campaign "${campaignId}"; track it first`);
    return entry;
  }

  #report(error: unknown): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // an error handler that throws must not reach the timer
    }
  }
}
