import {
  type AdjustedAbandonCounts,
  type AmdFalsePositiveEstimate,
  estimateAmdFalsePositives,
  withAmdFalsePositives,
} from '@paceline/compliance';
import { PacelineError, type Random } from '@paceline/core';

/**
 * The estimate until a campaign has reviewed calls: people among machine decisions. The bench
 * measured 1.3% on its held-out half (`personAmongMachineDecisions` in bench/results/amd.json:
 * 1 person in 75 machine decisions, half the calls machines); 3% allows for real traffic being
 * harder than synthetic speech and for mixes with fewer machines, so the ledger errs high.
 */
export const BENCH_AMD_FALSE_POSITIVE_RATE = 0.03;

/** Settings of {@link AmdCalibration}. */
export interface AmdCalibrationOptions {
  /** Prior: people among machine decisions on the bench (default {@link BENCH_AMD_FALSE_POSITIVE_RATE}). */
  readonly benchRate?: number;
  /** How many reviewed calls the bench rate is worth (default 50). */
  readonly priorWeight?: number;
  /** Fraction of machine decisions sampled for listen-back via the recording tap (default 0.02). */
  readonly listenBackFraction?: number;
  /** Does the campaign's profile count AMD false positives in its abandon rate (Ofcom)? */
  readonly includeFalsePositives: (campaignId: string) => boolean;
  readonly random: Random;
}

/** What a campaign's calibration has seen, for the dashboard and reports. */
export interface AmdCalibrationReport {
  readonly campaignId: string;
  readonly estimate: AmdFalsePositiveEstimate;
  /** Machine decisions over the campaign's life (the ledger counts them per window). */
  readonly machineDecisions: number;
  /** Machine decisions sampled for listen-back and not yet reviewed. */
  readonly pendingReviews: number;
  /** Calls connected as people that were machines after all: a later beep, or an agent's machine disposition. */
  readonly machinesConnectedAsPeople: number;
  /** Whether the abandon rate of this campaign includes the estimate. */
  readonly countedInAbandonRate: boolean;
}

interface CampaignCalibration {
  machineDecisions: number;
  /** When machine decisions happened (epoch ms), for the abandon window; pruned past `keepMs`. */
  readonly machineTimes: number[];
  reviewed: number;
  reviewedPeople: number;
  /** Sampled machine decisions awaiting review: call id → when, and where its audio is once kept. */
  readonly pending: Map<string, { readonly at: number; recording?: string }>;
  readonly connectedMachines: Set<string>;
}

/**
 * Per-campaign calibration of answering-machine detection (issue 17). It samples machine
 * decisions for listen-back (a person hears the recording tap's audio and says whether it was
 * a person), pools the reviews with the bench rate into a false-positive estimate, counts
 * machines that reached agents (late beeps, agents' machine dispositions), and, for profiles
 * that require it, adds the estimated false positives to the abandon counts the governor reads.
 * No timers, no I/O: the engine calls it from its call handling.
 */
export class AmdCalibration {
  readonly #options: AmdCalibrationOptions;
  readonly #random: Random;
  readonly #campaigns = new Map<string, CampaignCalibration>();

  constructor(options: AmdCalibrationOptions) {
    const fraction = options.listenBackFraction ?? 0.02;
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new PacelineError('E_INVALID_CONFIG', `amdCalibration.listenBackFraction: expected 0..1, got ${fraction}`);
    }
    this.#options = options;
    this.#random = options.random.split('amd-calibration');
  }

  #of(campaignId: string): CampaignCalibration {
    let c = this.#campaigns.get(campaignId);
    if (!c) {
      c = {
        machineDecisions: 0,
        machineTimes: [],
        reviewed: 0,
        reviewedPeople: 0,
        pending: new Map(),
        connectedMachines: new Set(),
      };
      this.#campaigns.set(campaignId, c);
    }
    return c;
  }

  /** The detector called `callId` a machine at `at`; returns whether to keep its audio for listen-back. */
  machineDecided(campaignId: string, callId: string, at: number): { readonly listenBack: boolean } {
    const c = this.#of(campaignId);
    c.machineDecisions++;
    c.machineTimes.push(at);
    // Keep 31 days (the longest abandon window, US TSR 30 days).
    while ((c.machineTimes[0] ?? at) <= at - 31 * 86_400_000) c.machineTimes.shift();
    const listenBack = this.#random.next() < (this.#options.listenBackFraction ?? 0.02);
    if (listenBack) c.pending.set(callId, { at });
    return { listenBack };
  }

  /** issue-17: the audio of a sampled machine decision is kept at `recording` (the trunk's listen-back tap). */
  recorded(campaignId: string, callId: string, recording: string): void {
    const entry = this.#of(campaignId).pending.get(callId);
    if (entry) entry.recording = recording;
  }

  /** issue-17: the machine decisions of a campaign waiting for a person to listen back, oldest first. */
  pendingReviews(campaignId: string): readonly { readonly callId: string; readonly at: number; readonly recording?: string }[] {
    return [...this.#of(campaignId).pending].map(([callId, entry]) => ({ callId, ...entry })).sort((a, b) => a.at - b.at);
  }

  /** A reviewer listened back to a sampled machine decision: was it a person? */
  reviewed(campaignId: string, callId: string, wasPerson: boolean): void {
    const c = this.#of(campaignId);
    if (!c.pending.delete(callId)) {
      throw new PacelineError('E_NOT_FOUND', `amd calibration: call ${callId} of campaign ${campaignId} was not sampled for listen-back`);
    }
    c.reviewed++;
    if (wasPerson) c.reviewedPeople++;
  }

  /**
   * A call connected as a person was a machine (a later beep, a greeting that ran on, or the
   * agent's machine disposition). Counted once per call. It stops counting as a live answer in
   * the abandon ledger itself (`AbandonLedger.machineAnswer` re-records its entry as a machine),
   * not here: machine answers are not live answers (DESIGN.md).
   */
  machineConnected(campaignId: string, callId: string): void {
    this.#of(campaignId).connectedMachines.add(callId);
  }

  /** The campaign's current estimate and how it was made. */
  estimate(campaignId: string): AmdFalsePositiveEstimate {
    const c = this.#of(campaignId);
    return estimateAmdFalsePositives({
      reviewed: c.reviewed,
      reviewedPeople: c.reviewedPeople,
      benchRate: this.#options.benchRate ?? BENCH_AMD_FALSE_POSITIVE_RATE,
      ...(this.#options.priorWeight === undefined ? {} : { priorWeight: this.#options.priorWeight }),
    });
  }

  /** Machine decisions of `campaignId` with `since < at ≤ until` (this process's own). */
  machineDecisionsIn(campaignId: string, since: number, until: number): number {
    return this.#of(campaignId).machineTimes.filter((t) => t > since && t <= until).length;
  }

  /**
   * Abandon counts as the governor must see them: for profiles that count AMD false positives,
   * measured counts plus `machineDecisionsInWindow × estimate`; otherwise the measured counts.
   * (Machines connected as people and found out later are already out of `measured`: the ledger
   * re-records them as machines.)
   */
  abandonCounts(
    campaignId: string,
    measured: { readonly liveAnswers: number; readonly abandoned: number },
    machineDecisionsInWindow: number,
  ): AdjustedAbandonCounts {
    const rate = this.#options.includeFalsePositives(campaignId) ? this.estimate(campaignId).rate : 0;
    return withAmdFalsePositives(measured, machineDecisionsInWindow, { rate });
  }

  /** Everything the dashboard and reports show for a campaign. */
  report(campaignId: string): AmdCalibrationReport {
    const c = this.#of(campaignId);
    return {
      campaignId,
      estimate: this.estimate(campaignId),
      machineDecisions: c.machineDecisions,
      pendingReviews: c.pending.size,
      machinesConnectedAsPeople: c.connectedMachines.size,
      countedInAbandonRate: this.#options.includeFalsePositives(campaignId),
    };
  }
}

/** The part of a campaign's calibration its status shows (dashboard, reports). */
export function amdReport(
  calibration: AmdCalibration,
  campaignId: string,
): { rate: number; method: string; explanation: string; countedInAbandonRate: boolean } {
  const report = calibration.report(campaignId);
  return {
    rate: report.estimate.rate,
    method: report.estimate.method,
    explanation: report.estimate.explanation,
    countedInAbandonRate: report.countedInAbandonRate,
  };
}
