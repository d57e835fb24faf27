import type { AmdRevisionReason, OriginateRequest, Random } from '@paceline/core';

/** What really happens on the far end of one simulated call, decided when it is placed. */
export interface SimCallPlan {
  /** The truth: who or what is there. `human` and `machine` answer; the others never do. */
  readonly outcome: 'human' | 'machine' | 'fax' | 'busy' | 'no-answer' | 'failed' | 'invalid-number' | 'sit';
  /** Delay from originate to the `ringing` event; absent for calls that never ring. */
  readonly ringingAfterMs?: number;
  /**
   * Delay from originate to the answer (human, machine, fax) or to the network's final
   * response (busy, failed, invalid-number, sit). Ignored for `no-answer`, which rings until
   * the request's ring timeout.
   */
  readonly resolveAfterMs: number;
  /** Delay from the answer to the call-analysis result (the end of the greeting). */
  readonly analysisAfterMs?: number;
  /** What call analysis reports; differs from the truth with AMD errors. Default: the truth. */
  readonly detected?: 'human' | 'machine' | 'unknown';
  /**
   * A machine analysed `human` or `unknown` is found out this long after the analysis (a late
   * beep, a greeting running on): the trunk reports `revised` with `revisedReason`. Ignored
   * for anything but a machine that analysis did not call a machine.
   */
  readonly revisedAfterMs?: number;
  /** Why the revision (default `late-beep`). */
  readonly revisedReason?: AmdRevisionReason;
  /** How long a person waits in silence after the greeting before hanging up. Default: forever. */
  readonly patienceMs?: number;
}

/** Decides each call's plan. Implementations must draw randomness only from `random`. */
export interface SimOutcomeModel {
  plan(request: OriginateRequest, now: number, random: Random): SimCallPlan;
}

/** Parameters of {@link basicOutcomeModel}: outcome probabilities and mean delays. */
export interface BasicOutcomeParams {
  /** Probability of a live person answering. */
  readonly human: number;
  /** Probability of an answering machine. */
  readonly machine: number;
  readonly busy: number;
  readonly failed: number;
  readonly invalid: number;
  /** Mean answer delay for answered calls, ms (exponential). */
  readonly answerDelayMeanMs: number;
  /** Mean time to a failure response (busy, failed, invalid), ms (exponential). */
  readonly failureDelayMeanMs: number;
  /** Delay from answer to the analysis result, ms. */
  readonly analysisMs: number;
  /** AMD: probability a human is reported as machine / a machine as human. */
  readonly amdFalseMachine: number;
  readonly amdFalseHuman: number;
  /** Mean patience of a person waiting after the greeting, ms (exponential). */
  readonly patienceMeanMs: number;
  /**
   * Of the machines AMD called people, the fraction revised later (a late beep) and how long
   * after the analysis, ms. Absent: none are (and no random draw is made for it, so seeded
   * runs without it replay as before).
   */
  readonly amdRevised?: { readonly fraction: number; readonly afterMs: number };
}

/**
 * A typical consumer list on a weekday: 30% live answers, 15% answering machines, 8% busy,
 * 3% failed, 2% invalid (the rest ring out); ~9 s to answer; AMD wrong on 4% of people and 8%
 * of machines; people wait ~6 s in silence. The demo, `paceline run` and the dashboard tests use it.
 */
export const TYPICAL_CONSUMER_LIST: BasicOutcomeParams = {
  human: 0.3,
  machine: 0.15,
  busy: 0.08,
  failed: 0.03,
  invalid: 0.02,
  answerDelayMeanMs: 9_000,
  failureDelayMeanMs: 4_000,
  analysisMs: 1_500,
  amdFalseMachine: 0.04,
  amdFalseHuman: 0.08,
  patienceMeanMs: 6_000,
};

const exponential = (random: Random, mean: number) => -mean * Math.log(1 - random.next());

/**
 * A simple outcome model: fixed probabilities (the rest is no-answer), exponential delays,
 * and AMD with false-positive and false-negative rates. The simulator offers richer ones
 * (hour-of-day drift, lognormal and empirical distributions).
 */
export function basicOutcomeModel(params: BasicOutcomeParams): SimOutcomeModel {
  const total = params.human + params.machine + params.busy + params.failed + params.invalid;
  if (total > 1 + 1e-9) throw new RangeError(`basicOutcomeModel: outcome probabilities sum to ${total}, expected at most 1`);
  return {
    plan(_request, _now, random) {
      const u = random.next();
      if (u < params.human + params.machine) {
        const outcome = u < params.human ? 'human' : 'machine';
        const wrong = random.next() < (outcome === 'human' ? params.amdFalseMachine : params.amdFalseHuman);
        const detected = wrong ? (outcome === 'human' ? 'machine' : 'human') : outcome;
        const answerAfter = exponential(random, params.answerDelayMeanMs);
        const revised =
          params.amdRevised !== undefined && outcome === 'machine' && detected !== 'machine' && random.next() < params.amdRevised.fraction;
        return {
          ...(revised ? { revisedAfterMs: params.amdRevised?.afterMs ?? 0 } : {}),
          outcome,
          ringingAfterMs: Math.min(1_000, answerAfter),
          resolveAfterMs: answerAfter,
          analysisAfterMs: params.analysisMs,
          detected,
          patienceMs: exponential(random, params.patienceMeanMs),
        };
      }
      const failAfter = exponential(random, params.failureDelayMeanMs);
      const answered = params.human + params.machine;
      if (u < answered + params.busy) return { outcome: 'busy', ringingAfterMs: Math.min(500, failAfter), resolveAfterMs: failAfter };
      if (u < answered + params.busy + params.failed) return { outcome: 'failed', resolveAfterMs: failAfter };
      if (u < total) return { outcome: 'invalid-number', resolveAfterMs: failAfter };
      return { outcome: 'no-answer', ringingAfterMs: 1_000, resolveAfterMs: Number.POSITIVE_INFINITY };
    },
  };
}

/** A model that plays back a fixed plan per destination number (tests, conformance). */
export function scriptedOutcomeModel(plans: Readonly<Record<string, SimCallPlan>>, fallback?: SimCallPlan): SimOutcomeModel {
  return {
    plan(request) {
      const plan = plans[request.to] ?? fallback;
      if (!plan) throw new RangeError(`scriptedOutcomeModel: no plan for ${request.to}`);
      return plan;
    },
  };
}
