import type { Campaign, CampaignState, Clock } from '@paceline/core';
import {
  type AgentFloorRow,
  type CampaignStatus,
  type DialExplanation,
  type Dialer,
  explainPacerReason,
  type FloorAlert,
  FloorMonitor,
  type FloorPlan,
  type HistoryPoint,
  outcomeRates,
} from '@paceline/engine';
import { msSinceLocalMidnight } from './local-day';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** The two rolling windows regulators use: Ofcom 24 h, US TSR 30 days. */
const WINDOW_24H_MS = DAY_MS;
const WINDOW_30D_MS = 30 * DAY_MS;

/** Fulfilment figures a host reports when a fulfilment desk is attached. */
export interface FulfilmentStatus {
  /** Orders handed to each delivery round or pickup, keyed by round name. */
  readonly ordersPerRound: Readonly<Record<string, number>>;
  /** Failed deliveries. */
  readonly failures: number;
  /** Open escalations. */
  readonly escalations: number;
}

/** The dialer surface the dashboard uses (a `Dialer` fits; tests may pass a narrower fake). */
export type DashboardDialer = Pick<Dialer, 'on' | 'status' | 'abandonCounts' | 'start' | 'pause' | 'resume' | 'stop' | 'updatePacing'>;

/** Live answers and abandons over one rolling window. */
interface AbandonWindow {
  readonly liveAnswers: number;
  readonly abandoned: number;
}

/** One point of a campaign's charts: recorded by the server every `historyEveryMs`, watched or not. */
export type AbandonPoint = HistoryPoint;

/** Everything the dashboard shows about one campaign; sent to the page as JSON. */
export interface CampaignSnapshot {
  readonly campaignId: string;
  readonly name: string;
  readonly state: CampaignState;
  readonly at: number;
  /** Share of the list finished (done or DNC), 0–1. */
  readonly penetration: number;
  readonly contacts: CampaignStatus['contacts'];
  /** Contacts ready or queued to dial. */
  readonly hopperDepth: number;
  readonly agents: CampaignStatus['agents'];
  readonly callsInFlight: number;
  /** Calls in flight per working agent (ready, reserved, on a call or in wrap-up). */
  readonly dialRatio: number;
  readonly lastDecision?: CampaignStatus['lastDecision'];
  /** Present while the campaign holds (e.g. a stale registry copy): why, and since when. */
  readonly held?: CampaignStatus['held'];
  readonly abandon: {
    /** The campaign's target and the hard cap (DESIGN.md: 3%). */
    readonly target: number;
    readonly cap: number;
    /** As the governor sees it: over the campaign's compliance window, from the store. */
    readonly governorRate: number;
    /** Rolling rates over what this dashboard has observed since it was mounted. */
    readonly rate24h: number;
    readonly rate30d: number;
    readonly liveAnswers24h: number;
    readonly abandoned24h: number;
    readonly liveAnswers30d: number;
    readonly abandoned30d: number;
    /** issue-24: the rate since local midnight in the campaign's zone ("today"), with its counts. */
    readonly rateToday: number;
    readonly liveAnswersToday: number;
    readonly abandonedToday: number;
    /** issue-24: the window the law measures the cap over (the profile's), ms, and a sentence saying so. */
    readonly lawWindowMs: number;
    readonly lawSentence: string;
    /** issue-17: the AMD false-positive estimate and how it was made (Ofcom counts it in the governor's window). */
    readonly amdFalsePositives?: CampaignStatus['amdFalsePositives'];
  };
  readonly pacing: { readonly abandonTarget: number; readonly maxLinesPerAgent: number; readonly dialMode: string };
  readonly dials: number;
  readonly liveAnswers: number;
  /** Live answers / attempts (DESIGN.md). */
  readonly contactRate: number;
  /** Sales / live answers (DESIGN.md; `conversionRate`). */
  readonly conversion: number;
  /** Retention saves / live answers (`saveRate`), shown beside conversion. */
  readonly saveRate: number;
  /** Retention saves (disposition `SAVED`). */
  readonly saves: number;
  readonly sales: number;
  readonly orders: number;
  readonly history: readonly AbandonPoint[];
  readonly fulfilment?: FulfilmentStatus;
  /** issue-24: the campaign's home zone: the page's times and chart axes are in it. */
  readonly timeZone: string;
  /** issue-24: why the campaign is (not) dialling, from the engine. */
  readonly why: DialExplanation;
  /** issue-24: the latest pacer reason in words. */
  readonly pacerWhy?: string;
  /** issue-24: compliance refusals today by reason code, and their total. */
  readonly refusals: Readonly<Record<string, number>>;
  readonly refusalTotal: number;
  /** issue-24: dispositions today by code. */
  readonly dispositions: Readonly<Record<string, number>>;
  /** issue-24: when the list runs out at the last hour's pace (epoch ms). */
  readonly listEta?: number;
  /** issue-24: agents working (ready, reserved, on a call, wrap-up) of agents logged in. */
  readonly agentsWorking: number;
  readonly agentsLoggedIn: number;
  /** issue-24: dials in the last hour, and the forecast and staffing plan. */
  readonly dialsLastHour: number;
  readonly plan: FloorPlan;
}

/** What the page gets on every update: the campaigns, the agents and the alerts. */
export interface FloorSnapshot {
  readonly campaigns: CampaignSnapshot[];
  readonly agents: AgentFloorRow[];
  readonly alerts: FloorAlert[];
}

/** DESIGN.md: the abandon-rate hard cap. */
export const ABANDON_CAP = 0.03;

interface Tracked {
  campaign: Campaign;
  dials: number;
  live: number;
  saves: number;
  orders: number;
}

/**
 * Follows a dialer's events for the campaigns it is given and keeps what the dashboard needs
 * beyond `dialer.status()`: the 24-hour and 30-day abandon windows (from the store's ledger), saves,
 * orders and a short history for the chart. One per dashboard; no globals (several dialers
 * can share a process).
 */
export class CampaignMonitor {
  readonly #dialer: DashboardDialer;
  readonly #clock: Clock;
  readonly #campaigns = new Map<string, Tracked>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #fulfilment: (() => FulfilmentStatus | Promise<FulfilmentStatus>) | undefined;
  /** issue-24: the floor (agents, why, history, alerts, coaching), started here unless the host passed its own. */
  readonly floor: FloorMonitor;
  readonly #ownFloor: boolean;

  constructor(options: {
    dialer: DashboardDialer;
    clock: Clock;
    campaigns: readonly Campaign[];
    fulfilment?: () => FulfilmentStatus | Promise<FulfilmentStatus>;
    historyEveryMs?: number;
    floor?: FloorMonitor;
  }) {
    this.#dialer = options.dialer;
    this.#clock = options.clock;
    this.#fulfilment = options.fulfilment;
    this.#ownFloor = options.floor === undefined;
    this.floor =
      options.floor ?? new FloorMonitor({ dialer: options.dialer, clock: options.clock, everyMs: options.historyEveryMs ?? MINUTE_MS });
    for (const c of options.campaigns) this.track(c);
    if (this.#ownFloor) this.floor.start();
    const d = options.dialer;
    this.#unsubscribe.push(
      d.on('dialed', (e) => {
        const t = this.#campaigns.get(e.campaignId);
        if (t) t.dials++;
      }),
      d.on('analysed', (e) => {
        // DESIGN.md: a live answer is answered and classified human.
        const t = this.#campaigns.get(e.campaignId);
        if (t && e.result === 'human') t.live++;
      }),
      d.on('dispositioned', (e) => {
        const t = this.#campaigns.get(e.campaignId);
        if (t && e.code === 'SAVED') t.saves++;
      }),
      d.on('orderCreated', (e) => {
        const t = this.#campaigns.get(e.campaignId);
        if (t) t.orders++;
      }),
    );
  }

  /** Follow one more campaign (one the host added after mounting the dashboard). */
  track(campaign: Campaign): void {
    const existing = this.#campaigns.get(campaign.id);
    this.floor.track(campaign);
    if (existing) {
      existing.campaign = campaign;
      return;
    }
    this.#campaigns.set(campaign.id, {
      campaign,
      dials: 0,
      live: 0,
      saves: 0,
      orders: 0,
    });
  }

  /** The ids of the campaigns shown, in the order they were added. */
  campaignIds(): string[] {
    return [...this.#campaigns.keys()];
  }

  /** Whether a campaign is shown. */
  has(campaignId: string): boolean {
    return this.#campaigns.has(campaignId);
  }

  /** Snapshots of every campaign shown. */
  async snapshot(): Promise<CampaignSnapshot[]> {
    const fulfilment = this.#fulfilment ? await this.#fulfilment() : undefined;
    const out: CampaignSnapshot[] = [];
    const now = this.#clock.now();
    for (const t of this.#campaigns.values()) {
      const id = t.campaign.id;
      // The abandon ledger comes from the store: the same numbers on every node and after a restart.
      const [w24, w30, today] = await Promise.all([
        this.#dialer.abandonCounts(id, WINDOW_24H_MS),
        this.#dialer.abandonCounts(id, WINDOW_30D_MS),
        this.#dialer.abandonCounts(id, msSinceLocalMidnight(now, t.campaign.homeTimeZone)),
      ]);
      out.push(this.#snapshotOf(t, await this.floor.campaign(id), fulfilment, w24, w30, today));
    }
    return out;
  }

  /** issue-24: everything the page shows: campaigns, agents, alerts. */
  async floorSnapshot(): Promise<FloorSnapshot> {
    return { campaigns: await this.snapshot(), agents: this.floor.agents.rows(), alerts: this.floor.alerts.active() };
  }

  /** Stop following the dialer's events. */
  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    if (this.#ownFloor) this.floor.close();
  }

  #snapshotOf(
    t: Tracked,
    view: Awaited<ReturnType<FloorMonitor['campaign']>>,
    fulfilment: FulfilmentStatus | undefined,
    w24: AbandonWindow,
    w30: AbandonWindow,
    today: AbandonWindow,
  ): CampaignSnapshot {
    const now = this.#clock.now();
    const s = view.status;
    const rate = (w: AbandonWindow) => (w.liveAnswers === 0 ? 0 : w.abandoned / w.liveAnswers);
    const lawWindowMs = s.abandonWindowMs ?? WINDOW_30D_MS;
    const refusalTotal = Object.values(view.facts.refusalsByReason).reduce((a, b) => a + b, 0);
    const working = s.agents.ready + s.agents.reserved + s.agents['on-call'] + s.agents['wrap-up'];
    const dials = Math.max(t.dials, s.dials);
    const pacerWhy = s.lastDecision ? explainPacerReason(s.lastDecision.reason) : undefined;
    return {
      campaignId: t.campaign.id,
      name: t.campaign.name,
      state: s.state,
      at: now,
      penetration: s.penetration,
      contacts: s.contacts,
      hopperDepth: s.contacts.ready + s.contacts.queued,
      agents: s.agents,
      callsInFlight: s.callsInFlight,
      dialRatio: working === 0 ? 0 : s.callsInFlight / working,
      ...(s.lastDecision ? { lastDecision: s.lastDecision } : {}),
      ...(s.held ? { held: s.held } : {}),
      abandon: {
        target: t.campaign.pacing.abandonTarget,
        cap: ABANDON_CAP,
        governorRate: s.abandonRate,
        rate24h: rate(w24),
        rate30d: rate(w30),
        liveAnswers24h: w24.liveAnswers,
        abandoned24h: w24.abandoned,
        liveAnswers30d: w30.liveAnswers,
        abandoned30d: w30.abandoned,
        rateToday: rate(today),
        liveAnswersToday: today.liveAnswers,
        abandonedToday: today.abandoned,
        lawWindowMs,
        lawSentence: lawSentence(lawWindowMs),
        ...(s.amdFalsePositives ? { amdFalsePositives: s.amdFalsePositives } : {}), // issue-17
      },
      pacing: {
        abandonTarget: t.campaign.pacing.abandonTarget,
        maxLinesPerAgent: t.campaign.pacing.maxLinesPerAgent,
        dialMode: t.campaign.dialMode,
      },
      dials,
      liveAnswers: t.live,
      contactRate: dials === 0 ? 0 : t.live / dials,
      ...outcomeRates({ sales: s.sales, saves: t.saves, liveAnswers: t.live }),
      saves: t.saves,
      sales: s.sales,
      orders: t.orders,
      history: view.history,
      ...(fulfilment ? { fulfilment } : {}),
      timeZone: t.campaign.homeTimeZone,
      why: view.why,
      ...(pacerWhy ? { pacerWhy } : {}),
      refusals: view.facts.refusalsByReason,
      refusalTotal,
      dispositions: view.facts.dispositions,
      ...(view.listEta === undefined ? {} : { listEta: view.listEta }),
      agentsWorking: working,
      agentsLoggedIn: working + s.agents['not-ready'],
      dialsLastHour: view.facts.dialsLastHour,
      plan: view.plan,
    };
  }
}

/** Which window the law measures the abandon rate over, in one sentence. */
function lawSentence(windowMs: number): string {
  return windowMs >= WINDOW_30D_MS
    ? 'The law (US TSR, 16 CFR 310.4(b)(4)(i)) measures the 30-day rate per campaign: a morning above the cap is not a breach by itself, the 30-day figure is what must stay under it.'
    : 'The regulator (Ofcom) measures the rate over 24 hours, including people the answering-machine detector took for machines: the 24-hour figure must stay under the cap.';
}
