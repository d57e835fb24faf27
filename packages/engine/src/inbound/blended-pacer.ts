import { AgentState, type Campaign, type PooledAgent } from '@paceline/core';
import {
  type AbandonWindow,
  assessLaunch,
  BLEND_CALIBRATION,
  type CampaignPacer,
  createCampaignPacer,
  createPacer,
  ForecastCalibration,
  type InboundAwarePacerState,
  type InboundDemand,
  type Pacer,
  type PacerState,
  type PacingDecision,
  withInboundDemand,
} from '@paceline/pacing';
import { BlendDayTracker, type CallingDay } from './blend-day';
import { DayLedger, type DayLedgerEngine } from './day-ledger';

/**
 * What a blended campaign's pacer reads each pacing round, set by the engine before it decides:
 * the inbound demand on the campaign's agents (`InboundBlend.viewFor`; undefined when none of
 * its agents serves a queue: the round is not blended), and the calling day's span with its
 * own abandon counts (`DayLedger`).
 */
export interface BlendSeam {
  demand: InboundDemand | undefined;
  span: CallingDay | undefined;
  day: AbandonWindow | undefined;
  readonly tracker: BlendDayTracker;
  readonly ledger: DayLedger;
  /** Calls the last round decided to launch that are not yet calls in flight (the router rule counts them, `outbound-commitments.ts`). */
  launching: number;
  /** issue-23 23-dist: distributed mode, the other nodes' part of the router rule's counts as last read from the pool (`PoolCommitments`). */
  pool?: PoolShare;
}

/** issue-23 23-dist: the other nodes' part of a blended campaign's router-rule counts, as last read from the agent pool. */
export interface PoolShare {
  /** Their outbound calls of the campaign that may still answer live (their part of P). */
  readonly inFlight: number;
  /** The smallest day absorb (k) a fresh other node publishes; undefined when none does. */
  readonly absorb: number | undefined;
  /** The other nodes' fresh agents of the campaign (their ready ones are their part of R). */
  readonly agents: readonly PooledAgent[];
  /** When it was read, epoch ms. */
  readonly readAt: number;
  /** issue-23 23-xdefer: the other fresh nodes' published arrival-deferral claims (`PooledCommitment.claims`), each with its entry's `seenAt`; absent: none. */
  readonly claims?: readonly { readonly claims: number; readonly seenAt: number }[];
}

/** A fresh seam for a campaign (the tracker reads the campaign's current definition). */
export function createBlendSeam(core: DayLedgerEngine, campaign: () => Campaign): BlendSeam {
  return {
    demand: undefined,
    span: undefined,
    day: undefined,
    tracker: new BlendDayTracker(campaign),
    ledger: new DayLedger(core),
    launching: 0,
  };
}

/**
 * Two forecast calibrations learning side by side from every decision: the pacing default's
 * (100 / 400) and the blend's (`BLEND_CALIBRATION`, 10 / 100). The pacer is scaled by the
 * blend's while the round is blended and by the default's otherwise, so a campaign that never
 * blends is scaled exactly as without inbound.
 */
export class SwitchedCalibration extends ForecastCalibration {
  readonly plain = new ForecastCalibration();
  readonly blend = new ForecastCalibration(BLEND_CALIBRATION.priorAbandons, BLEND_CALIBRATION.halfLifeAbandons);

  constructor(readonly blended: () => boolean) {
    super();
  }

  override observe(ledgerAbandoned: number, forecast: number | undefined): void {
    this.plain.observe(ledgerAbandoned, forecast);
    this.blend.observe(ledgerAbandoned, forecast);
  }

  override forget(weight?: number): void {
    this.plain.forget(weight);
    this.blend.forget(weight);
  }

  override get scale(): number {
    return this.blended() ? this.blend.scale : this.plain.scale;
  }
}

/**
 * The day guard of a blended round: the most calls to launch so that, were every call beyond
 * the agents free now abandoned (ready and not held, less the reserve held on busy agents and
 * the callers queued: inbound takes the ready agents first), the calling day's abandon rate
 * (`day.abandoned / day.liveAnswers`, the span's own counts) would still be within the
 * campaign's cap. With A abandons in L live answers the day absorbs k = ⌊(cap·L − A)/(1 − cap)⌋
 * more (each abandon is a live answer too); calls in flight count against the free agents and
 * then against k. Never below one line per free agent less the calls in flight (progressive), so
 * the day starts; that floor is not abandon-free in a blend (an inbound caller may take the
 * agent), which is why the property test (test/inbound/blend-day-property.test.ts) measures it.
 * Short days with few live answers are where the spread's expectation (≤ cap at the day's end
 * on average) is not enough: a few unlucky abandons late in a 90-minute day end it above the cap.
 */
export function dayGuardRoom(state: PacerState, day: AbandonWindow, demand?: InboundDemand): number {
  const absorb = dayAbsorb(state.options.abandonTarget, day);
  let ready = 0;
  for (const a of state.agents) if (a.state === AgentState.Ready && a.leaving !== true) ready++;
  // The reserve held on busy agents (busy-first) and the callers queued are served by the ready agents first.
  const free = Math.max(0, ready - (demand?.heldBusy?.length ?? 0) - Math.max(0, Math.floor(demand?.queued ?? 0)));
  return Math.max(0, free + Math.max(0, absorb) - state.calls.length);
}

/**
 * How many more abandons the calling day absorbs within `cap`: with A abandons in L live answers,
 * k = ⌊(cap·L − A)/(1 − cap)⌋ (each abandon is a live answer too); negative when the day is
 * already over the cap. The day guard and the router rule (`outbound-commitments.ts`) share it.
 */
export function dayAbsorb(cap: number, day: Pick<AbandonWindow, 'liveAnswers' | 'abandoned'>): number {
  return cap < 1 ? Math.floor((cap * day.liveAnswers - day.abandoned) / (1 - cap) + 1e-9) : Number.POSITIVE_INFINITY;
}

/**
 * The pacing of a predictive campaign on a dialer whose blend runs `inboundModel: 'demand'` (the
 * simulator's `blend` policy, which `pnpm bench:blend` measures). A round with inbound demand
 * is decided by `withInboundDemand(predictive, demand, { spread })`: inbound callers and
 * arrivals are demand in the walk, and the abandon budget is spread over the campaign's calling
 * day (`seam.span`, read on the day's own counts `seam.day`, never the compliance window's).
 * Each calling day gets a fresh spread (its learnt price starts again). A round without demand,
 * or outside the calling day, is decided by the plain predictive pacer — bit for bit the
 * default pacing — or, with demand but no span, by `withInboundDemand` without the spread.
 */
export function createBlendedCampaignPacer(campaign: Campaign, seam: BlendSeam): CampaignPacer {
  const predictive = createPacer(campaign.dialMode);
  const unspread = withInboundDemand(predictive, () => seam.demand);
  let spread: { span: CallingDay; pacer: Pacer } | undefined;
  const pacer: Pacer = {
    name: predictive.name,
    decide(state) {
      const demand = seam.demand;
      if (demand === undefined) return predictive.decide(state);
      const d = blended(state);
      // The round's inbound demand, for the pacing-decision event and dashboards.
      return { ...d, inputs: { ...d.inputs, inboundArrivalsPerHour: demand.arrivalsPerSecond * 3600, inboundQueued: demand.queued } };
    },
  };
  function blended(state: PacerState): PacingDecision {
    const span = seam.span;
    if (span === undefined) return unspread.decide(state);
    if (spread?.span !== span) {
      const options = { spread: { startMs: span.startMs, endMs: span.endMs }, spreadCounts: () => seam.day };
      spread = { span, pacer: withInboundDemand(predictive, () => seam.demand, options) };
    }
    const decision = spread.pacer.decide(state);
    const day = seam.day;
    if (day === undefined || decision.launch <= 0) return decision;
    const room = dayGuardRoom(state, day, seam.demand);
    if (decision.launch <= room) return decision;
    const withDemand = { ...state, inboundDemand: seam.demand } as InboundAwarePacerState;
    const raw = room > 0 ? assessLaunch(withDemand, room).expectedAbandons / (state.forecastScale ?? 1) : 0;
    return { ...decision, launch: room, reason: 'day-guard', inputs: { ...decision.inputs, rawAbandons: raw, dayGuardRoom: room } };
  }
  return createCampaignPacer(campaign, { pacer, calibration: new SwitchedCalibration(() => seam.demand !== undefined) });
}
