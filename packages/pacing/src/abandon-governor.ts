import { createParser } from '@paceline/core';
import Type, { type Static } from 'typebox';
import type { AbandonWindow } from './pacer';

/** Tuning of the abandon governor; every field has a default. */
export const AbandonGovernorOptionsSchema = Type.Object(
  {
    /** Aim this fraction below the target (0.1: a 3% target is steered at 2.7%). */
    margin: Type.Number({ minimum: 0, maximum: 0.9, default: 0.1, expected: 'a fraction between 0 and 0.9' }),
    /** Fall back to progressive when the measured rate reaches this fraction of the target. */
    fallbackAt: Type.Number({ minimum: 0.1, maximum: 1, default: 0.93, expected: 'a fraction between 0.1 and 1' }),
    /**
     * Inertia of the governor, in live answers at the steered rate: the allowed rate is
     * steered × (steered·live + prior) / (abandoned + prior) with prior = steered × this.
     * Small: fast and jumpy; large: smooth and slow.
     */
    recoveryLiveAnswers: Type.Number({ exclusiveMinimum: 0, default: 300, expected: 'a positive number of live answers' }),
    /** The measured rate is read as if the window held at least this many live answers (early-day noise). */
    minLiveAnswers: Type.Number({ minimum: 1, default: 200, expected: 'a positive number of live answers' }),
    /**
     * Exponent of the ratio controller. With 1, a model that over-predicts abandons c-fold
     * settles at steered/√c (the window's counts are the only memory a pure governor has);
     * with g it settles at steered/c^(1/(g+1)), so a higher gain uses the budget the model
     * leaves unspent. Too high makes the allowed rate jumpy early in a window.
     */
    gain: Type.Number({ minimum: 1, maximum: 8, default: 3, expected: 'a number between 1 and 8' }),
    /** Ceiling on the allowed rate of new launches, as a multiple of the steered rate. */
    maxBoost: Type.Number({ minimum: 1, maximum: 3, default: 2.5, expected: 'a number between 1 and 3' }),
    /**
     * issue-22 22-start: the ratio controller's boost on an empty window (1: the walk is trusted as
     * it prices, the behaviour before). Its pseudo-live answers are scaled by startBoost^(1/gain), so
     * the boost starts here and the window's own counts wear the prior away as before; the tight
     * and fallback reads use the window's counts only, so the cap holds whatever this is.
     */
    startBoost: Type.Number({ minimum: 1, maximum: 3, default: 1, expected: 'a number between 1 and 3' }),
  },
  { additionalProperties: false, default: {} },
);

/** Tuning of the abandon governor. */
export type AbandonGovernorOptions = Static<typeof AbandonGovernorOptionsSchema>;

/** Parse governor options (defaults applied); throws `E_INVALID_CONFIG` naming the field. */
export const parseAbandonGovernorOptions = createParser<AbandonGovernorOptions>(AbandonGovernorOptionsSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'governor',
});

/** `normal`: steering at target; `tight`: the rate is above the steered rate; `fallback`: act progressively. */
export type GovernorMode = 'normal' | 'tight' | 'fallback';

/** What the governor allows now. */
export interface GovernorVerdict {
  readonly mode: GovernorMode;
  /** Abandons allowed per expected live answer of the calls launched now (0 in fallback). */
  readonly allowedRate: number;
  /** The window's measured rate (abandoned / live answers; 0 with none). */
  readonly measuredRate: number;
}

/**
 * The abandon governor: keeps the campaign's rate over the rolling window (US TSR 30 days,
 * UK Ofcom 24 h) under `target` with a margin. It steers at `target·(1 − margin)`: while
 * the window's rate is below that it allows proportionally more per launched call, above it
 * less (a ratio controller, so the model's own bias is corrected), tightens linearly to zero as the rate climbs from the steered
 * rate to `fallbackAt·target`, and there falls back to progressive (which abandons nothing).
 *
 * @param target the campaign's `pacing.abandonTarget` (a fraction, ≤ 0.03)
 */
export function governAbandons(window: AbandonWindow, target: number, options: AbandonGovernorOptions): GovernorVerdict {
  const live = window.liveAnswers;
  const abandoned = window.abandoned;
  const measuredRate = live > 0 ? abandoned / live : 0;
  const steered = target * (1 - options.margin);
  const limit = target * options.fallbackAt;
  // Early in a window a single abandon is a big fraction: read it over at least minLiveAnswers.
  const rate = abandoned / Math.max(live, options.minLiveAnswers);
  if (steered <= 0 || rate >= limit) return { mode: 'fallback', allowedRate: 0, measuredRate };
  // A ratio (multiplicative integral) controller: below the steered rate, allow more per call;
  // above it, less. Pseudo-counts worth `recoveryLiveAnswers` live answers at the steered rate
  // keep it calm while the window is young.
  const prior = steered * options.recoveryLiveAnswers;
  const head = prior * options.startBoost ** (1 / options.gain); // issue-22 22-start: boost startBoost on an empty window
  let allowed = steered * Math.min(options.maxBoost, ((steered * live + head) / (abandoned + prior)) ** options.gain);
  let mode: GovernorMode = 'normal';
  if (rate > steered) {
    mode = 'tight';
    allowed *= (limit - rate) / (limit - steered);
  }
  if (allowed <= 0) return { mode: 'fallback', allowedRate: 0, measuredRate };
  return { mode, allowedRate: allowed, measuredRate };
}
