import { PacelineError } from '@paceline/core';
import type { AbandonWindow } from '../pacer';

/**
 * The span whose abandon rate a blended campaign steers (the bench's day: its daily rate is
 * what the daily-p95 target measures), and how boldly the rest of it is counted on.
 */
export interface AbandonSpreadOptions {
  /** Start of the span, epoch ms (the window's counts are read as the span's so far). */
  readonly startMs: number;
  /** End of the span, epoch ms. */
  readonly endMs: number;
  /** Steer the span's end at `target × (1 − margin)` (default 0.1, the governor's). */
  readonly margin?: number;
  /**
   * The rest of the span is counted at this share of the live answers the pace so far
   * projects (default 0.8: agents log off, the list thins); smaller is safer.
   */
  readonly restShare?: number;
  /** No projection before this much of the span has passed, ms (default 30 min: the pace is noise). */
  readonly minElapsedMs?: number;
  /**
   * Price the spread's rate at the span's learnt ratio of predicted to realised abandons
   * ({@link spreadPriceRate}) instead of at the model's own price (default true).
   */
  readonly learntPrice?: boolean;
  /** Pseudo-abandons of the learnt price's prior (ratio 1), default 10. */
  readonly pricePriorAbandons?: number;
  /** Ceiling on the learnt boost (predicted ÷ realised), default 2.5 (the governor's `maxBoost`). */
  readonly maxPriceBoost?: number;
  /**
   * Lift the launch to the spread's rate whenever the governor allows less, not only while it
   * has fallen back or tightened (default true): a campaign with ~40 abandons a day is held
   * below the steered rate by a handful of them, and the day's budget goes unspent.
   */
  readonly liftAlways?: boolean;
}

/** What {@link spreadAbandonRate} found. */
export interface AbandonSpread {
  /** Abandons allowed per expected live answer of new launches (≤ the steered rate). */
  readonly allowedRate: number;
  /** The live answers the rest of the span is counted on. */
  readonly restLiveAnswers: number;
  /** The span's end rate if the rest runs at `allowedRate` (≤ the steered rate by construction). */
  readonly projectedRate: number;
}

/** Validate {@link AbandonSpreadOptions}; throws `E_INVALID_CONFIG` naming the field. */
export function checkAbandonSpreadOptions(o: AbandonSpreadOptions): void {
  const bad = (field: string, what: string) => new PacelineError('E_INVALID_CONFIG', `withInboundDemand.spread.${field}: ${what}`);
  if (!Number.isFinite(o.startMs) || !Number.isFinite(o.endMs) || o.endMs <= o.startMs)
    throw bad('endMs', `${o.endMs} must be a finite epoch ms after startMs (${o.startMs})`);
  if (o.margin !== undefined && !(o.margin >= 0 && o.margin < 1)) throw bad('margin', `${o.margin} is not a fraction in [0, 1)`);
  if (o.restShare !== undefined && !(o.restShare >= 0 && o.restShare <= 1))
    throw bad('restShare', `${o.restShare} is not a fraction between 0 and 1`);
  if (o.minElapsedMs !== undefined && !(o.minElapsedMs >= 0 && Number.isFinite(o.minElapsedMs)))
    throw bad('minElapsedMs', `${o.minElapsedMs} is not a non-negative number of ms`);
  if (o.pricePriorAbandons !== undefined && !(o.pricePriorAbandons > 0 && Number.isFinite(o.pricePriorAbandons)))
    throw bad('pricePriorAbandons', `${o.pricePriorAbandons} is not a positive number of abandons`);
  if (o.maxPriceBoost !== undefined && !(o.maxPriceBoost >= 1 && o.maxPriceBoost <= 3))
    throw bad('maxPriceBoost', `${o.maxPriceBoost} is not a number between 1 and 3`);
}

/**
 * The abandon rate the rest of the span can afford so that the span ends at the steered rate
 * `s = target × (1 − margin)`: with L live answers and A abandons so far and R live answers
 * expected for the rest (the pace so far × the time left × `restShare`), the rest may run at
 * `(s·(L + R) − A) / R`, capped at `s`. A governor that falls back as soon as the running rate
 * touches its fallback point spends a small campaign's budget in bursts (~40 abandons a day: a
 * few close together early in the day take the running rate there); this spreads it over the
 * span instead. `undefined` when there is nothing to spread: too early, the span over, no live
 * answers yet, or the budget already spent (A ≥ s·(L + R)). As R shrinks towards the span's
 * end the allowance tends to what the running counts alone afford, so late noise cannot be
 * carried past the end.
 */
export function spreadAbandonRate(window: AbandonWindow, target: number, now: number, o: AbandonSpreadOptions): AbandonSpread | undefined {
  const elapsed = now - o.startMs;
  const remaining = o.endMs - now;
  const live = window.liveAnswers;
  if (!(target > 0) || elapsed < (o.minElapsedMs ?? 1_800_000) || elapsed <= 0 || remaining <= 0 || !(live > 0)) return undefined;
  const steered = target * (1 - (o.margin ?? 0.1));
  const rest = (o.restShare ?? 0.8) * live * (remaining / elapsed);
  if (!(rest > 0)) return undefined;
  const budget = steered * (live + rest) - window.abandoned;
  if (!(budget > 0)) return undefined;
  const allowedRate = Math.min(steered, budget / rest);
  return { allowedRate, restLiveAnswers: rest, projectedRate: (window.abandoned + allowedRate * rest) / (live + rest) };
}

/**
 * The spread's rate priced at what the span has learnt: the abandons the allowance buys are
 * realised ones, while the launch is sized on the model's predicted (forecast-scaled) ones.
 * Over the span so far the model predicted P abandons for its launches and A were realised, so
 * a predicted abandon has cost (A + p) / (P + p) realised ones (p = `pricePriorAbandons`, a
 * prior at ratio 1): the launch may buy `allowedRate × (P + p) / (A + p)` predicted abandons
 * per expected live answer — what the governor's ratio controller learns implicitly, and loses
 * in the episodes where it tightens or falls back. Both ways: a model that under-predicts
 * (A > P) is priced up. Safety, whatever the learnt ratio: the boost is at most `maxPriceBoost`,
 * and the rate never exceeds what would still end the span at the target itself, `(target·(L +
 * R) − A) / R`, were the boost entirely wrong and the model's own price right. Returns a rate
 * in the model's units (abandons per expected live answer), ≥ 0.
 *
 * @param predictedAbandons the model's expected abandons (forecast-scaled) of every call launched in the span so far
 */
export function spreadPriceRate(
  spread: AbandonSpread,
  window: AbandonWindow,
  target: number,
  predictedAbandons: number,
  o: AbandonSpreadOptions,
): number {
  if (o.learntPrice === false) return spread.allowedRate;
  const prior = o.pricePriorAbandons ?? 10;
  const boost = Math.min(o.maxPriceBoost ?? 2.5, (Math.max(0, predictedAbandons) + prior) / (window.abandoned + prior));
  const rest = spread.restLiveAnswers;
  const atTarget = (target * (window.liveAnswers + rest) - window.abandoned) / rest;
  return Math.max(0, Math.min(spread.allowedRate * boost, atTarget));
}
