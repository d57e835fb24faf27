import { PacelineError } from '@paceline/core';

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
}

class Series {
  readonly live: number[] = [];
  readonly abandoned: number[] = [];
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
    if (!Number.isFinite(atMs) || atMs < 0) {
      throw new PacelineError('E_INVALID_INPUT', `abandon ledger: expected epoch milliseconds, got ${atMs}`);
    }
    let series = this.#series.get(campaignId);
    if (!series) {
      series = new Series();
      this.#series.set(campaignId, series);
    }
    insertSorted(series.live, atMs);
    if (abandoned) insertSorted(series.abandoned, atMs);
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

  /** Both counts and the rate over the window. */
  counts(campaignId: string, nowMs: number, windowMs: number): AbandonCounts {
    const liveAnswers = this.liveAnswers(campaignId, nowMs, windowMs);
    const abandoned = this.abandoned(campaignId, nowMs, windowMs);
    return { liveAnswers, abandoned, rate: liveAnswers === 0 ? 0 : abandoned / liveAnswers };
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
