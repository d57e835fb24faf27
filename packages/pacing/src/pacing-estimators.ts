import { type CallOutcome, createParser } from '@paceline/core';
import Type, { type Static } from 'typebox';
import { ChangePointRates } from './change-point-rates';
import { DecayingHistogram, SurvivalCurve } from './decaying-histogram';
import { exponentialWorkEvidence } from './exponential-fit';
import { CONTACT_FLOWS, FlowWorkSamples } from './flow-work';
import { COLD_ESTIMATES, type ContactFlow, type FlowWork, type FlowWorkTables, type ModelEstimates } from './model-estimates';
import {
  ABANDON_GRACE_MS,
  cachedOnCallTable,
  fittedShapeShrink,
  type OnCallCache,
  onCallFreeTable,
  shrunkFreeTable,
  tableRows,
  wrapFreeTable,
} from './work-tables';

/** Options of {@link PacingEstimators}; every field has a default. */
export const PacingEstimatorsOptionsSchema = Type.Object(
  {
    /** Attempts after which an old attempt counts half (live probability, delays). */
    halfLifeAttempts: Type.Number({ exclusiveMinimum: 0, default: 400, expected: 'a positive number of attempts' }),
    /** Work items after which an old one counts half (talk, wrap-up). */
    halfLifeWork: Type.Number({ exclusiveMinimum: 0, default: 400, expected: 'a positive number of calls' }),
    /** Cold start: attempts needed before model-based pacing. */
    warmAttempts: Type.Integer({ minimum: 0, default: 60 }),
    /** Cold start: live answers needed before model-based pacing. */
    warmLiveAnswers: Type.Integer({ minimum: 0, default: 20 }),
    /** Cold start: finished calls (talk + wrap) needed before model-based pacing. */
    warmWorkSamples: Type.Integer({ minimum: 0, default: 15 }),
    /**
     * issue-22 22-early: the early snapshot. Once the cold estimators hold this many attempts, live
     * answers and finished calls (and one live answer), the cold snapshot carries a model built from
     * them (`ModelEstimates.early`); the warm snapshots, their rebuilds and every pacer reading `warm`
     * are untouched. The predictive pacer decides on it only on a team under `earlyStartBelow` whose
     * work looks exponential (docs/pacing.md, "The early start of a tiny team"). A threshold at or
     * above its `warm…` one: no early snapshot.
     */
    earlyAttempts: Type.Integer({ minimum: 0, default: 40 }),
    earlyLiveAnswers: Type.Integer({ minimum: 0, default: 12 }),
    earlyWorkSamples: Type.Integer({ minimum: 0, default: 10 }),
    /** Prediction horizons (quantiles of the live-answer delay). */
    horizons: Type.Integer({ minimum: 1, maximum: 16, default: 4 }),
    /**
     * Condition a ringing call on its answer delay (not yet answered) instead of its live delay
     * (answer + greeting) in `pendingLive`: removes a 15% over-estimate of ringing calls' live
     * answers on AMD campaigns. Opt-in: on larger teams it costs talk (midday-drop-rise −1.0
     * point on 20 seeds, seventh session). The predictive pacer's per-agent walk of a small team
     * (its default, issue-22 22-small) reads this conditioning from `pendingLiveByAnswer`
     * whatever this option says.
     */
    ringingByAnswer: Type.Boolean({ default: false }),
    /**
     * Likelihood-ratio threshold of the live-rate change test ({@link ChangePointRates}): when the
     * recent attempts' live rate differs from the older ones' beyond it, the attempt rates (live,
     * answered, machine) forget the older attempts. 0 turns the test off (a plain half-life).
     */
    liveRateChangeThreshold: Type.Number({ minimum: 0, default: 60, expected: 'a likelihood-ratio threshold (0: off)' }),
    /**
     * issue-22 22-est3: shrink the on-call and wrap-up tables where the data are thin — each
     * row's short-window free probability toward the hazard pooled over a wider window, with
     * this prior strength in events (`thin-tail.ts`). 0 (the default): the raw tables. Opt-in:
     * on small-team-3-markov it recovers part of the talk/wrap-up tables' noise (docs/pacing.md,
     * "Which estimate's noise costs").
     */
    workPriorEvents: Type.Number({ minimum: 0, default: 0, expected: 'a prior strength in events (0: off)' }),
    /**
     * issue-22 22-smooth3: the small-team walk's on-call and wrap-up tables (`handleFreeSmall`,
     * `wrapFreeSmall`) with each row's short-window survival shrunk, where the data are thin,
     * toward a Weibull or lognormal fitted to the whole histogram (the better by likelihood;
     * `thin-tail.ts` `fitShape`), with this prior strength in events. Teams the per-agent walk
     * does not serve (≥ 6 logged in) read the raw tables whatever it says. 0: no small-team
     * tables (the walk reads the raw ones). See docs/pacing.md, "A shape-keeping table".
     */
    workShapePriorEvents: Type.Number({ minimum: 0, default: 0, expected: 'a prior strength in events (0: off)' }),
    /**
     * issue-23 23-flowtab (opt-in): keep a talk/wrap-up table per contact flow (inbound,
     * outbound; `WorkObservation.flow`) beside the pooled one, and give them to the walk
     * (`ModelEstimates.flowWork`), which then reads each busy agent's own flow's table
     * (`ObservedAgent.flow`). In a blend an agent on an inbound service call frees at the inbound
     * handle time, one on an outbound call at the outbound one. Only once two flows have been
     * seen: a campaign of one flow keeps the pooled table, which is that flow's.
     */
    workByFlow: Type.Boolean({ default: false }),
    /** issue-23 23-flowtab: finished calls of a flow before its own table is used (before: the pooled one). */
    flowWarmWorkSamples: Type.Integer({ minimum: 1, default: 30 }),
    /** Rebuild the lookup tables after this many observations (they are cheap to read, not to build). */
    rebuildEvery: Type.Integer({ minimum: 1, default: 128 }),
  },
  { additionalProperties: false, default: {} },
);

/** Options of {@link PacingEstimators}. */
export type PacingEstimatorsOptions = Static<typeof PacingEstimatorsOptionsSchema>;

const parseOptions = createParser<PacingEstimatorsOptions>(PacingEstimatorsOptionsSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'estimators',
});

/** One finished attempt, as the engine (or the simulator) reports it. */
export interface AttemptObservation {
  /** The network outcome; `human` is a live answer. */
  readonly outcome: CallOutcome;
  /** Originate → answer, ms (answered calls). */
  readonly answerDelayMs?: number;
  /** Originate → the live call needs an agent (the greeting's end), ms. Default: `answerDelayMs`. */
  readonly liveDelayMs?: number;
  /** Originate → end, ms: how long a non-live attempt held its line. */
  readonly durationMs: number;
}

/** One agent's finished work on a call. */
export interface WorkObservation {
  /** Talk time, ms. */
  readonly talkMs?: number;
  /** Wrap-up time, ms. */
  readonly wrapMs?: number;
  /** issue-23 23-flowtab: the call's contact flow (a blend's inbound or outbound call); read with `workByFlow`. */
  readonly flow?: ContactFlow;
}

/**
 * Online, per-campaign estimators: live-answer probability, machine fraction, the
 * live-answer delay, the line time of non-live attempts, talk and wrap-up (an agent on a call
 * frees after both: the pacer's on-call table convolves them). Empirical and decaying (no exponential assumption; drift is followed).
 * Stateful by design; the predictive pacer reads an immutable `estimates()` snapshot.
 */
export class PacingEstimators {
  readonly options: PacingEstimatorsOptions;
  readonly #liveDelay: DecayingHistogram;
  readonly #nonLive: DecayingHistogram;
  /** Live answers' answer delay (originate → answer) and greeting (answer → needs an agent). */
  readonly #liveAnswer: DecayingHistogram;
  readonly #greeting: DecayingHistogram;
  /** How long a non-live attempt rings (machines: until answered; the rest: the whole line time). */
  readonly #nonLiveRing: DecayingHistogram;
  readonly #talk: DecayingHistogram;
  readonly #wrap: DecayingHistogram;
  /** Attempt rates: channel 0 live (tested for a change), 1 answered (live, machine or fax), 2 machine. */
  readonly #rates: ChangePointRates;
  #attempts = 0;
  #live = 0;
  #work = 0;
  #sinceRebuild = 0;
  #snapshot: ModelEstimates = COLD_ESTIMATES;
  /** issue-22 22-early: the cold phase's early snapshot, its observations since built, and its own on-call cache. */
  #early: ModelEstimates | undefined;
  #sinceEarly = 0;
  #earlyOnCall: OnCallCache | undefined;
  /** issue-23 23-flowtab: each flow's talk and wrap-up (`workByFlow`), created at its first work. */
  readonly #flows = new Map<ContactFlow, FlowWorkSamples>();
  #built = false;
  /** The on-call table is the costly one (a convolution); reused until the work data or the horizons move. */
  #onCall: OnCallCache | undefined;

  /** @param options see {@link PacingEstimatorsOptionsSchema}; invalid ones throw `E_INVALID_CONFIG`. */
  constructor(options: Partial<PacingEstimatorsOptions> = {}) {
    this.options = parseOptions(options);
    const o = this.options;
    this.#liveDelay = new DecayingHistogram(250, 120_000, o.halfLifeAttempts);
    this.#nonLive = new DecayingHistogram(250, 130_000, o.halfLifeAttempts);
    this.#liveAnswer = new DecayingHistogram(250, 120_000, o.halfLifeAttempts);
    this.#greeting = new DecayingHistogram(250, 60_000, o.halfLifeAttempts);
    this.#nonLiveRing = new DecayingHistogram(250, 130_000, o.halfLifeAttempts);
    this.#talk = new DecayingHistogram(1_000, 1_800_000, o.halfLifeWork);
    // 250-ms bins: the wrap-up is convolved with the talk at that step (a zero wrap-up must stay ≈ 0).
    this.#wrap = new DecayingHistogram(250, 600_000, o.halfLifeWork);
    this.#rates = new ChangePointRates(3, {
      halfLife: o.halfLifeAttempts,
      threshold: o.liveRateChangeThreshold > 0 ? o.liveRateChangeThreshold : Number.POSITIVE_INFINITY,
    });
  }

  /** Changes of the live rate detected so far (each one cut the attempt rates' memory). */
  get liveRateChanges(): number {
    return this.#rates.cuts;
  }

  /** Learn from one finished attempt. */
  observeAttempt(o: AttemptObservation): void {
    const live = o.outcome === 'human';
    if (live) {
      const liveDelay = o.liveDelayMs ?? o.answerDelayMs ?? o.durationMs;
      const answer = Math.min(liveDelay, o.answerDelayMs ?? liveDelay);
      this.#liveDelay.add(liveDelay);
      this.#liveAnswer.add(answer);
      this.#greeting.add(liveDelay - answer);
      this.#live++;
    } else {
      this.#nonLive.add(o.durationMs);
      // A machine stops ringing when answered (then it is in analysis, not unanswered).
      this.#nonLiveRing.add(Math.min(o.durationMs, o.answerDelayMs ?? o.durationMs));
    }
    const answered = live || o.outcome === 'machine' || o.outcome === 'fax';
    const changed = this.#rates.observe([live, answered, o.outcome === 'machine']);
    this.#attempts++;
    this.#sinceRebuild++;
    this.#sinceEarly++;
    // A detected change of the live rate: rebuild at the next read, not up to rebuildEvery observations later.
    if (changed) this.#sinceRebuild = Math.max(this.#sinceRebuild, this.options.rebuildEvery);
  }

  /** Learn from one finished call's talk and wrap-up (report both together when you can). */
  observeWork(o: WorkObservation): void {
    if (o.talkMs !== undefined) this.#talk.add(o.talkMs);
    if (o.wrapMs !== undefined) this.#wrap.add(o.wrapMs);
    if (o.talkMs !== undefined) this.#work++;
    if (this.options.workByFlow && o.flow !== undefined) {
      let flow = this.#flows.get(o.flow);
      if (flow === undefined) {
        flow = new FlowWorkSamples(this.options.halfLifeWork);
        this.#flows.set(o.flow, flow);
      }
      flow.observe(o.talkMs, o.wrapMs);
    }
    this.#sinceRebuild++;
    this.#sinceEarly++;
  }

  /** The current snapshot (rebuilt at most every `rebuildEvery` observations). */
  estimates(): ModelEstimates {
    const o = this.options;
    const warm = this.#attempts >= o.warmAttempts && this.#live >= o.warmLiveAnswers && this.#work >= o.warmWorkSamples && this.#live > 0;
    if (!warm) return this.#coldSnapshot();
    if (!this.#built || !this.#snapshot.warm || this.#sinceRebuild >= o.rebuildEvery) {
      this.#snapshot = this.#build();
      this.#built = true;
      this.#sinceRebuild = 0;
    }
    return this.#snapshot;
  }

  #coldSnapshot(): ModelEstimates {
    const o = this.options;
    const early =
      this.#attempts >= o.earlyAttempts && this.#live >= o.earlyLiveAnswers && this.#work >= o.earlyWorkSamples && this.#live > 0;
    // issue-22 22-early: built apart from the warm snapshot (own cache and count), so the warm ones are as without it.
    if (early && (this.#early === undefined || this.#sinceEarly >= o.rebuildEvery)) {
      this.#early = this.#build(true);
      this.#sinceEarly = 0;
    }
    return {
      ...COLD_ESTIMATES,
      attempts: this.#attempts,
      liveAnswers: this.#live,
      workSamples: this.#work,
      liveProbability: this.#rates.rate(0),
      ...(early && this.#early !== undefined ? { early: this.#early } : {}),
    };
  }

  #onCallTable(
    talk: SurvivalCurve,
    wrap: SurvivalCurve,
    horizonMs: Float64Array,
    binMs: number,
    bins: number,
    early: boolean,
  ): Float64Array {
    const o = this.options;
    const options = { count: this.#work, rebuildEvery: o.rebuildEvery, priorEvents: o.workPriorEvents }; // issue-22 22-est3
    if (early) {
      this.#earlyOnCall = cachedOnCallTable(this.#earlyOnCall, talk, wrap, horizonMs, binMs, bins, options);
      return this.#earlyOnCall.table;
    }
    this.#onCall = cachedOnCallTable(this.#onCall, talk, wrap, horizonMs, binMs, bins, options);
    return this.#onCall.table;
  }

  /**
   * issue-23 23-flowtab: the warm flows' tables on the pooled layout, or undefined (option off,
   * fewer than two flows seen, or none warm yet).
   */
  #flowWork(horizonMs: Float64Array, layout: Parameters<FlowWorkSamples['tables']>[1]): FlowWork | undefined {
    const o = this.options;
    if (!o.workByFlow || this.#flows.size < 2) return undefined;
    const work: Partial<Record<ContactFlow, FlowWorkTables>> = {};
    let any = false;
    for (const flow of CONTACT_FLOWS) {
      const samples = this.#flows.get(flow);
      if (samples === undefined || samples.workSamples < o.flowWarmWorkSamples) continue;
      work[flow] = samples.tables(horizonMs, layout, o.workPriorEvents, o.rebuildEvery);
      any = true;
    }
    return any ? work : undefined;
  }

  /** A warm snapshot of the data so far; `early` (issue-22 22-early): the cold phase's, on its own on-call cache and without flow tables. */
  #build(early = false): ModelEstimates {
    const K = this.options.horizons;
    const pLive = this.#rates.rate(0);
    const MAX_STEPS = 24;
    const answered = this.#rates.sum(1);
    const liveDelay = new SurvivalCurve(this.#liveDelay);
    const talk = new SurvivalCurve(this.#talk);
    const wrap = new SurvivalCurve(this.#wrap);

    // Steps of the predictive walk: the K quantiles of the live delay (where a new call's live
    // answer is placed, p/K each) and, between 0 and them, fill-in steps at most one abandon
    // grace apart — a caller arriving early must not be credited with an agent freeing many
    // seconds after it has hung up.
    const quantiles: number[] = [];
    for (let k = 0; k < K; k++) quantiles.push(liveDelay.quantile((k + 0.5) / K));
    const times: number[] = [0];
    const arrivals: number[] = [0];
    const spacing = Math.max(ABANDON_GRACE_MS, (quantiles[K - 1] ?? 0) / (MAX_STEPS - K - 1));
    for (const h of quantiles) {
      const last = times[times.length - 1] as number;
      const parts = Math.max(1, Math.ceil((h - last) / spacing - 1e-9));
      for (let i = 1; i < parts; i++) {
        times.push(last + ((h - last) * i) / parts);
        arrivals.push(0);
      }
      if (h > last || times.length === 1) {
        times.push(h);
        arrivals.push(pLive / K);
      } else arrivals[arrivals.length - 1] = (arrivals[arrivals.length - 1] as number) + pLive / K;
    }
    const steps = times.length;
    const horizonMs = Float64Array.from(times);
    const newLiveByStep = Float64Array.from(arrivals);
    const newLiveByHorizon = new Float64Array(steps);
    for (let k = 0; k < steps; k++) newLiveByHorizon[k] = pLive * liveDelay.cdf(horizonMs[k] as number);

    // An agent on a call is free once talk AND wrap-up are over. Conditioning on the handle
    // time (talk + wrap) exceeding the elapsed talk is wrong: talk > a says more than handle > a,
    // and it credited agents 100 s into a call with frees that the 15-s wrap-up still to come
    // rules out (the 8× under-prediction of abandons on large-100-low-contact). So:
    // P(free by a + τ | talk > a) = Σ_u P(talk ∈ (a+u, a+u+du]) · P(wrap ≤ τ − u − du/2) / S_talk(a).
    const handleBinMs = 1_000;
    const handleBins = tableRows(talk, handleBinMs, 1_800);
    const wrapBinMs = 1_000;
    const wrapBins = tableRows(wrap, wrapBinMs, 600);

    // An unanswered (ringing) call of age g: its answer delay A is > g — a call answered less
    // than a greeting ago is in analysis, counted there. So P(live by g + h | ringing at g) =
    // p·P(A > g, A + G ≤ g + h) / (p·P(A > g) + (1 − p)·P(non-live still ringing at g)), the
    // greeting G independent of A. (Conditioning on the live delay A + G > g instead
    // over-stated the ringing calls' live answers by 15% on large-100-low-contact.)
    // Without `ringingByAnswer`: the older conditioning on the live delay and the line time.
    // issue-22 22-small: both tables — `pendingLive` by the option, `pendingLiveByAnswer` always
    // by the answer delay (built at its first read: only the small teams' per-agent walk reads it).
    const byAnswer = this.options.ringingByAnswer;
    const curves = {
      liveAnswer: new SurvivalCurve(this.#liveAnswer),
      liveDelay: new SurvivalCurve(this.#liveDelay),
      greeting: new SurvivalCurve(this.#greeting),
      nonLiveRing: new SurvivalCurve(this.#nonLiveRing),
      nonLive: new SurvivalCurve(this.#nonLive),
    };
    const pendingBinMs = 250;
    const pendingBins = 520;
    const pendingLive = pendingLiveTable(curves, byAnswer, pLive, horizonMs, pendingBinMs, pendingBins);
    let byAnswerTable = byAnswer ? pendingLive : undefined; // issue-22 22-small
    // issue-22 22-smooth3: the small-team walk's shape-shrunk tables, built at their first read.
    const shapePrior = this.options.workShapePriorEvents;
    let small: { handle: Float64Array; wrap: Float64Array } | undefined;
    let exponentialWork: number | undefined; // issue-22 22-gate
    const smallTables = () => {
      small ??= {
        handle: onCallFreeTable(talk, wrap, horizonMs, handleBinMs, handleBins, fittedShapeShrink(talk, shapePrior)),
        wrap: shrunkFreeTable(wrap, horizonMs, wrapBinMs, wrapBins, fittedShapeShrink(wrap, shapePrior)),
      };
      return small;
    };

    const handleFree = this.#onCallTable(talk, wrap, horizonMs, handleBinMs, handleBins, early);
    const layout = { handleBinMs, handleBins, wrapBinMs, wrapBins };
    const flowWork = early ? undefined : this.#flowWork(horizonMs, layout); // issue-23 23-flowtab
    return {
      warm: true,
      ...(flowWork !== undefined ? { flowWork } : {}),
      attempts: this.#attempts,
      liveAnswers: this.#live,
      workSamples: this.#work,
      liveProbability: pLive,
      machineFraction: answered > 0 ? this.#rates.sum(2) / answered : 0,
      liveGivenAnswered: answered > 0 ? this.#rates.sum(0) / answered : 1,
      meanLiveDelayMs: this.#liveDelay.mean(),
      meanNonLiveMs: this.#nonLive.mean(),
      meanTalkMs: this.#talk.mean(),
      meanWrapMs: this.#wrap.mean(),
      horizons: steps,
      horizonMs,
      newLiveByHorizon,
      newLiveByStep,
      handleBinMs,
      handleBins,
      handleFree,
      wrapBinMs,
      wrapBins,
      wrapFree: wrapFreeTable(wrap, horizonMs, wrapBinMs, wrapBins, this.options.workPriorEvents),
      pendingBinMs,
      pendingBins,
      pendingLive,
      // issue-22 22-small: the answer-delay conditioning, built once at the first read.
      get pendingLiveByAnswer(): Float64Array {
        byAnswerTable ??= pendingLiveTable(curves, true, pLive, horizonMs, pendingBinMs, pendingBins);
        return byAnswerTable;
      },
      // issue-22 22-smooth3: undefined when `workShapePriorEvents` is 0 (the walk reads the raw tables).
      get handleFreeSmall(): Float64Array | undefined {
        return shapePrior > 0 ? smallTables().handle : undefined;
      },
      get wrapFreeSmall(): Float64Array | undefined {
        return shapePrior > 0 ? smallTables().wrap : undefined;
      },
      // issue-22 22-gate: the work's fit to the MDP's exponential model, computed at its first read.
      get exponentialWork(): number {
        exponentialWork ??= exponentialWorkEvidence(talk, wrap);
        return exponentialWork;
      },
    };
  }
}

/** issue-22 22-small: the survival curves a ringing-call table reads (one rebuild's). */
interface RingingCurves {
  readonly liveAnswer: SurvivalCurve;
  readonly liveDelay: SurvivalCurve;
  readonly greeting: SurvivalCurve;
  readonly nonLiveRing: SurvivalCurve;
  readonly nonLive: SurvivalCurve;
}

/**
 * P(a call still unanswered at age `row·binMs` becomes live by horizon k), `steps` entries per
 * row (see the comment in `#build`): conditioned on the answer delay (`byAnswer`) or, the older
 * way, on the live delay and the whole line time. issue-22 22-small: moved out of `#build` unchanged.
 */
function pendingLiveTable(
  c: RingingCurves,
  byAnswer: boolean,
  pLive: number,
  horizonMs: Float64Array,
  pendingBinMs: number,
  pendingBins: number,
): Float64Array {
  const steps = horizonMs.length;
  const liveAnswer = byAnswer ? c.liveAnswer : c.liveDelay;
  const greeting = c.greeting;
  const nonLiveRing = byAnswer ? c.nonLiveRing : c.nonLive;
  const pendingLive = new Float64Array((pendingBins + 1) * steps);
  const greetingMax = byAnswer ? greeting.quantile(0.9995) : 0;
  for (let j = 0; j < pendingBins; j++) {
    const g = j * pendingBinMs;
    const ringing = liveAnswer.at(g);
    const pending = pLive * ringing + (1 - pLive) * nonLiveRing.at(g);
    if (pending <= 1e-12) continue;
    for (let k = 0; k < steps; k++) {
      const end = g + (horizonMs[k] ?? 0);
      // Answered by end − greetingMax: surely through the greeting by `end`; the answers in the
      // last greetingMax before `end` weighted by P(G ≤ end − u), u at each 250-ms bin's middle.
      const sure = Math.max(g, end - greetingMax);
      let both = ringing - liveAnswer.at(sure);
      for (let u = sure; u < end; u += pendingBinMs) {
        const to = Math.min(end, u + pendingBinMs);
        both += (liveAnswer.at(u) - liveAnswer.at(to)) * greeting.cdf(end - (u + to) / 2);
      }
      pendingLive[j * steps + k] = (pLive * Math.max(0, both)) / pending;
    }
  }
  return pendingLive;
}
