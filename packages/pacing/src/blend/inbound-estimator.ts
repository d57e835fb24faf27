/**
 * Online estimates of the inbound flow, learnt from what the queue observes: the arrival rate
 * (an exponentially weighted count over exposure time, i.e. an EWMA in continuous time), the
 * mean handle time of inbound and outbound work, and the mean caller patience (Garnett et al.
 * 2002 §5: total time callers spent waiting ÷ abandons, the exponential MLE under censoring).
 *
 * Everything decays with a half-life, so the estimates follow the time-of-day profile. The
 * arrival estimate also has an upper confidence bound (Poisson: λ̂ + z·√(λ̂ / exposure)), which
 * the blend policy plans on so that a rising hour or a spike is not under-staffed while the
 * average catches up. Times are epoch ms passed in by the caller: no clock here.
 *
 * With a **time-of-day forecast** (`forecast`, expected arrivals per second at a time — the
 * workforce plan's profile) the rate is the forecast times a learnt **level**: decayed arrivals
 * ÷ decayed forecast arrivals over the same exposure (a ratio estimator; Poisson standard error
 * √(level / forecast arrivals)). The shape of the day then comes from the plan and only its
 * level from the observations, so the estimate does not lag the day's ramps (an EWMA of the
 * count trails a step by about its mean age, 14 min at a 10-minute half-life), and a plan
 * that is off by a factor, or a spike the plan did not foresee, moves the level. Where the
 * forecast is 0 (or absent) the plain decayed rate is used.
 */

/** Options of {@link InboundEstimator}; every field has a default. */
export interface InboundEstimatorOptions {
  /** Half-life of the arrival-rate estimate, ms (default 10 min). */
  readonly arrivalHalfLifeMs: number;
  /** Half-life, in observations, of the handle-time and patience estimates (default 200). */
  readonly halfLifeObservations: number;
  /** Prior inbound arrival rate, calls per second, worth `priorExposureMs` of observation (default 0). */
  readonly priorArrivalsPerSecond: number;
  /** How much observation the prior is worth, ms (default 5 min). */
  readonly priorExposureMs: number;
  /** Prior mean inbound handle time, s (default 240), worth 10 observations. */
  readonly priorInboundHandleSeconds: number;
  /** Prior mean outbound handle time, s (default 150), worth 10 observations. */
  readonly priorOutboundHandleSeconds: number;
  /** Prior mean patience, s (default 120), worth 10 abandons. */
  readonly priorPatienceSeconds: number;
  /**
   * The planned arrival rate, calls per second, at an epoch ms (the day's time-of-day profile;
   * default none). When given and > 0 at a time, the rate there is this × the learnt level.
   */
  readonly forecast?: (at: number) => number;
  /** Half-life of the forecast's learnt level, ms (default: `arrivalHalfLifeMs`). */
  readonly levelHalfLifeMs?: number;
}

/** Defaults of {@link InboundEstimatorOptions}. */
export const DEFAULT_INBOUND_ESTIMATOR_OPTIONS: InboundEstimatorOptions = {
  arrivalHalfLifeMs: 600_000,
  halfLifeObservations: 200,
  priorArrivalsPerSecond: 0,
  priorExposureMs: 300_000,
  priorInboundHandleSeconds: 240,
  priorOutboundHandleSeconds: 150,
  priorPatienceSeconds: 120,
};

const PRIOR_WEIGHT = 10;

/** A decaying mean over observations. */
class DecayingMean {
  #sum: number;
  #weight: number;
  readonly #keep: number;
  constructor(prior: number, priorWeight: number, halfLife: number) {
    this.#sum = prior * priorWeight;
    this.#weight = priorWeight;
    this.#keep = 0.5 ** (1 / halfLife);
  }
  add(value: number): void {
    this.#sum = this.#sum * this.#keep + value;
    this.#weight = this.#weight * this.#keep + 1;
  }
  get mean(): number {
    return this.#sum / this.#weight;
  }
}

/** The inbound flow's online estimates (see the module comment). One per inbound queue (or per blend). */
export class InboundEstimator {
  readonly options: InboundEstimatorOptions;
  /** Decayed arrivals and exposure (ms), both as of `#at`. */
  #arrivals: number;
  #exposureMs: number;
  #at: number | undefined;
  readonly #inboundHandle: DecayingMean;
  readonly #outboundHandle: DecayingMean;
  /** Patience MLE: decayed waiting time (s) of every caller who left the queue, and decayed abandons. */
  #waitedSeconds: number;
  #abandons: number;
  readonly #keepPerObservation: number;
  /** Forecast level: decayed arrivals and decayed forecast arrivals, both as of `#at` (with a forecast only). */
  #levelArrivals = 0;
  #levelExpected = 0;

  constructor(options: Partial<InboundEstimatorOptions> = {}) {
    this.options = { ...DEFAULT_INBOUND_ESTIMATOR_OPTIONS, ...options };
    const o = this.options;
    this.#arrivals = (o.priorArrivalsPerSecond * o.priorExposureMs) / 1_000;
    this.#exposureMs = o.priorExposureMs;
    this.#inboundHandle = new DecayingMean(o.priorInboundHandleSeconds, PRIOR_WEIGHT, o.halfLifeObservations);
    this.#outboundHandle = new DecayingMean(o.priorOutboundHandleSeconds, PRIOR_WEIGHT, o.halfLifeObservations);
    this.#waitedSeconds = o.priorPatienceSeconds * PRIOR_WEIGHT;
    this.#abandons = PRIOR_WEIGHT;
    this.#keepPerObservation = 0.5 ** (1 / o.halfLifeObservations);
  }

  /** Move the arrival counts to `now` (decay and add exposure). Earlier times are ignored. */
  #advance(now: number): void {
    if (this.#at === undefined) {
      this.#at = now;
      this.#openLevel(now);
      return;
    }
    const dt = now - this.#at;
    if (!(dt > 0)) return;
    const keep = 0.5 ** (dt / this.options.arrivalHalfLifeMs);
    this.#arrivals *= keep;
    // Exposure gained over dt, decayed continuously: ∫₀^dt 2^(−s/H) ds.
    this.#exposureMs = this.#exposureMs * keep + ((1 - keep) * this.options.arrivalHalfLifeMs) / Math.LN2;
    const forecast = this.options.forecast;
    if (forecast !== undefined) {
      // The plan was 0 so far (the line not yet open): start the level when it opens.
      if (!(this.#levelExpected > 0)) this.#openLevel(now);
      const half = this.options.levelHalfLifeMs ?? this.options.arrivalHalfLifeMs;
      const keepLevel = 0.5 ** (dt / half);
      // Forecast arrivals over dt, decayed the same way; the plan read at the midpoint (steps between pacing ticks are short).
      const planned = Math.max(0, forecast((this.#at + now) / 2) || 0);
      this.#levelArrivals *= keepLevel;
      this.#levelExpected = this.#levelExpected * keepLevel + (planned * ((1 - keepLevel) * half)) / Math.LN2 / 1_000;
    }
    this.#at = now;
  }

  /** Seed the forecast level at 1 (the plan believed), worth the prior exposure of planned arrivals. */
  #openLevel(now: number): void {
    const planned = Math.max(0, this.options.forecast?.(now) || 0);
    const prior = (planned * this.options.priorExposureMs) / 1_000;
    this.#levelArrivals = prior;
    this.#levelExpected = prior;
  }

  /** Start observing at `now` (the queue opened). Optional: the first observation does it too. */
  open(now: number): void {
    this.#advance(now);
  }

  /** An inbound call arrived at `at` (epoch ms). */
  observeArrival(at: number): void {
    this.#advance(at);
    this.#arrivals += 1;
    this.#levelArrivals += 1;
  }

  /** A queued caller was answered after waiting `waitMs` (0 when an agent was idle). */
  observeAnswered(waitMs: number): void {
    this.#waitedSeconds = this.#waitedSeconds * this.#keepPerObservation + Math.max(0, waitMs) / 1_000;
    this.#abandons *= this.#keepPerObservation;
  }

  /** A queued caller hung up after waiting `waitMs`. */
  observeAbandon(waitMs: number): void {
    this.#waitedSeconds = this.#waitedSeconds * this.#keepPerObservation + Math.max(0, waitMs) / 1_000;
    this.#abandons = this.#abandons * this.#keepPerObservation + 1;
  }

  /** A finished piece of agent work: `inbound` or `outbound`, talk + wrap-up in ms. */
  observeWork(kind: 'inbound' | 'outbound', handleMs: number): void {
    (kind === 'inbound' ? this.#inboundHandle : this.#outboundHandle).add(Math.max(0, handleMs) / 1_000);
  }

  /**
   * Arrival rate at `now`, calls per second: the mean, and the upper bound `mean + z·√(mean/exposure)`.
   * With a forecast > 0 at `now`: forecast(now) × level, level = arrivals ÷ forecast arrivals
   * (both decayed), upper forecast(now) × (level + z·√(level / forecast arrivals)).
   */
  arrivalRate(now: number, z = 1): { readonly mean: number; readonly upper: number } {
    this.#advance(now);
    const planned = this.options.forecast === undefined ? 0 : Math.max(0, this.options.forecast(now) || 0);
    if (planned > 0 && this.#levelExpected > 0) {
      const level = this.#levelArrivals / this.#levelExpected;
      return { mean: planned * level, upper: planned * (level + z * Math.sqrt(level / this.#levelExpected)) };
    }
    const exposureSeconds = this.#exposureMs / 1_000;
    if (!(exposureSeconds > 0)) return { mean: 0, upper: 0 };
    const mean = this.#arrivals / exposureSeconds;
    const spread = Math.sqrt(mean / exposureSeconds);
    return { mean, upper: mean + z * spread };
  }

  /** Mean inbound handle time, s. */
  get inboundHandleSeconds(): number {
    return this.#inboundHandle.mean;
  }

  /** Mean outbound handle time, s. */
  get outboundHandleSeconds(): number {
    return this.#outboundHandle.mean;
  }

  /** Mean inbound caller patience, s (exponential MLE: time waited ÷ abandons). */
  get meanPatienceSeconds(): number {
    return this.#abandons > 0 ? this.#waitedSeconds / this.#abandons : Number.POSITIVE_INFINITY;
  }
}
