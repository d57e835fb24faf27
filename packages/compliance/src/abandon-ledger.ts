import { PacelineError } from '@paceline/core';
import { type AmdFalsePositiveEstimate, withAmdFalsePositives } from './amd-false-positives';

/** Rolling windows the regulators use: Ofcom 24 h, US TSR 30 days. */
export const ABANDON_WINDOW_24H_MS = 24 * 3_600_000;
/** 16 CFR 310.4(b)(4)(i): the rate is measured per campaign over a 30-day period. */
export const ABANDON_WINDOW_30D_MS = 30 * 24 * 3_600_000;

/** Live answers and abandons over a window, and their ratio. */
export interface AbandonCounts {
  /** Live answers (answered and classified human) in the window. */
  readonly liveAnswers: number;
  /** Of those, abandoned: not connected to an agent within 2 s of the greeting's end. */
  readonly abandoned: number;
  /** abandoned / liveAnswers; 0 when there were no live answers. */
  readonly rate: number;
  /**
   * Estimated people among the window's machine decisions, already included in `liveAnswers` and
   * `abandoned` (0 unless the campaign's profile counts AMD false positives, as Ofcom's does).
   */
  readonly estimatedFalsePositives: number;
}

class Series {
  readonly live: number[] = [];
  readonly abandoned: number[] = [];
  readonly machine: number[] = [];
  amdEstimate: AmdFalsePositiveEstimate | undefined;
}

/**
 * The abandon-rate ledger per campaign over rolling windows (DESIGN.md: abandon rate =
 * abandoned / live answers). Plain data and methods, so the pacing governor can read it
 * through its own structural interface. A window `windowMs` at `now` is `(now − windowMs, now]`.
 */
export class AbandonLedger {
  readonly #series = new Map<string, Series>();

  /** Record one live answer of `campaignId` at `atMs`, abandoned or not. */
  recordLiveAnswer(campaignId: string, atMs: number, abandoned: boolean): void {
    const series = this.#seriesOf(campaignId, atMs);
    insertSorted(series.live, atMs);
    if (abandoned) insertSorted(series.abandoned, atMs);
  }

  /** Record an answer the detector called a machine (and so never reached an agent). */
  recordMachineDecision(campaignId: string, atMs: number): void {
    insertSorted(this.#seriesOf(campaignId, atMs).machine, atMs);
  }

  /**
   * Count the estimated AMD false positives of `campaignId` in its abandon rate from now on
   * (for profiles that require it: `abandon.includeAmdFalsePositives`, e.g. `uk-ofcom`);
   * `undefined` stops counting them. The estimate is applied to every machine decision in the window.
   */
  setAmdFalsePositiveEstimate(campaignId: string, estimate: AmdFalsePositiveEstimate | undefined): void {
    let series = this.#series.get(campaignId);
    if (!series) {
      series = new Series();
      this.#series.set(campaignId, series);
    }
    series.amdEstimate = estimate;
  }

  /** The estimate set for `campaignId`, if any. */
  amdFalsePositiveEstimate(campaignId: string): AmdFalsePositiveEstimate | undefined {
    return this.#series.get(campaignId)?.amdEstimate;
  }

  /** Machine decisions of `campaignId` in `(nowMs − windowMs, nowMs]`. */
  machineDecisions(campaignId: string, nowMs: number, windowMs: number): number {
    const s = this.#series.get(campaignId);
    return s ? countIn(s.machine, nowMs - windowMs, nowMs) : 0;
  }

  #seriesOf(campaignId: string, atMs: number): Series {
    if (!Number.isFinite(atMs) || atMs < 0) {
      throw new PacelineError('E_INVALID_INPUT', `abandon ledger: expected epoch milliseconds, got ${atMs}`);
    }
    let series = this.#series.get(campaignId);
    if (!series) {
      series = new Series();
      this.#series.set(campaignId, series);
    }
    return series;
  }

  /** Live answers of `campaignId` in `(nowMs − windowMs, nowMs]`. */
  liveAnswers(campaignId: string, nowMs: number, windowMs: number): number {
    const s = this.#series.get(campaignId);
    return s ? countIn(s.live, nowMs - windowMs, nowMs) : 0;
  }

  /** Abandoned live answers of `campaignId` in `(nowMs − windowMs, nowMs]`. */
  abandoned(campaignId: string, nowMs: number, windowMs: number): number {
    const s = this.#series.get(campaignId);
    return s ? countIn(s.abandoned, nowMs - windowMs, nowMs) : 0;
  }

  /**
   * Both counts and the rate over the window; with an AMD estimate set, both include the
   * estimated people hung up on as machines, so a governor reading this paces against the true rate.
   */
  counts(campaignId: string, nowMs: number, windowMs: number): AbandonCounts {
    const liveAnswers = this.liveAnswers(campaignId, nowMs, windowMs);
    const abandoned = this.abandoned(campaignId, nowMs, windowMs);
    const estimate = this.#series.get(campaignId)?.amdEstimate;
    if (estimate) {
      const adjusted = withAmdFalsePositives({ liveAnswers, abandoned }, this.machineDecisions(campaignId, nowMs, windowMs), estimate);
      return {
        liveAnswers: adjusted.liveAnswers,
        abandoned: adjusted.abandoned,
        rate: adjusted.rate,
        estimatedFalsePositives: adjusted.estimatedFalsePositives,
      };
    }
    return { liveAnswers, abandoned, rate: liveAnswers === 0 ? 0 : abandoned / liveAnswers, estimatedFalsePositives: 0 };
  }

  /** abandoned / liveAnswers over the window (0 with no live answers). */
  rate(campaignId: string, nowMs: number, windowMs: number): number {
    return this.counts(campaignId, nowMs, windowMs).rate;
  }

  /** Drop entries at or before `beforeMs` (keep at least the longest window you read). */
  prune(beforeMs: number): void {
    for (const s of this.#series.values()) {
      s.live.splice(0, upperBound(s.live, beforeMs));
      s.abandoned.splice(0, upperBound(s.abandoned, beforeMs));
      s.machine.splice(0, upperBound(s.machine, beforeMs));
    }
  }
}

/** Index of the first element > `value`. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countIn(sorted: readonly number[], afterMs: number, untilMs: number): number {
  return upperBound(sorted, untilMs) - upperBound(sorted, afterMs);
}

function insertSorted(sorted: number[], value: number): void {
  const last = sorted[sorted.length - 1];
  if (last === undefined || last <= value) sorted.push(value);
  else sorted.splice(upperBound(sorted, value), 0, value);
}
