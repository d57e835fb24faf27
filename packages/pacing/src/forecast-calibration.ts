/**
 * Online recalibration of the predictive pacer's abandon forecast: the ratio of realised to
 * predicted abandons, learnt from the campaign's own run.
 *
 * Why: the walk's inputs are calibrated term by term (agents freeing, calls answering live,
 * new calls' live answers: predicted ÷ realised 0.99–1.01 on itc-20, see `bench/calibration-terms.ts`)
 * and its level of abandons is right (the expected abandons of the calls already in flight match
 * theirs), yet the sum of its per-launch marginal costs runs 1.3–1.7× the realised abandons on
 * teams of 20 and more (the forecast falls faster than abandons happen when an agent frees:
 * the one-step drift of the walk is negative after agent-ready events). The abandon governor's
 * ratio controller only partly undoes a c-fold over-prediction (it settles at steered / c^¼),
 * so the pacer left a fifth of its abandon budget unspent. This estimator measures c directly.
 *
 * How: every predictive decision reports the raw (unscaled) expected abandons of the calls it
 * launched; every increase of the abandon ledger's window count is a realised abandon. Both
 * sums decay with a half-life of `halfLifeAbandons` (the bias follows the day), and start
 * from `priorAbandons` pseudo-abandons on each side (scale 1 until the run has evidence). The
 * scale is bounded to [`minScale`, `maxScale`] as a guard against a degenerate window. The
 * prior decays with the evidence: a small team's ~20 abandons a day leave ~95% of it (its
 * scale stays near 1, its few abandons do not steer it), while a large team's hundreds wear it
 * away and the scale reaches the run's own ratio. (Until this session the prior decayed toward
 * itself and kept its weight: the scale stopped ~¾ of the (log) way to the true ratio, which
 * left large-100-low-contact's calibration at 1.49.)
 * Deterministic: no clock, no randomness.
 */
export class ForecastCalibration {
  #predicted: number;
  #realised: number;
  #lastLedger: number | undefined;
  #active = false;

  constructor(
    readonly priorAbandons = 100,
    readonly halfLifeAbandons = 400,
    readonly minScale = 1 / 3,
    readonly maxScale = 3,
  ) {
    this.#predicted = priorAbandons;
    this.#realised = priorAbandons;
  }

  /**
   * One decision: `ledgerAbandoned` is the window's abandon count now (increases since the last
   * call are realised abandons; decreases are old abandons leaving the window and are ignored);
   * `forecast` is the raw expected abandons of the calls launched (undefined: the pacer made
   * no forecast, e.g. progressive at a cold start). Ledger increases count once a forecast has
   * been made (abandons before the first one are not the model's).
   */
  observe(ledgerAbandoned: number, forecast: number | undefined): void {
    const last = this.#lastLedger;
    this.#lastLedger = ledgerAbandoned;
    if (this.#active && last !== undefined && ledgerAbandoned > last) this.#add(0, ledgerAbandoned - last);
    if (forecast !== undefined && Number.isFinite(forecast) && forecast >= 0) {
      this.#active = true;
      if (forecast > 0) this.#add(forecast, 0);
    }
  }

  /**
   * The campaign's traffic changed (e.g. its live rate stepped, see `ChangePointRates`): the
   * walk's bias learnt before it need not hold after it. Keeps the current ratio but shrinks its
   * evidence to `weight` pseudo-abandons a side, so the new regime's own abandons steer the scale
   * within the hour instead of over the rest of the day (midday-drop: the walk over-predicts
   * ~3.5× at 12% live and 90 lines, ~1.2× at 35% live in the morning).
   */
  forget(weight = 20): void {
    const total = this.#predicted + this.#realised;
    if (total <= 2 * weight) return;
    const ratio = this.scale;
    this.#predicted = (2 * weight) / (1 + ratio);
    this.#realised = this.#predicted * ratio;
  }

  /** Realised ÷ predicted abandons (1 before any evidence), within [minScale, maxScale]. */
  get scale(): number {
    return Math.min(this.maxScale, Math.max(this.minScale, this.#realised / this.#predicted));
  }

  #add(predicted: number, realised: number): void {
    const keep = 2 ** (-(predicted + realised) / this.halfLifeAbandons);
    // The prior decays with the evidence: it steadies the start (and a small team, whose few
    // abandons barely decay it), and a long run settles at its own recent ratio.
    this.#predicted = this.#predicted * keep + predicted;
    this.#realised = this.#realised * keep + realised;
  }
}
